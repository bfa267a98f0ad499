/**
 * Time travel: the room as it was at any moment, asked of the event store instead of
 * replayed from the start, as the same RoomView the live twin gives (twin/RoomView.ts), so
 * the 3D view shows past and present alike. Each part is one query with the store filter
 * and a `ts <= at` bound, aggregating to one row per slot, door, badge or device.
 *
 * The rules are the twin's (twin/Twin.ts, twin/folds.ts):
 * - a slot's units are its latest `movements.units_after` (the load cell with the twin's
 *   hysteresis); a slot whose first movement is later than `at` but which has a reading
 *   before it (stored out of order, so it made no movement) counts its latest reading, as
 *   the twin counts a first reading;
 * - its book is the slot-level book level (a count sets it, the rest adds);
 * - a door's state is its latest by ts, open since its last change;
 * - a badge is in the room after an odd run of granted swipes at room doors (any door but
 *   a cage door), the presence ending after `presenceTimeoutMs` with no swipe out;
 * - a device is offline when its latest status by ts says so (at one ts, offline wins: a
 *   Last Will carries the ts of the connect it answers).
 */
import { unitsAfter } from '../../twin/folds';
import { slotView, type PresentBadge, type RoomView, type SlotView } from '../../twin/RoomView';
import type { BadgeRole } from '../../contract/messages';
import type { LayoutIndex } from '../../layout/LayoutIndex';
import { bookLevelCtes, lit, litList, num, sqlTime, type Query } from './historySql';

export interface RoomAtOptions {
  /** As the twin's (TwinOptions.presenceTimeoutMs). Default 12 h. */
  presenceTimeoutMs?: number;
  /** As the twin's (TwinOptions.noiseGrams), for a slot counted from a reading. Default 10 g. */
  noiseGrams?: number;
  /** As the twin's (TwinOptions.reorderWindowMs): how far before its first movement a slot's reading can be. Default 6 h. */
  reorderWindowMs?: number;
}

const HOUR = 3_600_000;

/** Slot units at `at`: latest movement per slot. */
export function slotUnitsSql(store: string, at: number): string {
  return `SELECT slot, arg_max(units_after, ts) AS units FROM movements
    WHERE store = ${lit(store)} AND ts <= ${sqlTime(at)} GROUP BY slot`;
}

/**
 * Latest reading at `at` of the slots whose first movement comes after `at`: readings that
 * arrived after a later one made no movement. The twin takes such a reading only within its
 * reorder window behind the slot's newest, so it lies at most `windowMs` before the first
 * movement, which keeps the scan of readings to that span.
 */
export function earlyReadingsSql(store: string, at: number, windowMs: number): string {
  const S = lit(store);
  return `SELECT slot, arg_max(grams, ts) AS grams FROM readings
    WHERE store = ${S} AND ts <= ${sqlTime(at)} AND ts >= ${sqlTime(at - windowMs)}
      AND slot IN (SELECT slot FROM movements WHERE store = ${S} GROUP BY slot HAVING min(ts) > ${sqlTime(at)})
    GROUP BY slot`;
}

/** Slot-level book at `at`, per slot. */
export function slotBookSql(store: string, at: number): string {
  return `WITH ${bookLevelCtes(store, at)}
    SELECT slot, arg_max(book, ord) AS book FROM bt GROUP BY slot`;
}

/** Doors open at `at`, with the ts they opened. */
export function openDoorsSql(store: string, at: number): string {
  return `WITH d AS (
      SELECT door, open, epoch_ms(ts) AS t,
        row_number() OVER (PARTITION BY door ORDER BY ts, coalesce(seq, -1), open) AS ord
      FROM door_states WHERE store = ${lit(store)} AND ts <= ${sqlTime(at)}),
    c AS (SELECT *, open IS DISTINCT FROM lag(open) OVER (PARTITION BY door ORDER BY ord) AS change FROM d),
    s AS (SELECT door, arg_max(open, ord) AS open, arg_max(t, ord) FILTER (WHERE change) AS since FROM c GROUP BY door)
    SELECT door, since FROM s WHERE open ORDER BY door`;
}

/**
 * Badges present at `at`. A granted swipe at a room door toggles in and out, except that a
 * presence older than the timeout has ended (a missed swipe out), so a toggle more than the
 * timeout after the previous one always goes in. Such a toggle starts a run; inside a run
 * every toggle is within the timeout of the one before, so they alternate in, out, in...:
 * the latest toggle went in when its place in its run is even. That is badgeStep's fold
 * (folds.ts) without walking every swipe in order.
 */
