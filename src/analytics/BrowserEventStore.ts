/**
 * The page's event store: one DuckDB database (in OPFS where the browser allows it, see
 * openBrowserDuckDB.ts), an EventStore for the open layout, and a StoreWriter that the
 * live pipeline feeds batch by batch. DuckDB and the store code are loaded with `import()`
 * on first need — or at start-up when this browser already holds a saved store — so a page
 * that never runs anything pays nothing for them.
 */
import type { QuarantineEntry, TwinEvent } from '../contract/messages';
import type { Problem } from '../core/Problem';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Incident } from '../rules/Incident';
import type { IncidentAction } from '../rules/incidentTables';
import type { ArrowResult, EventStore, ResultColumn, Row, SqlConnection, TableName } from './EventStore';
import type { ParquetWasm } from './ipcToParquet';
import type { SlotSightingRow } from './tables';
import type { BrowserDuckDB, Persistence } from './openBrowserDuckDB';
import { StoreWriter } from './StoreWriter';

/** What the page needs of an opened database; openBrowserDuckDB gives it (tests pass Node's). */
export interface OpenedDatabase {
  readonly connection: SqlConnection;
  /** A connection of its own for cancellable selects (see BrowserDuckDB); without it a select cannot be cancelled. */
  readonly readerConnection?: () => Promise<unknown>;
  readonly persistence: Persistence;
  readonly reason?: string;
}

/** A query's result as the workbench shows it: columns with their Arrow types, the first rows, and how many there were. */
export interface QueryResult {
  readonly columns: readonly ResultColumn[];
  /** The first `limit` rows (all of them without a limit), as `EventStore.query` returns rows. */
  readonly rows: readonly Row[];
  /** Rows in the whole result. */
  readonly total: number;
}

/** A table of the store and its columns, as DESCRIBE tells them. */
export interface TableSchema {
  readonly table: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

export interface BrowserEventStoreOptions {
  /** Opens the database (default: DuckDB-WASM in a worker, OPFS or memory). */
  readonly openDatabase?: () => Promise<OpenedDatabase>;
  /** Whether this browser already holds a saved store, to open it at start-up. */
  readonly savedStoreExists?: () => Promise<boolean>;
  /** Called whenever what `status()` reports may have changed. */
  readonly onChange?: () => void;
  /** Loads parquet-wasm for Parquet exports (default: its browser build, on first export). */
  readonly parquet?: () => Promise<ParquetWasm>;
  /** Most JPEG bytes of camera frames kept per store (default 256 MiB, EventStore's); frames dropped past it are a problem record. */
  readonly frameBudgetBytes?: number;
}

/** What the page shows about the store. */
export interface EventStoreStatus {
  /** 'closed' before first need; 'opening' while DuckDB starts. */
  readonly state: 'closed' | 'opening' | 'open' | 'failed';
  readonly persistence?: Persistence;
  /** Why the store is in memory only (or why it failed). */
  readonly reason?: string;
  readonly problems: readonly Problem[];
}

export class BrowserEventStore {
  private database: Promise<OpenedDatabase> | undefined;
  private opened: OpenedDatabase | undefined;
  private failure: string | undefined;
  private layout: LayoutIndex | undefined;
  /** The store and writer of the layout last written to; another layout gets new ones once the old writer has drained. */
  private current: { layout: LayoutIndex; store: Promise<EventStore>; writer: StoreWriter } | undefined;
  private readonly problemsById = new Map<string, Problem>();

  constructor(private readonly options: BrowserEventStoreOptions = {}) {}

  /** Opens the database now if this browser holds a saved store, so its rows are there at once. Never rejects. */
  async openIfSaved(): Promise<void> {
    const exists = this.options.savedStoreExists ?? (async () => (await import('./openBrowserDuckDB')).savedStoreExists());
    if (await exists().catch(() => false)) void this.db().catch(() => {});
  }

  /** The open layout: the one a store is opened for when a query comes before any run. */
  useLayout(layout: LayoutIndex): void {
    this.layout = layout;
  }

  /**
   * Queues accepted events and quarantine entries read against `layout` (whose store id
   * and slots they carry); returns at once.
   */
  enqueue(layout: LayoutIndex, events: readonly TwinEvent[], quarantine: readonly QuarantineEntry[] = []): void {
    if (events.length === 0 && quarantine.length === 0) return;
    this.writer(layout).enqueue(events, quarantine);
  }

  /** Resolves once everything queued so far is appended and checkpointed. */
  async flushed(): Promise<void> {
    const current = this.current;
    if (!current) return;
    // The store opens after the previous layout's writer has drained: waiting for it waits for that too.
    await current.store.catch(() => {});
    await current.writer.flushed();
  }

