/**
 * The assumptions of the ROI: every figure it does not measure, each with its default, its
 * unit, where the default comes from, and a low..high range that the tornado and the Monte
 * Carlo band vary it over. An assumptions file overrides any of them; a bad file gets every
 * problem listed. Money is in the prices' currency (USD by default).
 *
 * A default from a published study cites it; one without a published source says "planning
 * assumption" and should be replaced by the retailer's own figure.
 */
import { at, describe, Problems, readNumber, readObject, readString, type Problem } from '../core/fields';
import { quantileSorted } from './stats';

/** What an assumption means and where its default comes from. */
export interface AssumptionSpec {
  readonly label: string;
  readonly unit: string;
  /** The default and its range: low <= value <= high, all within min..max. */
  readonly value: number;
  readonly low: number;
  readonly high: number;
  readonly source: string;
  /** The values it can take at all (a share is 0..1). */
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  /** Varied by the tornado and the Monte Carlo; false for choices (discount rate, horizon). */
  readonly uncertain: boolean;
}

const PLANNING = 'planning assumption';
const NRF = 'NRF, National Retail Security Survey 2023: average shrink 1.6 % of sales in FY2022 (1.4 % in FY2021)';
const GRUEN = 'Gruen, Corsten & Bharadwaj (2002), Retail Out-of-Stocks: A Worldwide Examination of Extent, Causes and Consumer Responses (GMA/FMI/CIES)';
const AUBURN = 'Auburn University RFID Lab (Hardgrave et al.): inventory record accuracy about 65 % without item-level RFID, 93-99 % with it';

const share = (label: string, value: number, low: number, high: number, source: string): AssumptionSpec =>
  ({ label, unit: 'share (0..1)', value, low, high, source, min: 0, max: 1, uncertain: true });
const amount = (label: string, unit: string, value: number, low: number, high: number, source: string): AssumptionSpec =>
  ({ label, unit, value, low, high, source, min: 0, max: Number.POSITIVE_INFINITY, uncertain: true });

