/**
 * Native DuckDB (@duckdb/node-api) behind EventStore's SqlConnection gives the same rows as
 * DuckDB-WASM: one workload (a simulated day and one event of each kind, with nulls and
 * edge values) is appended to both, and every table and a few analytic queries must read
 * back identically, column types included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../sim/scenario/parseScenario';
import { Simulator } from '../../sim/Simulator';
import type { QuarantineEntry, TwinEvent, WeightEvent } from '../../src/contract/messages';
import { EventStore, TABLE_NAMES } from '../../src/analytics/EventStore';
import { openDuckDB, type NodeDuckDB } from '../../src/analytics/openDuckDB';
import { openNativeDuckDB, type NativeDuckDB } from '../../src/analytics/openNativeDuckDB';
import { rowsToIpc } from '../../src/analytics/rowsToIpc';
import { EVENT_TABLES } from '../../src/analytics/tables';
import { Ingest } from '../../src/ingest/Ingest';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';

const ROOT = join(import.meta.dirname, '../..');
const T0 = Date.UTC(2026, 10, 16, 8, 0, 0, 123);

function apparelLayout(): LayoutIndex {
  const r = parseLayoutText(readFileSync(join(ROOT, 'scenarios/layouts/apparel-compact.layout.json'), 'utf8'));
  if (!r.ok) throw new Error('layout');
  return new LayoutIndex(r.layout);
}

/** A simulated day through the ingest pipeline, and one event of each kind the day lacks. */
function workload(layout: LayoutIndex): { batches: TwinEvent[][]; quarantine: QuarantineEntry[] } {
  const sr = parseScenarioText(readFileSync(join(ROOT, 'scenarios/baseline-apparel.scenario.json'), 'utf8'));
  if (!sr.ok) throw new Error('scenario');
  const events: TwinEvent[] = [];
  const ingest = new Ingest(layout, { onEvent: (e) => events.push(e) });
  let n = 0;
  new Simulator(layout, { ...sr.scenario, days: 1 }, { recording: (l) => ingest.pushLine(l, ++n, T0) }).run();
  ingest.pushLine('{{ not json', ++n, T0);
  const slot = [...layout.slots.values()][0]!;
  const extra: TwinEvent[] = [
    { type: 'weight', ts: T0, received: T0 + 5, seq: 2 ** 40, shelf: slot.shelf, slot: slot.id, grams: -0.25 },
    { type: 'slot_event', ts: T0, received: T0, shelf: slot.shelf, slot: slot.id, kind: 'pick', units: 2, seq: 1 },
    { type: 'rfid', ts: T0, received: T0, reader: 'R1', epc: 'E1', antenna: 2, rssi: -51.5, zone: 'z-rep' },
    { type: 'rfid', ts: T0, received: T0, reader: 'R1', epc: 'E2', antenna: null, zone: null },
    { type: 'book', ts: T0, received: T0, sku: 'SKU-X', delta: 12, reason: 'count' },
  ];
  const quarantine: QuarantineEntry[] = [
    ...ingest.quarantine.entries,
    { reason: 'bad_frame', detail: 'not a JPEG', message: { topic: 'x/frame', payload: new Uint8Array([0xff, 0xfe, 0x00]), qos: 0, retain: false, received: T0 + 1 } },
  ];
  // Several appends, as the CLI makes them, so movements carry state from one to the next.
  const batches = [events.slice(0, 40_000), events.slice(40_000, 100_000), [...events.slice(100_000), ...extra]];
  return { batches, quarantine };
}

/** Every table in full (readings summed and sampled: a day is 150,000 of them), and a few analyses. */
const QUERIES: string[] = [
  ...TABLE_NAMES.filter((t) => t !== 'readings').map((t) => `SELECT * FROM ${t} ORDER BY ALL`),
  'SELECT * FROM readings ORDER BY ALL LIMIT 500',
  'SELECT * FROM readings ORDER BY ALL DESC LIMIT 500',
  // Doubles are summed in another order by native's threads: equal to 1e-9, not to the last bit.
  'SELECT store, slot, count(*) AS n, round(sum(grams), 6) AS grams, min(ts) AS first, max(received) AS last, sum(seq) AS seqs, count(seq) AS with_seq FROM readings GROUP BY ALL ORDER BY slot',
  `SELECT m.slot, s.capacity, k.sku, k.unit_cost, sum(m.delta) AS units, sum(-m.delta * k.unit_cost)::DECIMAL(18, 2) AS cost, round(avg(m.grams), 6) AS grams
     FROM movements m JOIN slots s ON s.store = m.store AND s.slot = m.slot JOIN skus k ON k.store = m.store AND k.sku = s.sku GROUP BY ALL ORDER BY ALL`,
  `SELECT c.local_day, c.weekday, count(*) AS readings, min(c.local_minute) AS minute
     FROM readings r JOIN clock c ON c.store = r.store AND c.quarter = time_bucket(INTERVAL 15 MINUTE, r.ts) GROUP BY ALL ORDER BY ALL`,
  "SELECT sku, sum(delta) AS delta, sum(ordered) AS ordered, list(DISTINCT reason ORDER BY reason) AS reasons FROM book GROUP BY sku ORDER BY sku",
  'SELECT epoch_ms(min(ts)) AS ms, min(ts)::DATE AS day, min(ts)::TIMESTAMP AS us, count(*) FILTER (WHERE rssi IS NULL) AS no_rssi FROM rfid_reads',
  "SELECT NULL AS nothing, 1.5::FLOAT AS f, 7::HUGEINT AS h, 2::BIGINT ** 60 AS big, '2026-11-16'::DATE - 1 AS before, {'a': 1, 'b': 'z'} AS st",
];

