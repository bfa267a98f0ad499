/**
 * What an ROI is worked out for: a set of devices (what they cost once, how many there are),
 * the shares of loss and record errors they catch, and where each figure comes from. Three
 * ways in: a placement plan (the Plan tab's latest, or a `twin place` plan file), or the
 * devices of a layout bought new.
 *
 * The detection shares are a proxy until a scenario's detection value is entered: the
 * scenario-based figure (`twin roi --scenario`, detectionValue.ts) needs a simulated truth the
 * workbench does not have at hand. The proxy says so, and the analyst can type the shares in.
 */
import { at, describe, Problems, readArray, readNumber, readObject, readString, type Problem } from '../core/fields';
import type { Layout } from '../layout/Layout';
import { METRICS, type Metric } from '../planning/objective';
import type { Plan } from '../planning/planPlacement';
import { DEFAULT_PRICES, type Prices } from '../planning/prices';
import { devicesOfLayout, devicesOfPlan, type Detection, type DeviceSet } from './roiModel';
import type { Assumption } from './assumptions';

/** The part of a plan the ROI reads (a `twin place` plan file has more). */
export type PlanForRoi = Pick<Plan, 'store' | 'currency' | 'budget' | 'spent' | 'existing' | 'devices' | 'before' | 'after'>;

export interface RoiBasis {
  readonly kind: 'plan' | 'layout';
  /** What the analyst reads: where the devices come from. */
  readonly label: string;
  readonly store: string;
  readonly currency: string;
  readonly devices: DeviceSet;
  readonly detection: Detection;
  /** Where the detection shares come from, in words. */
  readonly detectionSource: string;
}

/** The proxy when nothing says what the devices catch. */
export const DEFAULT_DETECTION: Detection = { lossCaught: 0.5, recordsCovered: 0.5 };

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Counts of devices in words: "3 cameras, 1 RFID reader". */
export function deviceWords(d: Pick<DeviceSet, 'cameras' | 'rfidReaders' | 'smartShelves'>): string {
  const part = (n: number, one: string, many: string) => (n ? [`${n} ${n === 1 ? one : many}`] : []);
  const parts = [...part(d.cameras, 'camera', 'cameras'), ...part(d.smartShelves, 'smart shelf', 'smart shelves'), ...part(d.rfidReaders, 'RFID reader', 'RFID readers')];
  return parts.length ? parts.join(', ') : 'no devices';
}

/**
 * A plan's devices and, as the detection proxy, the mean over its coverage measures of what
 * it adds (keep mode: after - before, since what the store has already pays its way) or
 * reaches (replace mode: after).
 */
export function basisOfPlan(plan: PlanForRoi, label = 'plan'): RoiBasis {
  const devices = devicesOfPlan(plan);
  const metrics = METRICS.filter((m) => typeof plan.after[m] === 'number');
  const keep = plan.existing === 'keep';
  const share = metrics.length
    ? clamp01(metrics.reduce((a, m) => a + (plan.after[m] - (keep ? plan.before[m] ?? 0 : 0)), 0) / metrics.length)
    : DEFAULT_DETECTION.lossCaught;
  const what = keep ? 'adds' : 'reaches';
  return {
    kind: 'plan',
    label: `${label}: ${deviceWords(devices)} for ${plan.currency} ${Math.round(plan.spent).toLocaleString('en-US')} (${keep ? 'added to what the store has' : 'from scratch'})`,
    store: plan.store,
    currency: plan.currency,
    devices,
    detection: { lossCaught: share, recordsCovered: share },
    detectionSource: `proxy: the mean coverage the plan ${what} over its ${metrics.length} measures (${(share * 100).toFixed(0)} %); a scenario's detection value (twin roi --scenario) or a pilot's measured cut (twin roi --pilot) is the better figure`,
  };
}

/** Every device of a layout bought new at the prices; the detection shares a planning assumption. */
export function basisOfLayout(layout: Layout, prices: Prices = DEFAULT_PRICES): RoiBasis {
  const devices = devicesOfLayout(layout, prices);
  return {
    kind: 'layout',
    label: `today's layout ${layout.name}: ${deviceWords(devices)}, bought new`,
    store: layout.store,
    currency: prices.currency,
    devices,
    detection: DEFAULT_DETECTION,
    detectionSource: 'planning assumption: half of the loss and of the record errors; a scenario\'s detection value (twin roi --scenario) or a pilot\'s measured cut (twin roi --pilot) is the better figure',
  };
}

/** The same devices with detection shares the analyst typed in (a share left out keeps its value). */
export function withDetection(basis: RoiBasis, d: Partial<Detection>): RoiBasis {
  if (d.lossCaught === undefined && d.recordsCovered === undefined) return basis;
  const detection = { lossCaught: clamp01(d.lossCaught ?? basis.detection.lossCaught), recordsCovered: clamp01(d.recordsCovered ?? basis.detection.recordsCovered) };
  return { ...basis, detection, detectionSource: 'entered by the analyst' };
}

