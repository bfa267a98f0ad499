/**
 * The ROI as an analyst reads it: from the devices (a basis), the assumptions and the number
 * of stores, the figures of one store (TCO, NPV, IRR, payback), a rollout to N stores with
 * the spread between them, the tornado, a Monte Carlo band of the cumulative discounted cash
 * month by month, and the sentences a finance person reads. Plain data and seeded: the ROI
 * panel, its printable report and `twin roi` show the same.
 *
 * The band draws exactly what monteCarlo.ts draws (the same seed, the same assumptions in the
 * same order, the same triangular draws), but works each draw's months out from its upfront
 * spend and monthly net instead of calling the IRR search 2,000 times: a few milliseconds
 * instead of half a second, so an edit recomputes at once (see the shortcut in roiBand).
 */
import { Random } from '../core/random';
import { ASSUMPTION_KEYS, ASSUMPTION_SPECS, valuesOf, type AssumptionKey, type Assumptions } from './assumptions';
import { payback, ratePerPeriod } from './finance';
import type { Band } from './monteCarlo';
import type { RoiBasis } from './roiBasis';
import { roi, type Roi, type RoiInput } from './roiModel';
import { rollout, type Rollout } from './rollout';
import { quantileSorted, triangular } from './stats';
import { tornado, type Tornado } from './tornado';

export interface RoiReportInput {
  readonly basis: RoiBasis;
  readonly assumptions: Assumptions;
  /** Stores in the rollout, 1 to MAX_STORES (default 1). */
  readonly stores?: number;
  /** Monte Carlo draws (default 2,000); seeds the rollout's stores and the draws (default 1). */
  readonly draws?: number;
  readonly seed?: number;
}

/** One month of the band: cumulative discounted cash flow (month 0: the upfront spend). */
export interface BandMonth {
  readonly month: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  /** With every assumption at its value. */
  readonly base: number;
}

export interface RoiBand {
  readonly draws: number;
  readonly seed: number;
  readonly npv: Band;
  /** Months; Infinity where that share of draws does not pay back within the horizon. */
  readonly paybackMonths: Band;
  /** Share (0..1) of draws with NPV above 0, and of draws that never pay back. */
  readonly chancePositive: number;
  readonly neverPayBack: number;
  /** Month 0 (the upfront spend) to the horizon. */
  readonly months: readonly BandMonth[];
}

export interface RoiSentences {
  /** Whether it pays and how sure that is, in one line. */
  readonly verdict: string;
  readonly payback: string;
  readonly npv: string;
  readonly irr: string;
  readonly tco: string;
  readonly rollout: string;
  readonly drivers: string;
  readonly detection: string;
}

export interface RoiReport {
  readonly basis: RoiBasis;
  readonly assumptions: Assumptions;
  readonly currency: string;
  readonly horizonMonths: number;
  readonly store: Roi;
  readonly rollout: Rollout;
  readonly tornado: Tornado;
  readonly band: RoiBand;
  readonly sentences: RoiSentences;
}

/** Stores a rollout may have here: each is worked out in full on every edit. */
export const MAX_STORES = 500;

export function roiReport(input: RoiReportInput): RoiReport {
  const { basis, assumptions } = input;
  const stores = input.stores ?? 1;
  if (!(Number.isInteger(stores) && stores >= 1 && stores <= MAX_STORES)) {
    throw new RangeError(`stores must be a whole number from 1 to ${MAX_STORES}, not ${stores}`);
  }
  const values = valuesOf(assumptions);
  const base = { devices: basis.devices, detection: basis.detection };
  const store = roi({ ...base, values });
  const out = rollout({ ...base, values }, { n: stores, seed: input.seed ?? 1 });
  const t = tornado(base, assumptions);
  const band = roiBand(base, assumptions, store, input.draws ?? 2000, input.seed ?? 1);
  const horizonMonths = store.flows.length - 1;
  const report = { basis, assumptions, currency: basis.currency, horizonMonths, store, rollout: out, tornado: t, band };
  return { ...report, sentences: sentences(report, stores) };
}

