/**
 * Difference-in-differences: worked by hand on a tiny pilot, its problems listed, its verdict
 * worded, and calibrated on synthetic pilots with a known effect: the 95 % interval covers
 * the true effect in at least 90 % of seeds, and a pilot with no effect is called significant
 * in at most 10 % of seeds.
 *
 * The synthetic pilots stand in for the simulator (driving sim/ for several stores with and
 * without the plan is the next slice). Per seed: 3 x N stores, each with its own size
 * (log-normal, sd 0.4), a shock common to all stores each day (weekday pattern x log-normal,
 * sd 0.15) and noise per store-day (log-normal, sd 0.5: a day's shrink is lumpy), and in one
 * case a lasting change per store between the periods. N are the pilot, 2N the pool the
 * controls are matched from; 8 weeks before, 8 after. With the effect,
 * the pilot stores' post-period is x 2/3 (theft cut by a third: true relative effect -1/3);
 * without, not. Both are drawn from the same random numbers (common random numbers), so the
 * two runs of a seed differ only by the effect.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random';
import { differenceInDifferences, verdict, type Did, type DidResult, type StoreSeries } from '../../src/roi/did';
import { matchControls, matchDistance } from '../../src/roi/matchControls';

const ok = (r: DidResult): Did => {
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r;
};

describe('differenceInDifferences by hand', () => {
  // Test: 10 a day before, 6 after. Control: 20 before, 18 after.
  // Relative: (6/10) / (18/20) - 1 = 0.6 / 0.9 - 1 = -1/3. Absolute: (6 - 10) - (18 - 20) = -4 + 2 = -2 a store-day.
  const flat = (x: number, n: number) => Array(n).fill(x) as number[];
  const series: StoreSeries[] = [
    { store: 'T1', group: 'test', pre: flat(10, 14), post: flat(6, 14) },
    { store: 'C1', group: 'control', pre: flat(20, 14), post: flat(18, 14) },
  ];

  it('gives the ratio of ratios and the difference of differences', () => {
    const r = ok(differenceInDifferences(series, { match: false, replicates: 200 }));
    expect(r.relative.estimate).toBeCloseTo(-1 / 3, 12);
    expect(r.absolute.estimate).toBeCloseTo(-2, 12);
    // Flat series: every bootstrap gives the same, so the interval is the point.
    expect(r.relative.low).toBeCloseTo(-1 / 3, 12);
    expect(r.relative.high).toBeCloseTo(-1 / 3, 12);
    expect(r.significant).toBe(true);
    expect(r.verdict).toBe('Shrink fell by 33 % (95 % CI 33 % to 33 %) in the pilot stores against the control stores: the pilot works.');
  });

  it('lists every problem of bad series', () => {
    const r = differenceInDifferences([
      { store: 'T1', group: 'test', pre: [1, 2], post: [1, Number.NaN] },
      { store: 'T1', group: 'test', pre: [1], post: [] },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.id)).toEqual([
      'did-no-control', 'did-duplicate-T1', 'did-value-T1-post', 'did-days-T1-pre', 'did-empty-T1-post',
    ]);
  });

  it('refuses a relative change from a zero mean', () => {
    const r = differenceInDifferences([
      { store: 'T', group: 'test', pre: [0, 0], post: [1, 1] },
      { store: 'C', group: 'control', pre: [1, 1], post: [1, 1] },
    ], { match: false });
    expect(r.ok).toBe(false);
  });
});

describe('checks beside the estimate', () => {
  const flat = (x: number, n: number) => Array(n).fill(x) as number[];

  it('reassigns the test label among the stores (permutation check)', () => {
    // T1, T2 halve (10 -> 5), C1, C2 stay at 10: observed -50 %, |ln 0.5| = 0.693. Of the C(4, 2) = 6 ways to
    // pick two "test" stores, {T1, T2} gives -50 % and {C1, C2} +100 % (|ln 2| = 0.693); the 4 mixed ones 0.
    // So p = 2/6.
    const r = ok(differenceInDifferences([
      { store: 'T1', group: 'test', pre: flat(10, 14), post: flat(5, 14) },
      { store: 'T2', group: 'test', pre: flat(10, 14), post: flat(5, 14) },
      { store: 'C1', group: 'control', pre: flat(10, 14), post: flat(10, 14) },
      { store: 'C2', group: 'control', pre: flat(10, 14), post: flat(10, 14) },
    ], { match: false, replicates: 100 }));
    expect(r.permutation!.count).toBe(6);
    expect(r.permutation!.p).toBeCloseTo(1 / 3, 12);
    expect(r.resample).toBe('days');
  });

  it('warns when the test stores already drifted from their controls before the pilot', () => {
    // Pre-period: the test store at 10 for two weeks, then 15; the control at 10 throughout.
    const r = ok(differenceInDifferences([
      { store: 'T', group: 'test', pre: [...flat(10, 14), ...flat(15, 14)], post: flat(15, 14) },
      { store: 'C', group: 'control', pre: flat(10, 28), post: flat(10, 14) },
    ], { replicates: 100 }));
    expect(r.warnings.map((w) => w.id)).toContain('did-pre-trend');
    expect(r.warnings.find((w) => w.id === 'did-pre-trend')!.message).toMatch(/already moved \+50 %/);
  });

  it('warns when matched controls did not move with their test stores', () => {
    const wave = Array.from({ length: 28 }, (_, d) => 10 + Math.sin(d));
    const r = ok(differenceInDifferences([
      { store: 'T', group: 'test', pre: wave, post: flat(10, 14) },
      { store: 'C', group: 'control', pre: flat(10, 28), post: flat(10, 14) },
    ], { replicates: 100 }));
    expect(r.matches).toEqual([{ test: 'T', control: 'C', correlation: 0, magnitude: expect.any(Number), distance: expect.any(Number) }]);
    expect(r.warnings.map((w) => w.id)).toContain('did-weak-match');
  });

  it('warns when days are correlated beyond a block', () => {
    // The test store runs above and below the control in slow waves (8-week period): days 7 apart are alike.
    const slow = (n: number) => Array.from({ length: n }, (_, d) => 10 + 3 * Math.sin((2 * Math.PI * d) / 56));
    const r = ok(differenceInDifferences([
      { store: 'T', group: 'test', pre: slow(56), post: slow(56) },
      { store: 'C', group: 'control', pre: flat(10, 56), post: flat(10, 56) },
    ], { replicates: 100, match: false }));
    expect(r.warnings.map((w) => w.id)).toContain('did-correlated-days');
  });

  it('resamples days when asked for stores with one store a side', () => {
    const r = ok(differenceInDifferences([
      { store: 'T', group: 'test', pre: flat(10, 14), post: flat(6, 14) },
      { store: 'C', group: 'control', pre: flat(10, 14), post: flat(10, 14) },
    ], { resample: 'stores', replicates: 50 }));
    expect(r.resample).toBe('days');
    expect(r.warnings.map((w) => w.id)).toContain('did-one-store');
  });
});

describe('verdict', () => {
  it('reads as a finance person would say it', () => {
    expect(verdict('Shrink', 'lower', { estimate: -0.31, low: -0.44, high: -0.18 }, 0.95, true, true))
      .toBe('Shrink fell by 31 % (95 % CI 18 % to 44 %) in the pilot stores against matched controls: the pilot works.');
    expect(verdict('Shrink', 'lower', { estimate: -0.05, low: -0.2, high: 0.12 }, 0.95, false, true))
      .toBe('Shrink changed by -5.0 % (95 % CI -20 % to +12 %) in the pilot stores against matched controls: not distinguishable from no effect.');
    expect(verdict('Shrink', 'lower', { estimate: 0.12, low: 0.03, high: 0.2 }, 0.95, true, true))
      .toBe('Shrink rose by 12 % (95 % CI 3.0 % to 20 %) in the pilot stores against matched controls: the pilot made it worse.');
    expect(verdict('Record accuracy', 'higher', { estimate: 0.3, low: 0.25, high: 0.36 }, 0.9, true, false))
      .toBe('Record accuracy rose by 30 % (90 % CI 25 % to 36 %) in the pilot stores against the control stores: the pilot works.');
  });
});

describe('matchControls', () => {
  it('takes the closest pairs first, each control once', () => {
    const a = [1, 2, 3, 4, 5, 6];
    const tests = [{ store: 'T1', pre: a }, { store: 'T2', pre: a.map((x) => x * 10) }];
    const pool = [
      { store: 'far', pre: a.map((x) => 7 - x) }, // anti-correlated: distance 2
      { store: 'big', pre: a.map((x) => x * 10) }, // T2's twin
      { store: 'same', pre: a.map((x) => x + 0.01) }, // T1's twin
    ];
    const m = matchControls(tests, pool);
    expect(m.map((x) => `${x.test}:${x.control}`).sort()).toEqual(['T1:same', 'T2:big']);
    // Same shape, 10 times the size: r = 1, magnitude ln 10 = 2.303.
    expect(matchDistance(a, a.map((x) => x * 10)).distance).toBeCloseTo(Math.log(10), 9);
  });
});

// --- calibration ---

interface Pilot {
  /** Pilot stores; as many again twice over form the pool the controls are matched from. */
  tests: number;
  /** Sd of a lasting change in each store from the pre- to the post-period (a new manager), log scale. */
  drift: number;
}