export const ASSUMPTION_SPECS = {
  // A store's figures: the defaults for a store that gives none, and the middle of a rollout's stores.
  salesPerMonth: amount('Sales per store', 'currency a month', 800_000, 500_000, 1_200_000, PLANNING),
  unitsReceivedPerMonth: amount('Units received per store', 'units a month', 60_000, 30_000, 100_000, PLANNING),
  incidentsPerMonth: amount('Incidents answered per store', 'incidents a month', 60, 20, 150, `${PLANNING}; measure it from the twin's incidents`),

  // Loss.
  shrinkRate: share('Shrink', 0.016, 0.014, 0.02, `${NRF}; the range runs from FY2021's figure to 2 %, a planning range`),
  addressableShare: share('Share of shrink the back room can see', 0.35, 0.2, 0.5,
    `${PLANNING}: the NRF survey attributes shrink to external theft, internal theft, process failures and vendor fraud; the back room's devices see part of each`),
  recoveredShare: share('Share of detected loss recovered or stopped', 0.5, 0.3, 0.7, PLANNING),
  deterrence: share('Loss deterred by visible monitoring', 0.1, 0, 0.2, `${PLANNING}: a cut in all addressable loss, detected or not`),
  grossMargin: share('Gross margin', 0.3, 0.25, 0.4, `${PLANNING}; shrink is valued at cost (1 - margin), recovered sales at margin`),

  // Stock and records.
  oosRate: share('Out-of-stock rate', 0.08, 0.05, 0.1, `${GRUEN}: worldwide average 8.3 %`),
  oosFromRecordsShare: share('Share of out-of-stocks from wrong records', 0.25, 0.1, 0.4,
    `${PLANNING}: the part of store-caused out-of-stocks (phantom stock, stock in the back room the system does not know of) that a right record fixes`),
  lostSaleShare: share('Share of an out-of-stock sale lost to the store', 0.4, 0.3, 0.5,
    `${GRUEN}: shoppers facing an out-of-stock buy elsewhere (31 %) or not at all (9 %)`),
  iraWithout: share('Inventory record accuracy without the twin', 0.65, 0.6, 0.7, AUBURN),
  iraWith: share('Inventory record accuracy where the devices cover', 0.95, 0.93, 0.99, AUBURN),

  // Labour.
  countHoursPerMonth: amount('Counting hours per store', 'hours a month', 40, 20, 80, PLANNING),
  directedCountShare: share('Counting hours left with directed counts', 0.3, 0.2, 0.5,
    `${PLANNING}: counts go only to the slots the twin flags instead of every slot`),
  labourCostPerHour: amount('Labour cost', 'currency an hour', 22, 18, 30, `${PLANNING}: a back-room associate's loaded hourly cost; use payroll`),
  minutesPerIncident: amount('Minutes to answer an incident', 'minutes', 10, 5, 20, `${PLANNING}; replaced by measured resolution times where the twin has them`),

  // Running costs.
  softwarePerStorePerMonth: amount('Software per store', 'currency a month', 300, 200, 500, PLANNING),
  framesPerCameraPerMonth: amount('Frame storage and bandwidth per camera', 'currency a month', 8, 4, 15, PLANNING),
  tagCostPerUnit: amount('RFID tag per unit tagged', 'currency a unit', 0.06, 0.04, 0.1, `${PLANNING}: a typical quoted price for a UHF RAIN label at volume`),
  taggedShare: share('Share of units received the store tags', 0.2, 0.05, 0.5,
    `${PLANNING}: the store tags only what it tracks item by item (high-value SKUs); the rest arrive source-tagged or are not tagged`),
  projectPerStore: amount('Project cost per store', 'currency, once', 3000, 2000, 5000, `${PLANNING}: site survey, network, commissioning (devices' own installation is in the prices)`),
  maintenanceShare: share('Maintenance a year', 0.1, 0.05, 0.15, `${PLANNING}: a share of the devices' cost each year`),

  // Choices, not uncertainties.
  discountRate: { label: 'Discount rate', unit: 'a year', value: 0.08, low: 0.06, high: 0.12, source: `${PLANNING}: use the finance team's hurdle rate`, min: 0, max: 1, uncertain: false },
  horizonMonths: { label: 'Horizon', unit: 'months', value: 36, low: 24, high: 60, source: `${PLANNING}: the devices' working life`, min: 1, max: 240, integer: true, uncertain: false },
  storeSpread: { label: 'Spread of sales between stores', unit: 'coefficient of variation', value: 0.2, low: 0.1, high: 0.3, source: PLANNING, min: 0, max: 2, uncertain: false },
} as const satisfies Record<string, AssumptionSpec>;

export type AssumptionKey = keyof typeof ASSUMPTION_SPECS;
export const ASSUMPTION_KEYS = Object.keys(ASSUMPTION_SPECS) as AssumptionKey[];

/** One assumption as used: its value and range, and where they come from. */
export interface Assumption {
  readonly value: number;
  /** low <= value <= high. */
  readonly low: number;
  readonly high: number;
  readonly source: string;
}

export type Assumptions = Readonly<Record<AssumptionKey, Assumption>>;

export const DEFAULT_ASSUMPTIONS: Assumptions = Object.fromEntries(
  ASSUMPTION_KEYS.map((k) => {
    const s: AssumptionSpec = ASSUMPTION_SPECS[k];
    return [k, { value: s.value, low: s.low, high: s.high, source: s.source }];
  }),
) as Record<AssumptionKey, Assumption>;

/** The values alone, for the model. */
export type AssumptionValues = Readonly<Record<AssumptionKey, number>>;

export function valuesOf(a: Assumptions): AssumptionValues {
  return Object.fromEntries(ASSUMPTION_KEYS.map((k) => [k, a[k].value])) as Record<AssumptionKey, number>;
}

export type AssumptionsResult = { ok: true; assumptions: Assumptions } | { ok: false; problems: Problem[] };

const ENTRY_FIELDS = ['value', 'low', 'high', 'source'];

/**
 * An assumptions file: a JSON object whose keys are assumption names, each a number (the
 * value) or an object `{value?, low?, high?, source?}`; what it leaves out keeps its default.
 * A value given without a range keeps the default range's spread relative to the default
 * (so 2 % shrink gets 1.75 %..2.5 %). A value given without a source is marked as the file's.
 */