/** The Monte Carlo over the uncertain assumptions, month by month (see the file's comment). */
export function roiBand(base: Omit<RoiInput, 'values'>, assumptions: Assumptions, baseRoi: Roi, draws: number, seed: number): RoiBand {
  if (!(Number.isInteger(draws) && draws >= 1)) throw new RangeError(`draws must be a whole number >= 1, not ${draws}`);
  const rng = new Random(seed);
  const fixed = valuesOf(assumptions);
  const varied = ASSUMPTION_KEYS.filter((k) => ASSUMPTION_SPECS[k].uncertain);
  const horizon = Math.max(1, Math.round(fixed.horizonMonths));
  const discount = Array.from({ length: horizon + 1 }, (_, t) => Math.pow(1 + ratePerPeriod(fixed.discountRate, 'month'), -t));
  const cum = Array.from({ length: horizon + 1 }, () => new Float64Array(draws));
  const paybacks: number[] = [];
  const flows = new Array<number>(horizon + 1);
  for (let i = 0; i < draws; i++) {
    const values: Record<AssumptionKey, number> = { ...fixed };
    for (const k of varied) values[k] = triangular(rng, assumptions[k].low, assumptions[k].value, assumptions[k].high);
    // Upfront and monthly net do not depend on the horizon: one month is enough to read them.
    // The project cost only adds to the upfront spend; set against the devices' cost it makes
    // the flows [0, net], which skips the IRR search (9 tenths of the time). The test that this
    // band equals monteCarlo's draw for draw keeps the shortcut honest.
    const r = roi({ ...base, values: { ...values, horizonMonths: 1, projectPerStore: -base.devices.capex } });
    const upfront = base.devices.capex + values.projectPerStore;
    let c = -upfront;
    flows[0] = -upfront;
    cum[0]![i] = c;
    for (let t = 1; t <= horizon; t++) {
      c += r.monthlyNet * discount[t]!;
      cum[t]![i] = c;
      flows[t] = r.monthlyNet;
    }
    paybacks.push(payback(flows) ?? Number.POSITIVE_INFINITY);
  }
  let running = 0;
  const cumBase = baseRoi.flows.map((f, t) => (running += f * discount[t]!));
  const months = cum.map((col, t) => {
    col.sort();
    const s = col as unknown as readonly number[];
    return { month: t, p10: quantileSorted(s, 0.1), p50: quantileSorted(s, 0.5), p90: quantileSorted(s, 0.9), base: cumBase[t]! };
  });
  paybacks.sort((a, b) => a - b);
  let positive = 0;
  for (const x of cum[horizon]!) if (x > 0) positive++;
  const last = months[horizon]!;
  return {
    draws, seed,
    npv: { p10: last.p10, p50: last.p50, p90: last.p90 },
    paybackMonths: { p10: quantileSorted(paybacks, 0.1), p50: quantileSorted(paybacks, 0.5), p90: quantileSorted(paybacks, 0.9) },
    chancePositive: positive / draws,
    neverPayBack: paybacks.filter((x) => x === Number.POSITIVE_INFINITY).length / draws,
    months,
  };
}

// Formatting: money to the nearest hundred from a thousand up (the inputs are not better than that), signs where a figure can be either.

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "USD 14,200"; with `signed`, "USD +14,200" / "USD −3,100". */
export function money(x: number, currency: string, signed = false): string {
  const r = Math.abs(x) >= 1000 ? Math.round(x / 100) * 100 : Math.round(x);
  const sign = r < 0 ? '−' : signed && r > 0 ? '+' : '';
  return `${currency} ${sign}${INT.format(Math.abs(r))}`;
}

/** "17 months", "4.6 months", "never" (Infinity or undefined: not within the horizon). */
export function months(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return 'never';
  if (x === 0) return 'at once';
  const v = x < 10 ? Math.round(x * 10) / 10 : Math.round(x);
  return `${v} month${v === 1 ? '' : 's'}`;
}

