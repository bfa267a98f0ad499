/**
 * The ROI report's figures from hand-checkable inputs: a change in shrink moves the NPV by
 * what the model says, the band draws what monteCarlo draws, the sentences read the figures,
 * and a plan (from the Plan tab or a file) or a layout is the basis.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLayoutText } from '../../src/layout/parseLayout';
import { DEFAULT_ASSUMPTIONS, type Assumptions } from '../../src/roi/assumptions';
import { monteCarlo } from '../../src/roi/monteCarlo';
import { basisOfLayout, basisOfPlan, readPlanFile, withDetection, type RoiBasis } from '../../src/roi/roiBasis';
import { money, months, roiReport } from '../../src/roi/roiReport';

const BASIS: RoiBasis = {
  kind: 'plan', label: 'test', store: 'S1', currency: 'USD',
  devices: { cameras: 4, rfidReaders: 1, smartShelves: 2, capex: 12_000 },
  detection: { lossCaught: 0.8, recordsCovered: 0.5 }, detectionSource: 'given',
};

/** The defaults with a few values set (ranges kept). */
function withValues(v: Partial<Record<keyof Assumptions, number>>): Assumptions {
  const out: Record<string, unknown> = { ...DEFAULT_ASSUMPTIONS };
  for (const [k, x] of Object.entries(v)) out[k] = { ...DEFAULT_ASSUMPTIONS[k as keyof Assumptions], value: x, low: Math.min(x, DEFAULT_ASSUMPTIONS[k as keyof Assumptions].low), high: Math.max(x, DEFAULT_ASSUMPTIONS[k as keyof Assumptions].high) };
  return out as Assumptions;
}

describe('the ROI report', () => {
  it('moves the NPV by what a change in shrink is worth, month by month', () => {
    // At 0 % discount over 36 months a benefit of x a month adds 36x to the NPV.
    const a = roiReport({ basis: BASIS, assumptions: withValues({ discountRate: 0, horizonMonths: 36, shrinkRate: 0.016 }), stores: 1, draws: 200 });
    const b = roiReport({ basis: BASIS, assumptions: withValues({ discountRate: 0, horizonMonths: 36, shrinkRate: 0.02 }), stores: 1, draws: 200 });
    // Shrink avoided a month: 800,000 sales x Δshrink 0.4 % x 0.35 addressable x (1 - 0.3) at cost x cut,
    // cut = 1 - (1 - 0.8 caught x 0.5 recovered)(1 - 0.1 deterrence) = 0.46: 784 x 0.46 = 360.64 a month.
    expect(b.store.benefits.shrinkAvoided - a.store.benefits.shrinkAvoided).toBeCloseTo(360.64, 6);
    expect(b.store.npv - a.store.npv).toBeCloseTo(36 * 360.64, 4);
    expect(b.store.paybackMonths!).toBeLessThan(a.store.paybackMonths!);
    // The band's base line ends on the NPV; the rollout of one store is that store.
    expect(a.band.months.at(-1)!.base).toBeCloseTo(a.store.npv, 6);
    expect(a.band.months[0]!.base).toBe(-a.store.upfront);
    expect(a.rollout.stores).toHaveLength(1);
  });

  it('draws what monteCarlo draws, faster', () => {
    const r = roiReport({ basis: BASIS, assumptions: DEFAULT_ASSUMPTIONS, stores: 1, draws: 300, seed: 5 });
    const mc = monteCarlo({ devices: BASIS.devices, detection: BASIS.detection }, DEFAULT_ASSUMPTIONS, { draws: 300, seed: 5 });
    expect(r.band.npv.p10).toBeCloseTo(mc.npv.p10, 6);
    expect(r.band.npv.p50).toBeCloseTo(mc.npv.p50, 6);
    expect(r.band.npv.p90).toBeCloseTo(mc.npv.p90, 6);
    expect(r.band.paybackMonths.p50).toBeCloseTo(mc.paybackMonths.p50, 6);
    expect(r.band.chancePositive).toBe(mc.chancePositive);
    expect(r.band.neverPayBack).toBe(mc.neverPayBack);
    for (const m of r.band.months) expect(m.p10).toBeLessThanOrEqual(m.p90);
    const t = performance.now();
    roiReport({ basis: BASIS, assumptions: DEFAULT_ASSUMPTIONS, stores: 20, draws: 2000 });
    console.info(`report with 2,000 draws and 20 stores: ${(performance.now() - t).toFixed(0)} ms`);
  });

  it('says whether it pays and how sure that is', () => {
    const r = roiReport({ basis: BASIS, assumptions: withValues({ discountRate: 0, horizonMonths: 36 }), stores: 10, draws: 500 });
    const s = r.sentences;
    expect(s.payback).toMatch(new RegExp(`^Pays back in ${months(r.store.paybackMonths).replace('.', '\\.')} \\(P10–P90: `));
    expect(s.npv).toContain(`NPV over 36 months ${money(r.store.npv, 'USD', true)} at 0.0 % a year; positive in`);
    expect(s.rollout).toContain('Rolled out to 10 stores');
    expect(s.drivers).toMatch(/^What moves the answer most: /);
    expect(s.verdict).toMatch(/^Pays/);
    const never = roiReport({ basis: withDetection(BASIS, { lossCaught: 0, recordsCovered: 0 }), assumptions: DEFAULT_ASSUMPTIONS, stores: 1, draws: 200 });
    expect(never.sentences.payback).toMatch(/^Does not pay back within the 36-month horizon/);
    expect(never.sentences.verdict).toMatch(/^Does not pay/);
    expect(never.sentences.detection).toContain('entered by the analyst');
  });

  it('formats money to the hundred and months to the month', () => {
    expect(money(14_236, 'USD', true)).toBe('USD +14,200');
    expect(money(-3_149, 'USD', true)).toBe('USD −3,100');
    expect(money(950.4, 'EUR')).toBe('EUR 950');
    expect(months(17.4)).toBe('17 months');
    expect(months(4.56)).toBe('4.6 months');
    expect(months(Number.POSITIVE_INFINITY)).toBe('never');
  });

  it('refuses a rollout of no stores', () => {
    expect(() => roiReport({ basis: BASIS, assumptions: DEFAULT_ASSUMPTIONS, stores: 0 })).toThrow(/stores must be/);
  });
});

