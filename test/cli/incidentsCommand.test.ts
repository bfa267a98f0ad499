/**
 * `twin incidents` on a day of the theft-heavy scenario (simulated once into a temp folder):
 * the incidents as a table and as JSON, the nearest recorded camera frame in custody (frames
 * added to the recording), and a bad rules file refused with every problem.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLayout } from '../../src/cli/files';
import { camerasSeeing } from '../../src/layout/cameraCoverage';
import type { Custody } from '../../src/rules/custody';
import type { Incident } from '../../src/rules/Incident';
import { runTwin } from './runTwin';

const ROOT = join(import.meta.dirname, '../..');
const LAYOUT = join(ROOT, 'scenarios/layouts/gm-large.layout.json');
let dir: string;
/** `twin incidents --format json` on the day's recording, run once: a day of gm-large is 1.2 M messages. */
let json: { code: number | null; stdout: string; stderr: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twin-incidents-'));
  const r = await runTwin('simulate', '--scenario', join(ROOT, 'scenarios/theft-heavy-gm.scenario.json'), '--days', '1', '--out', dir).done;
  expect(r.code, r.stderr).toBe(0);
  json = await runTwin('incidents', '--layout', LAYOUT, '--recording', join(dir, 'recording.jsonl'), '--format', 'json').done;
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('twin incidents', () => {
  it('lists the incidents as JSON, each with its alerts', () => {
    const r = json;
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
  });

  it('prints a table by default, and runs a rules file (a rule turned off is not raised)', async () => {
    const rules = join(dir, 'quiet.rules.json');
    writeFileSync(rules, JSON.stringify({ version: 1, rules: { unscanned_move: { enabled: false }, count_mismatch: { enabled: false } } }));
    const r = await runTwin('incidents', '--layout', LAYOUT, '--recording', join(dir, 'recording.jsonl'), '--rules', rules).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^from\s+severity\s+kind\s+place\s+alerts\s+who\s+cameras \(clear view\)\s+what/);
    expect(r.stdout).toMatch(/\d+ incidents?\n?$/);
    expect(r.stdout).not.toContain('unscanned_move');
  }, 120_000);

  it('refuses a bad rules file with every problem, path: reason', async () => {
    const rules = join(dir, 'bad.rules.json');
    writeFileSync(rules, JSON.stringify({ version: 1, rules: { unscanned_move: { minUnits: -1, colour: 'red' } } }));
    const r = await runTwin('incidents', '--layout', LAYOUT, '--recording', join(dir, 'recording.jsonl'), '--rules', rules).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rules.unscanned_move.minUnits: must be at least 0');
    expect(r.stderr).toContain('rules.unscanned_move.colour: is not a known parameter');
  });

  it('gives each camera that sees the place the recorded frame nearest the incident, and no other camera\'s', async () => {
    const layout = loadLayout(LAYOUT);
    const recording = join(dir, 'recording.jsonl');
    // An incident at a slot some camera sees.
    const seen = (i: Incident) => (i.place.slot ? camerasSeeing(layout, { slot: i.place.slot }).map((c) => c.camera) : []);
    expect(json.code, json.stderr).toBe(0);
    const incident = (JSON.parse(json.stdout) as Incident[]).find((i) => seen(i).length > 0)!;
    expect(incident).toBeDefined();
    const seeing = seen(incident);
    const blind = [...layout.layout.cameras.map((c) => c.id)].find((c) => !seeing.includes(c))!;
    expect(seeing.length).toBeGreaterThan(0);
    // Frames 20 s after the incident's start, one from a camera that sees the slot and one
    // from a camera that does not, each placed among the lines in arrival order.
    const ts = incident.from + 20_000;
    const jpeg = (n: number) => Buffer.from([0xff, 0xd8, 0xff, 0xe0, n, 0xff, 0xd9]).toString('base64');
    const frameLine = (camera: string, n: number) =>
      JSON.stringify({ topic: `backroom/v1/store-042/camera/${camera}/frame`, payload_b64: jpeg(n), qos: 0, props: { ts: new Date(ts).toISOString() }, received: new Date(ts + 100).toISOString() });
    const lines = readFileSync(recording, 'utf8').split('\n').filter((l) => l.trim());
    const after = lines.findIndex((l) => Date.parse((JSON.parse(l) as { received: string }).received) > ts + 100);
    lines.splice(after < 0 ? lines.length : after, 0, frameLine(seeing[0]!, 1), frameLine(blind, 2));
    const withFrames = join(dir, 'with-frames.jsonl');
    writeFileSync(withFrames, lines.join('\n') + '\n');

    const r = await runTwin('incidents', '--layout', LAYOUT, '--recording', withFrames, '--format', 'json').done;
    expect(r.code, r.stderr).toBe(0);
    const found = (JSON.parse(r.stdout) as (Incident & { custody: Custody })[]).find((i) => i.id === incident.id)!;
    const cams = found.custody.cameras;
    expect(cams.map((c) => c.camera)).toEqual(expect.arrayContaining(seeing));
    expect(cams.find((c) => c.camera === seeing[0])!.nearestFrame).toMatchObject({ camera: seeing[0], ts, offsetMs: 20_000, tsSource: 'property', bytes: 7, jpegBase64: jpeg(1) });
    for (const c of cams.filter((x) => x.camera !== seeing[0])) expect(c.nearestFrame, c.camera).toBeNull();
    expect(r.stdout).not.toContain(jpeg(2));
  }, 120_000);

  it('needs --layout and --recording', async () => {
    const r = await runTwin('incidents', '--layout', LAYOUT).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--recording FILE is required');
  });
});