export function presentBadgesSql(store: string, at: number, cageDoors: Iterable<string>, presenceTimeoutMs: number): string {
  const timeout = Math.trunc(presenceTimeoutMs);
  return `WITH s AS (
      SELECT badge, door, role, epoch_ms(ts) AS t, granted AND door NOT IN ${litList(cageDoors)} AS toggles,
        row_number() OVER (PARTITION BY badge ORDER BY ts, coalesce(seq, -1), door, granted, role) AS ord
      FROM badges WHERE store = ${lit(store)} AND ts <= ${sqlTime(at)}),
    latest AS (SELECT badge, arg_max(role, ord) AS role, arg_max(door, ord) AS door FROM s GROUP BY badge),
    tg AS (SELECT badge, t, ord, t - lag(t) OVER (PARTITION BY badge ORDER BY ord) AS gap FROM s WHERE toggles),
    r AS (SELECT *, sum(CASE WHEN gap IS NULL OR gap > ${timeout} THEN 1 ELSE 0 END) OVER (PARTITION BY badge ORDER BY ord ROWS UNBOUNDED PRECEDING) AS run FROM tg),
    k AS (SELECT *, row_number() OVER (PARTITION BY badge, run ORDER BY ord) - 1 AS k FROM r),
    lt AS (SELECT badge, arg_max(t, ord) AS since, arg_max(k, ord) AS k FROM k GROUP BY badge)
    SELECT latest.badge, latest.role, latest.door, lt.since FROM latest JOIN lt ON lt.badge = latest.badge
    WHERE lt.k % 2 = 0 AND ${Math.trunc(at)} - lt.since <= ${timeout}
    ORDER BY lt.since, latest.badge`;
}

/** Devices whose latest status at `at` says offline (at one ts, offline wins, as in Twin.status). */
export function offlineDevicesSql(store: string, at: number): string {
  return `SELECT device FROM (
      SELECT device, arg_max(online, epoch_ms(ts) * 2 + CASE WHEN online THEN 0 ELSE 1 END) AS online FROM device_status
      WHERE store = ${lit(store)} AND ts <= ${sqlTime(at)} GROUP BY device)
    WHERE NOT online ORDER BY device`;
}

/** The room at `at` (epoch ms) from the event store, as the twin would show it had it seen only the events up to `at`. */
export async function roomAt(q: Query, layout: LayoutIndex, at: number, options: RoomAtOptions = {}): Promise<RoomView> {
  const store = layout.store;
  const timeout = options.presenceTimeoutMs ?? 12 * HOUR;
  const noise = options.noiseGrams ?? 10;

  const units = new Map<string, number>();
  for (const r of await q(slotUnitsSql(store, at))) units.set(String(r.slot), num(r.units));
  if (units.size < layout.slots.size) {
    for (const r of await q(earlyReadingsSql(store, at, options.reorderWindowMs ?? 6 * HOUR))) {
      const slot = layout.slots.get(String(r.slot));
      const sku = slot && layout.skus.get(slot.sku);
      if (sku) units.set(slot.id, unitsAfter(null, num(r.grams), sku.unitGrams, noise));
    }
  }
  const book = new Map<string, number>();
  for (const r of await q(slotBookSql(store, at))) book.set(String(r.slot), num(r.book));

  const slots = new Map<string, SlotView>();
  for (const [id, slot] of layout.slots) {
    const u = units.get(id) ?? null;
    const b = book.get(id) ?? null;
    if (u === null && b === null) continue;
    slots.set(id, slotView(u, slot.capacity, b));
  }

  const openDoors = new Map<string, number | null>();
  for (const r of await q(openDoorsSql(store, at))) openDoors.set(String(r.door), r.since === null ? null : num(r.since));

  const cage = [...layout.doors.values()].filter((d) => d.kind === 'cage').map((d) => d.id);
  const present: PresentBadge[] = (await q(presentBadgesSql(store, at, cage, timeout))).map((r) => ({
    badge: String(r.badge),
    role: String(r.role) as BadgeRole,
    door: String(r.door),
    since: num(r.since),
  }));

  const offline = new Set<string>();
  for (const r of await q(offlineDevicesSql(store, at))) offline.add(String(r.device));

  return { store, at, slots, openDoors, present, offline };
}
