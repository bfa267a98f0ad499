/**
 * Camera frames in the event store, on both DuckDB-WASM builds and native DuckDB: stored
 * with their JPEG bytes exactly, kept out of every other table, held to a byte budget that
 * drops the oldest first and counts them, and still there when the store is opened again.
 */
import { describe, expect, it } from 'vitest';
import { DUCKDB_ENGINES, useDuckDB } from '../fixtures/duckEngines';
import { EventStore, TABLE_NAMES } from '../../src/analytics/EventStore';
import { frameChunks, keepNewest } from '../../src/analytics/frames';
import { LAYOUT_TABLES } from '../../src/analytics/layoutTables';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import type { FrameEvent, TwinEvent } from '../../src/contract/messages';
import type { Problem } from '../../src/core/Problem';
import { miniLayout } from '../fixtures/miniLayout';

const T0 = Date.UTC(2026, 10, 16, 14, 0, 0, 250);
const SEC = 1000;

/** A JPEG-looking payload of `size` bytes: the SOI marker, then every byte value (zeros included), seeded by `seed`. */
function jpeg(size: number, seed = 0): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 17 + (i >> 8)) & 0xff;
  b.set([0xff, 0xd8, 0xff].slice(0, size));
  return b;
}

const frame = (camera: string, ts: number, bytes: Uint8Array, tsSource: FrameEvent['tsSource'] = 'property'): FrameEvent =>
  ({ type: 'frame', ts, received: ts + 40, camera, jpeg: bytes, tsSource });

