/**
 * `twin roi`: the business case of a plan from `twin place` (the apparel layout, a small
 * budget) with the default assumptions, the example assumptions file and a changed one, a
 * layout's devices bought new, and a bad assumptions file listed problem by problem.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { twin } from './runTwin';

const ROOT = join(import.meta.dirname, '../..');
const LAYOUT = join(ROOT, 'scenarios/layouts/apparel-compact.layout.json');
const EXAMPLE = join(ROOT, 'scenarios/roi/default.assumptions.json');

describe('twin roi', () => {
  let dir: string;
  let plan: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'twin-roi-'));
    const r = await twin('place', '--layout', LAYOUT, '--budget', '3000');
    expect(r.code, r.stderr).toBe(0);
    plan = join(dir, 'plan.json');
    writeFileSync(plan, r.stdout);
  }, 120_000);

  it('prints TCO, NPV, IRR, payback, the rollout, the tornado and the band for a plan', async () => {
    const r = await twin('roi', '--plan', plan, '--stores', '5', '--draws', '300');
    expect(r.code, r.stderr).toBe(0);
    for (const s of ['TCO over 36 months', 'NPV', 'IRR', 'payback', 'Rollout to 5 stores', "What moves one store's NPV most", 'Monte Carlo over the ranges (300 draws']) expect(r.stdout).toContain(s);
  }, 90_000);

  it('reads an assumptions file: the example gives the defaults, a changed value moves the answer', async () => {
    const [plain, example] = await Promise.all([twin('roi', '--plan', plan, '--format', 'json', '--draws', '200'), twin('roi', '--plan', plan, '--assumptions', EXAMPLE, '--format', 'json', '--draws', '200')]);
    expect(example.code, example.stderr).toBe(0);
    const a = JSON.parse(plain.stdout), b = JSON.parse(example.stdout);
    expect(b.store.npv).toBeCloseTo(a.store.npv, 6);
    expect(b.assumptions).toEqual(a.assumptions);
    const more = join(dir, 'more-shrink.assumptions.json');
    writeFileSync(more, JSON.stringify({ version: 1, shrinkRate: 0.03, salesPerMonth: { value: 1_000_000, source: 'our P&L' } }));
    const c = JSON.parse((await twin('roi', '--plan', plan, '--assumptions', more, '--format', 'json', '--draws', '200')).stdout);
    expect(c.store.benefits.shrinkAvoided).toBeGreaterThan(a.store.benefits.shrinkAvoided);
    expect(c.assumptions.salesPerMonth.source).toBe('our P&L');
    expect(c.rollout.stores).toHaveLength(10);
  }, 90_000);

  it('prices a layout\'s devices bought new', async () => {
    const r = await twin('roi', '--layout', LAYOUT, '--stores', '3', '--draws', '200', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.basis.kind).toBe('layout');
    expect(out.store.upfront).toBeGreaterThan(out.basis.devices.capex);
    expect(out.rollout.stores).toHaveLength(3);
  }, 90_000);

  it('lists every problem of a bad assumptions file, and other mistakes, with exit 2', async () => {
    const bad = join(dir, 'bad.assumptions.json');
    writeFileSync(bad, JSON.stringify({ version: 2, shrinkRate: 1.5, theftShare: 0.2, grossMargin: { value: 0.3, low: 0.5 }, iraWith: 0.5 }));
    const runs = await Promise.all([
      twin('roi', '--plan', plan, '--assumptions', bad),
      twin('roi'),
      twin('roi', '--plan', plan, '--stores', 'many'),
      twin('roi', '--plan', plan, '--seed', '3'),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    const lines = runs[0]!.stderr.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim().split(':')[0]);
    expect(lines).toEqual(['version', 'shrinkRate', 'theftShare', 'grossMargin.low', 'iraWith']);
    expect(runs[1]!.stderr).toMatch(/usage: twin roi/);
    expect(runs[2]!.stderr).toMatch(/--stores must be a whole number/);
    expect(runs[3]!.stderr).toMatch(/go with --scenario/);
  }, 90_000);

  it('with --scenario, takes what the devices catch from the scenario\'s detection value', async () => {
    const scenario = join(ROOT, 'scenarios/baseline-apparel.scenario.json');
    const r = await twin('roi', '--layout', LAYOUT, '--scenario', scenario, '--days', '1', '--draws', '200', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.basis.detectionSource).toMatch(/^detection value of .*baseline-apparel\.scenario\.json \(seed 7, 1 days/);
    expect(out.basis.detection.lossCaught).toBeGreaterThanOrEqual(0);
    expect(out.basis.detection.lossCaught).toBeLessThanOrEqual(1);
  }, 90_000);
});
