/**
 * The ROI of one store worked by hand, its devices from a plan and from a layout's counts,
 * detection shares from a detection value; a rollout's sums and spread; the tornado's order;
 * the Monte Carlo band, seeded.
 */
import { describe, expect, it } from 'vitest';
import type { DetectionRow, DetectionValue } from '../../src/planning/detectionValue';
import { ASSUMPTION_SPECS, DEFAULT_ASSUMPTIONS, valuesOf, type AssumptionKey, type Assumptions, type AssumptionValues } from '../../src/roi/assumptions';
import { presentValue } from '../../src/roi/finance';
import { monteCarlo } from '../../src/roi/monteCarlo';
import { detectionOf, devicesOfPlan, roi, type DeviceSet } from '../../src/roi/roiModel';
import { drawStores, rollout } from '../../src/roi/rollout';
import { tornado } from '../../src/roi/tornado';

/** Round figures so the arithmetic in the comments is easy to follow. */
const V: AssumptionValues = {
  ...valuesOf(DEFAULT_ASSUMPTIONS),
  salesPerMonth: 1_000_000, unitsReceivedPerMonth: 50_000, incidentsPerMonth: 60,
  shrinkRate: 0.02, addressableShare: 0.5, recoveredShare: 0.5, deterrence: 0, grossMargin: 0.25,
  oosRate: 0.08, oosFromRecordsShare: 0.25, lostSaleShare: 0.4, iraWithout: 0.6, iraWith: 0.96,
  countHoursPerMonth: 40, directedCountShare: 0.25, labourCostPerHour: 20, minutesPerIncident: 10,
  softwarePerStorePerMonth: 300, framesPerCameraPerMonth: 10, tagCostPerUnit: 0.04, taggedShare: 0.5,
  projectPerStore: 3000, maintenanceShare: 0.1, discountRate: 0, horizonMonths: 12,
};
const DEVICES: DeviceSet = { cameras: 4, rfidReaders: 1, smartShelves: 2, capex: 12_000 };
const DETECTION = { lossCaught: 0.8, recordsCovered: 0.5 };

describe('roi of one store', () => {
  const r = roi({ devices: DEVICES, detection: DETECTION, values: V });

  it('counts the benefits a month', () => {
    // Shrink avoided: 1,000,000 x 2 % x 0.5 addressable x (1 - 0.25) at cost x (1 - (1 - 0.8 x 0.5)(1 - 0)) = 7500 x 0.4 = 3000.
    expect(r.benefits.shrinkAvoided).toBeCloseTo(3000, 9);
    // Gap closed: 0.5 covered x (0.96 - 0.6) / (1 - 0.6) = 0.45.
    // Sales recovered: 1,000,000 x 8 % x 0.25 x 0.4 x 0.25 margin x 0.45 = 2000 x 0.45 = 900.
    expect(r.benefits.salesRecovered).toBeCloseTo(900, 9);
    // Counting saved: 40 h x (1 - 0.25) x 0.5 covered x 20 an hour = 300.
    expect(r.benefits.countingSaved).toBeCloseTo(300, 9);
    expect(r.benefits.total).toBeCloseTo(4200, 9);
  });

  it('counts the costs a month', () => {
    // Software 300; frames 4 x 10 = 40; tags 50,000 x 0.5 x 0.04 = 1000; maintenance 12,000 x 10 % / 12 = 100;
    // incidents 60 x 10 min / 60 x 20 = 200. Total 1640.
    expect(r.costs).toEqual({ software: 300, frames: 40, tags: 1000, maintenance: 100, incidentLabour: 200, total: 1640 });
  });

  it('works out TCO, NPV, IRR and payback over the horizon', () => {
    // Upfront 12,000 + 3,000 = 15,000; net 4200 - 1640 = 2560 a month for 12 months.
    expect(r.upfront).toBe(15_000);
    expect(r.monthlyNet).toBeCloseTo(2560, 9);
    expect(r.flows).toHaveLength(13);
    // TCO: 15,000 + 1640 x 12 = 34,680. NPV at 0 %: -15,000 + 2560 x 12 = 15,720.
    expect(r.tco.total).toBeCloseTo(34_680, 6);
    expect(r.npv).toBeCloseTo(15_720, 6);
    // Payback: 15,000 / 2560 = 5.859375 months.
    expect(r.paybackMonths).toBeCloseTo(5.859375, 12);
    expect(presentValue(r.flows, r.irr!.rate)).toBeCloseTo(0, 6);
    // Record accuracy: 0.6 + 0.5 x (0.96 - 0.6) = 0.78.
    expect(r.ira.before).toBe(0.6);
    expect(r.ira.after).toBeCloseTo(0.78, 12);
  });

  it('discounts at the monthly equivalent of the yearly rate', () => {
    // 12.6825 % a year is 1 % a month: -15,000 + 2560 x (1 - 1.01^-12) / 0.01 = -15,000 + 2560 x 11.255077 = 13,813.00.
    const d = roi({ devices: DEVICES, detection: DETECTION, values: { ...V, discountRate: 0.126825030131969 } });
    expect(d.npv).toBeCloseTo(13_812.997, 2);
  });

  it('buys no tags where nothing reads them, and takes a store\'s own figures', () => {
    const d = roi({ devices: { ...DEVICES, rfidReaders: 0 }, detection: DETECTION, values: V, store: { id: 'north', salesPerMonth: 500_000 } });
    expect(d.costs.tags).toBe(0);
    expect(d.store).toBe('north');
    // Half the sales: half the shrink avoided and sales recovered.
    expect(d.benefits.shrinkAvoided).toBeCloseTo(1500, 9);
    expect(d.benefits.salesRecovered).toBeCloseTo(450, 9);
  });

  it('never pays back when it costs more than it brings', () => {
    const d = roi({ devices: DEVICES, detection: { lossCaught: 0, recordsCovered: 0 }, values: V });
    expect(d.monthlyNet).toBeLessThan(0);
    expect(d.paybackMonths).toBeUndefined();
    expect(d.irr).toBeUndefined();
  });
});