export type PlanFileResult = { ok: true; plan: PlanForRoi } | { ok: false; problems: Problem[] };

const KINDS = ['camera', 'smart_shelf', 'rfid'];

/** A `twin place` plan file, read for the ROI: every problem listed. */
export function readPlanFile(json: unknown): PlanFileResult {
  const p = new Problems();
  const o = readObject(p, '', json);
  if (!o) return { ok: false, problems: p.list };
  if (o.version !== 1) p.add('version', `must be 1 (a plan from twin place), not ${describe(o.version)}`);
  const store = readString(p, 'store', o.store, { nonEmpty: true });
  const currency = readString(p, 'currency', o.currency, { nonEmpty: true });
  const budget = readNumber(p, 'budget', o.budget, { min: 0 });
  const spent = readNumber(p, 'spent', o.spent, { min: 0 });
  const existing = readString(p, 'existing', o.existing, { oneOf: ['keep', 'replace'] }) as 'keep' | 'replace' | undefined;
  const measures = (key: 'before' | 'after'): Record<Metric, number> | undefined => {
    const m = readObject(p, key, o[key]);
    if (!m) return undefined;
    const out: Partial<Record<Metric, number>> = {};
    for (const k of METRICS) {
      if (m[k] === undefined) continue;
      const v = readNumber(p, at(key, k), m[k], { min: 0, max: 1 });
      if (v !== undefined) out[k] = v;
    }
    return out as Record<Metric, number>;
  };
  const before = measures('before');
  const after = measures('after');
  const list = readArray(p, 'devices', o.devices) ?? [];
  const devices = list.flatMap((raw, i) => {
    const d = readObject(p, at('devices', i), raw);
    if (!d) return [];
    const kind = readString(p, at(at('devices', i), 'kind'), d.kind, { oneOf: KINDS });
    const cost = readNumber(p, at(at('devices', i), 'cost'), d.cost, { min: 0 });
    return kind !== undefined && cost !== undefined ? [{ ...d, kind, cost } as unknown as Plan['devices'][number]] : [];
  });
  if (!p.ok) return { ok: false, problems: p.list };
  return { ok: true, plan: { store: store!, currency: currency!, budget: budget!, spent: spent!, existing: existing!, before: before!, after: after!, devices } };
}

/** What a pilot measured (twin pilot's `result.relative` and `verdict`), for the ROI. */
export interface PilotMeasure {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly verdict: string;
}

/**
 * A pilot's measured cut in shrink as the ROI's: the difference-in-differences estimate and
 * 95 % interval of shrink at cost, as the share of the addressable loss the devices take
 * away, detected and deterred together (the `deterrence` assumption, with nothing caught
 * besides). A rise, or an interval past no change, counts as 0 at that end: the devices are
 * not credited with a loss they caused. `twin roi --pilot` and the ROI tab's pilot result.
 */
export function measuredCut(m: PilotMeasure, from: string): { deterrence: Assumption; how: string } {
  const cut = (x: number) => Math.min(1, Math.max(0, -x));
  const value = cut(m.estimate), low = cut(m.high), high = cut(m.low);
  return {
    deterrence: { value, low: Math.min(low, value), high: Math.max(high, value), source: `measured: pilot ${from}, ${m.verdict}` },
    how: `the pilot in ${from} (shrink at cost ${(m.estimate * 100).toFixed(1)} %, 95 % CI ${(m.low * 100).toFixed(1)} % to ${(m.high * 100).toFixed(1)} %: as the share of the addressable loss taken away, caught and deterred together)`,
  };
}

/** twin pilot --format json's output read as a measure of shrink; a reason when it is not one. */
export function readPilotResult(json: unknown): PilotMeasure | string {
  const o = json as { metric?: unknown; result?: { ok?: unknown; relative?: { estimate?: unknown; low?: unknown; high?: unknown }; verdict?: unknown } } | null;
  if (typeof o !== 'object' || o === null || typeof o.result !== 'object' || o.result === null) return 'not a pilot result: write one with twin pilot DIR --format json';
  if (o.metric !== undefined && o.metric !== 'shrink') return `measures ${String(o.metric)}: the ROI takes a pilot's shrink at cost (twin pilot DIR --metric shrink --format json)`;
  if (o.result.ok !== true) return 'the pilot gave no estimate (its result is not ok)';
  const r = o.result.relative;
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (!r || !num(r.estimate) || !num(r.low) || !num(r.high)) return 'result.relative needs estimate, low and high';
  return { estimate: r.estimate as number, low: r.low as number, high: r.high as number, verdict: typeof o.result.verdict === 'string' ? o.result.verdict : '' };
}
