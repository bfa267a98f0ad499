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
  Binary,
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

/**
 * A column's values with Arrow's validity bitmap (bit set = value present), built in one pass
 * into the typed array `make` gives; the bitmap is only made once a null turns up.
 */
function fill<R, A extends { [i: number]: number }>(rows: readonly R[], get: (r: R) => Cell, data: A, put: (data: A, i: number, v: Cell) => void) {
  const length = rows.length;
  let nullBitmap: Uint8Array | undefined;
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    const v = get(rows[i]!);
    if (v == null) {
      if (!nullBitmap) nullBitmap = new Uint8Array(Math.ceil(length / 8)).fill(0xff);
      nullBitmap[i >> 3]! &= ~(1 << (i & 7));
      nullCount++;
    } else put(data, i, v);
  }
  return nullBitmap ? { data, nullCount, nullBitmap } : { data, nullCount };
}

const TWO_32 = 4_294_967_296;

/**
 * 64-bit integers from numbers without a BigInt per value (the hot cost of an append): the
 * low word is ToUint32 of the value (modulo 2^32, two's complement for negatives), the high
 * word the floor of value / 2^32; exact for every safe integer.
 */
function int64s<R>(rows: readonly R[], get: (r: R) => Cell) {
  const words = new Int32Array(rows.length * 2);
  const r = fill(rows, get, words, (w, i, v) => {
    w[2 * i] = (v as number) >>> 0;
    w[2 * i + 1] = Math.floor((v as number) / TWO_32);
  });
  return { ...r, data: new BigInt64Array(words.buffer) };
}

/**
 * One column as an Arrow vector, built straight into typed arrays in one pass (Arrow's
 * generic builders, and an array of values per column, are several times slower). Strings
 * are dictionary-encoded: the ids in these tables repeat (shelves, slots, doors), and DuckDB
 * reads a dictionary into VARCHAR.
 */
function vectorOf<R>(type: SqlType, rows: readonly R[], get: (r: R) => Cell): Vector {
  const length = rows.length;
  switch (type) {
    case 'VARCHAR': {
      const ids = new Map<string, number>();
      const r = fill(rows, get, new Int32Array(length), (d, i, v) => {
        let id = ids.get(v as string);
        if (id === undefined) ids.set(v as string, (id = ids.size));
        d[i] = id;
      });
      const dictionary = vectorFromArray([...ids.keys()], new Utf8());
      return new Vector([makeData({ type: new Dictionary(new Utf8(), new Int32()), length, ...r, dictionary })]);
    }
    case 'DATE':
      return new Vector([makeData({ type: new DateDay(), length, ...fill(rows, get, new Int32Array(length), (d, i, v) => (d[i] = v as number)) })]);
    case 'TIMESTAMP_MS':
      return new Vector([makeData({ type: new TimestampMillisecond(), length, ...int64s(rows, get) })]);
    case 'BIGINT':
      return new Vector([makeData({ type: new Int64(), length, ...int64s(rows, get) })]);
    case 'DOUBLE':
      return new Vector([makeData({ type: new Float64(), length, ...fill(rows, get, new Float64Array(length), (d, i, v) => (d[i] = v as number)) })]);
    case 'INTEGER':
      return new Vector([makeData({ type: new Int32(), length, ...fill(rows, get, new Int32Array(length), (d, i, v) => (d[i] = v as number)) })]);
    case 'BOOLEAN': {
      const r = fill(rows, get, new Uint8Array(Math.ceil(length / 8)), (d, i, v) => {
        if (v === true) d[i >> 3]! |= 1 << (i & 7);
      });
      return new Vector([makeData({ type: new Bool(), length, ...r })]);
    }
    case 'BLOB':
      return binary(rows, get);
  }
}

/**
 * Bytes as Arrow Binary: every value copied once into one buffer, with 32-bit offsets (a
 * batch holds under 2 GiB; the frames table appends in much smaller chunks, see frames.ts).
 */
function binary<R>(rows: readonly R[], get: (r: R) => Cell): Vector {
  const length = rows.length;
  const valueOffsets = new Int32Array(length + 1);
  let total = 0;
  for (let i = 0; i < length; i++) {
    const v = get(rows[i]!);
    total += v == null ? 0 : (v as Uint8Array).length;
    if (total > 0x7fff_ffff) throw new RangeError('more than 2 GiB of bytes in one Arrow batch');
    valueOffsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  const r = fill(rows, get, bytes, (d, i, v) => d.set(v as Uint8Array, valueOffsets[i]!));
  return new Vector([makeData({ type: new Binary(), length, nullCount: r.nullCount, ...(r.nullBitmap ? { nullBitmap: r.nullBitmap } : {}), valueOffsets, data: bytes })]);
}

/** The store id repeats on every row: one dictionary entry and an all-zero index column. */
function constantString(value: string, length: number): Vector {
  const dictionary = vectorFromArray([value], new Utf8());
  return new Vector([makeData({ type: new Dictionary(new Utf8(), new Int32()), length, nullCount: 0, data: new Int32Array(length), dictionary })]);
}

/** The rows as one record batch in an Arrow IPC stream, `store` first. */
export function rowsToIpc<R>(spec: TableSpec<R>, store: string, rows: readonly R[]): Uint8Array {
  const vectors: Record<string, Vector> = { store: constantString(store, rows.length) };
  for (const c of spec.columns) vectors[c.name] = vectorOf(c.type, rows, c.get);
  return tableToIPC(new Table(vectors), 'stream');
}