describe('devices and detection', () => {
  it('counts a plan\'s devices and adds up their cost', () => {
    const plan = { devices: [
      { kind: 'camera', cost: 700 }, { kind: 'camera', cost: 700 }, { kind: 'rfid', cost: 1800 }, { kind: 'smart_shelf', cost: 360 },
    ] } as unknown as Parameters<typeof devicesOfPlan>[0];
    expect(devicesOfPlan(plan)).toEqual({ cameras: 2, rfidReaders: 1, smartShelves: 1, capex: 3560 });
  });

  it('takes the shares caught from a detection value', () => {
    const row = (kind: string, records: number, caught: number, value: number, valueCaught: number): DetectionRow => ({
      kind, records, noPlace: 0,
      caught: { camera: 0, smartShelf: 0, rfid: 0, any: caught },
      units: { total: 0, caught: { camera: 0, smartShelf: 0, rfid: 0, any: 0 } },
      value: { total: value, caught: { camera: 0, smartShelf: 0, rfid: 0, any: valueCaught } },
    });
    const dv = { kinds: [row('theft', 4, 3, 400, 300), row('receiving_error', 2, 1, 100, 0), row('misplacement', 6, 3, 60, 30), row('bad_message', 5, 0, 0, 0)] } as unknown as DetectionValue;
    // Loss: (300 + 0) / (400 + 100) = 0.6. Records: (1 + 3) / (2 + 6) = 0.5; thefts and bad messages are not record errors.
    expect(detectionOf(dv)).toEqual({ lossCaught: 0.6, recordsCovered: 0.5 });
  });
});

