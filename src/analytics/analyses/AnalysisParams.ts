/**
 * The parameters every named analysis takes, checked once, and the SQL fragments built from
 * them. Values reach the SQL only after validation (ids match the contract's id pattern,
 * times are numbers), and strings are quoted, so a parameter can never change a query's shape.
 */
import { HHMM_PATTERN, ID_HINT, ID_PATTERN } from '../../core/patterns';
import { hhmmToMinutes, localToUtc } from '../../core/zonedTime';
import { parseTs } from '../../contract/parseTs';

/** A named shift: local minutes after midnight, `end` may be past midnight (end < start). */
export interface Shift {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export interface AnalysisParams {
  /** The store the analysis reads (every table holds rows of possibly many stores). */
  readonly store: string;
  /** Start of the time range, epoch ms, inclusive; none: from the first event. */
  readonly from?: number;
  /** End of the time range, epoch ms, exclusive; none: to the last event. State "now" is the state at `to`. */
  readonly to?: number;
  /** Only this zone's slots (and doors). */
  readonly zone?: string;
  /** Only this SKU. */
  readonly sku?: string;
  /** Only what happened during this shift (one of `shifts`). */
  readonly shift?: string;
  /** How the day is cut into shifts, in the store's local time. */
  readonly shifts: readonly Shift[];
  /** Book and physical within this many units count as matching (record accuracy). */
  readonly tolerance: number;
  /** A device silent for longer than this many minutes has a gap (device uptime); at least 2. */
  readonly gapMinutes: number;
  /** A door open longer than this many minutes is a long opening (door dwell). */
  readonly longOpenMinutes: number;
}

export const DEFAULT_SHIFTS: readonly Shift[] = parseShifts('early=06:00-14:00,late=14:00-22:00,night=22:00-06:00');

/** What a user may pass; every field text as it comes from a command line or a form. */
export interface AnalysisOptions {
  from?: string;
  to?: string;
  zone?: string;
  sku?: string;
  shift?: string;
  shifts?: string;
  tolerance?: string;
  gapMinutes?: string;
  longOpenMinutes?: string;
}

export class AnalysisParamError extends Error {
  override name = 'AnalysisParamError';
}

/** `name=HH:MM-HH:MM,...` to shifts; throws with the bad part named. */
export function parseShifts(text: string): Shift[] {
  const shifts = text.split(',').map((part) => {
    const m = /^\s*([A-Za-z0-9_-]{1,32})=(\d\d:\d\d)-(\d\d:\d\d)\s*$/.exec(part);
    if (!m || !HHMM_PATTERN.test(m[2]!) || !HHMM_PATTERN.test(m[3]!)) throw new AnalysisParamError(`shift "${part.trim()}" is not name=HH:MM-HH:MM`);
    return { name: m[1]!, start: hhmmToMinutes(m[2]!), end: hhmmToMinutes(m[3]!) };
  });
  if (new Set(shifts.map((s) => s.name)).size !== shifts.length) throw new AnalysisParamError('two shifts have the same name');
  return shifts;
}

/**
 * Checks what a user passed. Times are RFC 3339 with a zone, epoch ms, or a plain date
 * (`2026-11-16`), which means that day's local midnight in `timezone` (the store's).
 */
export function resolveParams(store: string, o: AnalysisOptions = {}, timezone = 'UTC'): AnalysisParams {
  const id = (v: string | undefined, what: string) => {
    if (v === undefined) return undefined;
    if (!ID_PATTERN.test(v)) throw new AnalysisParamError(`${what} "${v}" ${ID_HINT}`);
    return v;
  };
  const time = (v: string | undefined, what: string) => {
    if (v === undefined) return undefined;
    const t = /^\d{4}-\d{2}-\d{2}$/.test(v) ? localToUtc(v, 0, timezone) : parseTs(/^\d+$/.test(v) ? Number(v) : v);
    if (!Number.isFinite(t)) throw new AnalysisParamError(`${what} "${v}" is not a time: use a date (2026-11-16, local midnight), RFC 3339 with a zone (2026-11-16T06:00:00Z) or epoch ms`);
    return t;
  };
  const positive = (v: string | undefined, what: string, dflt: number) => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new AnalysisParamError(`${what} "${v}" must be a number of at least 0`);
    return n;
  };
  const shifts = o.shifts === undefined ? DEFAULT_SHIFTS : parseShifts(o.shifts);
  const p: AnalysisParams = {
    store: id(store, 'store')!,
    from: time(o.from, '--from'),
    to: time(o.to, '--to'),
    zone: id(o.zone, '--zone'),
    sku: id(o.sku, '--sku'),
    shift: o.shift,
    shifts,
    tolerance: positive(o.tolerance, '--tolerance', 0),
    gapMinutes: positive(o.gapMinutes, '--gap-minutes', 5),
    longOpenMinutes: positive(o.longOpenMinutes, '--long-open-minutes', 10),
  };
  if (p.shift !== undefined && !shifts.some((s) => s.name === p.shift)) {
    throw new AnalysisParamError(`--shift "${p.shift}" is not one of the shifts: ${shifts.map((s) => s.name).join(', ')}`);
  }
  // The store keeps silences from 2 minutes up (twice the contract's heartbeat), see reading_gaps.
  if (p.gapMinutes < 2) throw new AnalysisParamError(`--gap-minutes must be at least 2 (the store keeps silences of a load cell from 2 minutes up), not ${p.gapMinutes}`);
  if (p.from !== undefined && p.to !== undefined && p.from >= p.to) throw new AnalysisParamError('--from must be before --to');
  return p;
}

