/**
 * `twin vision` on a small simulated recording with camera frames (the pilot fixture's two
 * shelves, a frame every four hours), `twin vision eval` on the same scenario in memory, and
 * the one-line errors for a bad model folder and a missing option.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIDDEN_FRAMES, NEAR_FRAMES, STEADY_FRAMES, type Finding } from '../../src/inference/fusion';
import { loadLayout } from '../../src/cli/files';
import { loadScenario } from '../../src/cli/loadScenario';
import { scoreFusion, stuckSlotMoved, stuckSlotMoves } from '../../src/cli/visionEval';
import { Simulator } from '../../sim/Simulator';
import type { TruthRecord } from '../../sim/world/Truth';
import { writePilotScenario } from './pilotFixture';
import { twin, type TwinResult } from './runTwin';

const LABELS = ['empty', 'low', 'half', 'full'];
let dir: string;
let layout: string;
let scenario: string;
let recording: string;
/** The two formats of one recording, run side by side. */
let asJson: Promise<TwinResult>;
let asTable: Promise<TwinResult>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twin-vision-'));
  const base = JSON.parse(readFileSync(writePilotScenario(dir), 'utf8')) as Record<string, unknown>;
  layout = join(dir, 'small.layout.json');
  scenario = join(dir, 'vision.scenario.json');
  writeFileSync(scenario, JSON.stringify({ ...base, name: 'Vision day', frames: { intervalSeconds: 14_400, width: 1280, motion: 0 } }));
  // The recording `twin simulate` would write, made in this process (one start-up fewer).
  const lines: string[] = [];
  new Simulator(loadLayout(layout), loadScenario(scenario).run, { recording: (l) => lines.push(l) }).run();
  const text = `${lines.join('\n')}\n`;
  recording = join(dir, 'recording.jsonl');
  writeFileSync(recording, text);
  // The same recording with one more frame, cut off after its JPEG marker.
  const frame = JSON.parse(text.split('\n').find((l) => l.includes('/frame"'))!) as Record<string, unknown>;
  writeFileSync(join(dir, 'cut.jsonl'), `${text}${JSON.stringify({ ...frame, payload_b64: '/9j/AAEC', props: { ts: '2026-11-17T03:00:00.000Z' } })}\n`);
  asJson = twin('vision', '--layout', layout, '--recording', join(dir, 'cut.jsonl'), '--format', 'json');
  asTable = twin('vision', '--layout', layout, '--recording', recording);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SlotRow {
  slot: string;
  camera: string;
  frames: number;
  last: { fill: string; fillProb: number; match: boolean };
  byFill: Record<string, number>;
  misplaced: number;
  cellUnits: number | null;
}

