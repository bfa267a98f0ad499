import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WeightEvent } from '../../src/contract/messages';
import { ipcToParquet, type ParquetWasm } from '../../src/analytics/ipcToParquet';
import { openNativeDuckDB } from '../../src/analytics/openNativeDuckDB';
import { rowsToIpc } from '../../src/analytics/rowsToIpc';
import { EVENT_TABLES, type TableSpec } from '../../src/analytics/tables';

describe('ipcToParquet (parquet-wasm, the Node build of what the page loads)', () => {
  it('writes a Parquet file that DuckDB reads back with the same rows and types', async () => {
    const pq = (await import('parquet-wasm')) as unknown as ParquetWasm;
    const T0 = Date.UTC(2026, 10, 16, 8);
    const rows: WeightEvent[] = Array.from({ length: 5000 }, (_, i) => ({
      type: 'weight', ts: T0 + i * 1000, received: T0 + i * 1000 + 7, shelf: `S${i % 3}`, slot: `S${i % 3}-${i % 5}`, grams: i / 4, ...(i % 2 ? { seq: i } : {}),
    }));
    const bytes = ipcToParquet(pq, rowsToIpc(EVENT_TABLES.weight as TableSpec<WeightEvent>, 'store-9', rows));
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('PAR1');
    const file = join(mkdtempSync(join(tmpdir(), 'pq-')), 'readings.parquet');
    writeFileSync(file, bytes);
    const native = await openNativeDuckDB();
    try {
      const q = async (sql: string) => (await native.connection.query(sql)).toArray().map((r) => r.toJSON());
      expect(await q(`SELECT count(*) AS n, count(seq) AS seqs, sum(grams) AS g, epoch_ms(max(ts)) AS last, count(DISTINCT slot) AS slots, any_value(store) AS store FROM '${file}'`)).toEqual([
        { n: 5000n, seqs: 2500n, g: (4999 * 5000) / 2 / 4, last: BigInt(T0 + 4999_000), slots: 15n, store: 'store-9' },
      ]);
      const types = Object.fromEntries((await q(`DESCRIBE SELECT * FROM '${file}'`)).map((r) => [r.column_name, r.column_type]));
      expect(types).toMatchObject({ store: 'VARCHAR', ts: 'TIMESTAMP', grams: 'DOUBLE', seq: 'BIGINT' });
    } finally {
      native.close();
    }
  });
});
