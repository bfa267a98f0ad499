/**
 * The vision pool in Node: its logic against slots the test controls (push never waits, a
 * camera's stale frames are dropped and counted, failures are counted by camera, the JPEG
 * is taken from the caller), then the real thing: the shipped CNN on wasm, in-process and on
 * a Node worker thread, with a frame's buffer detached once pushed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FrameRenderer } from '../../sim/render/FrameRenderer';
import { startNodeVisionPool } from '../../src/inference/nodeVisionPool';
import { poolSize, takeBytes, threadsPerWorker, VisionPool, type VisionSlot } from '../../src/inference/VisionPool';
import type { VisionReady } from '../../src/inference/VisionService';
import type { FrameInput, FrameResult } from '../../src/inference/VisionRunner';
import { FILL_LABELS } from '../../src/inference/shelfInput';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';

const READY: VisionReady = {
  backend: { name: 'cpu', simd: false, threads: 1, threadsAvailable: false, software: false, notes: [] },
  classMap: { fillOutput: 0, fillLabels: FILL_LABELS, matchOutput: 1, matchIndex: 0 },
  params: 0,
  ms: 0,
  decoder: 'js',
};

/** Slots whose frames finish only when the test says so. */
function fakeSlots(n: number) {
  const pending: { frame: FrameInput; resolve: (r: FrameResult) => void; reject: (e: Error) => void }[] = [];
  const closed: number[] = [];
  const slots: VisionSlot[] = Array.from({ length: n }, (_, i) => ({
    init: async () => READY,
    run: (frame) => new Promise<FrameResult>((resolve, reject) => pending.push({ frame, resolve, reject })),
    close: () => void closed.push(i),
  }));
  const finish = (k = 0) => {
    const p = pending.splice(k, 1)[0]!;
    p.resolve({ camera: p.frame.camera, ts: p.frame.ts, width: 1, height: 1, slots: [], ms: 0 });
  };
  return { slots, pending, closed, finish };
}

const frame = (camera: string, ts: number, bytes = 8): FrameInput => ({ camera, ts, jpeg: new Uint8Array(bytes).fill(ts) });
const tick = () => new Promise((r) => setTimeout(r, 0));
const INIT = { layout: '{}', model: { modelJson: '{}', weights: new ArrayBuffer(0) }, backend: {} };

describe('VisionPool', () => {
  it('sizes itself to the machine: cores - 1, at least 1, at most 4; wasm threads share the rest', () => {
    expect([1, 2, 3, 4, 5, 8, 64].map(poolSize)).toEqual([1, 1, 2, 3, 4, 4, 4]);
    expect(threadsPerWorker(2, 1)).toBe(2);
    expect(threadsPerWorker(16, 4)).toBe(4);
    expect(threadsPerWorker(3, 4)).toBe(1);
  });

  it('never waits on push, drops a camera\'s stale frames and counts them, and delivers results by callback', async () => {
    const f = fakeSlots(2);
    const results: string[] = [];
    const pool = await VisionPool.start(f.slots, INIT, { onResult: (r) => results.push(`${r.camera}@${r.ts}`) });
    for (let ts = 1; ts <= 5; ts++) pool.push(frame('A', ts)); // 1 and 2 run, 3 and 4 replaced by 5
    pool.push(frame('B', 1)); // waits, then replaced
    pool.push(frame('B', 2));
    expect(f.pending.map((p) => `${p.frame.camera}@${p.frame.ts}`)).toEqual(['A@1', 'A@2']);
    expect(pool.stats()).toMatchObject({ size: 2, running: 2, waiting: 2, dropped: 3, done: 0, backend: { name: 'cpu' } });
    f.finish();
    f.finish();
    await tick();
    expect(f.pending.map((p) => `${p.frame.camera}@${p.frame.ts}`)).toEqual(['A@5', 'B@2']);
    f.finish();
    f.finish();
    await pool.idle();
    expect(results.sort()).toEqual(['A@1', 'A@2', 'A@5', 'B@2']);
    expect(pool.stats()).toMatchObject({ done: 4, dropped: 3, failed: 0, byCamera: { A: { done: 3, dropped: 2, failed: 0 }, B: { done: 1, dropped: 1, failed: 0 } } });
    await pool.close();
    expect(f.closed).toEqual([0, 1]);
    expect(() => pool.push(frame('A', 9))).toThrow(/closed/);
  });

  it('counts a failed frame by camera, hands the error on, and goes on with the next', async () => {
    const f = fakeSlots(1);
    const errors: string[] = [];
    const pool = await VisionPool.start(f.slots, INIT, { onResult: () => {}, onError: (fr, e) => errors.push(`${fr.camera}@${fr.ts}: ${e.name}: ${e.message}`) });
    pool.push(frame('A', 1));
    pool.push(frame('B', 1));
    f.pending.shift()!.reject(new TypeError('bad JPEG'));
    await tick();
    f.finish();
    await pool.idle();
    expect(errors).toEqual(['A@1: TypeError: bad JPEG']);
    expect(pool.stats()).toMatchObject({ done: 1, failed: 1, byCamera: { A: { failed: 1, done: 0 }, B: { done: 1 } } });
  });

  it('takes the JPEG from the caller: a whole buffer is moved (left detached), a view into a larger one copied', async () => {
    const f = fakeSlots(1);
    const pool = await VisionPool.start(f.slots, INIT, { onResult: () => {} });
    const mine = frame('A', 7, 1000);
    pool.push(mine);
    expect(mine.jpeg.buffer.byteLength).toBe(0); // detached
    expect(f.pending[0]!.frame.jpeg).toEqual(new Uint8Array(1000).fill(7));
    const big = new Uint8Array(100).fill(3);
    const view = big.subarray(10, 20);
    const taken = takeBytes(view);
    expect(big.byteLength).toBe(100); // untouched
    expect(taken).toEqual(new Uint8Array(10).fill(3));
    expect(taken.buffer).not.toBe(big.buffer);
    // A Node Buffer from its shared pool cannot be moved: copied.
    const pooled = Buffer.from('abc');
    expect(takeBytes(pooled)).toEqual(new Uint8Array([97, 98, 99]));
    expect(pooled.toString()).toBe('abc');
  });

  it('ends quietly on close: frames running or waiting are neither run nor reported, and idle resolves', async () => {
    const f = fakeSlots(1);
    const errors: string[] = [];
    const pool = await VisionPool.start(f.slots, INIT, { onResult: () => {}, onError: (_fr, e) => errors.push(e.message) });
    pool.push(frame('A', 1));
    pool.push(frame('B', 1)); // waits
    await pool.close();
    f.pending.shift()!.reject(new Error('vision worker 0 exited (code 1)'));
    await pool.idle();
    expect(f.pending).toHaveLength(0); // B never reached a slot
    expect(errors).toEqual([]);
  });

  it('closes every slot, the failed one too, and throws when one fails to start', async () => {
    const f = fakeSlots(3);
    const bad = { ...f.slots[1]!, init: async () => Promise.reject(new Error('no model')) };
    await expect(VisionPool.start([f.slots[0]!, bad, f.slots[2]!], INIT, { onResult: () => {} })).rejects.toThrow('no model');
    expect(f.closed.sort()).toEqual([0, 1, 2]);
  });
});

