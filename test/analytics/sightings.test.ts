/**
 * The shelf CNN's verdicts in the event store, on both DuckDB-WASM builds and native DuckDB:
 * a frame's result becomes one `slot_sightings` row a judged slot (store id and crop bytes
 * kept), and the inspector's readers find a slot's latest verdict and a camera's latest
 * frame at the time shown, the load cell's units at the verdict's time beside it.
 */
import { describe, expect, it } from 'vitest';
import { DUCKDB_ENGINES, useDuckDB } from '../fixtures/duckEngines';
import { EventStore } from '../../src/analytics/EventStore';
import { latestFrame, latestSighting } from '../../src/analytics/history/visionAt';
import type { TwinEvent } from '../../src/contract/messages';
import { sightingRows } from '../../src/inference/sightingRows';
import type { FrameResult, SlotSighting } from '../../src/inference/VisionRunner';
import { miniLayout } from '../fixtures/miniLayout';

const T0 = Date.UTC(2026, 10, 16, 14, 0, 0);
const MIN = 60_000;

/** A 64 x 16 RGBA crop whose bytes say which it is. */
function crop(seed: number): Uint8Array {
  const c = new Uint8Array(64 * 16 * 4);
  for (let i = 0; i < c.length; i++) c[i] = (i * 7 + seed * 13) & 0xff;
  return c;
}

function sighting(slot: string, ts: number, over: Partial<SlotSighting> = {}): SlotSighting {
  return { slot, camera: 'C1', ts, plannedSku: 'SKU1', fill: 'half', fillProb: 0.8, match: true, matchProb: 0.9, light: 0.4, crop: crop((ts - T0) / MIN), cropWidth: 64, ...over };
}

function result(ts: number, slots: SlotSighting[]): FrameResult {
  return { camera: 'C1', ts, width: 320, height: 180, light: 0.4, slots, ms: 12 };
}

describe('sightingRows', () => {
  it('makes one row a judged slot with its verdict and crop', () => {
    const r = result(T0, [sighting('A-0-0', T0), sighting('A-0-1', T0, { fill: 'empty', match: false, matchProb: 0.2, light: undefined })]);
    const rows = sightingRows(r);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({ camera: 'C1', slot: 'A-0-1', ts: T0, plannedSku: 'SKU1', fill: 'empty', fillProb: 0.8, match: false, matchProb: 0.2, light: 0.4, crop: r.slots[1]!.crop, cropWidth: 64 });
    expect(sightingRows(result(T0, []))).toEqual([]);
  });
});

describe.each(DUCKDB_ENGINES)('slot sightings on DuckDB %s (Node)', (build) => {
  const duck = useDuckDB(build);

  it('appends a frame result’s rows and reads each slot’s latest verdict at a time', async () => {
    const store = await EventStore.open(duck.connection, miniLayout());
    const q = (sql: string) => store.query(sql);
    expect(await latestSighting(q, store.store, 'A-0-0', null)).toBeNull();

    expect(await store.appendSightings(sightingRows(result(T0, [sighting('A-0-0', T0), sighting('A-0-1', T0)])))).toBe(2);
    expect(await store.appendSightings(sightingRows(result(T0 + 10 * MIN, [sighting('A-0-0', T0 + 10 * MIN, { fill: 'low', fillProb: 0.7, match: false, matchProb: 0.1 })])))).toBe(1);
    expect(await store.count('slot_sightings')).toBe(3);
    expect(await store.query(`SELECT DISTINCT store FROM slot_sightings`)).toEqual([{ store: 'store-t1' }]);

    // The load cell: 10 units from T0 - 1 min, then 4 from T0 + 5 min.
    await store.append([
      { type: 'weight', ts: T0 - MIN, received: T0 - MIN, shelf: 'A', slot: 'A-0-0', grams: 10 * 500 },
      { type: 'weight', ts: T0 + 5 * MIN, received: T0 + 5 * MIN, shelf: 'A', slot: 'A-0-0', grams: 4 * 500 },
    ]);

    const latest = await latestSighting(q, store.store, 'A-0-0', null);
    expect(latest).toMatchObject({ slot: 'A-0-0', camera: 'C1', ts: T0 + 10 * MIN, plannedSku: 'SKU1', fill: 'low', fillProb: 0.7, match: false, matchProb: 0.1, units: 4, cropWidth: 64 });
    expect(Buffer.from(latest!.crop).equals(Buffer.from(crop(10)))).toBe(true);

    // At a time between the two: the first, with the units then.
    const then = await latestSighting(q, store.store, 'A-0-0', T0 + 9 * MIN);
    expect(then).toMatchObject({ ts: T0, fill: 'half', match: true, units: 10 });
    expect(Buffer.from(then!.crop).equals(Buffer.from(crop(0)))).toBe(true);
    expect(await latestSighting(q, store.store, 'A-0-0', T0 - 1)).toBeNull();
    // A slot with no reading: no units.
    expect(await latestSighting(q, store.store, 'A-0-1', null)).toMatchObject({ ts: T0, units: null });
    // Another store's rows are not this store's.
    expect(await latestSighting(q, 'store-x', 'A-0-0', null)).toBeNull();
  });

  it('reads a camera’s latest frame up to a time, bytes and all', async () => {
    const store = await EventStore.open(duck.connection, miniLayout());
    const q = (sql: string) => store.query(sql);
    const jpeg = (n: number) => new Uint8Array([0xff, 0xd8, 0xff, n, n + 1]);
    await store.append([0, 5, 10].map((m): TwinEvent => ({ type: 'frame', ts: T0 + m * MIN, received: T0 + m * MIN + 40, camera: 'C1', jpeg: jpeg(m), tsSource: 'property' })));
    expect(await store.count('frames')).toBe(3);
    expect(await latestFrame(q, store.store, 'C1', T0 - 1)).toBeNull();
    const f = await latestFrame(q, store.store, 'C1', T0 + 7 * MIN);
    expect(f).toMatchObject({ camera: 'C1', ts: T0 + 5 * MIN, tsSource: 'property' });
    expect([...f!.jpeg]).toEqual([...jpeg(5)]);
    expect((await latestFrame(q, store.store, 'C1', null))?.ts).toBe(T0 + 10 * MIN);
    expect(await latestFrame(q, store.store, 'C2', null)).toBeNull();
  });
});
