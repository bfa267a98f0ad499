import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventStore, TABLE_NAMES } from '../../src/analytics/EventStore';
import { openDuckDB, type DuckDBBuild, type NodeDuckDB } from '../../src/analytics/openDuckDB';
import { StoreWriter, type StoreSink } from '../../src/analytics/StoreWriter';
import type { QuarantineEntry, TwinEvent } from '../../src/contract/messages';
import type { Problem } from '../../src/core/Problem';
import { miniLayout } from '../fixtures/miniLayout';

const T0 = Date.UTC(2026, 10, 16, 8, 0, 0);

/** Batch `b` of a feed: two load-cell readings, a book movement and a door. */
function batch(b: number): TwinEvent[] {
  const ts = T0 + b * 60_000;
  return [
    { type: 'weight', ts, received: ts, shelf: 'A', slot: 'A-0-0', grams: 500 * (b % 7) },
    { type: 'weight', ts: ts + 1, received: ts + 1, shelf: 'A', slot: 'A-0-1', grams: 250 },
    { type: 'book', ts, received: ts, sku: 'SKU1', delta: -1, reason: 'sale', ref: `POS-${b}` },
    { type: 'door_state', ts, received: ts, door: 'D1', open: b % 2 === 0 },
  ];
}

const BAD: QuarantineEntry = {
  reason: 'bad_json',
  detail: 'payload is not JSON',
  message: { topic: 'backroom/v1/store-t1/door/D1/state', payload: '{oops', qos: 1, retain: false, received: T0 },
};

/** The real store, with every call it gets written down; `failOn` makes append throw for a batch holding that ref. */
function recording(store: EventStore, failOn?: string) {
  const calls: string[] = [];
  const sink: StoreSink = {
    append: async (events) => {
      calls.push(`append ${events.length}`);
      if (failOn && events.some((e) => e.type === 'book' && e.ref === failOn)) throw new Error('disk full');
      return store.append(events);
    },
    appendQuarantine: async (entries) => {
      calls.push(`quarantine ${entries.length}`);
      return store.appendQuarantine(entries);
    },
    query: async (sql) => {
      calls.push(sql);
      return store.query(sql);
    },
  };
  return { sink, calls };
}

