/**
 * The financial formulas of the ROI: net present value, internal rate of return, payback and
 * total cost of ownership, over cash flows per period (a month or a year). Flow `t` falls at
 * the end of period `t`; flow 0 is now (the upfront spend), so it is not discounted.
 *
 * Rates are per year where a person writes them (a discount rate of 8 % a year) and per
 * period inside: a month's rate is the compound one, (1 + r)^(1/12) - 1, not r / 12, so that
 * twelve months discount exactly as one year does.
 */

export type Period = 'month' | 'year';

/** Periods in a year. */
export const PERIODS_PER_YEAR: Readonly<Record<Period, number>> = { month: 12, year: 1 };

/** The compound rate per period equal to `annual` a year: (1 + annual)^(1/n) - 1. */
export function ratePerPeriod(annual: number, period: Period): number {
  if (!(annual > -1)) throw new RangeError(`a rate per year must be above -100 %, not ${annual}`);
  const n = PERIODS_PER_YEAR[period];
  return n === 1 ? annual : Math.pow(1 + annual, 1 / n) - 1;
}

/** The rate per year equal to `rate` per period: (1 + rate)^n - 1. */
export function annualRate(rate: number, period: Period): number {
  const n = PERIODS_PER_YEAR[period];
  return n === 1 ? rate : Math.pow(1 + rate, n) - 1;
}

/** Sum of flows[t] / (1 + rate)^t, `rate` per period. */
export function presentValue(flows: readonly number[], rate: number): number {
  if (!(rate > -1)) throw new RangeError(`a rate per period must be above -100 %, not ${rate}`);
  let v = 0;
  let factor = 1;
  for (const f of flows) {
    v += f / factor;
    factor *= 1 + rate;
  }
  return v;
}

/** Net present value of flows per `period` at a discount rate per year. */
export function npv(flows: readonly number[], annualDiscountRate: number, period: Period): number {
  return presentValue(flows, ratePerPeriod(annualDiscountRate, period));
}

export interface Irr {
  /** The rate per period that makes the NPV zero: the root nearest 0 when there are several. */
  readonly rate: number;
  /** The same per year. */
  readonly annual: number;
  /** Every root found between -99 % and +1000 % per period, ascending (rates per period). */
  readonly roots: readonly number[];
  /** Why this root, when there are several (non-conventional flows: the sign changes more than once). */
  readonly note?: string;
}

/** How many times the sign of the flows changes, zeros skipped: an upper bound on the number of IRRs (Descartes). */
export function signChanges(flows: readonly number[]): number {
  let n = 0;
  let last = 0;
  for (const f of flows) {
    if (f === 0) continue;
    if (last !== 0 && Math.sign(f) !== last) n++;
    last = Math.sign(f);
  }
  return n;
}

const IRR_LOW = -0.99;
const IRR_HIGH = 10;
const IRR_STEPS = 2000;

/**
 * The internal rate of return of flows per `period`: undefined when the flows never change
 * sign (no rate makes the NPV zero) or no root lies between -99 % and +1000 % per period.
 *
 * Robust rather than fast: the NPV is scanned on a grid even in log(1 + r), every interval
 * where it changes sign is bisected to 1e-12 (bisection cannot leave its bracket, as Newton
 * can), and all roots are kept. With several (flows that change sign more than once, e.g. a
 * refit half way), the root nearest 0 is reported and `note` says so.
 */
export function irr(flows: readonly number[], period: Period): Irr | undefined {
  if (signChanges(flows) === 0) return undefined;
  const f = (r: number) => presentValue(flows, r);
  const lo = Math.log(1 + IRR_LOW);
  const hi = Math.log(1 + IRR_HIGH);
  const roots: number[] = [];
  let r0 = IRR_LOW;
  let v0 = f(r0);
  for (let i = 1; i <= IRR_STEPS; i++) {
    const r1 = Math.exp(lo + ((hi - lo) * i) / IRR_STEPS) - 1;
    const v1 = f(r1);
    if (Number.isFinite(v0) && Number.isFinite(v1)) {
      if (v0 === 0) roots.push(r0);
      else if (Math.sign(v0) !== Math.sign(v1) && v1 !== 0) roots.push(bisect(f, r0, r1, v0));
    }
    r0 = r1;
    v0 = v1;
  }
  if (Number.isFinite(v0) && v0 === 0) roots.push(r0);
  if (roots.length === 0) return undefined;
  const rate = roots.reduce((a, b) => (Math.abs(b) < Math.abs(a) ? b : a));
  const note = roots.length > 1
    ? `${roots.length} rates make the NPV zero (${roots.map((r) => `${(annualRate(r, period) * 100).toFixed(1)} %`).join(', ')} a year); the one nearest 0 is reported`
    : undefined;
  return { rate, annual: annualRate(rate, period), roots, ...(note ? { note } : {}) };
}

function bisect(f: (r: number) => number, a: number, b: number, fa: number): number {
  for (let i = 0; i < 200 && b - a > 1e-12; i++) {
    const m = (a + b) / 2;
    const fm = f(m);
    if (fm === 0) return m;
    if (Math.sign(fm) === Math.sign(fa)) {
      a = m;
      fa = fm;
    } else b = m;
  }
  return (a + b) / 2;
}

/**
 * Payback: the periods until the cumulative flows turn non-negative for good (within the
 * flows given), fractional by linear interpolation inside the period that crosses, as if its
 * flow came in evenly. 0 when no flow is ever needed back; undefined when the cumulative
 * flows end below zero. With `rate` (per period) the flows are discounted first (discounted payback).
 */
export function payback(flows: readonly number[], rate = 0): number | undefined {
  const cum: number[] = [];
  let c = 0;
  let factor = 1;
  for (const f of flows) {
    c += f / factor;
    factor *= 1 + rate;
    cum.push(c);
  }
  let lastNegative = -1;
  cum.forEach((v, t) => {
    if (v < 0) lastNegative = t;
  });
  if (lastNegative === -1) return 0;
  if (lastNegative === cum.length - 1) return undefined;
  const before = cum[lastNegative]!;
  const step = cum[lastNegative + 1]! - before;
  return lastNegative + -before / step;
}

export interface Tco {
  /** Upfront + recurring x periods. */
  readonly total: number;
  /** The same discounted at `rate` per period (recurring cost at the end of each period). */
  readonly discounted: number;
}

/** Total cost of ownership: an upfront cost now and a recurring cost at the end of each of `periods`. */
export function tco(upfront: number, recurring: number, periods: number, rate = 0): Tco {
  if (!(Number.isInteger(periods) && periods >= 0)) throw new RangeError(`periods must be a whole number >= 0, not ${periods}`);
  const flows = [upfront, ...Array.from({ length: periods }, () => recurring)];
  return { total: upfront + recurring * periods, discounted: presentValue(flows, rate) };
}
