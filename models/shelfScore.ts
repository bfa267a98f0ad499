/**
 * How well the shelf CNN does on a labelled set: fill accuracy overall and per class, and
 * misplaced-product recall and precision (a slot with another SKU's units that the model
 * calls a mismatch), with recall also split by how much of the slot the other SKU takes;
 * and fill accuracy split by what makes a crop hard (the model card's "Known limits"): how
 * near its units' share lies to a class step, pixels a unit across the face, the view's side
 * reach, night light.
 */
import { FILL_LABELS, type FillLabel } from '../src/inference/shelfInput';
import type { ShelfVerdict } from '../src/inference/ShelfCnn';
import type { ShelfDataset } from './shelfDataset';

export interface ShelfScore {
  readonly crops: number;
  readonly fillAccuracy: number;
  /** Accuracy on the crops whose truth is each class, and how many there were. */
  readonly perClass: Record<FillLabel, { readonly n: number; readonly accuracy: number }>;
  /** Rows: truth; columns: predicted, in FILL_LABELS order. */
  readonly confusion: number[][];
  readonly misplaced: { readonly n: number; readonly recall: number; readonly precision: number };
  /** Misplaced recall by the other SKU's share of the slot's capacity. */
  readonly recallByShare: { readonly share: string; readonly n: number; readonly recall: number }[];
  /** Fill accuracy by group of crops, each group's bins in order (accuracy NaN for an empty bin: null in JSON). */
  readonly fillBy: Record<FillGroup, { readonly bin: string; readonly n: number; readonly accuracy: number }[]>;
}

export type FillGroup = 'stepDistance' | 'pixelsPerUnit' | 'sideReach' | 'light';

/** Each group: the crop's value, and bins as [label, upper bound (exclusive)]. */
const FILL_GROUPS: Record<FillGroup, { readonly value: (ds: ShelfDataset, i: number) => number; readonly bins: readonly [string, number][] }> = {
  /**
   * How far the units' share lies from the nearest class step (35 %, 75 %), worked out in whole
   * units so that shares the same distance away fall in the same bin (an empty slot is 0.35 away).
   */
  stepDistance: {
    value: (ds, i) => {
      const c = ds.capacity[i]!;
      const u = Math.round(ds.ratio[i]! * c);
      return Math.min(Math.abs(20 * u - 7 * c), Math.abs(20 * u - 15 * c)) / (20 * c);
    },
    bins: [['< 0.05', 0.05], ['0.05-0.1', 0.1], ['0.1-0.2', 0.2], ['>= 0.2', Infinity]],
  },
  /** The face's width in the frame over the slot's capacity: how many pixels one unit takes across. */
  pixelsPerUnit: {
    value: (ds, i) => ds.facePx[i]! / ds.capacity[i]!,
    bins: [['< 1', 1], ['1-1.5', 1.5], ['1.5-2', 2], ['2-3', 3], ['>= 3', Infinity]],
  },
  /** shelfInput.ts sideReach: how far across the face the side of a slot's last column shows. */
  sideReach: {
    value: (ds, i) => ds.reach[i]!,
    bins: [['< -0.6', -0.6], ['-0.6 to -0.3', -0.3], ['-0.3 to 0.3', 0.3], ['0.3 to 0.6', 0.6], ['>= 0.6', Infinity]],
  },
  light: {
    value: (ds, i) => ds.light[i]!,
    bins: [['night (< 0.6)', 0.6], ['day', Infinity]],
  },
};

const SHARES: readonly [string, number, number][] = [
  ['< 10 %', 0, 0.1],
  ['10-25 %', 0.1, 0.25],
  ['>= 25 %', 0.25, Infinity],
];

export function scoreShelf(ds: ShelfDataset, verdicts: readonly ShelfVerdict[]): ShelfScore {
  const confusion = FILL_LABELS.map(() => FILL_LABELS.map(() => 0));
  let right = 0;
  let tp = 0;
  let fn = 0;
  let fp = 0;
  const byShare = SHARES.map(() => ({ n: 0, hit: 0 }));
  verdicts.forEach((v, i) => {
    const truth = ds.fill[i]!;
    const said = FILL_LABELS.indexOf(v.fill);
    confusion[truth]![said]!++;
    if (truth === said) right++;
    const misplaced = ds.match[i] === 0;
    if (misplaced && !v.match) tp++;
    else if (misplaced) fn++;
    else if (!v.match) fp++;
    if (misplaced) {
      const k = SHARES.findIndex(([, lo, hi]) => ds.foreignShare[i]! >= lo && ds.foreignShare[i]! < hi);
      byShare[k]!.n++;
      if (!v.match) byShare[k]!.hit++;
    }
  });
  const perClass = Object.fromEntries(
    FILL_LABELS.map((label, k) => {
      const n = confusion[k]!.reduce((a, b) => a + b, 0);
      return [label, { n, accuracy: n ? confusion[k]![k]! / n : NaN }];
    }),
  ) as ShelfScore['perClass'];
  return {
    crops: verdicts.length,
    fillAccuracy: right / verdicts.length,
    perClass,
    confusion,
    misplaced: { n: tp + fn, recall: tp + fn ? tp / (tp + fn) : NaN, precision: tp + fp ? tp / (tp + fp) : NaN },
    recallByShare: SHARES.map(([share], k) => ({ share, n: byShare[k]!.n, recall: byShare[k]!.n ? byShare[k]!.hit / byShare[k]!.n : NaN })),
    fillBy: Object.fromEntries(
      Object.entries(FILL_GROUPS).map(([group, { value, bins }]) => {
        const tally = bins.map(() => ({ n: 0, right: 0 }));
        verdicts.forEach((v, i) => {
          const x = value(ds, i);
          if (Number.isNaN(x)) throw new Error(`crop ${i}: no ${group} (capacity ${ds.capacity[i]}, face ${ds.facePx[i]} px, reach ${ds.reach[i]}, light ${ds.light[i]})`);
          const t = tally[bins.findIndex(([, upper]) => x < upper || upper === Infinity)]!;
          t.n++;
          if (FILL_LABELS.indexOf(v.fill) === ds.fill[i]) t.right++;
        });
        return [group, bins.map(([bin], k) => ({ bin, n: tally[k]!.n, accuracy: tally[k]!.n ? tally[k]!.right / tally[k]!.n : NaN }))];
      }),
    ) as ShelfScore['fillBy'],
  };
}

const GROUP_NAMES: Record<FillGroup, string> = { stepDistance: 'distance to a class step', pixelsPerUnit: 'pixels a unit', sideReach: 'side reach', light: 'light' };

/** A few lines for a terminal or the model card. */
export function formatScore(name: string, s: ShelfScore): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  return [
    `${name}: ${s.crops} crops, fill accuracy ${pct(s.fillAccuracy)}`,
    `  per class: ${FILL_LABELS.map((l) => `${l} ${pct(s.perClass[l].accuracy)} (n ${s.perClass[l].n})`).join(', ')}`,
    `  misplaced: n ${s.misplaced.n}, recall ${s.misplaced.recall.toFixed(3)}, precision ${s.misplaced.precision.toFixed(3)}`,
    `  recall by other SKU's share: ${s.recallByShare.map((r) => `${r.share} ${r.recall.toFixed(3)} (n ${r.n})`).join(', ')}`,
    ...Object.entries(s.fillBy).map(([group, bins]) => `  fill by ${GROUP_NAMES[group as FillGroup]}: ${bins.map((b) => `${b.bin} ${b.n ? pct(b.accuracy) : '-'} (n ${b.n})`).join(', ')}`),
  ].join('\n');
}
