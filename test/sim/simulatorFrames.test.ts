/**
 * The simulator with camera frames on: frame lines the contract accepts, at the interval
 * and on motion, with their truth beside them, seeded; and with frames off (the default)
 * exactly the lines it wrote before frames existed, which frames on only add to.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FrameTruth } from '../../sim/render/frameTruth';
import { parseScenario, parseScenarioText } from '../../sim/scenario/parseScenario';
import type { FrameSettings, Scenario } from '../../sim/scenario/Scenario';
import { Simulator } from '../../sim/Simulator';
import { ContractReader } from '../../src/contract/ContractReader';
import { parseRecordingLine } from '../../src/contract/recording';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';

const ROOT = join(import.meta.dirname, '../..');
const r = parseLayoutText(readFileSync(join(ROOT, 'scenarios/layouts/apparel-compact.layout.json'), 'utf8'));
if (!r.ok) throw new Error('layout');
const APPAREL = new LayoutIndex(r.layout);
const base = parseScenarioText(readFileSync(join(ROOT, 'scenarios/baseline-apparel.scenario.json'), 'utf8'));
if (!base.ok) throw new Error('scenario');
const BASE: Scenario = { ...base.scenario, days: 1, seed: 9 };
const FRAMES: FrameSettings = { intervalSeconds: 4 * 3600, width: 128, quality: 60, noise: 3, blur: 0, motion: 1, motionGapSeconds: 3600 };

function simulate(s: Scenario) {
  const lines: string[] = [];
  const truths: FrameTruth[] = [];
  const result = new Simulator(APPAREL, s, { recording: (l) => lines.push(l), frameTruth: (t) => truths.push(t) }).run();
  return { lines, truths, result };
}
const isFrame = (l: string) => l.startsWith(`{"topic":"backroom/v1/${APPAREL.store}/camera/`) && l.includes('/frame"');
const hash = (ls: string[]) => createHash('sha256').update(ls.join('\n')).digest('hex');

describe('scenario frames', () => {
  it('are off unless asked for, fill defaults and refuse unknown or out-of-range fields', () => {
    expect(BASE.frames).toBeUndefined();
    const minimal = { version: 1, name: 'F', layout: 'x.json', start: '2026-11-16', days: 1 };
    const on = parseScenario({ ...minimal, frames: { intervalSeconds: 60 } });
    expect(on.ok && on.scenario.frames).toEqual({ intervalSeconds: 60, width: 1280, quality: 75, noise: 3, blur: 0, motion: 1, motionGapSeconds: 60 });
    const bad = parseScenario({ ...minimal, frames: { width: 8, fps: 2 } });
    expect(bad.ok ? [] : bad.problems.map((p) => p.path).sort()).toEqual(['frames.fps', 'frames.width']);
  });
});

describe('the simulator with frames', () => {
  const off = simulate(BASE);
  const on = simulate({ ...BASE, frames: FRAMES });
  const frameLines = on.lines.filter(isFrame);

  it('writes, frames aside, exactly the lines it writes with frames off', () => {
    expect(off.lines.some(isFrame)).toBe(false);
    expect(hash(on.lines.filter((l) => !isFrame(l)))).toBe(hash(off.lines));
    expect(on.result.truth).toEqual(off.result.truth);
  });

  it('publishes frames the contract accepts: JPEG as payload_b64, QoS 0, the ts user property', () => {
    const cameras = [...APPAREL.cameras.keys()];
    // Every camera at every interval over the day, plus frames on motion.
    expect(frameLines.length).toBeGreaterThanOrEqual(cameras.length * 6);
    expect(on.result.messagesByKind.frame).toBe(frameLines.length);
    const reader = new ContractReader(APPAREL);
    const seen = new Set<string>();
    let onMotion = 0;
    for (const [i, line] of frameLines.entries()) {
      const o = JSON.parse(line);
      expect(o).toMatchObject({ qos: 0, props: { ts: expect.any(String) } });
      expect(o.payload_b64).toEqual(expect.any(String));
      const parsed = parseRecordingLine(line, i + 1, 0);
      if (!parsed.ok) throw new Error(parsed.entry.detail);
      const out = reader.read(parsed.message);
      if (out.status !== 'accepted' || out.event.type !== 'frame') throw new Error(JSON.stringify(out));
      expect(out.event.tsSource).toBe('property');
      expect(out.event.ts).toBe(Date.parse(o.props.ts));
      seen.add(out.event.camera);
      if ((out.event.ts - on.result.start) % (FRAMES.intervalSeconds * 1000) !== 0) onMotion++;
    }
    expect(on.truths.filter((t) => t.trigger === 'motion').length).toBe(onMotion);
    expect([...seen].sort()).toEqual(cameras.sort());
    expect(onMotion).toBeGreaterThan(0);
    // Arrival order holds with frames among the other lines.
    const received = on.lines.map((l) => Date.parse(JSON.parse(l).received));
    expect(received.every((t, i) => i === 0 || t >= received[i - 1]!)).toBe(true);
  });

  it('gives the truth of each frame: its camera and time, and the slots in view with labels', () => {
    expect(on.truths.length).toBe(frameLines.length);
    frameLines.forEach((l, i) => {
      const o = JSON.parse(l);
      expect(o.topic).toContain(`/camera/${on.truths[i]!.camera}/frame`);
      expect(on.truths[i]!.ts).toBe(o.props.ts);
    });
    // Camera and time name one frame.
    expect(new Set(on.truths.map((t) => `${t.camera} ${t.ts}`)).size).toBe(on.truths.length);
    const slots = on.truths.flatMap((t) => t.slots);
    expect(slots.length).toBeGreaterThan(0);
    expect(new Set(slots.map((s) => s.fill)).size).toBeGreaterThan(1);
    for (const s of slots) {
      expect(s.box[0] + s.box[2]).toBeLessThanOrEqual(FRAMES.width);
      expect(s.units).toBe(Object.values(s.skus).reduce((a, b) => a + b, 0));
    }
  });

  it('renders the same bytes for the same seed', () => {
    expect(hash(simulate({ ...BASE, frames: FRAMES }).lines)).toBe(hash(on.lines));
  });
});

describe('concealments', () => {
  const every = { ...FRAMES, intervalSeconds: 1800, motion: 0 };
  const plain = simulate({ ...BASE, days: 2, frames: every });
  const hidden = simulate({ ...BASE, days: 2, frames: every, incidents: { ...BASE.incidents, concealmentPerWeek: 70 } });
  const records = hidden.result.truth.filter((t) => t.kind === 'concealment');

  it('hides a stocked slot behind a board for hours, naming who, where and how much, and changes nothing but the frames', () => {
    expect(records.length).toBeGreaterThanOrEqual(4);
    for (const t of records) {
      const slot = APPAREL.slots.get(t.slot!)!;
      expect(t).toMatchObject({ sku: slot.sku, shelf: slot.shelf, zone: APPAREL.zoneOfSlot(slot.id), role: expect.any(String), actor: expect.stringMatching(/^b-/) });
      expect(t.units!).toBeGreaterThanOrEqual(slot.capacity / 2);
    }
    // Its own random stream: every other line and record is the run's without concealments.
    expect(hash(hidden.lines.filter((l) => !isFrame(l)))).toBe(hash(plain.lines.filter((l) => !isFrame(l))));
    expect(hidden.result.truth.filter((t) => t.kind !== 'concealment')).toEqual(plain.result.truth);
    expect(hash(hidden.lines.filter(isFrame))).not.toBe(hash(plain.lines.filter(isFrame)));
  });

  it("marks the slot concealed in the frames' truth while the board stands (4 to 20 hours), and only then", () => {
    const marked = hidden.truths.flatMap((f) => f.slots.filter((s) => s.concealed).map((s) => ({ slot: s.slot, ts: Date.parse(f.ts), units: s.units })));
    expect(marked.length).toBeGreaterThan(0);
    for (const m of marked) {
      const since = records.filter((t) => t.slot === m.slot && Date.parse(t.ts) <= m.ts).map((t) => Date.parse(t.ts));
      expect(since.length).toBeGreaterThan(0);
      expect(m.ts - Math.max(...since)).toBeLessThanOrEqual(20 * 3600_000);
    }
    // The stock stays behind the board: the truth still counts it.
    expect(marked.some((m) => m.units > 0)).toBe(true);
    // Every concealment a frame judged at its time or after, within 4 hours, shows it.
    for (const t of records) {
      const at = Date.parse(t.ts);
      const seenThen = hidden.truths.filter((f) => Date.parse(f.ts) > at && Date.parse(f.ts) < at + 4 * 3600_000 && f.slots.some((s) => s.slot === t.slot));
      for (const f of seenThen) expect(f.slots.find((s) => s.slot === t.slot)!.concealed).toBe(true);
    }
    expect(plain.truths.some((f) => f.slots.some((s) => s.concealed))).toBe(false);
  });
});