interface World {
  size: number[];
  shift: number[];
  dayShock: number[];
  noise: number[][];
}

const PRE = 56, POST = 56;

function world(seed: number, p: Pilot): World {
  const rng = new Random(seed);
  const stores = 3 * p.tests;
  const size = Array.from({ length: stores }, () => 200 * Math.exp(rng.normal(0, 0.4)));
  const shift = Array.from({ length: stores }, () => Math.exp(rng.normal(0, p.drift)));
  const weekday = [1.2, 0.9, 0.9, 1, 1, 1.3, 0.7];
  const dayShock = Array.from({ length: PRE + POST }, (_, d) => weekday[d % 7]! * Math.exp(rng.normal(0, 0.15)));
  const noise = Array.from({ length: stores }, () => Array.from({ length: PRE + POST }, () => Math.exp(rng.normal(-0.125, 0.5))));
  return { size, shift, dayShock, noise };
}

function pilot(w: World, p: Pilot, effect: number): StoreSeries[] {
  return w.size.map((size, s) => {
    const test = s < p.tests;
    const day = (d: number) => size * w.dayShock[d]! * w.noise[s]![d]! * (d >= PRE ? w.shift[s]! : 1) * (test && d >= PRE ? 1 + effect : 1);
    return {
      store: `s${s}`, group: test ? 'test' : 'control',
      pre: Array.from({ length: PRE }, (_, d) => day(d)),
      post: Array.from({ length: POST }, (_, d) => day(PRE + d)),
    };
  });
}

