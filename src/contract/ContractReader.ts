/**
 * Reads raw messages against the telemetry contract and a layout: each becomes a typed
 * event, a duplicate (a repeated `seq` on its topic), or a quarantine entry with its reason.
 * It never throws on bad input and keeps no message back: the caller decides where each
 * outcome goes. The same code runs in Node, in a worker and in the page.
 */
import type { LayoutIndex } from '../layout/LayoutIndex';
import {
  BADGE_ROLES,
  BOOK_REASONS,
  type BadgeRole,
  type BookReason,
  type QuarantineEntry,
  type QuarantineReason,
  type RawMessage,
  type TwinEvent,
} from './messages';
import { parseTopic, type Route } from './parseTopic';
import { parseTs } from './parseTs';
import { SeqWindow } from './SeqWindow';

export type ReadOutcome =
  | { readonly status: 'accepted'; readonly event: TwinEvent }
  | { readonly status: 'duplicate'; readonly topic: string; readonly seq: number }
  | { readonly status: 'quarantined'; readonly entry: QuarantineEntry };

/** A message's `ts` may be at most this far after its arrival (the contract's 24 h). */
export const MAX_FUTURE_MS = 24 * 3600_000;

class Bad {
  constructor(
    readonly reason: QuarantineReason,
    readonly detail: string,
  ) {}
}
const bad = (reason: QuarantineReason, detail: string): never => {
  throw new Bad(reason, detail);
};

