/**
 * VisionRunner on frames the simulator renders of a known world (apparel-compact, a layout
 * the shipped CNN never trained on): verdicts for the slots a camera shows well, none for
 * slots out of its view or behind another shelf, a crop for each, and a clear error for a
 * camera the layout lacks. Accuracy is held only to what the shipped model clearly does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadShelfCnn } from '../../models/shelfCnnFiles';
import { loadLayout } from '../../models/shelfDataset';
import { FrameRenderer, type FrameWorld } from '../../sim/render/FrameRenderer';
import { camerasSeeing } from '../../src/layout/cameraCoverage';
import { judgedQuad } from '../../src/inference/slotsInView';
import { VisionRunner } from '../../src/inference/VisionRunner';

const layout = loadLayout('apparel-compact');
const renderer = new FrameRenderer(layout);
const TS = Date.parse('2026-11-17T16:00:00Z');
let runner: VisionRunner;

beforeAll(async () => {
  await tf.setBackend('cpu');
  runner = new VisionRunner(layout, await loadShelfCnn());
});

function world(units: (capacity: number) => number): FrameWorld {
  return { ts: TS, people: [], stock: new Map([...layout.slots.values()].map((s) => [s.id, new Map(units(s.capacity) > 0 ? [[s.sku, units(s.capacity)]] : [])])) };
}

describe('VisionRunner', () => {
  it('judges the slots a camera shows well (those the training would keep), each with a verdict and its crop', () => {
    const w = world((c) => c);
    const { jpeg, truth } = renderer.jpeg('cam-cage', w, { width: 1280 });
    const r = runner.run({ camera: 'cam-cage', ts: TS, jpeg });
    expect(r).toMatchObject({ camera: 'cam-cage', ts: TS, width: 1280, height: 720 });
    expect(r.ms).toBeGreaterThan(0);
    // The training keeps a slot by the render's own truth of what is in frame and unhidden.
    const pinhole = renderer.frame('cam-cage', 1280);
    const kept = truth.slots.filter((s) => judgedQuad(layout, pinhole, s.slot, s)).map((s) => s.slot);
    const judged = r.slots.map((s) => s.slot);
    expect(judged.length).toBeGreaterThanOrEqual(10);
    expect(new Set(judged)).toEqual(new Set(kept));
    for (const s of r.slots) {
      expect(s).toMatchObject({ camera: 'cam-cage', ts: TS, plannedSku: layout.slots.get(s.slot)!.sku });
      expect(s.crop).toHaveLength(32 * 32 * 4);
      expect(s.crop[3]).toBe(255);
      expect(s.fillProb).toBeGreaterThan(0.25);
      expect(s.matchProb).toBeGreaterThanOrEqual(0);
      expect(s.matchProb).toBeLessThanOrEqual(1);
    }
    // Every slot full: the CNN reads most of them as stocked (it mixes up half and full).
    expect(r.slots.filter((s) => s.fill === 'full' || s.fill === 'half').length / r.slots.length).toBeGreaterThanOrEqual(0.9);
  });

  it('reads empty slots as empty', () => {
    const { jpeg } = renderer.jpeg('cam-cage', world(() => 0), { width: 1280 });
    const r = runner.run({ camera: 'cam-cage', ts: TS, jpeg });
    expect(r.slots.filter((s) => s.fill === 'empty').length / r.slots.length).toBeGreaterThanOrEqual(0.8);
  });

  it("reads full slots behind a concealment's board as empty (the board is what hides stock from the cameras), and the truth marks them", () => {
    const full = world((c) => c);
    const concealed = new Set([...layout.slots.keys()].filter((_, i) => i % 2 === 0));
    const { jpeg, truth } = renderer.jpeg('cam-cage', { ...full, concealed }, { width: 1280 });
    const r = runner.run({ camera: 'cam-cage', ts: TS, jpeg });
    const behind = r.slots.filter((s) => concealed.has(s.slot));
    const open = r.slots.filter((s) => !concealed.has(s.slot));
    expect(behind.length).toBeGreaterThanOrEqual(4);
    expect(open.length).toBeGreaterThanOrEqual(4);
    expect(behind.filter((s) => s.fill === 'empty').length / behind.length).toBeGreaterThanOrEqual(0.9);
    expect(open.filter((s) => s.fill === 'empty')).toEqual([]);
    for (const s of truth.slots) expect(s.concealed === true).toBe(concealed.has(s.slot));
    expect(truth.slots.filter((s) => s.concealed).every((s) => s.fill === 'full')).toBe(true);
  });

  it('gives no verdict for a slot behind another shelf or out of the frame', () => {
    const camera = 'cam-sales';
    const { jpeg, truth } = renderer.jpeg(camera, world((c) => c), { width: 1280 });
    const r = runner.run({ camera, ts: TS, jpeg });
    const judged = new Set(r.slots.map((s) => s.slot));
    const behind = [...layout.slots.keys()].filter((s) => camerasSeeing(layout, { slot: s }).some((x) => x.camera === camera && x.occluded));
    expect(behind.length).toBeGreaterThan(0);
    for (const s of behind) expect(judged.has(s)).toBe(false);
    const inView = new Set(truth.slots.map((s) => s.slot));
    for (const s of judged) expect(inView.has(s)).toBe(true);
    expect(judged.size).toBeLessThan(layout.slots.size / 4);
  });

  it('judges a frame at its own size, and keeps one slot list per camera and size', () => {
    const { jpeg } = renderer.jpeg('cam-cage', world((c) => c), { width: 560 });
    const r = runner.run({ camera: 'cam-cage', ts: TS, jpeg });
    expect([r.width, r.height]).toEqual([560, 315]);
    expect(runner.slotsFor('cam-cage', 560, 315)).toBe(runner.slotsFor('cam-cage', 560, 315));
    expect(runner.slotsFor('cam-cage', 320, 180)).not.toBe(runner.slotsFor('cam-cage', 560, 315));
  });

  it("gives a frame the same verdicts whatever frames it ran before (one input buffer serves them all)", async () => {
    const w = world((c) => Math.round(c / 2));
    const few = { camera: 'cam-sales', ts: TS, jpeg: renderer.jpeg('cam-sales', w, { width: 1280 }).jpeg };
    const many = { camera: 'cam-cage', ts: TS, jpeg: renderer.jpeg('cam-cage', w, { width: 1280 }).jpeg };
    const calls = (r: ReturnType<VisionRunner['run']>) => r.slots.map(({ slot, fill, fillProb, matchProb }) => ({ slot, fill, fillProb, matchProb }));
    const fresh = new VisionRunner(layout, runner.cnn);
    const first = calls(fresh.run({ ...few, jpeg: few.jpeg.slice() }));
    const cage = calls(fresh.run({ ...many, jpeg: many.jpeg.slice() }));
    expect(cage.length).toBeGreaterThan(first.length);
    expect(calls(fresh.run({ ...few, jpeg: few.jpeg.slice() }))).toEqual(first);
    expect(calls(new VisionRunner(layout, runner.cnn).run(many))).toEqual(cage);
  });

  it('refuses a camera the layout lacks, naming it', () => {
    const { jpeg } = renderer.jpeg('cam-cage', world(() => 0), { width: 320 });
    expect(() => runner.run({ camera: 'cam-nowhere', ts: TS, jpeg })).toThrow(/unknown camera cam-nowhere/);
  });
});
