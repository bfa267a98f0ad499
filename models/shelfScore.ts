/**
 * How well the shelf CNN does on a labelled set: fill accuracy overall and per class, and
 * misplaced-product recall and precision (a slot with another SKU's units that the model
 * calls a mismatch), with recall also split by how much of the slot the other SKU takes.
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
}

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
  };
}

/** A few lines for a terminal or the model card. */
export function formatScore(name: string, s: ShelfScore): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  return [
    `${name}: ${s.crops} crops, fill accuracy ${pct(s.fillAccuracy)}`,
    `  per class: ${FILL_LABELS.map((l) => `${l} ${pct(s.perClass[l].accuracy)} (n ${s.perClass[l].n})`).join(', ')}`,
    `  misplaced: n ${s.misplaced.n}, recall ${s.misplaced.recall.toFixed(3)}, precision ${s.misplaced.precision.toFixed(3)}`,
    `  recall by other SKU's share: ${s.recallByShare.map((r) => `${r.share} ${r.recall.toFixed(3)} (n ${r.n})`).join(', ')}`,
  ].join('\n');
}