describe('the basis', () => {
  const plan = {
    store: 'S1', currency: 'USD', budget: 5000, spent: 4200, existing: 'keep' as const,
    before: { fill: 0.4, weighed: 1, zonesRead: 0.5 }, after: { fill: 0.7, weighed: 1, zonesRead: 0.8 },
    devices: [{ kind: 'camera', cost: 700 }, { kind: 'camera', cost: 700 }, { kind: 'rfid', cost: 2800 }],
  };

  it('takes a plan\'s devices and what its coverage adds as the detection proxy', () => {
    const b = basisOfPlan(plan as never, 'Plan 1');
    expect(b.devices).toEqual({ cameras: 2, rfidReaders: 1, smartShelves: 0, capex: 4200 });
    // Mean of what it adds: (0.3 + 0 + 0.3) / 3 = 0.2.
    expect(b.detection.lossCaught).toBeCloseTo(0.2, 12);
    expect(b.label).toBe('Plan 1: 2 cameras, 1 RFID reader for USD 4,200 (added to what the store has)');
    expect(b.detectionSource).toMatch(/^proxy/);
    // From scratch, what it reaches: (0.7 + 1 + 0.8) / 3.
    expect(basisOfPlan({ ...plan, existing: 'replace' } as never).detection.recordsCovered).toBeCloseTo(2.5 / 3, 12);
  });

  it('reads a plan file, listing every problem of a bad one', () => {
    const ok = readPlanFile(JSON.parse(JSON.stringify({ version: 1, ...plan })));
    expect(ok.ok && ok.plan.devices).toHaveLength(3);
    const bad = readPlanFile({ version: 2, store: '', currency: 'USD', budget: -1, spent: 1, existing: 'maybe', before: {}, after: { fill: 2 }, devices: [{ kind: 'drone', cost: 1 }] });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.map((p) => p.path)).toEqual(['version', 'store', 'budget', 'existing', 'after.fill', 'devices[0].kind']);
  });

  it('prices a layout\'s devices bought new', () => {
    const parsed = parseLayoutText(readFileSync('scenarios/layouts/apparel-compact.layout.json', 'utf8'));
    if (!parsed.ok) throw new Error('layout');
    const b = basisOfLayout(parsed.layout);
    expect(b.kind).toBe('layout');
    expect(b.devices.capex).toBeGreaterThan(0);
    expect(b.label).toContain('bought new');
  });
});
