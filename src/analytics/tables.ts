/**
 * The event store's tables, one per kind of event, each declared once: the DDL and the Arrow
 * schema of an appended batch are both derived from these columns, so they cannot drift
 * apart (a column whose Arrow type does not match its DuckDB type makes the insert fail).
 * Every table starts with `store`, the store id the rows came from.
 */
import type { EventType, QuarantineEntry, TwinEvent } from '../contract/messages';

/** The DuckDB column types the store uses; each maps to one Arrow type (rowsToIpc.ts). */
/** DATE values are days since 1970-01-01; BLOB values are bytes (Uint8Array). */
export type SqlType = 'VARCHAR' | 'TIMESTAMP_MS' | 'DATE' | 'DOUBLE' | 'INTEGER' | 'BIGINT' | 'BOOLEAN' | 'BLOB';

/** A column's value for one row; null (or undefined) is SQL NULL. */
export type Cell = string | number | boolean | Uint8Array | null | undefined;

export interface Column<R> {
  readonly name: string;
  readonly type: SqlType;
  /** The column's value for one row (never called for `store`, which the store fills). */
  readonly get: (row: R) => Cell;
}

export interface TableSpec<R> {
  readonly name: string;
  /** The columns after `store`, in table order. */
  readonly columns: readonly Column<R>[];
}

type Of<T extends EventType> = Extract<TwinEvent, { type: T }>;

/** Every event table ends with its arrival time and `seq` after the event time comes first. */
function event<T extends EventType>(name: string, columns: Column<Of<T>>[]): TableSpec<Of<T>> {
  return {
    name,
    columns: [
      { name: 'ts', type: 'TIMESTAMP_MS', get: (e) => e.ts },
      { name: 'received', type: 'TIMESTAMP_MS', get: (e) => e.received },
      ...columns,
      // seq is any safe integer in the contract, so BIGINT, not INTEGER.
      { name: 'seq', type: 'BIGINT', get: (e) => e.seq },
    ],
  };
}

/** The table each event type is appended to. Frames (JPEG bytes) have a table of their own with a byte budget: frames.ts. */
export const EVENT_TABLES = {
  weight: event<'weight'>('readings', [
    { name: 'shelf', type: 'VARCHAR', get: (e) => e.shelf },
    { name: 'slot', type: 'VARCHAR', get: (e) => e.slot },
    { name: 'grams', type: 'DOUBLE', get: (e) => e.grams },
  ]),
  slot_event: event<'slot_event'>('slot_events', [
    { name: 'shelf', type: 'VARCHAR', get: (e) => e.shelf },
    { name: 'slot', type: 'VARCHAR', get: (e) => e.slot },
    { name: 'kind', type: 'VARCHAR', get: (e) => e.kind },
    { name: 'units', type: 'INTEGER', get: (e) => e.units },
  ]),
  rfid: event<'rfid'>('rfid_reads', [
    { name: 'reader', type: 'VARCHAR', get: (e) => e.reader },
    { name: 'epc', type: 'VARCHAR', get: (e) => e.epc },
    { name: 'antenna', type: 'INTEGER', get: (e) => e.antenna },
    { name: 'rssi', type: 'DOUBLE', get: (e) => e.rssi },
    { name: 'zone', type: 'VARCHAR', get: (e) => e.zone },
  ]),
  door_state: event<'door_state'>('door_states', [
    { name: 'door', type: 'VARCHAR', get: (e) => e.door },
    { name: 'open', type: 'BOOLEAN', get: (e) => e.open },
  ]),
  badge: event<'badge'>('badges', [
    { name: 'door', type: 'VARCHAR', get: (e) => e.door },
    { name: 'badge', type: 'VARCHAR', get: (e) => e.badge },
    { name: 'role', type: 'VARCHAR', get: (e) => e.role },
    { name: 'granted', type: 'BOOLEAN', get: (e) => e.granted },
  ]),
  detection: event<'detection'>('detections', [
    { name: 'camera', type: 'VARCHAR', get: (e) => e.camera },
    { name: 'label', type: 'VARCHAR', get: (e) => e.label },
    { name: 'score', type: 'DOUBLE', get: (e) => e.score },
    { name: 'x', type: 'DOUBLE', get: (e) => e.box[0] },
    { name: 'y', type: 'DOUBLE', get: (e) => e.box[1] },
    { name: 'w', type: 'DOUBLE', get: (e) => e.box[2] },
    { name: 'h', type: 'DOUBLE', get: (e) => e.box[3] },
  ]),
  book: event<'book'>('book', [
    { name: 'sku', type: 'VARCHAR', get: (e) => e.sku },
    { name: 'delta', type: 'INTEGER', get: (e) => e.delta },
    { name: 'reason', type: 'VARCHAR', get: (e) => e.reason },
    { name: 'ref', type: 'VARCHAR', get: (e) => e.ref },
    { name: 'slot', type: 'VARCHAR', get: (e) => e.slot },
    { name: 'ordered', type: 'INTEGER', get: (e) => e.ordered },
  ]),
  status: event<'status'>('device_status', [
    { name: 'device', type: 'VARCHAR', get: (e) => e.device },
    { name: 'online', type: 'BOOLEAN', get: (e) => e.online },
  ]),
} satisfies Partial<{ [T in EventType]: TableSpec<Of<T>> }>;

