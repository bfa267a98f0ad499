/**
 * The event store: accepted events and quarantined messages as DuckDB tables, appended in
 * batches (one Arrow record batch per table per call, never row by row), queried with SQL.
 * It works over any connection that can run SQL and take an Arrow IPC stream, so the
 * blocking Node build (openDuckDB.ts) and the browser's async worker build both fit.
 */
import type { FrameEvent, QuarantineEntry, TwinEvent, WeightEvent } from '../contract/messages';
import type { Problem } from '../core/Problem';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Incident } from '../rules/Incident';
import { INCIDENT_ACTIONS_TABLE, INCIDENTS_TABLE, incidentActionsSql, incidentsFromRows, incidentsSql, type IncidentAction } from '../rules/incidentTables';
import { CLOCK_TABLE, clockRowsForUtcDay } from './clockTable';
import { DEFAULT_FRAME_BUDGET_BYTES, FRAMES_TABLE, frameBytesSql, frameChunks, framesThinnedProblem, keepNewest, thinFramesSql, type FrameTotals } from './frames';
import { LAYOUT_TABLES } from './layoutTables';
import { CELL_FAULTS_TABLE, MOVEMENTS_TABLE, MovementDeriver, READING_GAPS_TABLE } from './MovementDeriver';
import { rowsToIpc } from './rowsToIpc';
import { EVENT_TABLES, QUARANTINE_TABLE, SLOT_SIGHTINGS_TABLE, addColumnsSql, createTableSql, type SlotSightingRow, type StoredEventType, type TableSpec } from './tables';

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

/** Every table the store keeps: events, camera frames, derived movements, quarantine, the clock and the layout. */
const ALL_TABLES: readonly TableSpec<never>[] = [
  ...Object.values(EVENT_TABLES),
  FRAMES_TABLE,
  MOVEMENTS_TABLE,
  CELL_FAULTS_TABLE,
  READING_GAPS_TABLE,
  QUARANTINE_TABLE,
  INCIDENTS_TABLE,
  INCIDENT_ACTIONS_TABLE,
  SLOT_SIGHTINGS_TABLE,
  CLOCK_TABLE,
  ...LAYOUT_TABLES.map((t) => t.spec),
] as TableSpec<never>[];

export const TABLE_NAMES: readonly string[] = ALL_TABLES.map((t) => t.name);
export type TableName = string;

const DAY_MS = 86_400_000;

export interface EventStoreOptions {
  /** Most JPEG bytes of camera frames kept per store (default 256 MiB); past it the oldest go (frames.ts). */
  readonly frameBudgetBytes?: number;
  /** Called with a problem record whenever frames are dropped to keep to the budget. */
  readonly onProblem?: (problem: Problem) => void;
}

export class EventStore {
  /** UTC days (epoch day numbers) the clock table already covers. */
  private readonly clockDays = new Set<number>();
  /**
   * Every device status stored, as device|ts|online. A status has no `seq`: the same report
   * comes again whenever a subscription starts (it is retained), on every reconnect that
   * makes a new session and on every page load, and is stored once.
   */
  private readonly statuses = new Set<string>();
  /** JPEG bytes this store keeps in `frames` (read at open, then kept up to date), and what the budget dropped since. */
  private frameTotals: { bytes: number; dropped: number; droppedBytes: number } = { bytes: 0, dropped: 0, droppedBytes: 0 };
  private readonly frameBudget: number;

  private constructor(
    private readonly conn: SqlConnection,
    private readonly layout: LayoutIndex,
    private readonly deriver: MovementDeriver,
    private readonly options: EventStoreOptions,
  ) {
    const budget = options.frameBudgetBytes ?? DEFAULT_FRAME_BUDGET_BYTES;
    if (!(Number.isFinite(budget) && budget >= 0)) throw new RangeError(`frameBudgetBytes must be a number of bytes, not ${budget}`);
    this.frameBudget = budget;
  }