// ignoreBOM keeps a leading BOM in the text, so JSON.parse refuses it live exactly as it
// would from a recording line: the same bytes get the same verdict on both paths.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ContractReader {
  /** Seen `seq` values per topic, bounded (SeqWindow). A message without `seq` is never a duplicate. */
  private readonly seen = new Map<string, SeqWindow>();
  /** Topics repeat (a store has a few thousand): their routes are parsed once. Bounded. */
  private readonly routes = new Map<string, Route | undefined>();

  constructor(private readonly layout: LayoutIndex) {}

  read(msg: RawMessage): ReadOutcome {
    try {
      const event = this.toEvent(msg);
      if (event.seq !== undefined) {
        let seqs = this.seen.get(msg.topic);
        if (!seqs) this.seen.set(msg.topic, (seqs = new SeqWindow()));
        if (!seqs.add(event.seq)) return { status: 'duplicate', topic: msg.topic, seq: event.seq };
      }
      return { status: 'accepted', event };
    } catch (e) {
      if (e instanceof Bad) return { status: 'quarantined', entry: { reason: e.reason, detail: e.detail, message: msg } };
      throw e;
    }
  }

  private toEvent(msg: RawMessage): TwinEvent {
    const route = this.route(msg.topic) ?? bad('unknown_topic', `topic ${JSON.stringify(msg.topic)} does not match the contract`);
    if (route.store !== this.layout.store) bad('wrong_store', `topic is for store ${route.store}, the layout is ${this.layout.store}`);
    if (route.kind === 'frame') return this.frame(msg, route.camera);
    const o = jsonObject(msg.payload);
    const ts = readTs(o, msg.received);
    const seq = optInt(o, 'seq', 0);
    return this.typed(route, o, ts, msg.received, seq);
  }

  private route(topic: string): Route | undefined {
    if (this.routes.has(topic)) return this.routes.get(topic);
    if (this.routes.size >= 50_000) this.routes.clear();
    const r = parseTopic(topic);
    this.routes.set(topic, r);
    return r;
  }

  // Events are built field by field (no spreads): this is the ingest hot path, and one
  // object shape per type keeps it monomorphic. `seq` is present (maybe undefined) on all.
  private typed(route: Exclude<Route, { kind: 'frame' }>, o: Record<string, unknown>, ts: number, received: number, seq: number | undefined): TwinEvent {
    const L = this.layout;
    switch (route.kind) {
      case 'weight':
      case 'slot_event': {
        if (!L.shelves.has(route.shelf)) bad('unknown_id', `shelf ${route.shelf} is not in the layout`);
        const slot = L.slots.get(route.slot) ?? bad('unknown_id', `slot ${route.slot} is not in the layout`);
        if (slot.shelf !== route.shelf) bad('slot_shelf_mismatch', `slot ${route.slot} is on shelf ${slot.shelf}, not ${route.shelf}`);
        if (route.kind === 'weight') {
          return { type: 'weight', ts, received, seq, shelf: route.shelf, slot: route.slot, grams: num(o, 'grams') };
        }
        const kind = oneOf(o, 'kind', ['pick', 'put'] as const);
        const units = int(o, 'units', 1);
        return { type: 'slot_event', ts, received, seq, shelf: route.shelf, slot: route.slot, kind, units };
      }
      case 'rfid': {
        const reader = L.readers.get(route.reader) ?? bad('unknown_id', `RFID reader ${route.reader} is not in the layout`);
        const epc = str(o, 'epc');
        const antenna = optInt(o, 'antenna', 0);
        const rssi = optNum(o, 'rssi');
        // A reader written with one `zone` places every read there, whatever antenna it names;
        // a read with no antenna from a reader of several cannot be placed in a zone.
        const zone = reader.zone ?? (antenna === undefined ? null : (reader.antennas[String(antenna)] ?? bad('unknown_id', `reader ${reader.id} has no antenna ${antenna} in the layout`)));
        return { type: 'rfid', ts, received, seq, reader: reader.id, epc, antenna: antenna ?? null, zone, rssi };
      }
      case 'door_state':
      case 'badge': {
        if (!L.doors.has(route.door)) bad('unknown_id', `door ${route.door} is not in the layout`);
        if (route.kind === 'door_state') return { type: 'door_state', ts, received, seq, door: route.door, open: bool(o, 'open') };
        const badge = str(o, 'badge');
        const role = oneOf(o, 'role', BADGE_ROLES) as BadgeRole;
        return { type: 'badge', ts, received, seq, door: route.door, badge, role, granted: bool(o, 'granted') };
      }
      case 'detection': {
        if (!L.cameras.has(route.camera)) bad('unknown_id', `camera ${route.camera} is not in the layout`);
        const label = str(o, 'label');
        const score = num(o, 'score');
        const box = o.box;
        if (!Array.isArray(box) || box.length !== 4 || !box.every((x) => typeof x === 'number' && Number.isFinite(x))) {
          return box === undefined ? bad('missing_field', 'box is missing') : bad('bad_field', 'box must be [x, y, w, h] in pixels');
        }
        return { type: 'detection', ts, received, seq, camera: route.camera, label, score, box: box as [number, number, number, number] };
      }
      case 'book': {
        const sku = str(o, 'sku');
        if (!L.skus.has(sku)) bad('unknown_id', `SKU ${sku} is not in the layout`);
        const delta = int(o, 'delta', -Infinity);
        const reason = oneOf(o, 'reason', BOOK_REASONS) as BookReason;
        const ref = optStr(o, 'ref');
        const slot = optStr(o, 'slot');
        const ordered = optInt(o, 'ordered', 0);
        if (slot !== undefined && !L.slots.has(slot)) bad('unknown_id', `slot ${slot} is not in the layout`);
        if (reason === 'count' && delta < 0) bad('bad_field', `a count's delta is the counted quantity and cannot be negative (${delta})`);
        return { type: 'book', ts, received, seq, sku, delta, reason, ref, slot, ordered };
      }
      case 'status': {
        if (L.deviceKinds(route.device).length === 0) bad('unknown_id', `device ${route.device} is not in the layout`);
        return { type: 'status', ts, received, seq, device: route.device, online: bool(o, 'online') };
      }
    }
    return bad('unknown_topic', 'no route');
  }

  private frame(msg: RawMessage, camera: string): TwinEvent {
    if (!this.layout.cameras.has(camera)) bad('unknown_id', `camera ${camera} is not in the layout`);
    const bytes = typeof msg.payload === 'string' ? new TextEncoder().encode(msg.payload) : msg.payload;
    if (bytes.length < 3 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) bad('bad_frame', 'payload does not start with a JPEG marker');
    const prop = msg.props?.ts;
    let ts = msg.received;
    if (prop !== undefined) {
      ts = parseTs(/^\d+(\.\d+)?$/.test(prop) ? Number(prop) : prop);
      if (Number.isNaN(ts)) bad('bad_ts', `user property ts ${JSON.stringify(prop)} is not a contract time`);
      if (ts - msg.received > MAX_FUTURE_MS) bad('future_ts', 'user property ts is more than 24 h after arrival');
    }
    return { type: 'frame', ts, received: msg.received, camera, jpeg: bytes, tsSource: prop === undefined ? 'arrival' : 'property' };
  }
}