export type StoredEventType = keyof typeof EVENT_TABLES;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Quarantined messages: text payloads as they came, byte payloads as base64 unless they are UTF-8 text. */
export const QUARANTINE_TABLE: TableSpec<QuarantineEntry> = {
  name: 'quarantine',
  columns: [
    { name: 'received', type: 'TIMESTAMP_MS', get: (q) => q.message.received },
    { name: 'reason', type: 'VARCHAR', get: (q) => q.reason },
    { name: 'detail', type: 'VARCHAR', get: (q) => q.detail },
    { name: 'topic', type: 'VARCHAR', get: (q) => q.message.topic },
    { name: 'payload', type: 'VARCHAR', get: (q) => payloadText(q.message.payload) },
    { name: 'payload_b64', type: 'VARCHAR', get: (q) => (payloadText(q.message.payload) === null ? base64(q.message.payload as Uint8Array) : null) },
    { name: 'line', type: 'INTEGER', get: (q) => q.message.line },
  ],
};

function payloadText(p: string | Uint8Array): string | null {
  if (typeof p === 'string') return p;
  try {
    return utf8.decode(p);
  } catch {
    return null;
  }
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** `CREATE TABLE IF NOT EXISTS` for a spec, `store VARCHAR` first. */
export function createTableSql(spec: TableSpec<never>): string {
  const cols = ['store VARCHAR', ...spec.columns.map((c) => `"${c.name}" ${c.type}`)];
  return `CREATE TABLE IF NOT EXISTS ${spec.name} (${cols.join(', ')})`;
}

/**
 * The statements that bring a table stored by an older version up to its spec: tables only
 * grow, a new column at the end of its spec (rows go in by position), so each column the
 * stored table lacks is added at its end. `have`: the stored table's column names.
 */
export function addColumnsSql(spec: TableSpec<never>, have: ReadonlySet<string>): string[] {
  return spec.columns.filter((c) => !have.has(c.name)).map((c) => `ALTER TABLE ${spec.name} ADD COLUMN "${c.name}" ${c.type}`);
}

/**
 * One slot as the shelf CNN judged it in one camera frame (src/inference/sightingRows.ts
 * turns a frame's verdicts into these). Kept beside the load cells so the inspector can put
 * what the camera saw next to what the cell says.
 */
export interface SlotSightingRow {
  readonly camera: string;
  readonly slot: string;
  /** The frame's time, epoch ms. */
  readonly ts: number;
  /** The SKU the layout plans on the slot when the frame was judged. */
  readonly plannedSku: string;
  /** The fill class the CNN gave: empty, low, half or full. */
  readonly fill: string;
  /** Probability of `fill`, 0 to 1. */
  readonly fillProb: number;
  /** Whether the CNN says only the planned SKU (or nothing) is on the slot. */
  readonly match: boolean;
  /** Probability that the planned SKU is what is there, 0 to 1. */
  readonly matchProb: number;
  /** The frame's mean brightness, 0 to 1; null when not known. */
  readonly light: number | null;
  /** The crop the CNN saw, RGBA, row by row from the top (the shipped model's: 64 x 16, 4,096 bytes). */
  readonly crop: Uint8Array;
  /** The crop's width, pixels (its height: bytes / 4 / width). */
  readonly cropWidth: number;
}

/** The shelf CNN's verdict on each slot of each frame it judged (`store` first, as every table). */
export const SLOT_SIGHTINGS_TABLE: TableSpec<SlotSightingRow> = {
  name: 'slot_sightings',
  columns: [
    { name: 'camera', type: 'VARCHAR', get: (s) => s.camera },
    { name: 'slot', type: 'VARCHAR', get: (s) => s.slot },
    { name: 'ts', type: 'TIMESTAMP_MS', get: (s) => s.ts },
    { name: 'planned_sku', type: 'VARCHAR', get: (s) => s.plannedSku },
    { name: 'fill', type: 'VARCHAR', get: (s) => s.fill },
    { name: 'fill_prob', type: 'DOUBLE', get: (s) => s.fillProb },
    { name: 'match', type: 'BOOLEAN', get: (s) => s.match },
    { name: 'match_prob', type: 'DOUBLE', get: (s) => s.matchProb },
    { name: 'light', type: 'DOUBLE', get: (s) => s.light },
    { name: 'crop', type: 'BLOB', get: (s) => s.crop },
    { name: 'crop_width', type: 'INTEGER', get: (s) => s.cropWidth },
  ],
};