// ---- SQL fragments -------------------------------------------------------------------------

export function lit(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** `AND` conditions keeping `col` (a timestamp) inside [from, to). */
export function inRange(p: AnalysisParams, col = 'ts'): string {
  return (p.from !== undefined ? ` AND ${col} >= epoch_ms(${p.from})` : '') + (p.to !== undefined ? ` AND ${col} < epoch_ms(${p.to})` : '');
}

/** `AND` condition keeping `col` at or before `to` (state as of the end of the range). */
export function upTo(p: AnalysisParams, col = 'ts'): string {
  return p.to !== undefined ? ` AND ${col} < epoch_ms(${p.to})` : '';
}

/** The quarter-hour key of a timestamp column, as the clock table's `q`. */
export function quarterOf(col = 'ts'): string {
  return `(epoch_ms(${col}) // 900000)`;
}

function between(minute: string, start: number, end: number): string {
  if (start === end) return 'true'; // a shift from a time to the same time is the whole day
  return start <= end ? `(${minute} >= ${start} AND ${minute} < ${end})` : `(${minute} >= ${start} OR ${minute} < ${end})`;
}

/**
 * CTE `clk`: the store's quarters with local day, minute, shift and whether the store was
 * closed (outside trading hours), keyed by `q` (quarterOf).
 */
export function clockCte(p: AnalysisParams): string {
  const shift = p.shifts.length ? `CASE ${p.shifts.map((s) => `WHEN ${between('c.local_minute', s.start, s.end)} THEN ${lit(s.name)}`).join(' ')} ELSE 'other' END` : `'all'`;
  return `clk AS (
    SELECT epoch_ms(c.quarter) // 900000 AS q, c.local_day AS day, c.local_minute AS minute, c.local_minute // 60 AS hour, ${shift} AS shift,
      NOT (CASE WHEN st.open_minute <= st.close_minute THEN c.local_minute >= st.open_minute AND c.local_minute < st.close_minute
                ELSE c.local_minute >= st.open_minute OR c.local_minute < st.close_minute END) AS after_hours
    FROM clock c JOIN stores st ON st.store = c.store
    WHERE c.store = ${lit(p.store)})`;
}

/** Condition on `clk` columns for the shift filter (true when none is set). */
export function shiftFilter(p: AnalysisParams, alias = 'clk'): string {
  return p.shift !== undefined ? ` AND ${alias}.shift = ${lit(p.shift)}` : '';
}

/** The zone and SKU filters on a slot row (alias `alias`), as `AND` conditions. */
export function slotFilter(p: AnalysisParams, alias: string): string {
  return `${p.zone ? ` AND ${alias}.zone = ${lit(p.zone)}` : ''}${p.sku ? ` AND ${alias}.sku = ${lit(p.sku)}` : ''}`;
}

/**
 * CTE `name` (default `sl`): the store's slots with their SKU's weight, cost and price and
 * their zone, after the zone and SKU filters unless `filtered` is false.
 */
export function slotsCte(p: AnalysisParams, filtered = true, name = 'sl'): string {
  return `${name} AS (
    SELECT s.slot, s.shelf, s.zone, s.sku, s.capacity, k.name AS sku_name, k.unit_grams, k.unit_cost, k.unit_price, k.high_value,
      coalesce(z.restricted, false) AS restricted
    FROM slots s JOIN skus k ON k.store = s.store AND k.sku = s.sku LEFT JOIN zones z ON z.store = s.store AND z.zone = s.zone
    WHERE s.store = ${lit(p.store)}${filtered ? slotFilter(p, 's') : ''})`;
}

/** CTE `skus_f`: the store's SKUs after the SKU filter (and, with a zone, only SKUs planned in it). */
export function skusCte(p: AnalysisParams): string {
  return `skus_f AS (
    SELECT k.sku, k.name AS sku_name, k.unit_grams, k.unit_cost, k.unit_price, k.high_value FROM skus k
    WHERE k.store = ${lit(p.store)}${p.sku ? ` AND k.sku = ${lit(p.sku)}` : ''}${p.zone ? ` AND k.sku IN (SELECT sku FROM slots WHERE store = ${lit(p.store)} AND zone = ${lit(p.zone)})` : ''})`;
}