const SEEDS = 200;
const TRUE = -1 / 3;

/** Runs every seed with the effect and without (the same random numbers); counts. */
function calibrate(p: Pilot) {
  let covered = 0, powered = 0, falsePositive = 0;
  const resample = new Set<string>();
  const t0 = performance.now();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const w = world(seed, p);
    const opts = { replicates: 500, seed };
    const withEffect = ok(differenceInDifferences(pilot(w, p, TRUE), opts));
    resample.add(withEffect.resample);
    if (withEffect.relative.low <= TRUE && TRUE <= withEffect.relative.high) covered++;
    if (withEffect.significant && withEffect.relative.estimate < 0) powered++;
    if (ok(differenceInDifferences(pilot(w, p, 0), opts)).significant) falsePositive++;
  }
  const r = { coverage: covered / SEEDS, power: powered / SEEDS, falsePositives: falsePositive / SEEDS, ms: performance.now() - t0, resample: [...resample].join() };
  console.log(`did calibration, ${p.tests} pilot stores, drift ${p.drift}, ${r.resample}: ${SEEDS} seeds, coverage ${r.coverage.toFixed(3)}, power ${r.power.toFixed(3)}, false positives ${r.falsePositives.toFixed(3)}, ${r.ms.toFixed(0)} ms`);
  return r;
}

describe(`calibration on synthetic pilots, ${SEEDS} seeds each`, () => {
  it('5 pilot stores (stores resampled): covers a cut of a third in >= 90 % and calls no effect significant in <= 10 %', () => {
    const r = calibrate({ tests: 5, drift: 0 });
    expect(r.resample).toBe('stores');
    expect(r.coverage).toBeGreaterThanOrEqual(0.9);
    expect(r.falsePositives).toBeLessThanOrEqual(0.1);
    expect(r.power).toBeGreaterThanOrEqual(0.9);
  });

  it('5 pilot stores whose levels change for good between the periods: still calibrated', () => {
    // Each store's post-period x exp(N(0, 0.1)): the day bootstrap would cover only about 85 % here.
    const r = calibrate({ tests: 5, drift: 0.1 });
    expect(r.coverage).toBeGreaterThanOrEqual(0.9);
    expect(r.falsePositives).toBeLessThanOrEqual(0.1);
  });

  it('3 pilot stores (days resampled in weekly blocks): calibrated', () => {
    const r = calibrate({ tests: 3, drift: 0 });
    expect(r.resample).toBe('days');
    expect(r.coverage).toBeGreaterThanOrEqual(0.9);
    expect(r.falsePositives).toBeLessThanOrEqual(0.1);
    expect(r.power).toBeGreaterThanOrEqual(0.9);
  });
});
