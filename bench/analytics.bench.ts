/**
 * The event store's append rate: readings appended through Arrow record batches into
 * DuckDB-WASM (Node's blocking build), counted back to make sure they all arrived.
 */
import type { WeightEvent } from '../src/contract/messages';
import { EventStore } from '../src/analytics/EventStore';
import { openDuckDB } from '../src/analytics/openDuckDB';
import type { Benchmark } from './harness';
import { LayoutIndex } from '../src/layout/LayoutIndex';
import { miniLayout } from '../test/fixtures/miniLayout';

const N = 1_000_000;
const BATCH = 100_000;

export const analyticsBench: Benchmark = {
  id: 'analytics',
  async run() {
    const duck = await openDuckDB();
    try {
      const store = await EventStore.open(duck.connection, new LayoutIndex({ ...miniLayout().layout, store: 'store-042' }));
      const t0 = Date.parse('2026-11-16T00:00:00Z');
      const batches: WeightEvent[][] = [];
      for (let b = 0; b < N / BATCH; b++) {
        batches.push(
          Array.from({ length: BATCH }, (_, i): WeightEvent => {
            const k = b * BATCH + i;
            return { type: 'weight', ts: t0 + k * 60, received: t0 + k * 60 + 40, seq: k, shelf: `R${k % 90}`, slot: `R${k % 90}-${k % 850}`, grams: 1000 + (k % 997) };
          }),
        );
      }
      const started = performance.now();
      for (const batch of batches) await store.append(batch);
      const seconds = (performance.now() - started) / 1000;
      const rows = await store.count('readings');
      if (rows !== N) throw new Error(`appended ${N} readings, the table has ${rows}`);
      return [{ name: `readings appended through Arrow (DuckDB-WASM ${duck.build}, Node), ${N.toLocaleString('en-US')} rows in batches of ${BATCH.toLocaleString('en-US')}`, value: N / seconds, unit: 'rows/s', target: { atLeast: 1_000_000 } }];
    } finally {
      duck.close();
    }
  },
};
