/**
 * `twin plan compare`: today's large back room against the layout a 5000 budget plan writes
 * (`twin place --out`), on a day of the theft-heavy scenario: the planned side has more
 * cameras, costs more, sees more and catches at least as many thefts by camera; its
 * detection value is the library's; plan files, truth files and mistakes on the command line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../../sim/Simulator';
import type { TruthRecord } from '../../sim/world/Truth';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseScenarioText } from '../../sim/scenario/parseScenario';
import { parseLayout } from '../../src/layout/parseLayout';
import type { Comparison } from '../../src/cli/planCommand';
import { detectionValueOf } from '../../src/planning/detectionValue';
import { twin } from './runTwin';

const ROOT = join(import.meta.dirname, '../..');
const LARGE = join(ROOT, 'scenarios/layouts/gm-large.layout.json');
const SCENARIO = join(ROOT, 'scenarios/theft-heavy-gm.scenario.json');

let dir: string;
let planned: string;
let planFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twin-plan-'));
  planned = join(dir, 'planned.layout.json');
  planFile = join(dir, 'plan.json');
  const r = await twin('place', '--layout', LARGE, '--budget', '5000', '--out', planned);
  expect(r.code, r.stderr).toBe(0);
  writeFileSync(planFile, r.stdout);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const index = (path: string) => {
  const r = parseLayout(JSON.parse(readFileSync(path, 'utf8')));
  if (!r.ok) throw new Error(path);
  return new LayoutIndex(r.layout);
};

describe('twin plan compare, two layouts and a scenario', () => {
  let cmp: Comparison;
  beforeAll(async () => {
    const r = await twin('plan', 'compare', LARGE, planned, '--scenario', SCENARIO, '--days', '1', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    cmp = JSON.parse(r.stdout) as Comparison;
  }, 120_000);

  it('gives the planned layout more cameras, a higher cost and more coverage, with B - A', () => {
    const { a, b, difference } = cmp;
    expect([a.type, b.type]).toEqual(['layout', 'layout']);
    expect(b.devices.cameras).toBeGreaterThan(a.devices.cameras);
    expect(b.cost.total).toBeGreaterThan(a.cost.total);
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { spent: number; devices: { kind: string }[] };
    // Only cameras were added: the extra cost is the plan's spend, camera by camera at the default prices.
    expect(b.devices.cameras - a.devices.cameras).toBe(plan.devices.filter((d) => d.kind === 'camera').length);
    expect(b.cost.total - a.cost.total).toBe(plan.spent);
    expect(a.cost.cameras).toBe(a.devices.cameras * (450 + 250));
    expect(a.devices.smartShelves).toBe(91);
    expect(a.cost.smartShelves).toBe(91 * 150 + 850 * 35);
    expect(b.coverage!.slotsFill).toBeGreaterThan(a.coverage!.slotsFill);
    expect(difference).toMatchObject({
      devices: { cameras: b.devices.cameras - a.devices.cameras },
      cost: { total: b.cost.total - a.cost.total },
      coverage: { slotsFill: b.coverage!.slotsFill - a.coverage!.slotsFill },
    });
  });

  it('judges both sides on the same truth; B catches at least as many thefts by camera; the library agrees', () => {
    const { a, b, truth } = cmp;
    expect(truth).toMatchObject({ source: 'scenario', days: 1, seed: 101 });
    const theftA = a.detection!.kinds.find((k) => k.kind === 'theft')!;
    const theftB = b.detection!.kinds.find((k) => k.kind === 'theft')!;
    expect(theftA.records).toBeGreaterThan(0);
    expect(theftB.records).toBe(theftA.records);
    expect(theftB.caught.camera).toBeGreaterThanOrEqual(theftA.caught.camera);
    expect(b.detection!.total.caught.camera).toBeGreaterThanOrEqual(a.detection!.total.caught.camera);
    expect(Object.keys(theftA)).toEqual(expect.arrayContaining(['kind', 'records', 'noPlace', 'caught', 'units', 'value']));
    expect(Object.keys(theftA.caught)).toEqual(['camera', 'smartShelf', 'rfid', 'any']);

    const s = parseScenarioText(readFileSync(SCENARIO, 'utf8'));
    if (!s.ok) throw new Error('scenario');
    const records: TruthRecord[] = [...new Simulator(index(LARGE), { ...s.scenario, days: 1 }, { recording: () => {} }).run().truth];
    expect(records).toHaveLength(truth!.records);
    expect(a.detection).toEqual(JSON.parse(JSON.stringify(detectionValueOf(index(LARGE), records))));
    expect(b.detection).toEqual(JSON.parse(JSON.stringify(detectionValueOf(index(planned), records))));
  });

  it('prints a table for people', async () => {
    const r = await twin('plan', 'compare', LARGE, planned, '--scenario', SCENARIO, '--days', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cameras\s+\d+\s+\d+\s+\+\d+$/m);
    expect(r.stdout).toMatch(/^cost: total\s+USD [\d,]+\s+USD [\d,]+\s+\+4,\d00$/m);
    expect(r.stdout).toMatch(/detection value against .*theft-heavy-gm\.scenario\.json \(seed 101, 1 day\): \d+ truth records/);
    expect(r.stdout).toMatch(/^theft\s+\d+\s+0\s+\d+ → \d+/m);
    expect(r.stdout).toMatch(/^all\s/m);
  });
});

describe('twin plan compare, other inputs', () => {
  it('reads a truth file', async () => {
    const truth = join(dir, 'truth.jsonl');
    const lines: TruthRecord[] = [
      { kind: 'theft', subtype: 'after_hours', ts: '2026-11-16T23:00:00.000Z', sku: 'hv-speaker', units: 3, slot: 'HV-IW2-L0-1', shelf: 'HV-IW2', zone: 'cage' },
      { kind: 'bad_message', ts: '2026-11-16T23:00:00.000Z', topic: 'x', reason: 'not_json' },
    ];
    writeFileSync(truth, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = await twin('plan', 'compare', LARGE, planned, '--truth', truth, '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const cmp = JSON.parse(r.stdout) as Comparison;
    expect(cmp.truth).toEqual({ source: 'truth', file: truth, records: 2 });
    expect(cmp.a.detection!.total).toMatchObject({ records: 2, noPlace: 1 });
    // The cage's reader and its shelves catch the theft in both layouts.
    expect(cmp.a.detection!.kinds[0]!.caught).toMatchObject({ smartShelf: 1, rfid: 1, any: 1 });
  });

  it('shows a plan file with its own spend and measures, and says its layout is needed for the rest', async () => {
    const r = await twin('plan', 'compare', LARGE, planFile, '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const cmp = JSON.parse(r.stdout) as Comparison;
    expect(cmp.b.type).toBe('plan');
    expect(cmp.b.coverage).toBeNull();
    expect(cmp.b.detection).toBeNull();
    expect(cmp.b.plan!.spent).toBe(cmp.b.cost.total);
    expect(cmp.b.plan!.after.fill).toBeGreaterThan(cmp.b.plan!.before.fill);
    expect(cmp.difference).toBeNull();
    expect(cmp.notes.join('\n')).toMatch(/--out/);
  });

  it('refuses mistakes with one line and exit code 2', { timeout: 60_000 }, async () => {
    const one = await twin('plan', 'compare', LARGE);
    expect(one.code).toBe(2);
    expect(one.stderr.trim().split('\n')).toHaveLength(1);
    expect(one.stderr).toMatch(/^twin plan: usage: twin plan compare A B .*need A and B/);
    const both = await twin('plan', 'compare', LARGE, planned, '--scenario', SCENARIO, '--truth', 'x.jsonl');
    expect([both.code, both.stderr.trim()]).toEqual([2, 'twin plan: give --scenario FILE or --truth FILE, not both']);
    const days = await twin('plan', 'compare', LARGE, planned, '--days', '2');
    expect([days.code, days.stderr.trim()]).toEqual([2, 'twin plan: --seed and --days go with --scenario FILE']);
    const sub = await twin('plan', 'show');
    expect([sub.code, sub.stderr.trim()]).toEqual([2, 'twin plan: unknown plan command "show" (try: twin plan compare A B)']);
  });

  it('lists the problems of a layout that does not load', { timeout: 60_000 }, async () => {
    const bad = join(dir, 'bad.layout.json');
    const json = JSON.parse(readFileSync(LARGE, 'utf8')) as { shelves: { zone: string }[]; cameras: { id: string }[] };
    json.shelves[0]!.zone = 'nowhere';
    json.cameras[1]!.id = json.cameras[0]!.id;
    writeFileSync(bad, JSON.stringify(json));
    const r = await twin('plan', 'compare', LARGE, bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/layout .*bad\.layout\.json is not valid/);
    expect(r.stderr).toMatch(/zone "nowhere"/);
    expect(r.stderr).toMatch(/duplicate|already/i);
  });
});