/** "12 %" (or with `digits` decimals). */
export const percent = (x: number, digits = 0): string => `${(x * 100).toFixed(digits)} %`;

function sentences(r: Omit<RoiReport, 'sentences'>, n: number): RoiSentences {
  const cur = r.currency;
  const h = r.horizonMonths;
  const b = r.band;
  const s = r.store;
  const rate = r.assumptions.discountRate.value;
  const chance = b.chancePositive;
  const verdict = s.npv > 0
    ? chance >= 0.9 ? 'Pays, with confidence' : chance >= 0.5 ? 'Pays more likely than not, but not surely' : 'Pays at the assumed values, but most simulated cases do not'
    : chance >= 0.5 ? 'Does not pay at the assumed values, though most simulated cases do' : chance > 0.1 ? 'Does not pay on these assumptions' : 'Does not pay, with confidence';
  const pb = b.paybackMonths;
  const band = `P10–P90: ${months(pb.p10)} to ${months(pb.p90)}`;
  const payback = s.paybackMonths !== undefined
    ? `Pays back in ${months(s.paybackMonths)} (${band}).`
    : `Does not pay back within the ${h}-month horizon (${band}).`;
  const npv = `NPV over ${h} months ${money(s.npv, cur, true)} at ${percent(rate, 1)} a year; positive in ${percent(chance)} of ${INT.format(b.draws)} simulated cases (P10–P90: ${money(b.npv.p10, cur, true)} to ${money(b.npv.p90, cur, true)}).`;
  const irr = s.irr
    ? `IRR ${percent(s.irr.annual, 1)} a year${s.irr.note ? ` (${s.irr.note})` : ''}.`
    : `No IRR: the cash flows never change sign (${s.monthlyNet > 0 ? 'nothing to pay back' : 'the monthly net is not positive'}).`;
  const tco = `TCO over ${h} months ${money(s.tco.total, cur)} (${money(s.upfront, cur)} upfront, then ${money(s.costs.total, cur)} a month); benefits ${money(s.benefits.total, cur)} a month.`;
  const ro = r.rollout;
  const sp = ro.spread.npv;
  const rollout = n === 1
    ? 'One store: as above. Set more stores to see a rollout and the spread between stores.'
    : `Rolled out to ${n} stores: NPV ${money(ro.npv, cur, true)}, ${ro.paybackMonths !== undefined ? `pays back in ${months(ro.paybackMonths)}` : `does not pay back within ${h} months`}; between stores NPV runs ${money(sp.p10, cur, true)} (P10) to ${money(sp.p90, cur, true)} (P90)${ro.neverPayBack ? `; ${ro.neverPayBack} of ${n} stores do not pay back within ${h} months` : ''}.`;
  const top = r.tornado.bars.slice(0, 3);
  const drivers = top.length
    ? `What moves the answer most: ${top.map((t) => `${t.label} (NPV ${money(Math.min(t.npvAtLow, t.npvAtHigh), cur, true)} to ${money(Math.max(t.npvAtLow, t.npvAtHigh), cur, true)})`).join('; ')}.`
    : 'No uncertain assumption has a range: nothing to vary.';
  const d = r.basis.detection;
  const deter = r.assumptions.deterrence;
  // A pilot's measured cut stands for catching and deterring together (twin roi --pilot).
  const detection = deter.source.startsWith('measured: pilot')
    ? `The pilot took away ${percent(deter.value)} of the addressable loss (${percent(deter.low)} to ${percent(deter.high)}), caught and deterred together, and the devices cover ${percent(d.recordsCovered)} of the record errors (${r.basis.detectionSource}).`
    : `The devices catch ${percent(d.lossCaught)} of the loss and ${percent(d.recordsCovered)} of the record errors (${r.basis.detectionSource}).`;
  return { verdict: `${verdict}: ${percent(chance)} of simulated cases have a positive NPV.`, payback, npv, irr, tco, rollout, drivers, detection };
}
