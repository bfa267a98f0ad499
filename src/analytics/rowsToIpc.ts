/**
 * Rows to one Arrow IPC stream whose schema matches the DuckDB table exactly (a mismatch,
 * such as a Float64 `ts` for a TIMESTAMP_MS column, makes DuckDB reject the insert).
 *
 * Why bytes, not an Arrow Table: duckdb-wasm's `insertArrowTable` serialises the table with
 * the apache-arrow that duckdb-wasm itself loaded. Under Node the blocking bundle is CommonJS
 * and loads arrow's CJS build, while our ESM code gets arrow's ESM build: two copies of every
 * class, so its `tableToIPC` does not recognise our table, writes 0 bytes, and the insert
 * silently adds nothing. Serialising here, with the same arrow that built the table, works
 * with any duckdb-wasm build, Node or browser.
 */
import {
  Bool,
  DateDay,
  Dictionary,
  Float64,
  Int32,
  Int64,
  Table,
  TimestampMillisecond,
  Utf8,
  Vector,
  makeData,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import type { Cell, SqlType, TableSpec } from './tables';

function bigints(values: readonly Cell[]): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) if (values[i] != null) out[i] = BigInt(values[i] as number);
  return out;
}

/** Arrow's validity bitmap (bit set = value present), or undefined when nothing is null. */
function validity(values: readonly Cell[]): { nullCount: number; nullBitmap?: Uint8Array } {
  let nullCount = 0;
  for (const v of values) if (v == null) nullCount++;
  if (nullCount === 0) return { nullCount };
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v != null) nullBitmap[i >> 3]! |= 1 << (i & 7);
  });
  return { nullCount, nullBitmap };
}

/**
 * One column as an Arrow vector, built straight from typed arrays (Arrow's generic
 * builders are several times slower). Strings are dictionary-encoded: the ids in these
 * tables repeat (shelves, slots, doors), and DuckDB reads a dictionary into VARCHAR.
 */
function vectorOf(type: SqlType, values: readonly Cell[]): Vector {
  const length = values.length;
  const nulls = validity(values);
  switch (type) {
    case 'VARCHAR': {
      const ids = new Map<string, number>();
      const indices = new Int32Array(length);
      for (let i = 0; i < length; i++) {
        const v = values[i];
        if (v == null) continue;
        let id = ids.get(v as string);
        if (id === undefined) ids.set(v as string, (id = ids.size));
        indices[i] = id;
      }
      const dictionary = vectorFromArray([...ids.keys()], new Utf8());
      return new Vector([makeData({ type: new Dictionary(new Utf8(), new Int32()), length, ...nulls, data: indices, dictionary })]);
    }
    case 'DATE':
      return new Vector([makeData({ type: new DateDay(), length, ...nulls, data: Int32Array.from(values, (v) => (v == null ? 0 : (v as number))) })]);
    case 'TIMESTAMP_MS':
      return new Vector([makeData({ type: new TimestampMillisecond(), length, ...nulls, data: bigints(values) })]);
    case 'BIGINT':
      return new Vector([makeData({ type: new Int64(), length, ...nulls, data: bigints(values) })]);
    case 'DOUBLE':
      return new Vector([makeData({ type: new Float64(), length, ...nulls, data: Float64Array.from(values, (v) => (v == null ? 0 : (v as number))) })]);
    case 'INTEGER':
      return new Vector([makeData({ type: new Int32(), length, ...nulls, data: Int32Array.from(values, (v) => (v == null ? 0 : (v as number))) })]);
    case 'BOOLEAN': {
      const bits = new Uint8Array(Math.ceil(length / 8));
      values.forEach((v, i) => {
        if (v === true) bits[i >> 3]! |= 1 << (i & 7);
      });
      return new Vector([makeData({ type: new Bool(), length, ...nulls, data: bits })]);
    }
  }
}

/** The store id repeats on every row: one dictionary entry and an all-zero index column. */
function constantString(value: string, length: number): Vector {
  const dictionary = vectorFromArray([value], new Utf8());
  return new Vector([makeData({ type: new Dictionary(new Utf8(), new Int32()), length, nullCount: 0, data: new Int32Array(length), dictionary })]);
}

/** The rows as one record batch in an Arrow IPC stream, `store` first. */
export function rowsToIpc<R>(spec: TableSpec<R>, store: string, rows: readonly R[]): Uint8Array {
  const vectors: Record<string, Vector> = { store: constantString(store, rows.length) };
  for (const c of spec.columns) vectors[c.name] = vectorOf(c.type, rows.map(c.get));
  return tableToIPC(new Table(vectors), 'stream');
}
