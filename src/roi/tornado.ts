/**
 * The sensitivity (tornado) of a store's NPV: each uncertain assumption moved alone to its
 * low and then its high, the others at their values, and the NPV's swing; the widest first.
 */
import { ASSUMPTION_KEYS, ASSUMPTION_SPECS, valuesOf, type AssumptionKey, type Assumptions } from './assumptions';
import { roi, type RoiInput } from './roiModel';

export interface TornadoBar {
  readonly key: AssumptionKey;
  readonly label: string;
  readonly low: number;
  readonly high: number;
  /** NPV with the assumption at its low, and at its high. */
  readonly npvAtLow: number;
  readonly npvAtHigh: number;
  /** |npvAtHigh - npvAtLow|. */
  readonly swing: number;
}

export interface Tornado {
  /** NPV with every assumption at its value. */
  readonly base: number;
  /** Widest swing first; assumptions whose range is a point are left out. */
  readonly bars: readonly TornadoBar[];
}

export function tornado(input: Omit<RoiInput, 'values'>, assumptions: Assumptions): Tornado {
  const values = valuesOf(assumptions);
  const npvWith = (k: AssumptionKey, x: number) => roi({ ...input, values: { ...values, [k]: x } }).npv;
  const bars: TornadoBar[] = [];
  for (const key of ASSUMPTION_KEYS) {
    const a = assumptions[key];
    if (!ASSUMPTION_SPECS[key].uncertain || a.low === a.high) continue;
    const npvAtLow = npvWith(key, a.low);
    const npvAtHigh = npvWith(key, a.high);
    bars.push({ key, label: ASSUMPTION_SPECS[key].label, low: a.low, high: a.high, npvAtLow, npvAtHigh, swing: Math.abs(npvAtHigh - npvAtLow) });
  }
  bars.sort((x, y) => y.swing - x.swing);
  return { base: roi({ ...input, values }).npv, bars };
}