describe('rollout', () => {
  it('adds up the stores\' flows and shows the spread between them', () => {
    const r = rollout({ devices: DEVICES, detection: DETECTION, values: V }, { stores: [{ id: 'a', salesPerMonth: 1_000_000 }, { id: 'b', salesPerMonth: 500_000 }] });
    const a = r.stores[0]!, b = r.stores[1]!;
    expect(r.flows[0]).toBe(-30_000);
    expect(r.flows[5]).toBeCloseTo(a.monthlyNet + b.monthlyNet, 9);
    expect(r.npv).toBeCloseTo(a.npv + b.npv, 6);
    expect(r.upfront).toBe(30_000);
    expect(r.spread.npv.min).toBeCloseTo(b.npv, 9);
    expect(r.spread.npv.max).toBeCloseTo(a.npv, 9);
    // b brings 1500 + 450 + 300 = 2250 against 1640 a month: 610 a month pays 15,000 back in 24.6 months, not within 12.
    expect(r.neverPayBack).toBe(1);
    expect(r.spread.paybackMonths.max).toBe(Number.POSITIVE_INFINITY);
    expect(r.spread.paybackMonths.min).toBeCloseTo(5.859375, 9);
  });

  it('draws stores around the assumed store, seeded', () => {
    const stores = drawStores({ values: { ...V, storeSpread: 0.2 } }, 4000, 7);
    const mean = stores.reduce((s, x) => s + x.salesPerMonth!, 0) / stores.length;
    expect(mean / V.salesPerMonth).toBeGreaterThan(0.98);
    expect(mean / V.salesPerMonth).toBeLessThan(1.02);
    expect(drawStores({ values: V }, 3, 7)).toEqual(drawStores({ values: V }, 3, 7));
    const r = rollout({ devices: DEVICES, detection: DETECTION, values: V }, { n: 10, seed: 3 });
    expect(r.stores).toHaveLength(10);
    expect(r.spread.npv.p10).toBeLessThanOrEqual(r.spread.npv.p90);
  });
});

/** Assumptions with the round values above and the default ranges scaled around them. */
const A: Assumptions = Object.fromEntries(Object.entries(DEFAULT_ASSUMPTIONS).map(([k, a]) => {
  const v = V[k as AssumptionKey];
  const max = ASSUMPTION_SPECS[k as AssumptionKey].max;
  return [k, a.value === 0 ? { ...a, value: v } : { ...a, value: v, low: Math.min(v, (a.low * v) / a.value), high: Math.min(max, Math.max(v, (a.high * v) / a.value)) }];
})) as Assumptions;

describe('tornado', () => {
  const t = tornado({ devices: DEVICES, detection: DETECTION }, A);

  it('starts from the NPV at the values and sorts the swings, widest first', () => {
    expect(t.base).toBeCloseTo(15_720, 6);
    for (let i = 1; i < t.bars.length; i++) expect(t.bars[i - 1]!.swing).toBeGreaterThanOrEqual(t.bars[i]!.swing);
    expect(t.bars.map((b) => b.key)).not.toContain('discountRate');
  });

  it('moves one assumption at a time', () => {
    // Software 200..500 a month over 12 months at 0 %: NPV 15,720 + 100 x 12 = 16,920 at the low, 15,720 - 200 x 12 = 13,320 at the high.
    const software = t.bars.find((b) => b.key === 'softwarePerStorePerMonth')!;
    expect(software.npvAtLow).toBeCloseTo(16_920, 6);
    expect(software.npvAtHigh).toBeCloseTo(13_320, 6);
    expect(software.swing).toBeCloseTo(3600, 6);
  });
});

describe('monteCarlo', () => {
  it('gives an ordered band, the same for the same seed', () => {
    const m = monteCarlo({ devices: DEVICES, detection: DETECTION }, A, { draws: 500, seed: 11 });
    expect(m.npv.p10).toBeLessThan(m.npv.p50);
    expect(m.npv.p50).toBeLessThan(m.npv.p90);
    expect(m.paybackMonths.p10).toBeLessThanOrEqual(m.paybackMonths.p90);
    expect(m.chancePositive).toBeGreaterThan(0.5);
    expect(monteCarlo({ devices: DEVICES, detection: DETECTION }, A, { draws: 500, seed: 11 })).toEqual(m);
  });

  it('collapses to the point when nothing is uncertain', () => {
    const fixed = Object.fromEntries(Object.entries(A).map(([k, a]) => [k, { ...a, low: a.value, high: a.value }])) as Assumptions;
    const m = monteCarlo({ devices: DEVICES, detection: DETECTION }, fixed, { draws: 50 });
    expect(m.npv.p10).toBeCloseTo(15_720, 6);
    expect(m.npv.p90).toBeCloseTo(15_720, 6);
    expect(m.paybackMonths.p50).toBeCloseTo(5.859375, 9);
  });
});
