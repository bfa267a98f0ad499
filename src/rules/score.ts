/**
 * Incidents scored against the simulator's truth (sim/world/Truth.ts). Each side is put in
 * a scored class, and a truth record is found when an incident of its class is at its place
 * within its time window:
 *
 *  class                 truth records                                   incidents
 *  theft                 theft (after_hours, dock_walkout, cage_access)  suspect theft, or kind after_hours_movement,
 *                                                                        restricted_pick, cage_door, exit_tag
 *  unscanned_move        unscanned_move                                  unscanned_move not suspected of theft
 *  receiving_shortfall   theft/sweethearting, receiving_error with       receiving_shortfall
 *                        units > 0, phantom_receipt
 *  device_fault          sensor_fault (dead, stuck; not drift, which     device_fault
 *                        only fusion with the cameras can see)
 *
 * Sweethearting is scored as a receiving shortfall: the data (a receipt booked whole, less
 * put away) cannot tell a colluding vendor from a miscount. Short shipments are booked as
 * received, so they are no shortfall. A record on a slot whose load cell had already
 * failed is blind (no rule over weight can see it): counted apart, not as missed.
 *
 * Place: the slot when both name one; the SKU when both name one (and the purchase order
 * for receiving). Time: the incident (or one of its alerts) starts within [truth - before,
 * truth + after] of the record (receiving incidents start at the receipt, stamped 20 minutes after the
 * truck; the rest within seconds). One incident may find several records (two thefts from
 * one slot in one merge window); precision counts incidents that found any.
 */
import type { TruthRecord } from '../../sim/world/Truth';
import type { Incident, RuleKind } from './Incident';

export type ScoredClass = 'theft' | 'unscanned_move' | 'receiving_shortfall' | 'device_fault';
export const SCORED_CLASSES: readonly ScoredClass[] = ['theft', 'unscanned_move', 'receiving_shortfall', 'device_fault'];

const MIN = 60_000;
/** Time windows, minutes before and after the truth record. */
const WINDOW: Record<ScoredClass, [number, number]> = {
  theft: [5, 30],
  unscanned_move: [5, 30],
  receiving_shortfall: [60, 6 * 60],
  device_fault: [60, 180],
};

const THEFT_RULES: ReadonlySet<RuleKind> = new Set(['after_hours_movement', 'restricted_pick', 'cage_door', 'exit_tag']);

export interface ClassScore {
  readonly kind: ScoredClass;
  /** Truth records found. */
  readonly tp: number;
  /** Incidents of the class that found no record. */
  readonly fp: number;
  /** Truth records no incident found. */
  readonly fn: number;
  /** Truth records on slots whose cell had failed: left out of tp and fn. */
  readonly blind: number;
  /** Incidents that found a record over incidents of the class; NaN with no incidents. */
  readonly precision: number;
  /** tp / (tp + fn); NaN with no records. */
  readonly recall: number;
  /** Median of detectedAt - truth time over found records, minutes; NaN with none found. */
  readonly medianDetectMinutes: number;
  readonly incidents: number;
}

export function truthClass(t: TruthRecord): ScoredClass | undefined {
  switch (t.kind) {
    case 'theft':
      return t.subtype === 'sweethearting' ? 'receiving_shortfall' : 'theft';
    case 'receiving_error':
      return (t.units ?? 0) > 0 ? 'receiving_shortfall' : undefined;
    case 'phantom_receipt':
      return 'receiving_shortfall';
    case 'unscanned_move':
      return 'unscanned_move';
    case 'sensor_fault':
      // A drifting cell still publishes plausible readings: the device rules cannot see it (fusion can).
      return t.subtype === 'drift' ? undefined : 'device_fault';
    default:
      return undefined;
  }
}

export function incidentClass(i: Incident): ScoredClass | undefined {
  if (i.suspect === 'theft' || THEFT_RULES.has(i.kind)) return 'theft';
  if (i.kind === 'unscanned_move' || i.kind === 'receiving_shortfall' || i.kind === 'device_fault') return i.kind;
  return undefined;
}

/** When the incident's evidence starts: its own start and each alert's (incidents may merge several events). */
const starts = (i: Incident) => (i.alerts.length ? i.alerts.map((a) => a.from) : [i.from]);
const gap = (i: Incident, ts: number) => Math.min(...starts(i).map((f) => Math.abs(f - ts)));

function samePlace(i: Incident, t: TruthRecord, c: ScoredClass): boolean {
  const slot = i.place.slot ?? (c === 'device_fault' ? i.place.device : undefined);
  if (t.slot && slot && t.slot !== slot) return false;
  if (c === 'device_fault') return !!slot && slot === t.slot;
  if (t.sku && i.sku && t.sku !== i.sku) return false;
  if (c === 'receiving_shortfall' && t.ref && i.alerts.every((a) => !a.ref || !a.ref.split(',').includes(t.ref!))) return false;
  return true;
}

export function score(incidents: readonly Incident[], truth: readonly TruthRecord[]): ClassScore[] {
  // The first failure of each slot's cell: what happens there after it is not seen.
  const failed = new Map<string, number>();
  for (const t of truth) if (t.kind === 'sensor_fault' && t.slot) failed.set(t.slot, Math.min(failed.get(t.slot) ?? Infinity, Date.parse(t.ts)));
  return SCORED_CLASSES.map((c) => {
    const mine = incidents.filter((i) => incidentClass(i) === c);
    const records = truth.filter((t) => truthClass(t) === c);
    const [before, after] = WINDOW[c];
    const found = new Set<Incident>();
    const delays: number[] = [];
    let tp = 0;
    let fn = 0;
    let blind = 0;
    for (const t of records) {
      const ts = Date.parse(t.ts);
      const match = mine
        .filter((i) => starts(i).some((f) => f >= ts - before * MIN && f <= ts + after * MIN) && samePlace(i, t, c))
        .sort((a, b) => Number(found.has(a)) - Number(found.has(b)) || gap(a, ts) - gap(b, ts))[0];
      if (match) {
        tp++;
        found.add(match);
        delays.push((match.detectedAt - ts) / MIN);
      } else if (c !== 'device_fault' && t.slot && (failed.get(t.slot) ?? Infinity) <= ts) blind++;
      else fn++;
    }
    delays.sort((a, b) => a - b);
    const mid = delays.length >> 1;
    const median = delays.length === 0 ? NaN : delays.length % 2 ? delays[mid]! : (delays[mid - 1]! + delays[mid]!) / 2;
    return {
      kind: c,
      tp,
      fp: mine.length - found.size,
      fn,
      blind,
      precision: mine.length ? found.size / mine.length : NaN,
      recall: tp + fn ? tp / (tp + fn) : NaN,
      medianDetectMinutes: median,
      incidents: mine.length,
    };
  });
}
