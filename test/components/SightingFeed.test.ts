/**
 * The page's feed of camera frames to the shelf CNN: the first frame starts a pool, later
 * frames join it, the pool gets copies (the event store still has to write the bytes), each
 * result's verdicts are appended, a batch without frames starts nothing, and a pool that
 * fails to start is a problem record, not an exception.
 */
import { describe, expect, it } from 'vitest';
import type { SlotSightingRow } from '../../src/analytics/tables';
import type { Problem } from '../../src/core/Problem';
import type { FrameEvent, TwinEvent } from '../../src/contract/messages';
import { SightingFeed } from '../../src/components/SightingFeed';
import type { VisionPool, VisionPoolCallbacks } from '../../src/inference/VisionPool';
import type { FrameInput } from '../../src/inference/VisionRunner';
import { miniLayout } from '../fixtures/miniLayout';

const T0 = Date.UTC(2026, 10, 16, 14);
const frame = (ts: number): FrameEvent => ({ type: 'frame', ts, received: ts, camera: 'C1', jpeg: new Uint8Array([0xff, 0xd8, ts & 0xff]), tsSource: 'property' });
const flush = () => new Promise((r) => setTimeout(r, 0));

/** A pool that takes (detaches) each frame's buffer as the real one does, and answers each with one verdict. */
function fakePool(pushed: FrameInput[], callbacks: VisionPoolCallbacks): VisionPool {
  return {
    push(f: FrameInput) {
      pushed.push({ ...f, jpeg: new Uint8Array(structuredClone(f.jpeg.buffer, { transfer: [f.jpeg.buffer as ArrayBuffer] })) });
      callbacks.onResult({ camera: f.camera, ts: f.ts, width: 320, height: 180, ms: 1, slots: [{ slot: 'A-0-0', camera: f.camera, ts: f.ts, plannedSku: 'SKU1', fill: 'full', fillProb: 0.9, match: true, matchProb: 0.95, crop: new Uint8Array(4096), cropWidth: 64 }] });
    },
    close: async () => {},
  } as unknown as VisionPool;
}

describe('SightingFeed', () => {
  it('starts one pool on the first frame, hands it copies, and appends each result’s verdicts', async () => {
    const layout = miniLayout();
    const pushed: FrameInput[] = [];
    const appended: SlotSightingRow[] = [];
    let starts = 0;
    const feed = new SightingFeed({
      append: async (rows) => void appended.push(...rows),
      onProblem: (p) => expect.fail(p.message),
      start: async (_layout, callbacks) => {
        starts++;
        return fakePool(pushed, callbacks);
      },
    });
    const weight: TwinEvent = { type: 'weight', ts: T0, received: T0, shelf: 'A', slot: 'A-0-0', grams: 10 };
    feed.frames(layout, [weight]);
    expect(starts).toBe(0);
    const frames = [frame(T0), frame(T0 + 1000)];
    feed.frames(layout, [weight, ...frames]);
    feed.frames(layout, [frame(T0 + 2000)]);
    await expect.poll(() => appended.length).toBe(3);
    expect(starts).toBe(1);
    expect(pushed.map((f) => f.ts)).toEqual([T0, T0 + 1000, T0 + 2000]);
    // The events keep their bytes for the event store.
    expect([...frames[1]!.jpeg]).toEqual([0xff, 0xd8, (T0 + 1000) & 0xff]);
    expect(appended[2]).toMatchObject({ slot: 'A-0-0', camera: 'C1', ts: T0 + 2000, fill: 'full', match: true });
    await feed.close();
  });

  it('fuses the verdicts with the batches\' load-cell readings and says each finding once', async () => {
    const layout = miniLayout();
    const slot = layout.slots.get('A-0-0')!;
    const unit = layout.skus.get(slot.sku)!.unitGrams;
    const found: string[] = [];
    const feed = new SightingFeed({
      append: async () => {},
      onProblem: (p) => expect.fail(p.message),
      onFindings: (_l, fs) => found.push(...fs.map((f) => `${f.kind} ${f.slot}`)),
      // The camera sees the slot full for an hour, then empty: the cell never changes.
      start: async (_layout, callbacks) => ({
        push(f: FrameInput) {
          const fill = f.ts < T0 + 60 * 60_000 ? 'full' : 'empty';
          callbacks.onResult({ camera: f.camera, ts: f.ts, width: 320, height: 180, ms: 1, slots: [{ slot: 'A-0-0', camera: f.camera, ts: f.ts, plannedSku: slot.sku, fill, fillProb: 0.9, match: true, matchProb: 0.95, crop: new Uint8Array(0), cropWidth: 64 }] });
        },
        close: async () => {},
      }) as unknown as VisionPool,
    });
    for (let i = 0; i < 10; i++) {
      const ts = T0 + i * 15 * 60_000;
      const weight: TwinEvent = { type: 'weight', ts: ts - 60_000, received: ts, shelf: slot.shelf, slot: 'A-0-0', grams: slot.capacity * unit };
      feed.frames(layout, [weight, frame(ts)]);
      await flush();
    }
    await expect.poll(() => found).toEqual(['stuck_load_cell A-0-0']);
    await feed.close();
  });

  it('judges the frames after useModel with that model: the running pool ends, the next frame starts one with it', async () => {
    const layout = miniLayout();
    const started: (string | undefined)[] = [];
    let closed = 0;
    const feed = new SightingFeed({
      append: async () => {},
      onProblem: (p) => expect.fail(p.message),
      start: async (_layout, _callbacks, model) => {
        started.push(model ? String(model.modelJson) : undefined);
        return { push() {}, close: async () => void closed++ } as unknown as VisionPool;
      },
    });
    feed.frames(layout, [frame(T0)]);
    await flush();
    feed.useModel({ modelJson: 'mine', weights: new ArrayBuffer(8) });
    await flush();
    expect(closed).toBe(1);
    feed.frames(layout, [frame(T0 + 1000)]);
    await flush();
    feed.useModel(undefined);
    feed.frames(layout, [frame(T0 + 2000)]);
    await flush();
    expect(started).toEqual([undefined, 'mine', undefined]);
    await feed.close();
  });

  it('reports a pool that does not start as a problem, once', async () => {
    const layout = miniLayout();
    const problems: Problem[] = [];
    const feed = new SightingFeed({ append: async () => {}, onProblem: (p) => problems.push(p), start: async () => Promise.reject(new Error('no model')) });
    feed.frames(layout, [frame(T0)]);
    feed.frames(layout, [frame(T0 + 1000)]);
    await flush();
    await flush();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ id: 'vision-start', severity: 'warning' });
    expect(problems[0]!.message).toContain('no model');
  });
});
