/**
 * The placement planner on rooms whose optimum is known: two shelves facing each other and
 * cameras that each see one of them; the budget, locks and excluded zones; greedy against the
 * exact integer program (HiGHS) on small random instances (never better than it, and within
 * 1 - 1/e); explanations; and the planned layout, which loads and whose coverage agrees.
 */
import { describe, expect, it } from 'vitest';
import type { Camera } from '../../src/layout/Layout';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayout } from '../../src/layout/parseLayout';
import { coverageOf } from '../../src/planning/coverage';
import { exactPlan } from '../../src/planning/exactPlan';
import { lazyGreedy } from '../../src/planning/greedy';
import { bestQuality, cameraDevice } from '../../src/planning/objective';
import { layoutWithPlan, planPlacement } from '../../src/planning/planPlacement';
import { DEFAULT_PRICES } from '../../src/planning/prices';
import { DEFAULT_WEIGHTS } from '../../src/planning/weights';

/** A store that cares only about its slots (the floor weighs nothing), so the optimum is plain to see. */
const SLOTS_ONLY = { ...DEFAULT_WEIGHTS, floorPerM2: 0 };

const cam = (id: string, position: [number, number, number], yaw: number, extra: Partial<Camera> = {}): Camera => ({
  id, position, yaw, pitch: 0, hfov: 90, resolution: [2560, 1440], ...extra,
});

const slots = (shelf: string) => [0, 1, 2, 3].map((i) => ({ id: `${shelf}-${i}`, level: 0, index: i, sku: i === 0 ? 'HV' : 'K', capacity: 5 }));