describe.each(DUCKDB_ENGINES)('frames on DuckDB %s (Node)', (build) => {
  const duck = useDuckDB(build);
  const open = (options: Parameters<typeof EventStore.open>[2] = {}) => EventStore.open(duck.connection, miniLayout(), options);

  it('stores each frame with its camera, times and JPEG bytes, exactly', async () => {
    const store = await open();
    const big = jpeg(150_000, 1);
    const small = jpeg(3, 2);
    const frames = [frame('C1', T0, big), frame('C2', T0 + SEC, small, 'arrival'), frame('C1', T0 + 2 * SEC, jpeg(1000, 3))];
    const weight: TwinEvent = { type: 'weight', ts: T0, received: T0, shelf: 'A', slot: 'A-0-0', grams: 10 };
    expect(await store.append([...frames, weight])).toEqual({ frames: 3, readings: 1, movements: 1 });
    expect(await store.count('frames')).toBe(3);
    const rows = await store.query('SELECT store, camera, epoch_ms(ts) AS ts, epoch_ms(received) AS received, ts_source, size, jpeg FROM frames ORDER BY ts');
    expect(rows.map(({ jpeg: _, ...r }) => r)).toEqual([
      { store: 'store-t1', camera: 'C1', ts: T0, received: T0 + 40, ts_source: 'property', size: 150_000 },
      { store: 'store-t1', camera: 'C2', ts: T0 + SEC, received: T0 + SEC + 40, ts_source: 'arrival', size: 3 },
      { store: 'store-t1', camera: 'C1', ts: T0 + 2 * SEC, received: T0 + 2 * SEC + 40, ts_source: 'property', size: 1000 },
    ]);
    rows.forEach((r, i) => {
      expect(r.jpeg).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(r.jpeg as Uint8Array).equals(Buffer.from(frames[i]!.jpeg)), `frame ${i}`).toBe(true);
    });
    // DuckDB itself sees the bytes: their length and the JPEG marker.
    expect(await store.query("SELECT octet_length(jpeg) AS n, hex(jpeg[1:3]) AS head FROM frames ORDER BY ts")).toEqual([
      { n: 150_000, head: 'FFD8FF' },
      { n: 3, head: 'FFD8FF' },
      { n: 1000, head: 'FFD8FF' },
    ]);
    expect(store.frames()).toEqual({ bytes: 151_003, budgetBytes: 256 * 1024 * 1024, dropped: 0, droppedBytes: 0 });
    expect(store.problems()).toEqual([]);
  });

  it('keeps frames out of every other table, the clock included', async () => {
    const store = await open();
    expect(await store.append([frame('C1', T0, jpeg(500))])).toEqual({ frames: 1 });
    const layoutTables = new Set(LAYOUT_TABLES.map((t) => t.spec.name));
    for (const t of TABLE_NAMES) if (t !== 'frames' && !layoutTables.has(t)) expect(await store.count(t), t).toBe(0);
  });

  it('drops the oldest frames beyond the budget, keeps the newest, and counts what it dropped', async () => {
    const problems: Problem[] = [];
    const store = await open({ frameBudgetBytes: 1000, onProblem: (p) => problems.push(p) });
    // Five frames of 300 bytes in two appends, out of time order: 1,500 bytes, so the two oldest go.
    const at = (s: number) => frame(s % 2 ? 'C1' : 'C2', T0 + s * SEC, jpeg(300, s));
    expect(await store.append([3, 0, 1].map(at))).toEqual({ frames: 3 });
    expect(store.frames()).toEqual({ bytes: 900, budgetBytes: 1000, dropped: 0, droppedBytes: 0 });
    expect(problems).toEqual([]);
    expect(await store.append([4, 2].map(at))).toEqual({ frames: 2 });
    const kept = async () => (await store.query('SELECT epoch_ms(ts) AS ts FROM frames ORDER BY ts')).map((r) => (Number(r.ts) - T0) / SEC);
    expect(await kept()).toEqual([2, 3, 4]);
    expect(store.frames()).toEqual({ bytes: 900, budgetBytes: 1000, dropped: 2, droppedBytes: 600 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ id: 'event-store-frames-thinned', severity: 'info' });
    expect(problems[0]!.message).toMatch(/^2 older camera frames .* dropped/);
    expect(store.problems()).toEqual([problems[0]]);

    // A newer frame pushes out the oldest kept one.
    await store.append([frame('C1', T0 + 10 * SEC, jpeg(200, 10))]);
    expect(await kept()).toEqual([3, 4, 10]);
    expect(store.frames()).toMatchObject({ bytes: 800, dropped: 3, droppedBytes: 900 });
    expect(problems.at(-1)!.message).toMatch(/^3 older camera frames/);

    // A batch larger than the whole budget loses its oldest before it is written; the newest
    // frame is kept even when it alone is over the budget.
    expect(await store.append([frame('C1', T0 + 20 * SEC, jpeg(600)), frame('C1', T0 + 21 * SEC, jpeg(1500))])).toEqual({ frames: 1 });
    expect(await kept()).toEqual([21]);
    expect(store.frames()).toMatchObject({ bytes: 1500, dropped: 7, droppedBytes: 900 + 600 + 800 });
    const [row] = await store.query('SELECT size, octet_length(jpeg) AS n FROM frames');
    expect(row).toEqual({ size: 1500, n: 1500 });
  });

  it('budgets each store on its own', async () => {
    const a = await EventStore.open(duck.connection, miniLayout(), { frameBudgetBytes: 500 });
    const b = await EventStore.open(duck.connection, new LayoutIndex({ ...miniLayout().layout, store: 'store-b' }), { frameBudgetBytes: 500 });
    await b.append([frame('C1', T0, jpeg(400)), frame('C1', T0 + SEC, jpeg(100))]);
    await a.append([frame('C1', T0 + 5 * SEC, jpeg(400)), frame('C1', T0 + 6 * SEC, jpeg(400))]);
    expect(await a.query('SELECT store, count(*) AS n, sum(size) AS bytes FROM frames GROUP BY store ORDER BY store')).toEqual([
      { store: 'store-b', n: 2, bytes: 500 },
      { store: 'store-t1', n: 1, bytes: 400 },
    ]);
    expect(a.frames().dropped).toBe(1);
    expect(b.frames().dropped).toBe(0);
  });

  it('keeps frames when the store is opened again, and budgets them with the new ones', async () => {
    const before = await open({ frameBudgetBytes: 1000 });
    const old = [frame('C1', T0, jpeg(400, 7)), frame('C2', T0 + SEC, jpeg(400, 8))];
    await before.append(old);
    await duck.connection.query('CHECKPOINT');

    const again = await open({ frameBudgetBytes: 1000 });
    expect(again.frames()).toEqual({ bytes: 800, budgetBytes: 1000, dropped: 0, droppedBytes: 0 });
    const rows = await again.query('SELECT camera, jpeg FROM frames ORDER BY ts');
    expect(rows.map((r) => r.camera)).toEqual(['C1', 'C2']);
    expect(Buffer.from(rows[1]!.jpeg as Uint8Array).equals(Buffer.from(old[1]!.jpeg))).toBe(true);
    // 800 kept + 400 new is over 1,000: the oldest of the earlier session goes.
    await again.append([frame('C1', T0 + 2 * SEC, jpeg(400, 9))]);
    expect((await again.query('SELECT epoch_ms(ts) AS ts FROM frames ORDER BY ts')).map((r) => r.ts)).toEqual([T0 + SEC, T0 + 2 * SEC]);
    expect(again.frames()).toMatchObject({ bytes: 800, dropped: 1, droppedBytes: 400 });
  });
});

describe('the frame budget in one batch, and chunking', () => {
  it('keeps the newest frames that fit, in batch order', () => {
    const fs = [frame('C1', T0 + 2, jpeg(10)), frame('C1', T0, jpeg(10)), frame('C2', T0 + 1, jpeg(10))];
    expect(keepNewest(fs, 30).kept).toEqual(fs);
    const r = keepNewest(fs, 25);
    expect(r.kept).toEqual([fs[0], fs[2]]);
    expect(r.dropped).toEqual([fs[1]]);
    expect(keepNewest(fs, 0).kept).toEqual([fs[0]]);
  });

  it('splits frames into chunks of at most the given bytes', () => {
    const fs = [10, 10, 10, 25, 5].map((n, i) => frame('C1', T0 + i, jpeg(n)));
    expect(frameChunks(fs, 20).map((c) => c.map((f) => f.jpeg.length))).toEqual([[10, 10], [10], [25], [5]]);
  });
});