  async count(table: TableName): Promise<number> {
    return (await this.store()).count(table);
  }

  async query(sql: string): Promise<Row[]> {
    return (await this.store()).query(sql);
  }

  /**
   * Runs SQL and returns its columns and at most `limit` rows: a large result crosses from
   * the worker as Arrow columns, and only the rows shown become objects.
   */
  async select(sql: string, options: { limit?: number; signal?: AbortSignal } = {}): Promise<QueryResult> {
    await this.store(); // the tables exist, the layout's rows are written
    const db = await this.db();
    const reader = options.signal && db.readerConnection ? await db.readerConnection() : undefined;
    const result =
      options.signal && isCancellable(reader)
        ? await this.readerTurn(() => cancellableQuery(reader, sql, options.signal!))
        : ((await db.connection.query(sql)) as SliceableResult);
    const total = result.numRows;
    const limit = options.limit ?? Infinity;
    const shown = total > limit ? result.slice(0, limit) : result;
    return {
      columns: result.schema.fields.map((f) => ({ name: f.name, type: String(f.type) })),
      rows: shown.toArray().map((r) => plainRow(r.toJSON())),
      total,
    };
  }

  /** One cancellable select at a time on the reader connection (it holds one pending query). */
  private readerQueue: Promise<unknown> = Promise.resolve();
  private readerTurn<T>(run: () => Promise<T>): Promise<T> {
    const turn = this.readerQueue.then(run, run);
    this.readerQueue = turn.catch(() => {});
    return turn;
  }

  /** Sighting appends, one after another; a failed one is a problem record, never a rejection. */
  private sightings: Promise<void> = Promise.resolve();

  /**
   * Appends the shelf CNN's verdicts on slots (src/inference/sightingRows.ts) to
   * `slot_sightings` of the open store; resolves once they are in. Never rejects: a failure
   * becomes the problem `event-store-sightings`.
   */
  appendSightings(rows: readonly SlotSightingRow[]): Promise<void> {
    if (rows.length === 0) return this.sightings;
    this.sightings = this.sightings.then(async () => {
      try {
        await (await this.store()).appendSightings(rows);
      } catch (e) {
        this.problemsById.set('event-store-sightings', {
          id: 'event-store-sightings',
          severity: 'warning',
          message: `Camera verdicts on slots could not be saved to the event store: ${e instanceof Error ? e.message : String(e)}`,
          tip: 'The inspector shows no verdict for those frames; the frames themselves are kept.',
        });
        this.changed();
      }
    });
    return this.sightings;
  }

  /** Saves incidents as they stand now (checkpointed: they survive a reload). */
  async saveIncidents(incidents: readonly Incident[]): Promise<void> {
    if (!incidents.length) return;
    await this.flushed();
    await (await this.store()).appendIncidents(incidents);
    await this.query('CHECKPOINT').catch(() => {});
  }

  /** Logs a workflow action on an incident (checkpointed). */
  async saveIncidentAction(action: IncidentAction): Promise<void> {
    await (await this.store()).appendIncidentActions([action]);
    await this.query('CHECKPOINT').catch(() => {});
  }

  /** The open layout's incidents with their status. */
  async incidents(): Promise<Incident[]> {
    return (await this.store()).incidents();
  }

