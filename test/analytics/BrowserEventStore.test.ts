import { afterEach, describe, expect, it } from 'vitest';
import { BrowserEventStore, type OpenedDatabase } from '../../src/analytics/BrowserEventStore';
import { openDuckDB, type NodeDuckDB } from '../../src/analytics/openDuckDB';
import type { TwinEvent } from '../../src/contract/messages';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { miniLayout } from '../fixtures/miniLayout';

const T0 = Date.UTC(2026, 10, 16, 8, 0, 0);
const reading = (i: number): TwinEvent => ({ type: 'weight', ts: T0 + i * 1000, received: T0 + i * 1000, shelf: 'A', slot: 'A-0-0', grams: 500 * (i % 3) });

// The page's store over Node's blocking DuckDB (the browser's opener is covered by test/e2e/analyticsPersistence.test.ts).
describe('BrowserEventStore', () => {
  let duck: NodeDuckDB | undefined;
  afterEach(() => duck?.close());
  const memory = async (): Promise<OpenedDatabase> => {
    duck = await openDuckDB();
    return { connection: duck.connection, persistence: 'memory', reason: 'a test' };
  };

  it('opens DuckDB on the first batch, not before, and appends what it is given', async () => {
    let opened = 0;
    const store = new BrowserEventStore({ openDatabase: () => (opened++, memory()), savedStoreExists: async () => false });
    await store.openIfSaved();
    expect(opened).toBe(0);
    expect(store.status()).toEqual({ state: 'closed', problems: [] });
    const layout = miniLayout();
    store.useLayout(layout);
    store.enqueue(layout, [reading(0), reading(1)]);
    store.enqueue(layout, [reading(2)]);
    expect(store.status().state).toBe('opening');
    await store.flushed();
    expect(opened).toBe(1);
    expect(store.status()).toEqual({ state: 'open', persistence: 'memory', reason: 'a test', problems: [] });
    expect(await store.count('readings')).toBe(3);
  });

  it('opens at start-up when the browser holds a saved store', async () => {
    const changes: string[] = [];
    const store = new BrowserEventStore({ openDatabase: memory, savedStoreExists: async () => true, onChange: () => changes.push(store.status().state) });
    await store.openIfSaved();
    await expect.poll(() => store.persistence()).toBe('memory');
    expect(changes).toEqual(['opening', 'open']);
  });

  it('keeps each layout\'s rows under its own store id', async () => {
    const store = new BrowserEventStore({ openDatabase: memory });
    const a = miniLayout();
    const b = new LayoutIndex({ ...a.layout, store: 'store-b' });
    store.enqueue(a, [reading(0)]);
    store.enqueue(b, [reading(1), reading(2)]);
    await store.flushed();
    expect(await store.query('SELECT store, count(*) AS n FROM readings GROUP BY store ORDER BY store')).toEqual([
      { store: 'store-b', n: 2 },
      { store: 'store-t1', n: 1 },
    ]);
  });

  it('stores camera frames, and reports the frames the byte budget drops as a problem in its status', async () => {
    const changes: number[] = [];
    const store = new BrowserEventStore({ openDatabase: memory, frameBudgetBytes: 250, onChange: () => changes.push(store.status().problems.length) });
    const layout = miniLayout();
    const frame = (i: number): TwinEvent => ({ type: 'frame', ts: T0 + i * 1000, received: T0 + i * 1000, camera: 'C1', jpeg: new Uint8Array(100).fill(i), tsSource: 'property' });
    store.enqueue(layout, [frame(0), frame(1)]);
    await store.flushed();
    expect(store.status().problems).toEqual([]);
    store.enqueue(layout, [frame(2), frame(3)]);
    await store.flushed();
    expect(await store.query('SELECT epoch_ms(ts) AS ts, size FROM frames ORDER BY ts')).toEqual([
      { ts: T0 + 2000, size: 100 },
      { ts: T0 + 3000, size: 100 },
    ]);
    expect(store.status().problems).toEqual([expect.objectContaining({ id: 'event-store-frames-thinned', severity: 'info', message: expect.stringMatching(/^2 older camera frames/) })]);
    expect(changes.at(-1)).toBe(1);
    expect((await store.schema()).find((t) => t.table === 'frames')?.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'store VARCHAR', 'camera VARCHAR', 'ts TIMESTAMP_MS', 'received TIMESTAMP_MS', 'ts_source VARCHAR', 'size INTEGER', 'jpeg BLOB',
    ]);
  });

  it('turns a database that will not start into a status and a problem, not an exception', async () => {
    const store = new BrowserEventStore({ openDatabase: () => Promise.reject(new Error('no wasm here')) });
    const layout = miniLayout();
    store.enqueue(layout, [reading(0)]);
    await store.flushed();
    expect(store.status()).toMatchObject({ state: 'failed', reason: 'the event store could not start: no wasm here' });
    expect(store.status().problems).toEqual([expect.objectContaining({ id: 'event-store-append', severity: 'error' })]);
    await expect(store.count('readings')).rejects.toThrow(/no wasm here/);
  });

  it('selects the columns with their types and the first rows only, saying how many there were', async () => {
    const store = new BrowserEventStore({ openDatabase: memory });
    const layout = miniLayout();
    store.enqueue(layout, [reading(0), reading(1), reading(2)]);
    await store.flushed();
    const result = await store.select('SELECT ts, grams, count(*) OVER () AS n FROM readings ORDER BY ts', { limit: 2 });
    expect(result.total).toBe(3);
    expect(result.columns).toEqual([
      { name: 'ts', type: expect.stringMatching(/^Timestamp/) },
      { name: 'grams', type: expect.any(String) },
      { name: 'n', type: 'Int64' },
    ]);
    expect(result.rows).toEqual([{ ts: T0, grams: 0, n: 3 }, { ts: T0 + 1000, grams: 500, n: 3 }]);
  });

  it('describes every table of the store with its columns', async () => {
    const store = new BrowserEventStore({ openDatabase: memory });
    store.useLayout(miniLayout());
    const schema = await store.schema();
    const readings = schema.find((t) => t.table === 'readings');
    expect(readings?.columns[0]).toEqual({ name: 'store', type: 'VARCHAR' });
    expect(readings?.columns).toContainEqual({ name: 'ts', type: expect.stringMatching(/^TIMESTAMP/) });
    expect(schema.map((t) => t.table)).toEqual(expect.arrayContaining(['readings', 'movements', 'quarantine', 'slots']));
  });
});

