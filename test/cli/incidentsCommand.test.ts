/**
 * `twin incidents` on a day of the theft-heavy scenario (simulated once into a temp folder):
 * the incidents as a table and as JSON, and a bad rules file refused with every problem.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Custody } from '../../src/rules/custody';
import type { Incident } from '../../src/rules/Incident';
import { runTwin } from './runTwin';

const ROOT = join(import.meta.dirname, '../..');
const LAYOUT = join(ROOT, 'scenarios/layouts/gm-large.layout.json');
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twin-incidents-'));
  const r = await runTwin('simulate', '--scenario', join(ROOT, 'scenarios/theft-heavy-gm.scenario.json'), '--days', '1', '--out', dir).done;
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('twin incidents', () => {
  it('lists the incidents as JSON, each with its alerts', async () => {
    const r = await runTwin('incidents', '--layout', LAYOUT, '--recording', join(dir, 'recording.jsonl'), '--format', 'json').done;
    expect(r.code, r.stderr).toBe(0);
    const incidents = JSON.parse(r.stdout) as Incident[];
    expect(incidents.length).toBeGreaterThan(0);
    for (const i of incidents) {
      expect(i.alerts.length).toBeGreaterThan(0);
      expect(i.store).toBe('store-042');
      expect(i.status).toBe('open');
      expect(i.detectedAt).toBeGreaterThanOrEqual(i.from);
    }
    expect(incidents.some((i) => i.suspect === 'theft')).toBe(true);
    // Each with its chain of custody, read from the recording in an event store.
    const theft = incidents.find((i) => i.suspect === 'theft') as Incident & { custody: Custody };
    expect(theft.custody).toMatchObject({ store: 'store-042', incident: theft.id });
    expect(theft.custody.what.sku).toBe(theft.sku);
    expect(theft.custody.who.length).toBeGreaterThan(0);
    expect(theft.custody.who.map((p) => p.badge)).toEqual(expect.arrayContaining([...theft.badges]));
  }, 60_000);

  it('prints a table by default, and runs a rules file (a rule turned off is not raised)', async () => {
    const rules = join(dir, 'quiet.rules.json');
    writeFileSync(rules, JSON.stringify({ version: 1, rules: { unscanned_move: { enabled: false }, count_mismatch: { enabled: false } } }));
    const r = await runTwin('incidents', '--layout', LAYOUT, '--recording', join(dir, 'recording.jsonl'), '--rules', rules).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^from\s+severity\s+kind\s+place\s+alerts\s+who\s+cameras \(clear view\)\s+what/);
    expect(r.stdout).toMatch(/\d+ incidents?\n?$/);
    expect(r.stdout).not.toContain('unscanned_move');
  }, 60_000);

  it('refuses a bad rules file with every problem, path: reason', async () => {
    const rules = join(dir, 'bad.rules.json');
    writeFileSync(rules, JSON.stringify({ version: 1, rules: { unscanned_move: { minUnits: -1, colour: 'red' } } }));
    const r = await runTwin('incidents', '--layout', LAYOUT, '--recording', join(dir, 'recording.jsonl'), '--rules', rules).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rules.unscanned_move.minUnits: must be at least 0');
    expect(r.stderr).toContain('rules.unscanned_move.colour: is not a known parameter');
  });

  it('needs --layout and --recording', async () => {
    const r = await runTwin('incidents', '--layout', LAYOUT).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--recording FILE is required');
  });
});