describe('twin vision', () => {
  it('prints per slot and camera what the CNN saw on every frame of a recording, and the findings, as JSON; a frame that does not decode is counted, not fatal', async () => {
    const frameLines = readFileSync(recording, 'utf8').split('\n').filter((l) => l.includes('/frame"')).length;
    const r = await asJson;
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { frames: number; badFrames: number; sightings: number; slots: SlotRow[]; findings: unknown[] };
    expect(frameLines).toBeGreaterThan(0);
    expect(out.frames).toBe(frameLines);
    expect(out.badFrames).toBe(1);
    expect(out.slots.length).toBeGreaterThan(0);
    expect(out.slots.reduce((n, s) => n + s.frames, 0)).toBe(out.sightings);
    for (const s of out.slots) {
      expect(Object.values(s.byFill).reduce((a, b) => a + b, 0)).toBe(s.frames);
      expect(LABELS).toContain(s.last.fill);
      expect(s.misplaced).toBeLessThanOrEqual(s.frames);
      expect(typeof s.cellUnits).toBe('number');
    }
    expect(Array.isArray(out.findings)).toBe(true);
  }, 90_000);

  it('prints a table by default', async () => {
    const r = await asTable;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+ frames, \d+ slot sightings on \d+ slots/);
    expect(r.stdout).toMatch(/\nslot\s+camera\s+frames\s+last\s+empty\s+low\s+half\s+full\s+misplaced\s+cell units\s+agree\n/);
    expect(r.stdout).toMatch(/\n(no findings|kind\s+slot\s+cameras)/);
  }, 90_000);

  it('scores the CNN and the fusion on the scenario simulated in memory', async () => {
    const r = await twin('vision', 'eval', '--scenario', scenario, '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      days: number; frames: number;
      cnn: { scored: number; fillAccuracy: number; labels: string[]; confusion: number[][]; misplaced: { n: number } };
      fusion: { kind: string }[];
    };
    expect(out.days).toBe(1);
    expect(out.frames).toBeGreaterThan(0);
    expect(out.cnn.labels).toEqual(LABELS);
    expect(out.cnn.confusion).toHaveLength(4);
    expect(out.cnn.confusion.flat().reduce((a, b) => a + b, 0)).toBe(out.cnn.scored);
    expect(out.cnn.scored).toBeGreaterThan(0);
    // What the shipped model reaches on a layout it never trained on, with room to spare.
    expect(out.cnn.fillAccuracy).toBeGreaterThan(0.5);
    expect(out.fusion.map((f) => f.kind)).toEqual(['misplaced_product', 'stuck_load_cell', 'drifting_load_cell', 'hidden_stock']);
  }, 90_000);

  it('refuses a model folder without model.json or with a missing weights file, and a missing option, in one line with exit 2', async () => {
    const empty = join(dir, 'no-model');
    mkdirSync(empty);
    const partial = join(dir, 'partial-model');
    mkdirSync(partial);
    writeFileSync(join(partial, 'model.json'), readFileSync(join(import.meta.dirname, '../../models/shelf-cnn/model.json')));
    const [noJson, noWeights, noLayout] = await Promise.all([
      twin('vision', '--layout', layout, '--recording', recording, '--model', empty),
      twin('vision', '--layout', layout, '--recording', recording, '--model', partial),
      twin('vision', '--recording', recording),
    ]);
    expect(noJson.code).toBe(2);
    expect(noJson.stderr.trim()).toBe(`twin vision: model ${empty} has no model.json`);
    expect(noWeights.code).toBe(2);
    expect(noWeights.stderr.trim()).toBe(`twin vision: model ${partial}: weights file weights.bin (listed in model.json) is missing`);
    expect(noLayout.code).toBe(2);
    expect(noLayout.stderr.trim()).toBe('twin vision: --layout FILE is required');
  }, 90_000);

  it('reads a model folder\'s classes.json: the shipped map spelt out says the same as none, a bad map is listed problem by problem', async () => {
    const shipped = join(import.meta.dirname, '../../models/shelf-cnn');
    const copy = (name: string, classes: unknown) => {
      const d = join(dir, name);
      mkdirSync(d);
      for (const f of ['model.json', 'weights.bin']) writeFileSync(join(d, f), readFileSync(join(shipped, f)));
      writeFileSync(join(d, 'classes.json'), JSON.stringify(classes));
      return d;
    };
    // The shipped model's own order, spelt out: the same verdicts as no map at all.
    const same = copy('mapped-model', { fillOutput: 0, fillLabels: ['empty', 'low', 'half', 'full'], matchOutput: 1, matchIndex: 0 });
    const bad = copy('bad-map-model', { fillOutput: 5, fillLabels: ['empty', 'lots'], colour: 'red' });
    const [plain, mapped, refused] = await Promise.all([
      twin('vision', '--layout', layout, '--recording', recording, '--format', 'json'),
      twin('vision', '--layout', layout, '--recording', recording, '--model', same, '--format', 'json'),
      twin('vision', '--layout', layout, '--recording', recording, '--model', bad),
    ]);
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(JSON.parse(mapped.stdout).slots).toEqual(JSON.parse(plain.stdout).slots);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`twin vision: model ${bad} cannot be used:`);
    for (const field of ['colour', 'fillLabels']) expect(refused.stderr).toContain(field);
  }, 120_000);
});

