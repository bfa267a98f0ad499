/**
 * A check on a pilot's effect that needs no model of the days: if the devices did nothing,
 * which stores were called the pilot would not matter. Reassigning the label shows how large
 * an effect store-to-store differences alone produce.
 */
import type { Random } from '../core/random';

/** What permutationCheck reads of a store: its daily series before and after. */
export interface PrePost {
  readonly pre: readonly number[];
  readonly post: readonly number[];
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * The permutation check: among the test and control stores together, every way (or, when
 * there are more, `most` random ways) of calling as many of them "test" as there are test
 * stores; p is the share whose |ln(1 + relative effect)| is at least the pilot's. Its finest
 * step is 1 / the number of ways: with 3 test and 3 control stores, 1/20 = 5 %.
 */
export function permutationCheck(tests: readonly PrePost[], controls: readonly PrePost[], observed: number, most: number, rng: Random): { p: number; count: number } {
  const all = [...tests, ...controls].map((s) => ({ pre: sum(s.pre) / s.pre.length, post: sum(s.post) / s.post.length }));
  const k = tests.length;
  const n = all.length;
  const stat = (inTest: readonly boolean[]) => {
    let tp = 0, tq = 0, cp = 0, cq = 0;
    all.forEach((s, i) => {
      if (inTest[i]) {
        tp += s.pre;
        tq += s.post;
      } else {
        cp += s.pre;
        cq += s.post;
      }
    });
    return Math.abs(Math.log(tq / tp / (cq / cp)));
  };
  const target = Math.abs(Math.log(1 + observed)) - 1e-12;
  let count = 0, extreme = 0;
  const tally = (inTest: boolean[]) => {
    count++;
    const s = stat(inTest);
    if (!(s < target)) extreme++; // NaN (an empty period) counts as extreme: conservative
  };
  if (binomial(n, k) <= most) {
    const chosen: boolean[] = Array(n).fill(false);
    const walk = (from: number, left: number) => {
      if (left === 0) return tally(chosen);
      for (let i = from; i <= n - left; i++) {
        chosen[i] = true;
        walk(i + 1, left - 1);
        chosen[i] = false;
      }
    };
    walk(0, k);
  } else {
    for (let r = 0; r < most; r++) {
      const order = [...all.keys()];
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const inTest: boolean[] = Array(n).fill(false);
      for (let i = 0; i < k; i++) inTest[order[i]!] = true;
      tally(inTest);
    }
  }
  return { p: extreme / count, count };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