  /** The store id written into every row's `store` column. */
  get store(): string {
    return this.layout.store;
  }

  /**
   * Creates the tables that do not exist yet, writes the layout's tables for this store
   * (replacing what an earlier layout of the same store left), and picks up a stored
   * history where it ended: the clock days it covers and each slot's latest units.
   */
  static async open(conn: SqlConnection, layout: LayoutIndex, options: EventStoreOptions = {}): Promise<EventStore> {
    for (const spec of ALL_TABLES) await conn.query(createTableSql(spec));
    const store = new EventStore(conn, layout, new MovementDeriver(layout), options);
    // A store kept by an older version (the browser's OPFS file) lacks the columns added since.
    const stored = new Map<string, Set<string>>();
    for (const r of await store.query(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`)) {
      const t = String(r.table_name);
      if (!stored.has(t)) stored.set(t, new Set());
      stored.get(t)!.add(String(r.column_name));
    }
    for (const spec of ALL_TABLES) for (const sql of addColumnsSql(spec, stored.get(spec.name) ?? new Set())) await conn.query(sql);
    const q = sqlString(layout.store);
    for (const t of LAYOUT_TABLES) {
      await conn.query(`DELETE FROM ${t.spec.name} WHERE store = ${q}`);
      await store.insert(t.spec as TableSpec<unknown>, t.rows(layout) as unknown[]);
    }
    for (const r of await store.query(`SELECT DISTINCT epoch_ms(quarter) // ${DAY_MS} AS day FROM clock WHERE store = ${q}`)) store.clockDays.add(Number(r.day));
    const last = await store.query(
      `SELECT m.slot, m.units, epoch_ms(r.ts) AS ts FROM
         (SELECT slot, arg_max(units_after, ts) AS units FROM movements WHERE store = ${q} GROUP BY slot) m
         JOIN (SELECT slot, max(ts) AS ts FROM readings WHERE store = ${q} GROUP BY slot) r ON r.slot = m.slot`,
    );
    for (const r of last) store.deriver.restore(String(r.slot), Number(r.units), Number(r.ts));
    for (const r of await store.query(`SELECT device, epoch_ms(ts) AS ts, online FROM device_status WHERE store = ${q}`)) {
      store.statuses.add(statusKey(String(r.device), Number(r.ts), Boolean(r.online)));
    }
    const [bytes] = await store.query(frameBytesSql(layout.store));
    store.frameTotals.bytes = Number(bytes?.bytes ?? 0);
    return store;
  }

  /**
   * Appends events, one batch per table; camera frames go to `frames`, within the byte
   * budget (appendFrames). Returns the rows appended per table.
   */
  async append(events: readonly TwinEvent[]): Promise<Partial<Record<TableName, number>>> {
    const groups = new Map<StoredEventType, TwinEvent[]>();
    const frames: FrameEvent[] = [];
    for (const e of events) {
      if (e.type === 'frame') {
        frames.push(e);
        continue;
      }
      if (e.type === 'status') {
        const key = statusKey(e.device, e.ts, e.online);
        if (this.statuses.has(key)) continue;
        this.statuses.add(key);
      }
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
    const weights = groups.get('weight') as WeightEvent[] | undefined;
    if (weights) {
      const { movements, faults, gaps } = this.deriver.derive(weights);
      if (gaps.length) {
        await this.insert(READING_GAPS_TABLE, gaps);
        appended[READING_GAPS_TABLE.name] = gaps.length;
      }
      await this.insert(MOVEMENTS_TABLE, movements);
      appended[MOVEMENTS_TABLE.name] = movements.length;
      if (faults.length) {
        await this.insert(CELL_FAULTS_TABLE, faults);
        appended[CELL_FAULTS_TABLE.name] = faults.length;
      }
    }
    if (frames.length) {
      const n = await this.appendFrames(frames);
      if (n) appended[FRAMES_TABLE.name] = n;
    }
    // The clock covers the days events fall on; frames alone do not add one.
    await this.extendClock(frames.length ? events.filter((e) => e.type !== 'frame') : events);
    return appended;
  }

  /**
   * Appends frames in chunks of a few tens of MB, then drops the store's oldest frames
   * beyond the budget (frames.ts). Returns the frames inserted (a batch larger than the
   * whole budget loses its oldest before it is written).
   */
  private async appendFrames(frames: readonly FrameEvent[]): Promise<number> {
    const { kept, dropped } = keepNewest(frames, this.frameBudget);
    for (const chunk of frameChunks(kept)) await this.insert(FRAMES_TABLE, chunk);
    let thinned = dropped.length;
    let thinnedBytes = dropped.reduce((n, f) => n + f.jpeg.length, 0);
    this.frameTotals.bytes += kept.reduce((n, f) => n + f.jpeg.length, 0);
    if (this.frameTotals.bytes > this.frameBudget) {
      const gone = await this.query(thinFramesSql(this.store, this.frameBudget));
      thinned += gone.length;
      const bytes = gone.reduce((n, r) => n + Number(r.size), 0);
      thinnedBytes += bytes;
      this.frameTotals.bytes -= bytes;
    }
    if (thinned) {
      this.frameTotals.dropped += thinned;
      this.frameTotals.droppedBytes += thinnedBytes;
      const problem = framesThinnedProblem(this.frames());
      if (problem) this.options.onProblem?.(problem);
    }
    return kept.length;
  }

  /** The JPEG bytes kept for this store, the budget, and what the budget has dropped since the store was opened. */
  frames(): FrameTotals {
    return { ...this.frameTotals, budgetBytes: this.frameBudget };
  }

  /** Faults to show: frames dropped to the budget, when any were. */
  problems(): Problem[] {
    const p = framesThinnedProblem(this.frames());
    return p ? [p] : [];
  }

  /** Adds the clock's quarters for every UTC day these events fall on that it lacks. */
  private async extendClock(events: readonly TwinEvent[]): Promise<void> {
    const days = new Set<number>();
    for (const e of events) {
      const day = Math.floor(e.ts / DAY_MS);
      if (!this.clockDays.has(day)) days.add(day);
    }
    if (days.size === 0) return;
    const rows = [...days].flatMap((d) => clockRowsForUtcDay(d * DAY_MS, this.layout.layout.timezone));
    await this.insert(CLOCK_TABLE, rows);
    for (const d of days) this.clockDays.add(d);
  }

  async appendQuarantine(entries: readonly QuarantineEntry[]): Promise<number> {
    await this.insert(QUARANTINE_TABLE, entries);
    return entries.length;
  }

  /** Writes incidents as they stand now (a later write of the same id supersedes it; see incidentsSql). */
  async appendIncidents(incidents: readonly Incident[], written: number = Date.now()): Promise<number> {
    await this.insert(INCIDENTS_TABLE, incidents.map((i) => ({ ...i, written })));
    return incidents.length;
  }

  /** Logs workflow actions (acknowledge, resolve, reopen). */
  async appendIncidentActions(actions: readonly IncidentAction[]): Promise<number> {
    await this.insert(INCIDENT_ACTIONS_TABLE, actions);
    return actions.length;
  }

  /** Appends the shelf CNN's verdicts on slots (sightingRows.ts makes them from a frame's result). */
  async appendSightings(rows: readonly SlotSightingRow[]): Promise<number> {
    await this.insert(SLOT_SIGHTINGS_TABLE, rows);
    return rows.length;
  }

  /** The store's incidents, each as last written, with the status its actions give it. */
  async incidents(): Promise<Incident[]> {
    return incidentsFromRows(await this.query(incidentsSql(this.store)), await this.query(incidentActionsSql(this.store)), this.store);
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

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
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

function statusKey(device: string, ts: number, online: boolean): string {
  return `${device}|${ts}|${online ? 1 : 0}`;
}
