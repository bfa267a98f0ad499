/**
 * The inspector's list: the latest events touching one thing (a slot, shelf, zone, door,
 * camera, RFID reader, device or badge) before a moment, newest first, as rows a UI can
 * show without knowing the tables. One small query per kind of event that concerns the
 * thing, each newest first with the limit, merged here.
 */
import { lit, num, numOrNull, sqlTime, type Query } from './historySql';

export type InspectedKind = 'slot' | 'shelf' | 'zone' | 'door' | 'camera' | 'rfid' | 'device' | 'badge';

/** What the inspector shows: a thing by kind and id. */
export interface InspectedRef {
  readonly kind: InspectedKind;
  readonly id: string;
}

export type HistoryEventKind = 'movement' | 'edge' | 'book' | 'status' | 'fault' | 'door' | 'badge' | 'rfid' | 'detection';

export interface HistoryEvent {
  /** Event time, epoch ms. */
  readonly ts: number;
  readonly kind: HistoryEventKind;
  /** The id the event is about (a slot of the inspected shelf, the reader of a read...). */
  readonly subject: string;
  /** One line for a person, e.g. "pick 2: 5 → 3 units". */
  readonly text: string;
}

interface Source {
  readonly kind: HistoryEventKind;
  /** SELECT with `t` (epoch ms), `subject` and the fields `text` reads, newest first. */
  readonly sql: (where: string, limit: number) => string;
  readonly text: (r: Record<string, unknown>) => string;
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

const SOURCES = {
  movement: {
    kind: 'movement',
    sql: (w, n) => `SELECT epoch_ms(ts) AS t, slot AS subject, units_before, units_after, grams FROM movements WHERE ${w} ORDER BY ts DESC LIMIT ${n}`,
    text: (r) => {
      const before = numOrNull(r.units_before);
      const after = num(r.units_after);
      if (before === null) return `first reading: ${after} units (${num(r.grams).toFixed(0)} g)`;
      return `${after < before ? 'pick' : 'put'} ${Math.abs(after - before)}: ${before} → ${after} units`;
    },
  },
  edge: {
    kind: 'edge',
    sql: (w, n) => `SELECT epoch_ms(ts) AS t, slot AS subject, kind, units FROM slot_events WHERE ${w} ORDER BY ts DESC, seq DESC NULLS LAST LIMIT ${n}`,
    text: (r) => `${String(r.kind)} ${num(r.units)} (edge)`,
  },
  book: {
    kind: 'book',
    sql: (w, n) => `SELECT epoch_ms(ts) AS t, slot AS subject, sku, delta, reason, ref FROM book WHERE ${w} ORDER BY ts DESC, seq DESC NULLS LAST LIMIT ${n}`,
    text: (r) => {
      const d = num(r.delta);
      const ref = r.ref === null || r.ref === undefined ? '' : ` (${String(r.ref)})`;
      return r.reason === 'count' ? `count: ${d} of ${String(r.sku)}${ref}` : `${String(r.reason)} ${signed(d)} ${String(r.sku)}${ref}`;
    },
  },
  status: {
    kind: 'status',
    sql: (w, n) => `SELECT epoch_ms(ts) AS t, device AS subject, online FROM device_status WHERE ${w} ORDER BY ts DESC, seq DESC NULLS LAST LIMIT ${n}`,
    text: (r) => `${String(r.subject)} ${r.online ? 'online' : 'offline'}`,
  },
  fault: {
    kind: 'fault',
    sql: (w, n) => `SELECT epoch_ms(ts) AS t, slot AS subject, kind, grams FROM cell_faults WHERE ${w} ORDER BY ts DESC LIMIT ${n}`,
    text: (r) => `load cell ${String(r.kind)} at ${num(r.grams).toFixed(1)} g`,
  },
  door: {
    kind: 'door',
    sql: (w, n) => `SELECT epoch_ms(ts) AS t, door AS subject, open FROM door_states WHERE ${w} ORDER BY ts DESC, seq DESC NULLS LAST LIMIT ${n}`,
    text: (r) => `${String(r.subject)} ${r.open ? 'opened' : 'closed'}`,
  },
  badge: {
    kind: 'badge',
    sql: (w, n) => `SELECT epoch_ms(ts) AS t, badge AS subject, door, role, granted FROM badges WHERE ${w} ORDER BY ts DESC, seq DESC NULLS LAST LIMIT ${n}`,
    text: (r) => `${String(r.subject)} (${String(r.role)}) ${r.granted ? 'swiped' : 'refused'} at ${String(r.door)}`,
  },
  rfid: {
    kind: 'rfid',
    sql: (w, n) => `SELECT epoch_ms(ts) AS t, epc AS subject, reader, antenna, zone FROM rfid_reads WHERE ${w} ORDER BY ts DESC, seq DESC NULLS LAST LIMIT ${n}`,
    text: (r) => `tag ${String(r.subject)} read by ${String(r.reader)}${r.antenna === null ? '' : `/${num(r.antenna)}`}${r.zone === null ? '' : ` in ${String(r.zone)}`}`,
  },
  detection: {
    kind: 'detection',
    sql: (w, n) => `SELECT epoch_ms(ts) AS t, camera AS subject, label, score FROM detections WHERE ${w} ORDER BY ts DESC, seq DESC NULLS LAST LIMIT ${n}`,
    text: (r) => `${String(r.label)} (${num(r.score).toFixed(2)})`,
  },
} satisfies Record<HistoryEventKind, Source>;

/** Which sources concern a thing, each with its condition (besides store and time). */
export function sourcesFor(store: string, ref: InspectedRef): [Source, string][] {
  const S = lit(store);
  const id = lit(ref.id);
  const slotsOf = (col: 'shelf' | 'zone') => `(SELECT slot FROM slots WHERE store = ${S} AND ${col} = ${id})`;
  switch (ref.kind) {
    case 'slot':
      return [
        [SOURCES.movement, `slot = ${id}`],
        [SOURCES.edge, `slot = ${id}`],
        [SOURCES.book, `slot = ${id}`],
        [SOURCES.status, `(device = ${id} OR device IN (SELECT shelf FROM slots WHERE store = ${S} AND slot = ${id}))`],
        [SOURCES.fault, `slot = ${id}`],
      ];
    case 'shelf':
      return [
        [SOURCES.movement, `shelf = ${id}`],
        [SOURCES.edge, `shelf = ${id}`],
        [SOURCES.book, `slot IN ${slotsOf('shelf')}`],
        [SOURCES.status, `(device = ${id} OR device IN ${slotsOf('shelf')})`],
        [SOURCES.fault, `slot IN ${slotsOf('shelf')}`],
      ];
    case 'zone':
      return [
        [SOURCES.rfid, `zone = ${id}`],
        [SOURCES.movement, `zone = ${id}`],
      ];
    case 'door':
      return [
        [SOURCES.door, `door = ${id}`],
        [SOURCES.badge, `door = ${id}`],
        [SOURCES.status, `device = ${id}`],
      ];
    case 'camera':
      return [
        [SOURCES.detection, `camera = ${id}`],
        [SOURCES.status, `device = ${id}`],
      ];
    case 'rfid':
      return [
        [SOURCES.rfid, `reader = ${id}`],
        [SOURCES.status, `device = ${id}`],
      ];
    case 'device':
      return [[SOURCES.status, `device = ${id}`]];
    case 'badge':
      return [[SOURCES.badge, `badge = ${id}`]];
  }
}

/** The `limit` latest events touching `ref` at or before `before` (epoch ms), newest first. */
export async function recentEvents(q: Query, store: string, ref: InspectedRef, before: number, limit = 50): Promise<HistoryEvent[]> {
  const n = Math.max(0, Math.trunc(limit));
  if (n === 0) return [];
  const out: HistoryEvent[] = [];
  for (const [src, cond] of sourcesFor(store, ref)) {
    const where = `store = ${lit(store)} AND ts <= ${sqlTime(before)} AND ${cond}`;
    for (const r of await q(src.sql(where, n))) out.push({ ts: num(r.t), kind: src.kind, subject: String(r.subject), text: src.text(r) });
  }
  // Stable: equal times keep the sources' order (movement before book, state before swipe).
  return out.sort((a, b) => b.ts - a.ts).slice(0, n);
}