describe('VisionPool in Node with the shipped CNN', () => {
  const text = readFileSync('scenarios/layouts/apparel-compact.layout.json', 'utf8');
  const parsed = parseLayoutText(text);
  if (!parsed.ok) throw new Error('apparel-compact should load');
  const layout = new LayoutIndex(parsed.layout);
  const renderer = new FrameRenderer(layout);
  const stock = new Map([...layout.slots.values()].map((s) => [s.id, new Map([[s.sku, s.capacity]])]));
  const cameras = [...layout.cameras.keys()];
  const ts = Date.parse('2026-11-17T16:00:00Z');
  const jpegOf = (camera: string) => renderer.jpeg(camera, { ts, stock, people: [] }, { width: 1280 }).jpeg;
  const model = () => ({ modelJson: readFileSync('models/shelf-cnn/model.json', 'utf8'), weights: new Uint8Array(readFileSync('models/shelf-cnn/weights.bin')).buffer });

  for (const mode of ['in-process', 'threads'] as const) {
    it(`judges full slots of their own SKU as full and matching, on wasm (${mode})`, async () => {
      const results: FrameResult[] = [];
      const errors: Error[] = [];
      const pool = await startNodeVisionPool({ layout: text, model: model(), mode, size: 1, onResult: (r) => results.push(r), onError: (_f, e) => errors.push(e) });
      try {
        expect(pool.stats().backend).toMatchObject({ name: 'wasm', simd: true });
        expect(pool.stats().decoder).toBe('wasm'); // mozjpeg's, handed to the worker compiled
        const jpeg = jpegOf(cameras[0]!);
        pool.push({ camera: cameras[0]!, ts, jpeg });
        expect(jpeg.buffer.byteLength).toBe(0); // transferred, not copied
        pool.push({ camera: 'no-such-camera', ts, jpeg: jpegOf(cameras[1]!) });
        await pool.idle();
        expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/unknown camera no-such-camera/)]);
        expect(results).toHaveLength(1);
        const slots = results[0]!.slots;
        expect(slots.length).toBeGreaterThan(0);
        // Full, and more likely than not its own SKU (the shipped threshold, tuned for misplaced recall, flags some that are).
        expect(slots.filter((s) => s.fill === 'full' && s.matchProb > 0.5).length / slots.length).toBeGreaterThanOrEqual(0.8);
        expect(slots[0]!.crop).toHaveLength(32 * 32 * 4);
      } finally {
        await pool.close();
      }
    });
  }
});
