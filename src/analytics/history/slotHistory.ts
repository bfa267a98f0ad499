/**
 * A slot's history for the inspector's chart: its load cell's grams, its units (the
 * movements) and its book over a range, each thinned to at most `maxPoints` points by
 * keeping the last value of each time bucket, so a week of readings stays small. Each
 * series starts with the value it had at `from` (when it had one), so the chart's lines
 * begin at the left edge.
 */
import { bookLevelCtes, lit, num, sqlTime, type Query } from './historySql';

/** A series as columns: `ts[i]` (epoch ms, ascending) and its `value[i]`. */
export interface Series {
  readonly ts: number[];
  readonly value: number[];
}

export interface SlotHistory {
  readonly slot: string;
  readonly from: number;
  readonly to: number;
  /** Load-cell readings, grams. */
  readonly grams: Series;
  /** Units on the slot by the load cell (movements.units_after), a step series. */
  readonly units: Series;
  /** Units the book puts on the slot, a step series. */
  readonly book: Series;
}

/**
 * SQL keeping per bucket of [from, to] the last row of `src` (columns t, o, v; o orders
 * rows of one t), after the last row before `from` shown at `from`.
 */
function thinned(src: string, from: number, to: number, maxPoints: number): string {
  const F = Math.trunc(from);
  const span = Math.max(1, Math.trunc(to) - F + 1);
  // Leave one point for the value at `from`.
  const n = Math.max(1, maxPoints - 1);
  return `WITH src AS (${src}), r AS (SELECT t, v, row_number() OVER (ORDER BY t, o) AS rn FROM src)
    SELECT * FROM (
      SELECT ${F} AS pt, arg_max(v, rn) AS pv FROM r WHERE t < ${F} HAVING count(*) > 0
      UNION ALL
      SELECT max(t) AS pt, arg_max(v, rn) AS pv FROM r WHERE t >= ${F}
      GROUP BY ((t - ${F}) * ${n}) // ${span})
    ORDER BY pt`;
}

export function slotGramsSeriesSql(store: string, slot: string, from: number, to: number, maxPoints: number): string {
  return thinned(
    `SELECT epoch_ms(ts) AS t, coalesce(seq, -1) AS o, grams AS v FROM readings WHERE store = ${lit(store)} AND slot = ${lit(slot)} AND ts <= ${sqlTime(to)}`,
    from, to, maxPoints,
  );
}

export function slotUnitsSeriesSql(store: string, slot: string, from: number, to: number, maxPoints: number): string {
  return thinned(
    `SELECT epoch_ms(ts) AS t, 0 AS o, CAST(units_after AS DOUBLE) AS v FROM movements WHERE store = ${lit(store)} AND slot = ${lit(slot)} AND ts <= ${sqlTime(to)}`,
    from, to, maxPoints,
  );
}

export function slotBookSeriesSql(store: string, slot: string, from: number, to: number, maxPoints: number): string {
  return thinned(`WITH ${bookLevelCtes(store, to, ` AND slot = ${lit(slot)}`)} SELECT t, ord AS o, book AS v FROM bt`, from, to, maxPoints);
}

async function series(q: Query, sql: string): Promise<Series> {
  const ts: number[] = [];
  const value: number[] = [];
  for (const r of await q(sql)) {
    ts.push(num(r.pt));
    value.push(num(r.pv));
  }
  return { ts, value };
}

/** Grams, units and book of one slot over [from, to], at most `maxPoints` points each. */
export async function slotHistory(q: Query, store: string, slot: string, from: number, to: number, maxPoints = 500): Promise<SlotHistory> {
  if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) throw new RangeError(`maxPoints must be an integer of at least 2, not ${maxPoints}`);
  return {
    slot,
    from,
    to,
    grams: await series(q, slotGramsSeriesSql(store, slot, from, to, maxPoints)),
    units: await series(q, slotUnitsSeriesSql(store, slot, from, to, maxPoints)),
    book: await series(q, slotBookSeriesSql(store, slot, from, to, maxPoints)),
  };
}