  /** Every table of the store with its columns and their types. */
  async schema(): Promise<TableSchema[]> {
    await this.store();
    const { TABLE_NAMES } = await import('./EventStore');
    const out: TableSchema[] = [];
    for (const table of TABLE_NAMES) {
      const rows = await this.query(`DESCRIBE ${table}`);
      out.push({ table, columns: rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) })) });
    }
    return out;
  }

  /**
   * The whole result of `sql` as a Parquet file. DuckDB-WASM 1.32 has no Parquet writer
   * unless it downloads its parquet extension (the workbench never fetches from the
   * internet), so the Arrow result DuckDB returns is written by parquet-wasm instead; each
   * column keeps its Arrow type.
   */
  async exportParquet(sql: string): Promise<Uint8Array> {
    await this.store();
    const [table, arrow, pq] = await Promise.all([
      (await this.db()).connection.query(sql),
      import('apache-arrow'),
      (this.options.parquet ?? (() => import('./loadParquetWasm').then((m) => m.loadParquetWasm())))(),
    ]);
    const { ipcToParquet } = await import('./ipcToParquet');
    return ipcToParquet(pq, arrow.tableToIPC(table as unknown as InstanceType<typeof arrow.Table>, 'stream'));
  }

  /** Where rows go: undefined until the database has opened. */
  persistence(): Persistence | undefined {
    return this.opened?.persistence;
  }

  status(): EventStoreStatus {
    const problems = [...this.problemsById.values()];
    if (this.failure) return { state: 'failed', reason: this.failure, problems };
    if (this.opened) return { state: 'open', persistence: this.opened.persistence, ...(this.opened.reason ? { reason: this.opened.reason } : {}), problems };
    return { state: this.database ? 'opening' : 'closed', problems };
  }

  private db(): Promise<OpenedDatabase> {
    if (!this.database) {
      const open = this.options.openDatabase ?? (async (): Promise<BrowserDuckDB> => (await import('./openBrowserDuckDB')).openBrowserDuckDB());
      this.database = open().then(
        (db) => {
          this.opened = db;
          this.changed();
          return db;
        },
        (e: unknown) => {
          this.failure = `the event store could not start: ${e instanceof Error ? e.message : String(e)}`;
          this.changed();
          throw e;
        },
      );
      this.changed();
    }
    return this.database;
  }

  private writer(layout: LayoutIndex): StoreWriter {
    if (this.current?.layout === layout) return this.current.writer;
    const previous = this.current?.writer;
    // The old layout's rows go first: opening a store rewrites its layout tables and picks
    // up where its movements ended.
    const database = this.db();
    database.catch(() => {}); // reported by the writer that awaits it, below
    const store = (async () => {
      await previous?.flushed();
      const [db, { EventStore }] = await Promise.all([database, import('./EventStore')]);
      return EventStore.open(db.connection, layout, {
        ...(this.options.frameBudgetBytes !== undefined ? { frameBudgetBytes: this.options.frameBudgetBytes } : {}),
        onProblem: (p) => {
          this.problemsById.set(p.id, p);
          this.changed();
        },
      });
    })();
    const writer = new StoreWriter(store, {
      // The rows become Arrow on the page's thread: a merged append of 5,000 events takes a
      // few tens of ms on a slow machine, where 50,000 (the writer's default) stalls frames
      // for several hundred.
      maxMerge: 5000,
      onProblem: (p) => {
        this.problemsById.set(p.id, p);
        this.changed();
      },
    });
    this.current = { layout, store, writer };
    return writer;
  }

  /** The store of the layout last written to, else of the open layout. */
  private store(): Promise<EventStore> {
    if (this.current) return this.current.store;
    if (!this.layout) return Promise.reject(new Error('no layout is open: the event store needs one for its store id'));
    this.writer(this.layout);
    return this.current!.store;
  }

  private changed(): void {
    this.options.onChange?.();
  }
}

/** An Arrow table as the async connection returns it, with the row count and slicing `ArrowResult` leaves out. */
interface SliceableResult extends ArrowResult {
  readonly numRows: number;
  slice(begin: number, end: number): ArrowResult;
}

/** What the page's DuckDB connection adds for a query that can be cancelled (duckdb-wasm's AsyncDuckDBConnection). */
interface CancellableConnection {
  send(sql: string): Promise<AsyncIterable<unknown> & { readonly schema: unknown }>;
  cancelSent(): Promise<boolean>;
}

function isCancellable(c: unknown): c is CancellableConnection {
  return typeof (c as CancellableConnection).send === 'function' && typeof (c as CancellableConnection).cancelSent === 'function';
}

/** The error a cancelled select rejects with. */
export class QueryCancelled extends Error {
  override readonly name = 'QueryCancelled';
  constructor() {
    super('cancelled');
  }
}

/**
 * Runs SQL as a pending query that `signal` can cancel: duckdb-wasm computes it in steps and
 * stops at the next one after cancelSent. It runs on the reader connection, one at a time,
 * so a cancel reaches only this query, never the writer's appends.
 */
async function cancellableQuery(connection: CancellableConnection, sql: string, signal: AbortSignal): Promise<SliceableResult> {
  if (signal.aborted) throw new QueryCancelled();
  const cancel = () => void connection.cancelSent().catch(() => {});
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const reader = await connection.send(sql);
    const batches: unknown[] = [];
    for await (const batch of reader) {
      if (signal.aborted) throw new QueryCancelled();
      batches.push(batch);
    }
    if (signal.aborted) throw new QueryCancelled();
    const { Table } = await import('apache-arrow');
    const parts = (batches.length ? [batches] : [reader.schema]) as unknown as ConstructorParameters<typeof Table>;
    return new Table(...parts) as unknown as SliceableResult;
  } catch (e) {
    if (signal.aborted) throw new QueryCancelled();
    throw e;
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/** Rows as EventStore.query gives them: safe integers as numbers, larger ones as bigint. */
function plainRow(o: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(o)) {
    out[k] = typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  return out;
}
