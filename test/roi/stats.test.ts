/**
 * The small statistics the ROI leans on, against printed tables and hand sums.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random';
import { normalQuantile, pearson, quantileSorted, sd, tQuantile, triangular } from '../../src/roi/stats';

describe('quantiles of distributions', () => {
  it('match the normal table', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 6);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
  });

  it('match Student\'s t table within 0.3 %', () => {
    // Two-sided 95 %: 12.706 (1), 4.303 (2), 3.182 (3), 2.365 (7), 2.145 (14), 2.042 (30); one-sided 99.5 % with 4: 4.604.
    const table: [number, number, number][] = [[0.975, 1, 12.706], [0.975, 2, 4.303], [0.975, 3, 3.182], [0.975, 7, 2.365], [0.975, 14, 2.145], [0.975, 30, 2.042], [0.995, 4, 4.604]];
    for (const [p, df, t] of table) expect(Math.abs(tQuantile(p, df) / t - 1), `t(${p}, ${df})`).toBeLessThan(0.003);
  });
});

describe('sample statistics', () => {
  it('quantile by linear interpolation (R-7)', () => {
    // 1, 2, 4, 8: position 0.25 x 3 = 0.75 between 1 and 2: 1.75.
    expect(quantileSorted([1, 2, 4, 8], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted([1, 2, 4, 8], 1)).toBe(8);
    expect(quantileSorted([1, Number.POSITIVE_INFINITY], 0.9)).toBe(Number.POSITIVE_INFINITY);
  });

  it('standard deviation and correlation', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squares sum 32, / 7 = 4.571, sd 2.138.
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBe(0);
  });

  it('triangular draws stay in range and average (low + mode + high) / 3', () => {
    const rng = new Random(5);
    const xs = Array.from({ length: 20_000 }, () => triangular(rng, 1, 2, 6));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...xs)).toBeLessThanOrEqual(6);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(3, 1);
    expect(triangular(rng, 4, 4, 4)).toBe(4);
  });
});
