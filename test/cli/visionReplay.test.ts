/**
 * The replay file of `twin vision eval --save`: what goes in comes back to the bit (fusion's
 * thresholds are sharp), the layout rides along, and a file that is not one, or is cut short
 * or damaged, is a one-line error naming the file and the line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLayout } from '../../models/shelfDataset';
import type { FusionEvent } from '../../src/inference/fusion';
import { openReplay, ReplayWriter, type ReplayItem, type SlotMark } from '../../src/cli/visionReplay';
import { SCENARIO_DEFAULTS } from '../../sim/scenario/Scenario';
import type { TruthRecord } from '../../sim/world/Truth';
import { writePilotScenario } from './pilotFixture';
import { twin } from './runTwin';

const dir = mkdtempSync(join(tmpdir(), 'twin-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const layout = loadLayout('apparel-compact');
const [slotA, slotB] = [...layout.slots.values()];
const camera = [...layout.cameras.keys()][1]!;
const T = Date.parse('2026-11-16T08:00:00Z');

async function all(file: string): Promise<ReplayItem[]> {
  const { items } = await openReplay(file);
  const out: ReplayItem[] = [];
  for await (const it of items) out.push(it);
  return out;
}

function write(file: string, events: FusionEvent[], marks: Map<string, SlotMark>, truth: TruthRecord[] | null): void {
  const w = new ReplayWriter(file, { store: layout.store, scenario: 'Replay test', seed: 9, days: 1, frameSettings: SCENARIO_DEFAULTS.frames, model: 'models/shelf-cnn' }, layout);
  for (const e of events) w.event(e);
  w.frame(camera, T + 60_000, 0.41, marks);
  if (truth) w.truth(truth);
  w.close();
}

describe('the vision replay file', () => {
  const events: FusionEvent[] = [
    { type: 'units', slot: slotA!.id, ts: T, units: 12, grams: 1920.3 },
    { type: 'units', slot: slotB!.id, ts: T + 1, units: 0 },
    { type: 'sighting', sighting: { slot: slotA!.id, camera, ts: T + 60_000, plannedSku: slotA!.sku, fill: 'half', fillProb: Math.fround(0.7312345), match: false, matchProb: Math.fround(0.0412), light: 0.41, crop: new Uint8Array(8), cropWidth: 64 } },
    { type: 'sighting', sighting: { slot: slotB!.id, camera, ts: T + 60_000, plannedSku: slotB!.sku, fill: 'empty', fillProb: 0.999, match: true, matchProb: 0.97, crop: new Uint8Array(0), cropWidth: 64 } },
  ];
  const marks = new Map<string, SlotMark>([[slotA!.id, { fill: 'half', misplaced: true }], [slotB!.id, { fill: 'empty', misplaced: false, concealed: true }]]);
  const truth: TruthRecord[] = [{ kind: 'misplacement', ts: new Date(T).toISOString(), slot: slotA!.id }];

  it('gives back every event, frame and truth record as written, probabilities to the bit, with the layout and the store from its header', async () => {
    const file = join(dir, 'ok.replay.gz');
    write(file, events, marks, truth);
    const { header, layout: back } = await openReplay(file);
    expect(header).toMatchObject({ format: 'twin-vision-replay', version: 1, store: layout.store, scenario: 'Replay test', seed: 9 });
    expect([...back.slots.keys()]).toEqual([...layout.slots.keys()]);
    const items = await all(file);
    expect(items.map((i) => i.kind)).toEqual(['event', 'event', 'event', 'event', 'frame', 'truth']);
    // The crop is left out; everything fusion reads comes back as it was.
    const strip = (e: FusionEvent) => (e.type === 'sighting' ? { ...e, sighting: { ...e.sighting, crop: undefined, cropWidth: undefined } } : e);
    expect(items.slice(0, 4).map((i) => (i.kind === 'event' ? strip(i.event) : i))).toEqual(events.map(strip));
    expect(items[4]).toEqual({ kind: 'frame', camera, ts: T + 60_000, light: 0.41, marks });
    expect(items[5]).toEqual({ kind: 'truth', records: truth });
  });

  it('is written in gzip members a reader takes as one stream', async () => {
    const file = join(dir, 'many.replay.gz');
    const w = new ReplayWriter(file, { store: layout.store, scenario: 'Many', seed: 1, days: 1, frameSettings: SCENARIO_DEFAULTS.frames, model: 'm' }, layout);
    const n = 300_000;
    for (let i = 0; i < n; i++) w.event({ type: 'units', slot: slotA!.id, ts: T + i, units: i % 40, grams: 100 + i / 10 });
    w.truth([]);
    w.close();
    // More than one member: a gzip header (1f 8b 08) past the first.
    const bytes = readFileSync(file);
    expect(bytes.indexOf(Buffer.from([0x1f, 0x8b, 0x08]), 1)).toBeGreaterThan(0);
    const items = await all(file);
    expect(items).toHaveLength(n + 1);
    expect(items[n - 1]).toEqual({ kind: 'event', event: { type: 'units', slot: slotA!.id, ts: T + n - 1, units: (n - 1) % 40, grams: 100 + (n - 1) / 10 } });
  });

  it('refuses a file that is not a replay, of another version, or with a damaged line, naming the file and the line', async () => {
    const plain = join(dir, 'plain.txt');
    writeFileSync(plain, 'hello');
    await expect(openReplay(plain)).rejects.toThrow(`${plain} is not a twin vision replay (not gzip`);
    const other = join(dir, 'other.gz');
    writeFileSync(other, gzipSync('{"format":"something-else"}\n'));
    await expect(openReplay(other)).rejects.toThrow(`${other} is not a twin vision replay (its first line is not a twin-vision-replay header)`);
    await expect(openReplay(join(dir, 'missing.gz'))).rejects.toThrow('cannot read');
    const good = join(dir, 'ok2.replay.gz');
    write(good, events, marks, truth);
    const head = await openReplay(good);
    const lines = (body: string) => gzipSync(`${JSON.stringify({ ...head.header, version: 1 })}\n${body}`);
    const newer = join(dir, 'v2.gz');
    writeFileSync(newer, gzipSync(`${JSON.stringify({ ...head.header, version: 2 })}\n`));
    await expect(openReplay(newer)).rejects.toThrow('of version 2; this twin reads version 1');
    const damaged = join(dir, 'damaged.gz');
    writeFileSync(damaged, lines(`["u",0,${T},3,1.5]\n["s",9999,0,${T},1,0.5,1,0.9,null]\n`));
    await expect(all(damaged)).rejects.toThrow(`${damaged}, line 3: no slot 9999 in the header's layout`);
    writeFileSync(damaged, lines(`["x"]\n`));
    await expect(all(damaged)).rejects.toThrow('line 2: unknown line kind "x"');
    writeFileSync(damaged, lines(`["s",0,0,${T},7,0.5,1,0.9,null]\n`));
    await expect(all(damaged)).rejects.toThrow('fill 7 is not an index of empty, low, half, full');
    // Cut off mid-gzip: the lines before the cut come back, then the error.
    const whole = lines(`["u",0,${T},3,1.5]\n`.repeat(2000));
    const cut = join(dir, 'cut.gz');
    writeFileSync(cut, whole.subarray(0, whole.length - 10));
    await expect(all(cut)).rejects.toThrow(`${cut} is cut short or damaged (gzip: unexpected end of file)`);
  });

  it('says so when a saved run ends before its truth (the run that wrote it did not finish), exit 2', async () => {
    const file = join(dir, 'unfinished.replay.gz');
    write(file, events, marks, null);
    const r = await twin('vision', 'eval', '--replay', file);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`twin vision: ${file} ends before its truth: the run that wrote it did not finish`);
  }, 60_000);

  it('refuses a folder for a file, in one line', async () => {
    const r = await twin('vision', 'eval', '--replay', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`twin vision: cannot read ${dir}: EISDIR`);
  }, 60_000);
});

describe('twin vision eval --save, then --replay', () => {
  it('scores the replayed run exactly as the run itself, findings and all, without simulating or the CNN; a replay refuses options that would change the run', async () => {
    // The pilot fixture's small layout with stuck and drifting cells, misplaced put-aways and concealments, often, and a frame every 30 minutes.
    const base = JSON.parse(readFileSync(writePilotScenario(dir), 'utf8')) as { incidents: object };
    const scenario = join(dir, 'faults.scenario.json');
    writeFileSync(scenario, JSON.stringify({
      ...base, name: 'Vision faults, small', frames: { intervalSeconds: 1800, width: 1280 },
      incidents: { ...base.incidents, afterHoursTheftPerWeek: 0, dockTheftPerWeek: 0, misplacementRate: 0.3, concealmentPerWeek: 14 },
      sensors: { loadCellNoiseGrams: 8, heartbeatSeconds: 60, stuckCellRate: 0.4, driftCellRate: 0.3, driftCellGramsPerHour: 250 },
    }));
    const saved = join(dir, 'day.replay.gz');
    const r = await twin('vision', 'eval', '--scenario', scenario, '--save', saved, '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const replayed = await twin('vision', 'eval', '--replay', saved, '--format', 'json');
    expect(replayed.code, replayed.stderr).toBe(0);
    const live = JSON.parse(r.stdout) as Record<string, unknown> & { findings: unknown[]; fusion: { records: number | null }[] };
    const again = JSON.parse(replayed.stdout) as Record<string, unknown>;
    expect(live.savedTo).toBe(saved);
    expect(again.replayedFrom).toBe(saved);
    // Something to compare: the run has records to score and findings.
    expect(live.findings.length).toBeGreaterThan(0);
    expect(live.fusion.some((f) => (f.records ?? 0) > 0)).toBe(true);
    for (const key of ['scenario', 'seed', 'days', 'frameSettings', 'frames', 'sightings', 'cnn', 'fusion', 'findings']) expect(again[key], key).toEqual(live[key]);
    const table = await twin('vision', 'eval', '--replay', saved);
    expect(table.stdout).toContain(`replayed from ${saved}`);
    expect(table.stdout).toMatch(/\n {2}finding\s+records\s+blind\s+still\s+brief/);
    const mixed = await twin('vision', 'eval', '--replay', saved, '--days', '2');
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--days cannot go with it');
  }, 120_000);
});
