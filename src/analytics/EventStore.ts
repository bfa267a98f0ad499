/**
 * The event store: accepted events and quarantined messages as DuckDB tables, appended in
 * batches (one Arrow record batch per table per call, never row by row), queried with SQL.
 * It works over any connection that can run SQL and take an Arrow IPC stream, so the
 * blocking Node build (openDuckDB.ts) and the browser's async worker build both fit.
 */
import type { QuarantineEntry, TwinEvent } from '../contract/messages';
import { rowsToIpc } from './rowsToIpc';
import { EVENT_TABLES, QUARANTINE_TABLE, createTableSql, type StoredEventType, type TableSpec } from './tables';

/** A result table as duckdb-wasm returns it: apache-arrow's Table, whichever copy of arrow made it. */
export interface ArrowResult {
  readonly schema: { readonly fields: readonly { readonly name: string; readonly type: { toString(): string } }[] };
  toArray(): readonly { toJSON(): Record<string, unknown> }[];
}

/** What the store needs of a DuckDB connection; duckdb-wasm's blocking and async connections both have it. */
export interface SqlConnection {
  query(sql: string): ArrowResult | Promise<ArrowResult>;
  insertArrowFromIPCStream(buffer: Uint8Array, options: { name: string; create?: boolean }): void | Promise<void>;
}

/**
 * A result row: column name to value; integers are numbers where they are safe, else
 * bigint; timestamps and dates are epoch ms.
 */
export type Row = Record<string, unknown>;

/** A result column: its name and Arrow type as text (`Timestamp<MILLISECOND>`, `Utf8`, `Float64`...). */
export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

export type TableName = (typeof EVENT_TABLES)[StoredEventType]['name'] | typeof QUARANTINE_TABLE.name;

export const TABLE_NAMES: readonly TableName[] = [...Object.values(EVENT_TABLES).map((t) => t.name), QUARANTINE_TABLE.name];

export class EventStore {
  private constructor(
    private readonly conn: SqlConnection,
    /** The store id written into every row's `store` column. */
    readonly store: string,
  ) {}

  /** Creates the tables that do not exist yet. */
  static async open(conn: SqlConnection, store: string): Promise<EventStore> {
    for (const spec of [...Object.values(EVENT_TABLES), QUARANTINE_TABLE]) await conn.query(createTableSql(spec as TableSpec<never>));
    return new EventStore(conn, store);
  }

  /**
   * Appends events, one batch per table. Frames are skipped (their bytes do not belong in
   * an analytics table). Returns the rows appended per table.
   */
  async append(events: readonly TwinEvent[]): Promise<Partial<Record<TableName, number>>> {
    const groups = new Map<StoredEventType, TwinEvent[]>();
    for (const e of events) {
      if (e.type === 'frame') continue;
      let g = groups.get(e.type);
      if (!g) groups.set(e.type, (g = []));
      g.push(e);
    }
    const appended: Partial<Record<TableName, number>> = {};
    for (const [type, rows] of groups) {
      const spec = EVENT_TABLES[type] as TableSpec<TwinEvent>;
      await this.insert(spec, rows);
      appended[spec.name as TableName] = rows.length;
    }
    return appended;
  }

  async appendQuarantine(entries: readonly QuarantineEntry[]): Promise<number> {
    await this.insert(QUARANTINE_TABLE, entries);
    return entries.length;
  }

  /** Rows in a table, all stores. */
  async count(table: TableName): Promise<number> {
    const [row] = await this.query(`SELECT count(*) AS n FROM ${table}`);
    return Number(row?.n);
  }

  /** Runs SQL and returns plain rows. */
  async query(sql: string): Promise<Row[]> {
    return (await this.select(sql)).rows;
  }

  /** Runs SQL and returns the result's columns with their types, and plain rows. */
  async select(sql: string): Promise<{ columns: ResultColumn[]; rows: Row[] }> {
    const result = await this.conn.query(sql);
    return {
      columns: result.schema.fields.map((f) => ({ name: f.name, type: String(f.type) })),
      rows: result.toArray().map((r) => plainRow(r.toJSON())),
    };
  }

  private async insert<R>(spec: TableSpec<R>, rows: readonly R[]): Promise<void> {
    if (rows.length === 0) return;
    await this.conn.insertArrowFromIPCStream(rowsToIpc(spec, this.store, rows), { name: spec.name, create: false });
  }
}

function plainRow(o: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(o)) out[k] = plainValue(v);
  return out;
}

function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  return v;
}
