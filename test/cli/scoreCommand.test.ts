/**
 * `twin score` on one simulated day: from a scenario in memory (table and JSON), and from a
 * recording and truth that `twin simulate` wrote, which must agree.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassScore } from '../../src/rules/score';
import { runTwin } from './runTwin';

const ROOT = join(import.meta.dirname, '../..');
const SCENARIO = join(ROOT, 'scenarios/theft-heavy-gm.scenario.json');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'twin-score-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('twin score', () => {
  it('scores a scenario day as JSON: per kind tp, fp, fn, precision, recall, median time to detect', async () => {
    const r = await runTwin('score', '--scenario', SCENARIO, '--days', '1', '--format', 'json').done;
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { events: number; scores: ClassScore[] };
    expect(out.scores.map((s) => s.kind)).toEqual(['theft', 'unscanned_move', 'receiving_shortfall', 'device_fault']);
    const theft = out.scores[0]!;
    expect(theft.tp).toBeGreaterThan(0);
    expect(theft.recall).toBe(1);
    expect(theft.precision).toBe(1);
    expect(theft.medianDetectMinutes).toBeGreaterThan(0);
    expect(out.events).toBeGreaterThan(1_000_000);
  }, 90_000);

  it('scores a written recording and truth the same as the scenario run, printed as a table', async () => {
    const sim = await runTwin('simulate', '--scenario', SCENARIO, '--days', '1', '--out', dir).done;
    expect(sim.code, sim.stderr).toBe(0);
    const layout = join(ROOT, 'scenarios/layouts/gm-large.layout.json');
    const [fromFiles, fromScenario] = await Promise.all([
      runTwin('score', '--recording', join(dir, 'recording.jsonl'), '--truth', join(dir, 'truth.jsonl'), '--layout', layout).done,
      runTwin('score', '--scenario', SCENARIO, '--days', '1').done,
    ]);
    expect(fromFiles.code, fromFiles.stderr).toBe(0);
    expect(fromFiles.stdout).toMatch(/^kind\s+tp\s+fp\s+fn\s+blind\s+precision\s+recall\s+median detect \(min\)/);
    expect(fromFiles.stdout).toMatch(/\ntheft\s+\d+\s+0\s+0\s/);
    expect(fromFiles.stdout).toBe(fromScenario.stdout);
  }, 120_000);

  it('refuses --scenario together with --recording, and a partial recording set', async () => {
    const both = await runTwin('score', '--scenario', SCENARIO, '--recording', 'x.jsonl').done;
    expect(both.code).toBe(2);
    const partial = await runTwin('score', '--recording', 'x.jsonl').done;
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('--truth');
  });
});