export function parseAssumptions(json: unknown, base: Assumptions = DEFAULT_ASSUMPTIONS): AssumptionsResult {
  const p = new Problems();
  const o = readObject(p, '', json);
  if (!o) return { ok: false, problems: p.list };
  const out: Record<string, Assumption> = { ...base };
  for (const [key, raw] of Object.entries(o)) {
    if (key === 'version') {
      if (raw !== 1) p.add(key, `must be 1, not ${describe(raw)}`);
      continue;
    }
    if (!(key in ASSUMPTION_SPECS)) {
      p.add(key, `is not an assumption; known: ${ASSUMPTION_KEYS.join(', ')}`);
      continue;
    }
    const k = key as AssumptionKey;
    const entry = readEntry(p, k, raw, base[k]);
    if (entry) out[k] = entry;
  }
  const ira = (k: AssumptionKey) => out[k]!.value;
  if (ira('iraWith') <= ira('iraWithout')) {
    p.add('iraWith', `must be above iraWithout (${ira('iraWithout')}), not ${ira('iraWith')}: the devices are meant to make records more accurate`);
  }
  return p.ok ? { ok: true, assumptions: out as Record<AssumptionKey, Assumption> } : { ok: false, problems: p.list };
}

function readEntry(p: Problems, k: AssumptionKey, raw: unknown, prior: Assumption): Assumption | undefined {
  const spec: AssumptionSpec = ASSUMPTION_SPECS[k];
  const bounds = { min: spec.min, ...(Number.isFinite(spec.max) ? { max: spec.max } : {}), ...(spec.integer ? { integer: true } : {}) };
  const before = p.list.length;
  // An unknown field or a bad source does not stop the range being checked; a bad number does.
  let numbersFrom = before;
  let value: number | undefined, low: number | undefined, high: number | undefined, source: string | undefined;
  if (typeof raw === 'number') {
    value = readNumber(p, k, raw, bounds);
  } else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const e = raw as Record<string, unknown>;
    for (const f of Object.keys(e)) if (!ENTRY_FIELDS.includes(f)) p.add(at(k, f), `is not a field of an assumption; known: ${ENTRY_FIELDS.join(', ')}`);
    source = readString(p, at(k, 'source'), e.source, { optional: true, nonEmpty: true });
    numbersFrom = p.list.length;
    value = readNumber(p, at(k, 'value'), e.value, { ...bounds, optional: true });
    low = readNumber(p, at(k, 'low'), e.low, { ...bounds, optional: true });
    high = readNumber(p, at(k, 'high'), e.high, { ...bounds, optional: true });
  } else {
    p.add(k, `must be a number or an object {value, low, high, source}, not ${describe(raw)}`);
  }
  if (p.list.length > numbersFrom) return undefined;
  const v = value ?? prior.value;
  const scaled = value !== undefined && low === undefined && high === undefined && prior.value !== 0;
  const clamp = (x: number) => Math.min(spec.max, Math.max(spec.min, spec.integer ? Math.round(x) : x));
  const lo = low ?? (scaled ? clamp((prior.low * v) / prior.value) : Math.min(prior.low, v));
  const hi = high ?? (scaled ? clamp((prior.high * v) / prior.value) : Math.max(prior.high, v));
  if (lo > v) p.add(at(k, 'low'), `must be at most the value ${v}, not ${lo}`);
  if (hi < v) p.add(at(k, 'high'), `must be at least the value ${v}, not ${hi}`);
  if (p.list.length > before) return undefined;
  return { value: v, low: lo, high: hi, source: source ?? (value !== undefined || low !== undefined || high !== undefined ? 'assumptions file' : prior.source) };
}

/**
 * Minutes per incident from the twin's measured resolution times (ms, from the rules'
 * `resolutionMs`): the median, with the quartiles as its range. Unchanged when none are given.
 */
export function withMeasuredResolution(a: Assumptions, resolutionMs: readonly number[]): Assumptions {
  const minutes = resolutionMs.filter((x) => Number.isFinite(x) && x >= 0).map((x) => x / 60_000).sort((x, y) => x - y);
  if (minutes.length === 0) return a;
  const q = (f: number) => quantileSorted(minutes, f);
  return {
    ...a,
    minutesPerIncident: { value: q(0.5), low: q(0.25), high: q(0.75), source: `measured: median and quartiles of ${minutes.length} resolved incidents` },
  };
}
