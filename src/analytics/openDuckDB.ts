/**
 * DuckDB-WASM in Node, on the blocking bundle (no worker): an in-memory database and one
 * connection for an EventStore. The page will open its own (async, in a worker) and hand
 * the EventStore that connection instead; only this file knows how DuckDB is started.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  createDuckDB,
  getPlatformFeatures,
  NODE_RUNTIME,
  VoidLogger,
  type DuckDBBindings,
  type DuckDBBundles,
  type DuckDBConnection,
} from '@duckdb/duckdb-wasm/blocking';

/** The WebAssembly builds shipped: `mvp` runs everywhere, `eh` needs WebAssembly exceptions (Node 20 has them). */
export type DuckDBBuild = 'mvp' | 'eh';

export interface NodeDuckDB {
  readonly build: DuckDBBuild;
  readonly db: DuckDBBindings;
  readonly connection: DuckDBConnection;
  close(): void;
}

export async function openDuckDB(options: { build?: DuckDBBuild } = {}): Promise<NodeDuckDB> {
  const dist = dirname(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm'));
  const mvp = { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' };
  const eh = { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' };
  const canEh = (await getPlatformFeatures()).wasmExceptions;
  const build = options.build ?? (canEh ? 'eh' : 'mvp');
  if (build === 'eh' && !canEh) throw new Error('this runtime has no WebAssembly exceptions, so DuckDB\'s "eh" build cannot run');
  // createDuckDB takes eh whenever it is offered and the runtime can run it.
  const bundles: DuckDBBundles = build === 'eh' ? { mvp, eh } : { mvp };
  const db = await createDuckDB(bundles, new VoidLogger(), NODE_RUNTIME);
  await db.instantiate(() => {});
  // HUGEINT (what SUM over integers returns) and DECIMAL come back as doubles, not as
  // 128-bit word arrays.
  db.open({ query: { castDecimalToDouble: true } });
  const connection = db.connect();
  return {
    build,
    db,
    connection,
    close() {
      connection.close();
      db.reset();
    },
  };
}