describe('native DuckDB behind the EventStore (against DuckDB-WASM eh)', () => {
  let wasm: NodeDuckDB;
  let native: NativeDuckDB;
  let stores: { wasm: EventStore; native: EventStore };
  const layout = apparelLayout();

  beforeAll(async () => {
    [wasm, native] = await Promise.all([openDuckDB({ build: 'eh' }), openNativeDuckDB()]);
    const { batches, quarantine } = workload(layout);
    stores = { wasm: await EventStore.open(wasm.connection, layout), native: await EventStore.open(native.connection, layout) };
    for (const s of Object.values(stores)) {
      for (const b of batches) await s.append(b);
      await s.appendQuarantine(quarantine);
    }
  }, 120_000);
  afterAll(() => {
    wasm?.close();
    native?.close();
  });

  it('holds the same number of rows in every table', async () => {
    for (const t of TABLE_NAMES) expect(await stores.native.count(t), t).toBe(await stores.wasm.count(t));
    for (const t of ['readings', 'slot_events', 'rfid_reads', 'door_states', 'badges', 'detections', 'book', 'device_status', 'movements', 'quarantine', 'clock', 'skus', 'slots'])
      expect(await stores.native.count(t), t).toBeGreaterThan(0);
  });

  it.each(QUERIES)('gives identical columns and rows: %s', async (sql) => {
    const [w, n] = [await stores.wasm.select(sql), await stores.native.select(sql)];
    expect(n.columns).toEqual(w.columns);
    // Nested values are Arrow objects from WASM and plain ones from native: compare them as JSON.
    const json = (rows: unknown) => JSON.parse(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v)));
    expect(json(n.rows)).toEqual(json(w.rows));
    const scalars = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v === null || typeof v !== 'object')));
    expect(scalars(n.rows)).toEqual(scalars(w.rows));
  });

  it('returns times as epoch ms numbers and safe integers as numbers, like WASM', async () => {
    const [row] = await stores.native.query("SELECT ts, received, seq, grams FROM readings WHERE seq = 2 ** 40");
    expect(row).toEqual({ ts: T0, received: T0 + 5, seq: 2 ** 40, grams: -0.25 });
  });

  it('creates a table from the stream with create: true, and keeps nulls across chunks of 2048 rows', async () => {
    // Nulls only in the first chunk, then none: a chunk's validity must not leak into the next.
    const rows: WeightEvent[] = Array.from({ length: 5000 }, (_, i) => ({ type: 'weight', ts: T0 + i, received: T0 + i, seq: i < 100 ? undefined : i, shelf: `S${i % 3}`, slot: `S-${i % 7}`, grams: i / 4 }));
    const ipc = rowsToIpc(EVENT_TABLES.weight, 'store-q', rows);
    await wasm.connection.insertArrowFromIPCStream(ipc, { name: 'created', create: true });
    await native.connection.insertArrowFromIPCStream(ipc, { name: 'created', create: true });
    const sql = 'SELECT count(*) AS n, count(seq) AS seqs, sum(seq) AS s, count(DISTINCT slot) AS slots, max(ts) AS ts FROM created';
    const [w, n] = [(await wasm.connection.query(sql)).toArray()[0]!.toJSON(), (await native.connection.query(sql)).toArray()[0]!.toJSON()];
    expect(n).toEqual(w);
    expect(n).toMatchObject({ n: 5000n, seqs: 4900n, slots: 7n, ts: T0 + 4999 });
  });

  it('refuses a stream whose types the table does not store, and appends nothing of it', async () => {
    const before = await stores.native.count('skus');
    const readings = rowsToIpc(EVENT_TABLES.weight, layout.store, [{ type: 'weight', ts: T0, received: T0, shelf: 'A', slot: 'A', grams: 1 }]);
    // readings and skus both have 7 columns; the second is the TIMESTAMP_MS ts in one, the VARCHAR sku in the other.
    await expect(native.connection.insertArrowFromIPCStream(readings, { name: 'skus', create: false })).rejects.toThrow(/column 2 of skus is VARCHAR; the Arrow stream's "ts" is Timestamp<MILLISECOND>/);
    await expect(native.connection.insertArrowFromIPCStream(readings, { name: 'badges', create: false })).rejects.toThrow(/badges has 8 columns, the Arrow stream 7/);
    expect(await stores.native.count('skus')).toBe(before);
  });

  it("passes a bad query on as an error with DuckDB's message", async () => {
    await expect(stores.native.query('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
  });
});
