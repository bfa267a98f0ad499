/**
 * The event store on DuckDB-WASM (Node's blocking build) and on native DuckDB
 * (@duckdb/node-api), in one run so the two compare as a ratio: readings appended through
 * Arrow record batches and counted back, then one aggregate over all of them.
 */
import type { WeightEvent } from '../src/contract/messages';
import { EventStore, type SqlConnection } from '../src/analytics/EventStore';
import { openDuckDB } from '../src/analytics/openDuckDB';
import { openNativeDuckDB } from '../src/analytics/openNativeDuckDB';
import type { Benchmark, Figure } from './harness';
import { LayoutIndex } from '../src/layout/LayoutIndex';
import { miniLayout } from '../test/fixtures/miniLayout';

const N = 1_000_000;
const BATCH = 100_000;
const AGGREGATE = 'SELECT slot, count(*) AS n, avg(grams) AS grams, max(ts) AS last FROM readings GROUP BY slot';

function batches(): WeightEvent[][] {
  const t0 = Date.parse('2026-11-16T00:00:00Z');
  return Array.from({ length: N / BATCH }, (_, b) =>
    Array.from({ length: BATCH }, (_, i): WeightEvent => {
      const k = b * BATCH + i;
      return { type: 'weight', ts: t0 + k * 60, received: t0 + k * 60 + 40, seq: k, shelf: `R${k % 90}`, slot: `R${k % 90}-${k % 850}`, grams: 1000 + (k % 997) };
    }),
  );
}

async function measure(engine: string, db: { connection: SqlConnection; close(): void }, data: WeightEvent[][]): Promise<Figure[]> {
  try {
    const store = await EventStore.open(db.connection, new LayoutIndex({ ...miniLayout().layout, store: 'store-042' }));
    const started = performance.now();
    for (const batch of data) await store.append(batch);
    const seconds = (performance.now() - started) / 1000;
    const rows = await store.count('readings');
    if (rows !== N) throw new Error(`${engine}: appended ${N} readings, the table has ${rows}`);
    await store.query(AGGREGATE);
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await store.query(AGGREGATE);
      best = Math.min(best, performance.now() - t);
    }
    return [
      { name: `readings appended through Arrow (${engine}, Node), ${N.toLocaleString('en-US')} rows in batches of ${BATCH.toLocaleString('en-US')}`, value: N / seconds, unit: 'rows/s', target: { atLeast: 1_000_000 } },
      { name: `GROUP BY slot over ${N.toLocaleString('en-US')} readings, 850 rows back (${engine}), best of 3`, value: best, unit: 'ms' },
    ];
  } finally {
    db.close();
  }
}

export const analyticsBench: Benchmark = {
  id: 'analytics',
  async run() {
    const data = batches();
    const wasm = await openDuckDB();
    const figures = await measure(`DuckDB-WASM ${wasm.build}`, wasm, data);
    const native = await openNativeDuckDB();
    figures.push(...(await measure(`native DuckDB ${native.version}`, native, data)));
    return figures;
  },
};
