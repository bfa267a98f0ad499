/**
 * Native DuckDB in Node (@duckdb/node-api, whose prebuilt binary comes as an npm optional
 * dependency): an in-memory database and one connection that an EventStore takes like the
 * WASM one (openDuckDB.ts), returning the same plain rows. Node only; the page keeps
 * DuckDB-WASM. It is here for what WASM cannot do offline (Parquet: its parquet extension
 * is a download, the native build has it built in) and to measure WASM against native.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { appendArrowNative } from './appendArrowNative';
import type { ArrowResult, SqlConnection } from './EventStore';
import { nativeResult } from './nativeResult';

export interface NativeDuckDB {
  /** What EventStore takes: SQL in, plain rows out, Arrow IPC appended. */
  readonly connection: SqlConnection;
  /** DuckDB's version, e.g. "v1.4.4". */
  readonly version: string;
  close(): void;
}

export async function openNativeDuckDB(): Promise<NativeDuckDB> {
  const instance = await DuckDBInstance.create(':memory:');
  const native = await instance.connect();
  const connection: SqlConnection = {
    async query(sql: string): Promise<ArrowResult> {
      return nativeResult(await native.runAndReadAll(sql));
    },
    insertArrowFromIPCStream: (buffer, options) => appendArrowNative(native, buffer, options),
  };
  const [row] = (await native.runAndReadAll('SELECT version() AS v')).getRows();
  return {
    connection,
    version: String(row?.[0]),
    close() {
      native.closeSync();
      instance.closeSync();
    },
  };
}
