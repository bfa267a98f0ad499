/**
 * The room at the time shown, in words, for when nothing is selected: which doors stand
 * open and since when, who is in the room, which devices are offline, how many slots
 * disagree with the book. Also how a typed id (the search box) finds its thing, and the
 * store-local time a "go to" field shows and reads. Pure.
 */
import { localToUtc, zoneOffset } from '../core/zonedTime';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { PresentBadge, RoomView } from '../twin/RoomView';
import type { Ref } from './workbenchUrl';

export interface RoomSummary {
  readonly openDoors: readonly { readonly door: string; readonly kind: string; readonly since: number | null }[];
  readonly present: readonly PresentBadge[];
  readonly offline: readonly string[];
  /** Slots whose load cell and book disagree. */
  readonly mismatched: readonly string[];
}

export function roomSummary(room: RoomView | undefined, layout: LayoutIndex): RoomSummary {
  if (!room) return { openDoors: [], present: [], offline: [], mismatched: [] };
  const openDoors = [...room.openDoors].map(([door, since]) => ({ door, kind: layout.doors.get(door)?.kind ?? 'unknown', since })).sort((a, b) => (a.door < b.door ? -1 : 1));
  const mismatched = [...room.slots].filter(([, s]) => s.mismatch).map(([id]) => id).sort();
  return { openDoors, present: room.present, offline: [...room.offline].sort(), mismatched };
}

/** Ids the search box offers, each with what it is. */
export function searchableRefs(layout: LayoutIndex): Ref[] {
  const refs: Ref[] = [];
  for (const id of layout.slots.keys()) refs.push({ kind: 'slot', id });
  for (const id of layout.shelves.keys()) refs.push({ kind: 'shelf', id });
  for (const id of layout.zones.keys()) refs.push({ kind: 'zone', id });
  for (const id of layout.doors.keys()) refs.push({ kind: 'door', id });
  for (const id of layout.cameras.keys()) refs.push({ kind: 'camera', id });
  for (const id of layout.readers.keys()) refs.push({ kind: 'rfid', id });
  return refs;
}

/** The thing a typed id names: exact first, then ignoring case; "kind:id" picks the kind. */
export function findRef(layout: LayoutIndex, text: string): Ref | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const refs = searchableRefs(layout);
  const colon = t.indexOf(':');
  const kind = colon > 0 ? t.slice(0, colon) : undefined;
  const id = colon > 0 ? t.slice(colon + 1) : t;
  const pool = kind ? refs.filter((r) => r.kind === kind) : refs;
  return pool.find((r) => r.id === id) ?? pool.find((r) => r.id.toLowerCase() === id.toLowerCase());
}

/** `YYYY-MM-DDTHH:MM` (an <input type=datetime-local>'s value) of an instant, in the zone. */
export function toLocalInput(ms: number, timeZone: string): string {
  return new Date(ms + zoneOffset(ms, timeZone)).toISOString().slice(0, 16);
}

/** The instant a datetime-local value means in the zone; undefined for anything else. */
export function fromLocalInput(value: string, timeZone: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return undefined;
  const t = localToUtc(m[1]!, Number(m[2]) * 60 + Number(m[3]), timeZone) + Number(m[4] ?? 0) * 1000;
  return Number.isFinite(t) ? t : undefined;
}