describe('twin incidents with camera frames in the recording', () => {
  const APPAREL = join(ROOT, 'scenarios/layouts/apparel-compact.layout.json');
  let recording: string;
  let d: string;
  afterAll(() => rmSync(d, { recursive: true, force: true }));
  beforeAll(async () => {
    // A day of the compact apparel room with many stuck load cells and a frame from each camera every 20 minutes.
    const scenario = JSON.parse(readFileSync(join(ROOT, 'scenarios/baseline-apparel.scenario.json'), 'utf8'));
    Object.assign(scenario, { layout: APPAREL, days: 1, frames: { intervalSeconds: 1200, width: 1280 } });
    scenario.sensors = { ...scenario.sensors, stuckCellRate: 0.3 };
    d = mkdtempSync(join(tmpdir(), 'twin-incidents-vision-'));
    writeFileSync(join(d, 'vision.scenario.json'), JSON.stringify(scenario));
    const r = await runTwin('simulate', '--scenario', join(d, 'vision.scenario.json'), '--out', d).done;
    expect(r.code, r.stderr).toBe(0);
    recording = join(d, 'recording.jsonl');
  }, 120_000);

  it('judges the frames with the shelf CNN, as the workbench does: fusion\'s findings join the incidents as shelf_vision alerts; --vision off leaves them out', async () => {
    const [on, off] = await Promise.all([
      runTwin('incidents', '--layout', APPAREL, '--recording', recording, '--format', 'json').done,
      runTwin('incidents', '--layout', APPAREL, '--recording', recording, '--format', 'json', '--vision', 'off').done,
    ]);
    expect(on.code, on.stderr).toBe(0);
    expect(off.code, off.stderr).toBe(0);
    const alerts = (out: string) => (JSON.parse(out) as Incident[]).flatMap((i) => i.alerts.map((a) => ({ ...a, incident: i })));
    const vision = alerts(on.stdout).filter((a) => a.rule === 'shelf_vision');
    expect(vision.length).toBeGreaterThan(0);
    for (const a of vision) {
      expect(a.store).toBe('store-017');
      expect(a.place.slot).toBeDefined();
      expect(a.text).toMatch(/^(Load cell looks stuck|Load cell looks to be drifting|Another product on the slot\?|Stock hidden from the load cell\?) /);
    }
    // A stuck cell the CNN saw through: its slot has a load cell the simulator stuck.
    const truth = readFileSync(join(recording, '../truth.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; subtype?: string; slot?: string });
    const stuck = new Set(truth.filter((t) => t.kind === 'sensor_fault' && t.subtype === 'stuck').map((t) => t.slot));
    const stuckAlerts = vision.filter((a) => a.text.startsWith('Load cell looks stuck'));
    expect(stuckAlerts.length).toBeGreaterThan(0);
    for (const a of stuckAlerts) expect(stuck.has(a.place.slot)).toBe(true);
    // Everything else is the same with the CNN off.
    expect(alerts(off.stdout).filter((a) => a.rule === 'shelf_vision')).toEqual([]);
    expect(alerts(off.stdout).map((a) => a.id).sort()).toEqual(alerts(on.stdout).filter((a) => a.rule !== 'shelf_vision').map((a) => a.id).sort());
  }, 120_000);

  it('refuses a --vision that is not auto, on or off', async () => {
    const r = await runTwin('incidents', '--layout', APPAREL, '--recording', recording, '--vision', 'maybe').done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--vision must be auto, on or off, not "maybe"');
  });
});