describe.each<DuckDBBuild>(['mvp', 'eh'])('StoreWriter into the event store on DuckDB-WASM %s (Node, blocking)', (build) => {
  let duck: NodeDuckDB;
  beforeAll(async () => {
    duck = await openDuckDB({ build });
  });
  afterAll(() => duck.close());
  afterEach(() => {
    for (const t of TABLE_NAMES) duck.connection.query(`DROP TABLE IF EXISTS ${t}`);
  });
  const open = () => EventStore.open(duck.connection, miniLayout());

  it('returns at once, then appends every queued batch in order and checkpoints when the queue runs dry', async () => {
    const store = await open();
    const { sink, calls } = recording(store);
    const writer = new StoreWriter(sink);
    for (let b = 0; b < 10; b++) writer.enqueue(batch(b), b === 3 ? [BAD] : []);
    // Nothing has touched the database yet: enqueue never waits for it.
    expect(calls).toEqual([]);
    await writer.flushed();

    expect(await store.count('readings')).toBe(20);
    expect(await store.count('book')).toBe(10);
    expect(await store.count('door_states')).toBe(10);
    expect(await store.count('quarantine')).toBe(1);
    // In the order they came: the book's refs by arrival.
    const refs = (await store.query('SELECT ref FROM book')).map((r) => r.ref);
    expect(refs).toEqual(Array.from({ length: 10 }, (_, b) => `POS-${b}`));
    // The first batch went alone (nothing queued behind it yet); the other nine, queued meanwhile, as one append.
    expect(calls).toEqual(['append 4', 'append 36', 'quarantine 1', 'CHECKPOINT']);
    expect(writer.stats()).toEqual({ events: 40, quarantined: 1, pending: 0, lost: 0, checkpoints: 1 });
    expect(writer.problems()).toEqual([]);
  });

  it('takes batches that arrive while it appends, and checkpoints once per burst', async () => {
    const store = await open();
    const { sink, calls } = recording(store);
    const writer = new StoreWriter(sink, { maxMerge: 8 });
    writer.enqueue(batch(0));
    const first = writer.flushed();
    writer.enqueue(batch(1));
    writer.enqueue(batch(2));
    writer.enqueue(batch(3));
    await first;
    // maxMerge 8: batches 1 and 2 together, then 3.
    expect(calls).toEqual(['append 4', 'append 8', 'append 4', 'CHECKPOINT']);
    writer.enqueue(batch(4));
    await writer.flushed();
    expect(calls.filter((c) => c === 'CHECKPOINT')).toHaveLength(2);
    expect(await store.count('readings')).toBe(10);
    // Movements are derived across batch boundaries as if the feed had come in one piece.
    expect(await store.count('movements')).toBeGreaterThan(0);
  });

  it('turns a failed append into a problem record and goes on with the next batches', async () => {
    const store = await open();
    const { sink } = recording(store, 'POS-1');
    const seen: Problem[] = [];
    const writer = new StoreWriter(sink, { onProblem: (p) => seen.push(p) });
    writer.enqueue(batch(0));
    await writer.flushed();
    writer.enqueue(batch(1));
    await writer.flushed();
    writer.enqueue(batch(2));
    await writer.flushed();

    expect(await store.count('book')).toBe(2);
    expect(writer.stats()).toMatchObject({ events: 8, lost: 4 });
    expect(writer.problems()).toEqual([
      { id: 'event-store-append', severity: 'error', message: '4 messages could not be saved to the event store: disk full', tip: expect.any(String) },
    ]);
    expect(seen).toHaveLength(1);
  });

  it('holds batches until the store has opened', async () => {
    let resolve!: (s: EventStore) => void;
    const writer = new StoreWriter(new Promise<EventStore>((r) => (resolve = r)));
    writer.enqueue(batch(0));
    writer.enqueue(batch(1));
    expect(writer.stats().pending).toBe(4);
    const store = await open();
    resolve(store);
    await writer.flushed();
    expect(await store.count('readings')).toBe(4);
    expect(writer.stats()).toMatchObject({ events: 8, pending: 0, checkpoints: 1 });
  });

  it('reports a store that never opened instead of throwing', async () => {
    const writer = new StoreWriter(Promise.reject(new Error('no OPFS and no memory either')));
    writer.enqueue(batch(0), [BAD]);
    await writer.flushed();
    expect(writer.stats()).toMatchObject({ events: 0, lost: 5 });
    expect(writer.problems()[0]?.message).toMatch(/5 messages could not be saved.*no OPFS and no memory either/);
  });

  it('reports a failed checkpoint as a warning and keeps the rows', async () => {
    const store = await open();
    const sink: StoreSink = {
      append: (e) => store.append(e),
      appendQuarantine: (q) => store.appendQuarantine(q),
      query: async (sql) => {
        if (sql === 'CHECKPOINT') throw new Error('cannot checkpoint');
        return store.query(sql);
      },
    };
    const writer = new StoreWriter(sink);
    writer.enqueue(batch(0));
    await writer.flushed();
    expect(await store.count('readings')).toBe(2);
    expect(writer.problems()).toEqual([expect.objectContaining({ id: 'event-store-checkpoint', severity: 'warning' })]);
  });

  it("tries a checkpoint again while another connection's query holds a transaction, and reports nothing", async () => {
    const store = await open();
    let refusals = 2;
    const sink: StoreSink = {
      append: (e) => store.append(e),
      appendQuarantine: (q) => store.appendQuarantine(q),
      query: async (sql) => {
        if (sql === 'CHECKPOINT' && refusals-- > 0) throw new Error('TransactionContext Error: Cannot CHECKPOINT: there are other write transactions active. Try using FORCE CHECKPOINT to wait until all active transactions are finished');
        return store.query(sql);
      },
    };
    const writer = new StoreWriter(sink);
    writer.enqueue(batch(0));
    await writer.flushed();
    expect(refusals).toBe(-1);
    expect(writer.stats().checkpoints).toBe(1);
    expect(writer.problems()).toEqual([]);
  });
});