/** 16 x 10 m: shelf N (front faces south, y 7.75) and shelf S (front faces north, y 2.25), 4 m wide, 4 slots each; a cage zone in the east. */
function room(cameras: Camera[] = []): LayoutIndex {
  const r = parseLayout({
    version: 1, store: 's-place', name: 'Two shelves', timezone: 'UTC', hours: { open: '07:00', close: '22:00' },
    room: { outline: [[0, 0], [16, 0], [16, 10], [0, 10]], height: 4 },
    skus: [{ id: 'K', name: 'Thing', unitGrams: 100, unitCost: 1, unitPrice: 2 }, { id: 'HV', name: 'Gem', unitGrams: 10, unitCost: 50, unitPrice: 90, highValue: true }],
    zones: [
      { id: 'main', kind: 'replenishment', outline: [[0, 0], [12, 0], [12, 10], [0, 10]] },
      { id: 'cage', kind: 'high_value', outline: [[12, 0], [16, 0], [16, 10], [12, 10]], restricted: true, roles: ['manager'] },
    ],
    shelves: [
      { id: 'N', zone: 'main', position: [6, 8], yaw: 0, size: [4, 0.5, 1.5], levels: 1, slots: slots('N') },
      { id: 'S', zone: 'main', position: [6, 2], yaw: 180, size: [4, 0.5, 1.5], levels: 1, slots: slots('S') },
    ],
    doors: [], rfid: [], cameras, obstacles: [],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return new LayoutIndex(r.layout);
}

/** A sees N's face square-on, B sees S's, C sees N from far off at a slant (worse than A). */
const A = cam('A', [6, 4.5, 0.75], 90);
const B = cam('B', [6, 5.5, 0.75], -90);
const C = cam('C', [1, 3, 0.75], 45, { resolution: [1280, 720] });
const pose = (c: Camera) => [c.position, c.yaw, c.pitch];

describe('planPlacement', () => {
  it('with money for two cameras, picks the two that see one shelf each, and explains them', () => {
    const { plan } = planPlacement(room(), { budget: 1400, existing: 'replace', kinds: ['camera'], candidates: { cameras: [C, A, B] }, weights: SLOTS_ONLY, localSearch: false });
    expect(plan.devices.map((d) => d.candidate).sort()).toEqual(['A', 'B']);
    expect(plan.spent).toBe(1400);
    expect(plan.devices.every((d) => d.cost === DEFAULT_PRICES.camera + DEFAULT_PRICES.cameraInstall)).toBe(true);
    // Each adds half the slot faces (4 of 8) at the fill-level density, and says so.
    for (const d of plan.devices) {
      expect(d.adds.fill).toBeCloseTo(0.5, 3);
      expect(d.explanation).toMatch(new RegExp(`^${d.id} adds `));
      expect(d.explanation).toContain('50 % of slot faces judgeable for fill level');
    }
    expect(plan.after.fill).toBe(1);
    expect(plan.objective.after).toBeGreaterThan(plan.objective.before);
    expect(plan.devices.reduce((a, d) => a + d.share, 0)).toBeCloseTo(1, 2);
  });

  it('keeps within the budget: money for one camera buys one', () => {
    const { plan } = planPlacement(room(), { budget: 1399, existing: 'replace', kinds: ['camera'], candidates: { cameras: [C, A, B] }, localSearch: false });
    expect(plan.devices).toHaveLength(1);
    expect(plan.spent).toBeLessThanOrEqual(1399);
  });

  it('a locked device is in the plan and its cost counts; a camera already installed is kept for free', () => {
    const locked = planPlacement(room(), { budget: 1400, existing: 'replace', kinds: ['camera'], candidates: { cameras: [C, A, B] }, lock: ['C'], localSearch: false }).plan;
    expect(locked.devices.map((d) => d.candidate)).toContain('C');
    expect(locked.devices.find((d) => d.candidate === 'C')!.locked).toBe(true);
    expect(locked.devices).toHaveLength(2);
    const kept = planPlacement(room([A]), { budget: 700, kinds: ['camera'], candidates: { cameras: [C, B] }, weights: SLOTS_ONLY, localSearch: false }).plan;
    expect(kept.devices.map((d) => d.candidate)).toEqual(['B']);
    expect(kept.before.fill).toBeCloseTo(0.5, 3);
    expect(kept.after.fill).toBe(1);
    expect(() => planPlacement(room(), { budget: 100, existing: 'replace', kinds: ['camera'], candidates: { cameras: [A] }, lock: ['A'] })).toThrow(/more than the budget/);
    expect(() => planPlacement(room(), { budget: 100, lock: ['nope'] })).toThrow(/not a candidate/);
  });

  it('mounts nothing in an excluded zone, and an RFID antenna goes where tags matter most', () => {
    const { plan } = planPlacement(room(), { budget: 20_000, excludeZones: ['cage'] });
    const cage = room().zones.get('cage')!;
    for (const d of plan.devices) {
      if (d.camera) expect(d.camera.position[0]).toBeLessThan(12);
      expect(d.zone).not.toBe(cage.id);
    }
    const rfid = planPlacement(room(), { budget: DEFAULT_PRICES.rfidReader, kinds: ['rfid'] }).plan;
    // The restricted cage's tags weigh three times the main zone's.
    expect(rfid.devices.map((d) => d.zone)).toEqual(['cage']);
  });

  it('local search only ever improves a pose, and moves a camera that was aimed badly', () => {
    const skewed = cam('skew', [6, 4.5, 0.75], 90 + 40);
    const without = planPlacement(room(), { budget: 700, existing: 'replace', kinds: ['camera'], candidates: { cameras: [skewed] }, localSearch: false }).plan;
    const withSearch = planPlacement(room(), { budget: 700, existing: 'replace', kinds: ['camera'], candidates: { cameras: [skewed] } }).plan;
    expect(withSearch.objective.after).toBeGreaterThan(without.objective.after);
    expect(pose(withSearch.devices[0]!.camera!)).not.toEqual(pose(skewed));
  });

  it('the planned layout loads, and its coverage agrees with the plan', () => {
    const base = room();
    const { plan } = planPlacement(base, { budget: 3000, existing: 'keep' });
    const out = layoutWithPlan(base.layout, plan);
    const r = parseLayout(JSON.parse(JSON.stringify(out)));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.layout.cameras.length).toBe(plan.devices.filter((d) => d.kind === 'camera').length);
    const cov = coverageOf(new LayoutIndex(r.layout));
    expect(cov.totals.slotsFill / cov.totals.slots).toBeCloseTo(plan.after.fill, 3);
    expect(cov.totals.highValueSlotsProduct / cov.totals.highValueSlots).toBeCloseTo(plan.after.highValueProduct, 3);
  });
});

describe('greedy against the exact optimum (HiGHS)', () => {
  it('finds the known optimum on the two-shelf room', async () => {
    const run = planPlacement(room(), { budget: 1400, existing: 'replace', kinds: ['camera'], candidates: { cameras: [C, A, B] }, weights: SLOTS_ONLY, localSearch: false });
    const obj = run.objective;
    const candidates = [C, A, B].map((c) => cameraDevice(obj, c, 700));
    const exact = await exactPlan(obj, candidates, 1400, bestQuality(obj, []));
    expect(exact.status).toBe('Optimal');
    expect([...exact.chosen].sort()).toEqual(['A', 'B']);
    expect(exact.gain).toBeCloseTo(run.plan.objective.after - run.plan.objective.before, 2);
  });

  it('is never better than the exact answer and within 1 - 1/e of it, on small random rooms', async () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const layout = room();
    let worst = 1;
    for (let trial = 0; trial < 12; trial++) {
      const cams = Array.from({ length: 9 }, (_, i) => cam(`r${i}`, [0.5 + rand() * 15, 0.5 + rand() * 9, 1 + rand() * 2.5], rand() * 360 - 180, { pitch: -rand() * 40, hfov: 50 + rand() * 60 }));
      const budget = 700 * (1 + Math.floor(rand() * 3));
      const run = planPlacement(layout, { budget, existing: 'replace', kinds: ['camera'], candidates: { cameras: cams }, localSearch: false });
      const all = cams.map((c) => cameraDevice(run.objective, c, 700));
      const base = bestQuality(run.objective, []);
      const greedy = lazyGreedy(run.objective, all, budget, base);
      const exact = await exactPlan(run.objective, all, budget, base);
      expect(exact.status).toBe('Optimal');
      expect(greedy.gain).toBeLessThanOrEqual(exact.gain + 1e-6);
      if (exact.gain > 0) worst = Math.min(worst, greedy.gain / exact.gain);
    }
    expect(worst).toBeGreaterThanOrEqual(1 - 1 / Math.E);
  });
});
