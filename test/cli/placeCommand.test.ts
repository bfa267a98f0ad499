/**
 * `twin place`: the plan as JSON (devices within the budget, each explained), the planned
 * layout written with --out (it loads, with the new cameras), the exact optimum beside
 * greedy's on a small room, and every problem of a bad prices file listed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLayout } from '../../src/layout/parseLayout';
import type { Plan } from '../../src/planning/planPlacement';
import { PlannerService } from '../../src/planning/PlannerService';
import { runTwin } from './runTwin';

const LARGE = join(import.meta.dirname, '../../scenarios/layouts/gm-large.layout.json');
let dir: string;
let small: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'twin-place-'));
  small = join(dir, 'small.layout.json');
  const slots = (s: string) => [0, 1, 2].map((i) => ({ id: `${s}-${i}`, level: 0, index: i, sku: 'K', capacity: 4 }));
  writeFileSync(small, JSON.stringify({
    version: 1, store: 's-small', name: 'Small room', timezone: 'UTC', hours: { open: '07:00', close: '22:00' },
    room: { outline: [[0, 0], [8, 0], [8, 6], [0, 6]], height: 3.5 },
    skus: [{ id: 'K', name: 'Thing', unitGrams: 100, unitCost: 5, unitPrice: 9 }],
    zones: [{ id: 'z', kind: 'replenishment', outline: [[0, 0], [8, 0], [8, 6], [0, 6]] }],
    shelves: [{ id: 'A', zone: 'z', position: [4, 5], yaw: 0, size: [3, 0.5, 1.8], levels: 1, slots: slots('A') }],
    doors: [], rfid: [], cameras: [], obstacles: [],
  }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('twin place', () => {
  it('plans within the budget as JSON and writes the planned layout, which loads', async () => {
    const out = join(dir, 'planned.layout.json');
    const r = await runTwin('place', '--layout', LARGE, '--budget', '2100', '--out', out).done;
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.store).toBe('store-042');
    expect(plan.spent).toBeLessThanOrEqual(2100);
    expect(plan.devices.length).toBeGreaterThan(0);
    for (const d of plan.devices) expect(d.explanation).toMatch(new RegExp(`^${d.id} adds \\d+ % of `));
    expect(plan.after.fill).toBeGreaterThan(plan.before.fill);
    const written = parseLayout(JSON.parse(readFileSync(out, 'utf8')));
    expect(written.ok).toBe(true);
    if (!written.ok) return;
    const before = parseLayout(JSON.parse(readFileSync(LARGE, 'utf8')));
    if (!before.ok) throw new Error('layout');
    const newCams = plan.devices.filter((d) => d.kind === 'camera').map((d) => d.id);
    expect(written.layout.cameras.map((c) => c.id)).toEqual([...before.layout.cameras.map((c) => c.id), ...newCams]);
    expect(r.stderr).toMatch(/wrote .*planned\.layout\.json/);
  });

  it('gives the same plan as the workbench\'s planner worker for the same layout and budget', async () => {
    const compact = join(import.meta.dirname, '../../scenarios/layouts/apparel-compact.layout.json');
    const r = await runTwin('place', '--layout', compact, '--budget', '2100').done;
    expect(r.code, r.stderr).toBe(0);
    const page = new PlannerService().plan({ layoutText: readFileSync(compact, 'utf8'), budget: 2100 }).plan;
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(page)));
  });

  it('solves the exact optimum beside greedy on a small room, and prints a table', async () => {
    const r = await runTwin('place', '--layout', small, '--budget', '1400', '--kinds', 'camera', '--existing', 'replace', '--wall-spacing', '4', '--ceiling-spacing', '0', '--exact', '--format', 'table').done;
    expect(r.code, r.stderr).toBe(0);
    const m = /exact optimum \(HiGHS\) gains ([\d.]+); greedy gains ([\d.]+): (\d+) % of it/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![2])).toBeLessThanOrEqual(Number(m![1]) + 1e-3);
    expect(Number(m![3])).toBeGreaterThanOrEqual(63);
    expect(r.stdout).toMatch(/^new-cam-1\s+camera/m);
  });

  it('weighs slots by a recording\'s losses and movements, and chooses only among given candidate poses', async () => {
    const sim = join(dir, 'sim');
    const simulated = await runTwin('simulate', '--scenario', join(import.meta.dirname, '../../scenarios/baseline-apparel.scenario.json'), '--days', '1', '--out', sim).done;
    expect(simulated.code, simulated.stderr).toBe(0);
    const compact = join(import.meta.dirname, '../../scenarios/layouts/apparel-compact.layout.json');
    const weighted = await runTwin('place', '--layout', compact, '--budget', '700', '--recording', join(sim, 'recording.jsonl')).done;
    expect(weighted.code, weighted.stderr).toBe(0);
    expect(weighted.stderr).toMatch(/weighted \d+ slots by their losses and movements in .*recording\.jsonl \(most: \S+ x[\d.]+\)/);
    expect((JSON.parse(weighted.stdout) as Plan).devices).toHaveLength(1);

    const layout = JSON.parse(readFileSync(compact, 'utf8')) as { cameras: { id: string; yaw: number }[] };
    // Today's first two cameras turned round: poses that see what today's cameras do not.
    const poses = layout.cameras.slice(0, 2).map((c, i) => ({ ...c, id: `given-${i}`, yaw: c.yaw + 150 }));
    const file = join(dir, 'candidates.json');
    writeFileSync(file, JSON.stringify(poses));
    const given = await runTwin('place', '--layout', compact, '--budget', '1400', '--kinds', 'camera', '--candidates', file).done;
    expect(given.code, given.stderr).toBe(0);
    const candidates = (JSON.parse(given.stdout) as Plan).devices.map((d) => d.candidate.split('~')[0]);
    expect(candidates.length).toBeGreaterThan(0);
    for (const c of candidates) expect(['given-0', 'given-1']).toContain(c);
    writeFileSync(file, JSON.stringify([{ id: 'bad id', position: [1, 2], yaw: 'north' }]));
    const bad = await runTwin('place', '--layout', compact, '--budget', '700', '--candidates', file).done;
    expect(bad.code).toBe(2);
    for (const field of ['[0].id', '[0].position', '[0].yaw', '[0].resolution']) expect(bad.stderr).toContain(field);
  }, 120_000);

  it('refuses --exact on a room with too many candidates, and lists every problem of a bad prices file', async () => {
    const big = await runTwin('place', '--layout', LARGE, '--budget', '700', '--exact').done;
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/--exact solves rooms with at most 80 candidates; this one has \d+/);
    const prices = join(dir, 'bad.prices.json');
    writeFileSync(prices, JSON.stringify({ camera: -1, currency: 'dollars', lens: 3 }));
    const bad = await runTwin('place', '--layout', small, '--budget', '700', '--prices', prices).done;
    expect(bad.code).toBe(2);
    for (const field of ['camera:', 'currency:', 'lens:']) expect(bad.stderr).toContain(field);
  });
});
