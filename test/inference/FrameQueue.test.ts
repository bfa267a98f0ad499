/**
 * The frame queue in front of the CNN workers: a camera's stale frames are dropped and
 * counted, cameras take turns, no more run than the pool has slots, push never waits, and a
 * failure neither stops the queue nor loses the count.
 */
import { describe, expect, it } from 'vitest';
import { FrameQueue } from '../../src/inference/FrameQueue';

interface Frame {
  camera: string;
  ts: number;
}

/** A pool whose work finishes only when the test says so. */
function pool() {
  const pending: { frame: Frame; slot: number; resolve: (v: string) => void; reject: (e: unknown) => void }[] = [];
  let peak = 0;
  let now = 0;
  const run = (frame: Frame, slot: number) =>
    new Promise<string>((resolve, reject) => {
      pending.push({ frame, slot, resolve, reject });
      peak = Math.max(peak, ++now);
    }).finally(() => now--);
  return { pending, run, peak: () => peak };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('FrameQueue', () => {
  it('keeps only the newest waiting frame of a camera, counting the ones it drops', async () => {
    const p = pool();
    const results: string[] = [];
    const q = new FrameQueue<Frame, string>(1, p.run, (f, r) => results.push(`${f.camera}@${f.ts}:${r}`));
    q.push({ camera: 'A', ts: 1 }); // runs at once
    q.push({ camera: 'A', ts: 2 });
    q.push({ camera: 'A', ts: 3 });
    q.push({ camera: 'A', ts: 4 }); // 2 and 3 replaced
    expect(q.stats()).toMatchObject({ running: 1, waiting: 1, dropped: 2 });
    p.pending.shift()!.resolve('ok');
    await tick();
    expect(p.pending.map((x) => x.frame.ts)).toEqual([4]);
    p.pending.shift()!.resolve('ok');
    await q.idle();
    expect(results).toEqual(['A@1:ok', 'A@4:ok']);
    expect(q.stats()).toMatchObject({ done: 2, dropped: 2, byCamera: { A: { done: 2, dropped: 2 } } });
  });

  it('lets cameras take turns, the longest waiting first, never running more than its slots', async () => {
    const p = pool();
    const order: string[] = [];
    const q = new FrameQueue<Frame, string>(2, p.run, (f) => order.push(f.camera));
    for (let t = 0; t < 5; t++) for (const c of ['A', 'B', 'C']) q.push({ camera: c, ts: t });
    expect(q.stats().running).toBe(2);
    while (p.pending.length) {
      p.pending.shift()!.resolve('ok');
      await tick();
    }
    await q.idle();
    expect(p.peak()).toBe(2);
    // A and B ran first (frame 0); C waited longest, then A and B's newest.
    expect(order.slice(0, 3).sort()).toEqual(['A', 'B', 'C']);
    expect(q.stats().done + q.stats().dropped).toBe(15);
  });

  it('push returns at once however far behind the pool is: the pool here never finishes, and 10,000 pushes still return', () => {
    const p = pool();
    const q = new FrameQueue<Frame, string>(1, p.run, () => {});
    for (let i = 0; i < 10_000; i++) q.push({ camera: `C${i % 20}`, ts: i });
    expect(q.stats()).toMatchObject({ running: 1, waiting: 20 });
    expect(q.stats().dropped).toBe(10_000 - 1 - 20);
  });

  it('counts a failure and goes on', async () => {
    const p = pool();
    const errors: unknown[] = [];
    const q = new FrameQueue<Frame, string>(1, p.run, () => {}, (_f, e) => errors.push(e));
    q.push({ camera: 'A', ts: 1 });
    q.push({ camera: 'B', ts: 1 });
    p.pending.shift()!.reject(new Error('model not loaded'));
    await tick();
    p.pending.shift()!.resolve('ok');
    await q.idle();
    expect(q.stats()).toMatchObject({ done: 1, failed: 1 });
    expect(String(errors[0])).toContain('model not loaded');
    expect(() => new FrameQueue<Frame, string>(0, p.run, () => {})).toThrow(/at least one slot/);
  });
});
