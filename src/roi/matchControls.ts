/**
 * Matching control stores to pilot (test) stores on the pre-period, before the devices went
 * in: a good control moved with the test store day by day (Pearson correlation of their daily
 * series) and ran at about its size (the magnitude distance |ln(control mean / test mean)|).
 * Distance = (1 - r) + magnitude: 0 for a perfect twin; each term is about 0..2 in practice.
 *
 * Greedy and without replacement: the closest pair over all test and control stores is taken
 * first, then the next closest among those left, until each test store has its controls.
 * Not optimal as a whole (an assignment problem would be), but stable, explainable, and with
 * a handful of stores rarely different.
 */
import { mean, pearson } from './stats';

export interface Match {
  readonly test: string;
  readonly control: string;
  /** Pearson correlation of their pre-period daily series. */
  readonly correlation: number;
  /** |ln(control mean / test mean)| over the pre-period; 0 when the same size. */
  readonly magnitude: number;
  readonly distance: number;
}

export interface PreSeries {
  readonly store: string;
  readonly pre: readonly number[];
}

export function matchDistance(test: readonly number[], control: readonly number[]): Omit<Match, 'test' | 'control'> {
  const correlation = pearson(test, control);
  const mt = mean(test);
  const mc = mean(control);
  const magnitude = mt > 0 && mc > 0 ? Math.abs(Math.log(mc / mt)) : mt === mc ? 0 : Number.POSITIVE_INFINITY;
  return { correlation, magnitude, distance: 1 - correlation + magnitude };
}

/** Up to `perTest` controls for each test store, greedily by distance; fewer where the pool runs out. */
export function matchControls(tests: readonly PreSeries[], pool: readonly PreSeries[], perTest = 1): Match[] {
  const pairs: Match[] = [];
  for (const t of tests) for (const c of pool) pairs.push({ test: t.store, control: c.store, ...matchDistance(t.pre, c.pre) });
  pairs.sort((a, b) => a.distance - b.distance || a.test.localeCompare(b.test) || a.control.localeCompare(b.control));
  const used = new Set<string>();
  const count = new Map<string, number>();
  const out: Match[] = [];
  for (const p of pairs) {
    if (used.has(p.control) || (count.get(p.test) ?? 0) >= perTest) continue;
    used.add(p.control);
    count.set(p.test, (count.get(p.test) ?? 0) + 1);
    out.push(p);
  }
  return out;
}