describe('scoring fusion against the truth', () => {
  const T = Date.parse('2026-11-16T12:00:00Z');
  const H = 3_600_000;
  const stuck = (slot: string, ts: number): TruthRecord => ({ kind: 'sensor_fault', subtype: 'stuck', slot, ts: new Date(ts).toISOString() });
  const finding = (slot: string, firstTs: number, lastTs: number): Finding => ({ kind: 'stuck_load_cell', slot, cameras: ['c'], firstTs, lastTs, frames: 3, evidence: '', confidence: 0.9 });

  it('finds a record by a finding on its slot after it, counts records no frame saw after them as blind, and a finding about nothing as false', () => {
    const truth = [stuck('A', T), stuck('B', T), stuck('C', T), { kind: 'theft', ts: new Date(T).toISOString() } as TruthRecord];
    const lastSeen = new Map([['A', T + 5 * H], ['B', T + 5 * H], ['C', T - H], ['D', T + 5 * H]]);
    const findings = [finding('A', T + 2 * H, T + 4 * H), finding('D', T + H, T + 2 * H), finding('B', T - 3 * H, T + 4 * H)];
    const [, s] = scoreFusion(findings, truth, lastSeen);
    // A found; B's finding began hours before the cell stuck (about something else); C never seen after.
    expect(s).toMatchObject({ kind: 'stuck_load_cell', records: 3, tp: 1, fn: 1, blind: 1, findings: 3, fp: 2, recall: 0.5 });
    expect(s!.precision).toBeCloseTo(1 / 3);
  });

  it('leaves out, as still, a stuck cell whose slot\'s true fill never left the class it stuck at in the frames that judged it', () => {
    const truth = [stuck('A', T), stuck('B', T), stuck('C', T)];
    const lastSeen = new Map([['A', T + 5 * H], ['B', T + 5 * H], ['C', T + 5 * H]]);
    // A: full before and after (still); B: full, then half from two hours on (moved, missed); C: judged only after, half then empty (moved).
    const hourly = (from: number, fill: number): [number, number][] => Array.from({ length: NEAR_FRAMES }, (_, i) => [from + i * H, fill]);
    const history = new Map<string, [number, number][]>([
      ['A', [[T - H, 3], [T + H, 3], [T + 5 * H, 3]]],
      ['B', [[T - H, 3], [T + H, 3], ...hourly(T + 2 * H, 2)]],
      ['C', [[T + H, 2], ...hourly(T + 3 * H, 0)]],
    ]);
    expect(stuckSlotMoved(history, 'A', T)).toBe(false);
    expect(stuckSlotMoved(history, 'B', T)).toBe(true);
    expect(stuckSlotMoved(history, 'C', T)).toBe(true);
    const [, s] = scoreFusion([finding('C', T + H, T + 4 * H)], truth, lastSeen, history);
    expect(s).toMatchObject({ records: 3, still: 1, brief: 0, blind: 0, tp: 1, fn: 1, fp: 0, recall: 0.5 });
    // A finding on a still record is no false finding, nor does it count towards the recall: that is over what the cameras could tell.
    const [, a] = scoreFusion([finding('A', T + H, T + 4 * H), finding('C', T + H, T + 4 * H)], truth, lastSeen, history);
    expect(a).toMatchObject({ still: 1, tp: 1, fn: 1, findings: 2, fp: 0, recall: 0.5 });
    // Without the history, nothing is still.
    expect(scoreFusion([], truth, lastSeen)[1]).toMatchObject({ still: null, fn: 3 });
    // Misplacements have no still.
    expect(scoreFusion([], truth, lastSeen, history)[0]!.still).toBeNull();
  });

  it('leaves out, as brief, a stuck cell whose slot showed another class in fewer than NEAR_FRAMES judged frames in a row, two classes away in fewer than STEADY_FRAMES in a row (a put and a pick soon after)', () => {
    const truth = [stuck('A', T), stuck('B', T), stuck('C', T)];
    const lastSeen = new Map(['A', 'B', 'C'].map((s) => [s, T + 40 * H]));
    const half = 1_800_000;
    // A: empty, then full for one frame time seen by two cameras, twice (4 entries, 2 times: brief);
    // B: low (a class away) for NEAR_FRAMES - 1 frames (brief); C: full (three classes away) for 3 frames in a row, twice (moved, missed).
    const frames = (from: number, n: number, fill: number, cameras = 1): [number, number][] =>
      Array.from({ length: n * cameras }, (_, i) => [from + Math.floor(i / cameras) * half, fill]);
    const history = new Map<string, [number, number][]>([
      ['A', [[T - H, 0], ...frames(T + H, 1, 3, 2), [T + 2 * H, 0], ...frames(T + 20 * H, 1, 3, 2), [T + 21 * H, 0]]],
      ['B', [[T - H, 0], ...frames(T + H, NEAR_FRAMES - 1, 1), [T + 20 * H, 0]]],
      ['C', [[T - H, 0], ...frames(T + H, 3, 3), [T + 10 * H, 0], ...frames(T + 20 * H, NEAR_FRAMES - 3, 3), [T + 30 * H, 0]]],
    ]);
    // Runs in a row of frame times: A's two blips are one frame time each; C's, three.
    expect([stuckSlotMoves(history, 'A', T).frames, stuckSlotMoves(history, 'B', T).frames, stuckSlotMoves(history, 'C', T).frames]).toEqual([1, NEAR_FRAMES - 1, 3]);
    expect(stuckSlotMoves(history, 'C', T).far).toBe(3);
    expect(stuckSlotMoves(history, 'Z', T)).toEqual({ frames: Infinity, far: Infinity });
    const [, s] = scoreFusion([], truth, lastSeen, history);
    expect(s).toMatchObject({ records: 3, blind: 0, still: 0, brief: 2, tp: 0, fn: 1 });
    // Two classes away, fewer frames do: STEADY_FRAMES of them, the plain rule's run, is no blip.
    const far = new Map<string, [number, number][]>([['D', [[T - H, 0], ...frames(T + H, STEADY_FRAMES, 2), [T + 10 * H, 0]]], ['E', [[T - H, 0], ...frames(T + H, STEADY_FRAMES - 1, 2), [T + 10 * H, 0]]]]);
    expect(stuckSlotMoves(far, 'D', T)).toEqual({ frames: STEADY_FRAMES, far: STEADY_FRAMES });
    const [, f] = scoreFusion([], [stuck('D', T), stuck('E', T)], new Map([['D', T + 20 * H], ['E', T + 20 * H]]), far);
    expect(f).toMatchObject({ brief: 1, fn: 1 });
    // Without the history, nothing is brief.
    expect(scoreFusion([], truth, lastSeen)[1]).toMatchObject({ brief: null, fn: 3 });
  });

  it('leaves out, as brief, a misplacement whose units judged frames saw on the slot too few times for the rule (3 of one camera, or 2 of each of 2) before the next on that slot', () => {
    const put = (slot: string, ts: number): TruthRecord => ({ kind: 'misplacement', slot, ts: new Date(ts).toISOString() });
    // A: seen misplaced twice, then put right (brief); B: seen 4 times, found; C: seen 3 times, missed;
    // D: twice after its first record and 3 times after its second, the first brief, the second missed;
    // E: once by each of 3 cameras (brief); F: twice by each of 2 cameras (missed).
    const truth = [put('A', T), put('B', T), put('C', T), put('D', T), put('D', T + 10 * H), put('E', T), put('F', T)];
    const lastSeen = new Map(['A', 'B', 'C', 'D', 'E', 'F'].map((s) => [s, T + 20 * H]));
    const by = (camera: string, ...ts: number[]): [number, string][] => ts.map((t) => [t, camera]);
    const seen = new Map([
      ['A', by('c', T + H, T + 2 * H)],
      ['B', by('c', T + H, T + 2 * H, T + 3 * H, T + 4 * H)],
      ['C', by('c', T - H, T + H, T + 2 * H, T + 3 * H)],
      ['D', by('c', T + H, T + 2 * H, T + 11 * H, T + 12 * H, T + 13 * H)],
      ['E', [...by('a', T + H), ...by('b', T + H), ...by('c', T + H)]],
      ['F', [...by('a', T + H, T + 2 * H), ...by('b', T + H, T + 2 * H)]],
    ]);
    const found: Finding = { kind: 'misplaced_product', slot: 'B', cameras: ['c'], firstTs: T + 3 * H, lastTs: T + 4 * H, frames: 3, evidence: '', confidence: 0.9 };
    const [m] = scoreFusion([found], truth, lastSeen, undefined, seen);
    expect(m).toMatchObject({ kind: 'misplaced_product', records: 7, blind: 0, brief: 3, tp: 1, fn: 3, fp: 0, recall: 1 / 4 });
    // Without the sightings, nothing is brief; stuck cells' brief needs the fill history.
    expect(scoreFusion([found], truth, lastSeen)[0]).toMatchObject({ brief: null, fn: 6 });
    expect(scoreFusion([found], truth, lastSeen, undefined, seen)[1]!.brief).toBeNull();
  });

  it("scores hidden stock on the simulator's concealments: blind when no judged frame showed the board, brief under HIDDEN_FRAMES frames of one camera", () => {
    const hide = (slot: string, ts: number): TruthRecord => ({ kind: 'concealment', slot, ts: new Date(ts).toISOString() });
    // A: HIDDEN_FRAMES frames, found; B: as many, missed; C: one fewer (brief); D: judged later but never behind the board (blind).
    const truth = [hide('A', T), hide('B', T), hide('C', T), hide('D', T)];
    const lastSeen = new Map(['A', 'B', 'C', 'D'].map((s) => [s, T + 20 * H]));
    const run = (camera: string, n = HIDDEN_FRAMES): [number, string][] => Array.from({ length: n }, (_, i) => [T + (i + 1) * H, camera]);
    const seen = new Map([['A', run('c')], ['B', run('c')], ['C', run('c', HIDDEN_FRAMES - 1)]]);
    const hidden = (slot: string, firstTs: number): Finding => ({ kind: 'hidden_stock', slot, cameras: ['c'], firstTs, lastTs: firstTs + 5 * H, frames: 6, evidence: '', confidence: 0.9 });
    const [, , , h] = scoreFusion([hidden('A', T + H), hidden('E', T + H)], truth, lastSeen, undefined, undefined, seen);
    expect(h).toMatchObject({ kind: 'hidden_stock', records: 4, blind: 1, brief: 1, tp: 1, fn: 1, findings: 2, fp: 1, recall: 0.5, precision: 0.5 });
    // Without the sightings, only the finding and the last frames count.
    expect(scoreFusion([hidden('A', T + H)], truth, lastSeen)[3]).toMatchObject({ brief: null, blind: 0, tp: 1, fn: 3 });
  });
});
