/**
 * The ROI of a rollout to N stores: each store's ROI with its own figures, their flows added
 * up, and the spread between stores. Stores not given are drawn (seeded) around the
 * assumptions' store: sales log-normal with the assumed mean and coefficient of variation
 * (`storeSpread`), units received and incidents in proportion to sales, since a bigger
 * store receives and sees more.
 */
import { Random } from '../core/random';
import type { Irr } from './finance';
import { irr, npv, payback } from './finance';
import { roi, type Roi, type RoiInput, type StoreFigures } from './roiModel';
import { quantile } from './stats';

export interface Spread {
  readonly min: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  readonly max: number;
}

export interface Rollout {
  readonly stores: readonly Roi[];
  /** Sum of the stores' flows, month by month. */
  readonly flows: readonly number[];
  readonly upfront: number;
  readonly npv: number;
  readonly irr: Irr | undefined;
  readonly paybackMonths: number | undefined;
  /** Between stores: NPV, and payback (Infinity for a store that does not pay back in the horizon). */
  readonly spread: { readonly npv: Spread; readonly paybackMonths: Spread };
  /** Stores that do not pay back within the horizon. */
  readonly neverPayBack: number;
}

export interface RolloutOptions {
  /** Stores to roll out to; ignored when `stores` is given. */
  readonly n?: number;
  /** The stores' own figures. */
  readonly stores?: readonly StoreFigures[];
  readonly seed?: number;
}

/** N stores drawn around the assumed store (seeded). */
export function drawStores(input: Pick<RoiInput, 'values'>, n: number, seed: number): StoreFigures[] {
  const v = input.values;
  const rng = new Random(seed);
  const sigma = Math.sqrt(Math.log(1 + v.storeSpread * v.storeSpread));
  return Array.from({ length: n }, (_, i) => {
    // Mean of exp(N(-s^2/2, s)) is 1: the stores average the assumed figures.
    const f = Math.exp(rng.normal(-(sigma * sigma) / 2, sigma));
    return {
      id: `store-${i + 1}`,
      salesPerMonth: v.salesPerMonth * f,
      unitsReceivedPerMonth: v.unitsReceivedPerMonth * f,
      incidentsPerMonth: v.incidentsPerMonth * f,
    };
  });
}

function spreadOf(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, p10: quantile(s, 0.1), p50: quantile(s, 0.5), p90: quantile(s, 0.9), max: s[s.length - 1]! };
}

export function rollout(input: RoiInput, opts: RolloutOptions): Rollout {
  const figures = opts.stores ?? drawStores(input, opts.n ?? 1, opts.seed ?? 1);
  if (figures.length === 0) throw new RangeError('a rollout needs at least one store');
  const stores = figures.map((store) => roi({ ...input, store }));
  const flows = stores[0]!.flows.map((_, t) => stores.reduce((a, s) => a + s.flows[t]!, 0));
  const paybacks = stores.map((s) => s.paybackMonths ?? Number.POSITIVE_INFINITY);
  return {
    stores, flows,
    upfront: stores.reduce((a, s) => a + s.upfront, 0),
    npv: npv(flows, input.values.discountRate, 'month'),
    irr: irr(flows, 'month'),
    paybackMonths: payback(flows),
    spread: { npv: spreadOf(stores.map((s) => s.npv)), paybackMonths: spreadOf(paybacks) },
    neverPayBack: paybacks.filter((p) => p === Number.POSITIVE_INFINITY).length,
  };
}
