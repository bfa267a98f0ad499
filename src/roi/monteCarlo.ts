/**
 * A Monte Carlo band over the uncertain assumptions: each drawn independently from a
 * triangular distribution on its low..high peaking at its value (seeded), the store's ROI
 * worked out per draw, and the P10 / P50 / P90 of its NPV and payback.
 */
import { Random } from '../core/random';
import { ASSUMPTION_KEYS, ASSUMPTION_SPECS, valuesOf, type AssumptionKey, type Assumptions } from './assumptions';
import { roi, type RoiInput } from './roiModel';
import { quantileSorted, triangular } from './stats';

export interface Band {
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
}

export interface MonteCarlo {
  readonly draws: number;
  readonly seed: number;
  readonly npv: Band;
  /** Months; Infinity where that share of draws does not pay back within the horizon. */
  readonly paybackMonths: Band;
  /** Share (0..1) of draws with NPV above 0. */
  readonly chancePositive: number;
  /** Share (0..1) of draws that do not pay back within the horizon. */
  readonly neverPayBack: number;
}

export interface MonteCarloOptions {
  readonly draws?: number;
  readonly seed?: number;
}

export function monteCarlo(input: Omit<RoiInput, 'values'>, assumptions: Assumptions, opts: MonteCarloOptions = {}): MonteCarlo {
  const draws = opts.draws ?? 2000;
  const seed = opts.seed ?? 1;
  if (!(Number.isInteger(draws) && draws >= 1)) throw new RangeError(`draws must be a whole number >= 1, not ${draws}`);
  const rng = new Random(seed);
  const base = valuesOf(assumptions);
  const varied = ASSUMPTION_KEYS.filter((k) => ASSUMPTION_SPECS[k].uncertain);
  const npvs: number[] = [];
  const paybacks: number[] = [];
  for (let i = 0; i < draws; i++) {
    const values: Record<AssumptionKey, number> = { ...base };
    for (const k of varied) values[k] = triangular(rng, assumptions[k].low, assumptions[k].value, assumptions[k].high);
    const r = roi({ ...input, values });
    npvs.push(r.npv);
    paybacks.push(r.paybackMonths ?? Number.POSITIVE_INFINITY);
  }
  npvs.sort((a, b) => a - b);
  paybacks.sort((a, b) => a - b);
  const band = (s: number[]): Band => ({ p10: quantileSorted(s, 0.1), p50: quantileSorted(s, 0.5), p90: quantileSorted(s, 0.9) });
  return {
    draws, seed, npv: band(npvs), paybackMonths: band(paybacks),
    chancePositive: npvs.filter((x) => x > 0).length / draws,
    neverPayBack: paybacks.filter((x) => x === Number.POSITIVE_INFINITY).length / draws,
  };
}