function jsonObject(payload: string | Uint8Array): Record<string, unknown> {
  let text: string;
  if (typeof payload === 'string') text = payload;
  else {
    try {
      text = utf8.decode(payload);
    } catch {
      return bad('bad_json', 'payload is not UTF-8 text');
    }
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return bad('bad_json', `payload is not JSON: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad('bad_json', 'payload is JSON but not an object');
  return v as Record<string, unknown>;
}

function readTs(o: Record<string, unknown>, received: number): number {
  if (o.ts === undefined) bad('missing_field', 'ts is missing');
  const ts = parseTs(o.ts);
  if (Number.isNaN(ts)) bad('bad_ts', `ts ${JSON.stringify(o.ts)} is neither RFC 3339 with a zone nor epoch ms`);
  if (ts - received > MAX_FUTURE_MS) bad('future_ts', `ts is ${((ts - received) / 3600_000).toFixed(1)} h after arrival`);
  return ts;
}

function present(o: Record<string, unknown>, k: string): unknown {
  const v = o[k];
  if (v === undefined || v === null) bad('missing_field', `${k} is missing`);
  return v;
}
function num(o: Record<string, unknown>, k: string): number {
  const v = present(o, k);
  if (typeof v !== 'number' || !Number.isFinite(v)) bad('bad_field', `${k} must be a number`);
  return v as number;
}
function int(o: Record<string, unknown>, k: string, min: number): number {
  const v = num(o, k);
  // Safe integers only: above 2^53 adding 1 no longer changes a number (seq windows, counts).
  if (!Number.isSafeInteger(v)) bad('bad_field', `${k} must be a whole number below 2^53, not ${v}`);
  if (v < min) bad('bad_field', `${k} must be at least ${min}, not ${v}`);
  return v;
}
function optNum(o: Record<string, unknown>, k: string): number | undefined {
  return o[k] === undefined || o[k] === null ? undefined : num(o, k);
}
function optInt(o: Record<string, unknown>, k: string, min: number): number | undefined {
  return o[k] === undefined || o[k] === null ? undefined : int(o, k, min);
}
function str(o: Record<string, unknown>, k: string): string {
  const v = present(o, k);
  if (typeof v !== 'string' || v.length === 0) bad('bad_field', `${k} must be a non-empty string`);
  return v as string;
}
function optStr(o: Record<string, unknown>, k: string): string | undefined {
  return o[k] === undefined || o[k] === null ? undefined : str(o, k);
}
function bool(o: Record<string, unknown>, k: string): boolean {
  const v = present(o, k);
  if (typeof v !== 'boolean') bad('bad_field', `${k} must be true or false`);
  return v as boolean;
}
function oneOf<T extends string>(o: Record<string, unknown>, k: string, values: readonly T[]): T {
  const v = present(o, k);
  if (typeof v !== 'string' || !values.includes(v as T)) bad('bad_field', `${k} must be one of ${values.join(', ')}`);
  return v as T;
}
