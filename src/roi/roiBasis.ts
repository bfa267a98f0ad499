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
