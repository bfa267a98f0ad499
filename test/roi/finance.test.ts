/**
 * The financial formulas on examples worked by hand; the arithmetic is in the comments.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annualRate, irr, npv, payback, presentValue, ratePerPeriod, signChanges, tco } from '../../src/roi/finance';

describe('rates', () => {
  it('converts a rate per year to the compound rate per month, and back', () => {
    // 1.01^12 = 1.126825030131969, so 12.6825 % a year is exactly 1 % a month (not 12.68 / 12 = 1.057 %).
    expect(ratePerPeriod(0.126825030131969, 'month')).toBeCloseTo(0.01, 12);
    expect(annualRate(0.01, 'month')).toBeCloseTo(0.126825030131969, 12);
    expect(ratePerPeriod(0.08, 'year')).toBe(0.08);
  });

  it('refuses a rate at or below -100 %', () => {
    expect(() => ratePerPeriod(-1, 'month')).toThrow(RangeError);
  });
});

describe('npv', () => {
  it('discounts yearly flows', () => {
    // -1000 + 500/1.1 + 500/1.21 + 500/1.331 = -1000 + 454.5455 + 413.2231 + 375.6574 = 243.4260
    expect(npv([-1000, 500, 500, 500], 0.1, 'year')).toBeCloseTo(243.426, 3);
  });

  it('discounts monthly flows at the compound monthly rate', () => {
    // 1 % a month: 100 a month for 12 months is worth 100 x (1 - 1.01^-12) / 0.01 = 1125.5077 now.
    expect(npv([0, ...Array(12).fill(100)], 0.126825030131969, 'month')).toBeCloseTo(1125.5077, 3);
    // -100 now and 101 in a month at 1 % a month: exactly nothing.
    expect(npv([-100, 101], 0.126825030131969, 'month')).toBeCloseTo(0, 9);
  });

  it('a year of monthly flows paid at the year end discounts as one yearly flow', () => {
    // 1200 in month 12 at 8 % a year: 1200 / 1.08 = 1111.1111, month or year.
    expect(npv([...Array(12).fill(0), 1200], 0.08, 'month')).toBeCloseTo(1200 / 1.08, 9);
    expect(npv([0, 1200], 0.08, 'year')).toBeCloseTo(1111.1111, 4);
  });
});

describe('irr', () => {
  it('finds the rate of a one-period loan', () => {
    // -100 now, 110 in a year: 10 %.
    expect(irr([-100, 110], 'year')!.rate).toBeCloseTo(0.1, 10);
  });

  it('finds the rate of an annuity and makes the NPV zero there', () => {
    // 1000 for 500 a year over 3 years: 1000 = 500 x (1 - (1+r)^-3) / r gives r = 23.3752 %.
    const r = irr([-1000, 500, 500, 500], 'year')!;
    expect(r.rate).toBeCloseTo(0.233752, 5);
    expect(presentValue([-1000, 500, 500, 500], r.rate)).toBeCloseTo(0, 6);
    expect(r.roots).toHaveLength(1);
    expect(r.note).toBeUndefined();
  });

  it('gives a monthly rate and its yearly equivalent', () => {
    // -100 now and 101 in a month: 1 % a month, 1.01^12 - 1 = 12.6825 % a year.
    const r = irr([-100, 101], 'month')!;
    expect(r.rate).toBeCloseTo(0.01, 10);
    expect(r.annual).toBeCloseTo(0.126825, 6);
  });

  it('names every root when the flows change sign twice, and reports the one nearest 0', () => {
    // -100 + 230 x - 132 x^2 = 0 with x = 1/(1+r): x = (230 +- 10) / 264, so x = 10/11 (r = 10 %) or 5/6 (r = 20 %).
    const r = irr([-100, 230, -132], 'year')!;
    expect(r.roots).toHaveLength(2);
    expect(r.roots[0]).toBeCloseTo(0.1, 9);
    expect(r.roots[1]).toBeCloseTo(0.2, 9);
    expect(r.rate).toBeCloseTo(0.1, 9);
    expect(r.note).toMatch(/2 rates make the NPV zero \(10\.0 %, 20\.0 % a year\)/);
  });

  it('is undefined when the flows never change sign', () => {
    expect(irr([100, 100], 'year')).toBeUndefined();
    expect(irr([-100, -5, 0], 'month')).toBeUndefined();
    expect(irr([], 'month')).toBeUndefined();
  });

  it('finds a loss-making rate below zero', () => {
    // -100 now, 90 in a year: -10 %.
    expect(irr([-100, 90], 'year')!.rate).toBeCloseTo(-0.1, 9);
  });

  it('makes the NPV zero for any conventional investment (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 100, max: 100_000 }),
      fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 60 }),
      (cost, returns) => {
        const flows = [-cost, ...returns];
        const r = irr(flows, 'month');
        if (r === undefined) return true; // the root lies outside -99 % .. +1000 % a month
        return Math.abs(presentValue(flows, r.rate)) < 1e-6 * cost;
      },
    ));
  });

  it('counts sign changes skipping zeros', () => {
    expect(signChanges([-1, 0, 2, 0, -3])).toBe(2);
    expect(signChanges([0, 0])).toBe(0);
  });
});

describe('payback', () => {
  it('is fractional inside the month that crosses', () => {
    // Cumulative: -1000, -700, -400, -100, +200; the 4th month's 300 covers the last 100 after 1/3 of it: 3.333.
    expect(payback([-1000, 300, 300, 300, 300])).toBeCloseTo(3 + 1 / 3, 12);
  });

  it('is undefined when the flows never pay back', () => {
    // Cumulative: -1000, -900, -800.
    expect(payback([-1000, 100, 100])).toBeUndefined();
  });

  it('is 0 when nothing is spent first', () => {
    expect(payback([0, 5, 5])).toBe(0);
  });

  it('counts from the last time the cumulative flows were negative', () => {
    // Cumulative: -100, +50, -50, +50: positive at 1.67 months but negative again in month 2; for good at 2 + 50/100 = 2.5.
    expect(payback([-100, 150, -100, 100])).toBeCloseTo(2.5, 12);
  });

  it('discounted payback comes later', () => {
    // At 10 % a period: -1000, +454.55, +413.22, +375.66: cumulative -545.45, -132.23, +243.43, so 2 + 132.23/375.66 = 2.352.
    expect(payback([-1000, 500, 500, 500], 0.1)).toBeCloseTo(2 + 132.2314 / 375.6574, 4);
  });
});

describe('tco', () => {
  it('adds the upfront cost to the recurring costs over the horizon', () => {
    // 5000 + 200 x 36 = 12200; undiscounted at rate 0.
    expect(tco(5000, 200, 36)).toEqual({ total: 12_200, discounted: 12_200 });
  });

  it('discounts the recurring costs', () => {
    // 1000 + 100/1.1 + 100/1.21 = 1000 + 90.909 + 82.645 = 1173.554
    expect(tco(1000, 100, 2, 0.1).discounted).toBeCloseTo(1173.554, 3);
  });

  it('refuses a fractional horizon', () => {
    expect(() => tco(1, 1, 1.5)).toThrow(RangeError);
  });
});
