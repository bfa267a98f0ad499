/**
 * The chain of custody of an incident, asked of the event store: who was there (badges in
 * the room when it began, and every swipe at any door around it), what was involved (the
 * SKU, its units and their value), when (the window, in UTC and in the store's zone), where
 * (slot, shelf, zone, door with their kinds) and which cameras see that place, each with a
 * bookmark at the incident's start, and the detection and the stored camera frame nearest
 * to it (the event store keeps frames within a byte budget, oldest dropped first:
 * src/analytics/frames.ts; where none is kept, the bookmark is all there is).
 *
 * It takes a Query, so it runs on the page's store, on DuckDB-WASM in Node and on native
 * DuckDB alike. Times are epoch ms; the `*Local` strings are wall-clock times in the
 * layout's time zone with their UTC offset, "2026-11-16 08:00:00 -06:00".
 */
import { lit, litList, num, sqlTime, type Query } from '../analytics/history/historySql';
import { presentBadgesSql } from '../analytics/history/roomAt';
import { toBase64 } from '../contract/recording';
import { zoneOffset } from '../core/zonedTime';
import { camerasSeeing, targetPoint, type CameraSight, type CoverageTarget } from '../layout/cameraCoverage';
import { rotate } from '../layout/geometry';
import type { DoorKind, Vec3, ZoneKind } from '../layout/Layout';
import type { DeviceKind, LayoutIndex } from '../layout/LayoutIndex';
import type { Incident } from './Incident';

export interface CustodyOptions {
  /** How far around the window to look for swipes, detections and frames, ms (default 5 min). */
  marginMs?: number;
  /** As roomAt's: a presence with no swipe out ends after this long (default 12 h). */
  presenceTimeoutMs?: number;
}

/** One swipe at a door, granted or not. */
export interface CustodySwipe {
  readonly ts: number;
  readonly local: string;
  readonly door: string;
  /** The door's kind in the layout; null for a door the layout does not know. */
  readonly doorKind: DoorKind | null;
  readonly granted: boolean;
  /** The role the badge carried on this swipe. */
  readonly role: string;
  /** Inside the incident's own window [from, to], not only its margin. */
  readonly inWindow: boolean;
}

/** One badge with a part in the incident: in the room when it began, swiping around it, or named by its alerts. */
export interface CustodyPerson {
  readonly badge: string;
  /** The latest role known: of its last swipe here, else of the swipe that brought it in; 'unknown' when neither. */
  readonly role: string;
  /** Named by the incident (Incident.badges). */
  readonly own: boolean;
  /** In the room at the incident's `from` (roomAt's presence rule): since when and through which door; null when not. */
  readonly presentAtFrom: { readonly since: number; readonly sinceLocal: string; readonly door: string } | null;
  /** Its swipes at any door in [from - margin, to + margin], in time order. */
  readonly swipes: readonly CustodySwipe[];
}

/** The stock involved. Values are in the store's currency, rounded to the cent; null where a factor is unknown. */
export interface CustodyWhat {
  /** The incident's SKU, else the SKU its slot is planned to hold; null when neither. */
  readonly sku: string | null;
  /** True when the SKU came from the slot's planogram, not from the incident. */
  readonly planned: boolean;
  readonly name: string | null;
  readonly highValue: boolean;
  readonly units: number | null;
  readonly unitCost: number | null;
  readonly unitPrice: number | null;
  /** units x unitCost. */
  readonly valueAtCost: number | null;
  /** units x unitPrice. */
  readonly valueAtPrice: number | null;
}

export interface CustodyWhen {
  readonly from: number;
  readonly to: number;
  readonly detectedAt: number;
  readonly durationMs: number;
  /** The layout's IANA zone. */
  readonly timezone: string;
  readonly fromLocal: string;
  readonly toLocal: string;
  readonly detectedLocal: string;
  /** ISO 8601 in UTC. */
  readonly fromUtc: string;
  readonly toUtc: string;
  /** The span searched for swipes, detections and frames: [from - margin, to + margin]. */
  readonly searchedFrom: number;
  readonly searchedTo: number;
}

export interface CustodyWhere {
  readonly slot: { readonly id: string; readonly level: number; readonly index: number; readonly plannedSku: string } | null;
  readonly shelf: { readonly id: string } | null;
  readonly zone: { readonly id: string; readonly kind: ZoneKind; readonly restricted: boolean; readonly roles: readonly string[] } | null;
  readonly door: { readonly id: string; readonly kind: DoorKind; readonly zone: string } | null;
  readonly device: { readonly id: string; readonly kinds: readonly DeviceKind[] } | null;
  /** What the cameras were asked to look at (the most precise place known), and where that is in the room. */
  readonly watched: 'slot' | 'door' | 'shelf' | 'zone' | null;
  readonly point: Vec3 | null;
}

/** A detection from the `detections` table. */
export interface CustodyDetection {
  readonly ts: number;
  readonly local: string;
  /** ts - bookmark: negative before it. */
  readonly offsetMs: number;
  readonly label: string;
  readonly score: number;
  /** [x, y, w, h] in pixels. */
  readonly box: readonly [number, number, number, number];
  /** The box holds the target's pixel (u, v). */
  readonly atTarget: boolean;
}

/** A camera frame from the `frames` table: what the camera saw then, as it sent it. */
export interface CustodyFrame {
  /** The camera that sent it (the CustodyCamera it belongs to). */
  readonly camera: string;
  readonly ts: number;
  readonly local: string;
  /** ts - bookmark: negative before it. */
  readonly offsetMs: number;
  /** Where `ts` came from: the camera's own stamp (MQTT 5 user property) or the frame's arrival. */
  readonly tsSource: 'property' | 'arrival';
  /** The JPEG's length in bytes. */
  readonly bytes: number;
  /** The JPEG, base64 (custody is plain data: it goes into JSON as it is). */
  readonly jpegBase64: string;
}

/** A camera that sees the place (camerasSeeing's view, occluded ones flagged), with where to look in its footage. */
export interface CustodyCamera extends CameraSight {
  /** The moment to open its footage at: the incident's `from`. */
  readonly bookmark: number;
  readonly bookmarkLocal: string;
  /** Its detection nearest the bookmark within the searched span (ties: the earlier); null when none. */
  readonly nearestDetection: CustodyDetection | null;
  /** Its detections in the searched span. */
  readonly detections: number;
  /** Its stored frame nearest the bookmark within the searched span (ties: the earlier); null when none is kept. */
  readonly nearestFrame: CustodyFrame | null;
  /** Its stored frames in the searched span. */
  readonly frames: number;
}

export interface Custody {
  readonly store: string;
  /** The incident's id. */
  readonly incident: string;
  /** By first appearance (presence start or first swipe), then badge; badges named only by the incident last. */
  readonly who: readonly CustodyPerson[];
  readonly what: CustodyWhat;
  readonly when: CustodyWhen;
  readonly where: CustodyWhere;
  /** Clear views first, then the sharpest (camerasSeeing's order); empty when the place has no point or no camera sees it. */
  readonly cameras: readonly CustodyCamera[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Wall-clock time in zone `tz` with its offset: "2026-11-16 08:00:00 -06:00". */
export function localTime(ms: number, tz: string): string {
  const off = zoneOffset(ms, tz);
  const wall = new Date(ms + off).toISOString();
  const a = Math.abs(off) / MIN;
  const sign = off < 0 ? '-' : '+';
  const hh = String(Math.floor(a / 60)).padStart(2, '0');
  const mm = String(Math.round(a % 60)).padStart(2, '0');
  return `${wall.slice(0, 10)} ${wall.slice(11, 19)} ${sign}${hh}:${mm}`;
}

const cents = (x: number) => Math.round(x * 100) / 100;

function whatOf(layout: LayoutIndex, incident: Incident): CustodyWhat {
  const slot = incident.place.slot ? layout.slots.get(incident.place.slot) : undefined;
  const skuId = incident.sku ?? slot?.sku ?? null;
  const sku = skuId ? layout.skus.get(skuId) : undefined;
  const units = incident.units ?? null;
  return {
    sku: skuId,
    planned: incident.sku === undefined && skuId !== null,
    name: sku?.name ?? null,
    highValue: sku?.highValue ?? false,
    units,
    unitCost: sku?.unitCost ?? null,
    unitPrice: sku?.unitPrice ?? null,
    valueAtCost: sku && units !== null ? cents(units * sku.unitCost) : null,
    valueAtPrice: sku && units !== null ? cents(units * sku.unitPrice) : null,
  };
}

/** The place, filled in from the most precise part (a slot implies its shelf and zone, a shelf or door its zone). */
function whereOf(layout: LayoutIndex, incident: Incident): { where: CustodyWhere; target?: CoverageTarget } {
  const p = incident.place;
  const kinds = p.device ? layout.deviceKinds(p.device) : [];
  // A device that is a slot, shelf or door stands for that place when the incident names none.
  const slotId = p.slot ?? (kinds.includes('slot') ? p.device : undefined);
  const slot = slotId ? layout.slots.get(slotId) : undefined;
  const doorId = p.door ?? (kinds.includes('door') ? p.device : undefined);
  const door = doorId ? layout.doors.get(doorId) : undefined;
  const shelfId = p.shelf ?? slot?.shelf ?? (kinds.includes('shelf') ? p.device : undefined);
  const shelf = shelfId ? layout.shelves.get(shelfId) : undefined;
  const zoneId = p.zone ?? shelf?.zone ?? door?.zone;
  const zone = zoneId ? layout.zones.get(zoneId) : undefined;

  let watched: CustodyWhere['watched'] = null;
  let target: CoverageTarget | undefined;
  if (slot) {
    watched = 'slot';
    target = { slot: slot.id };
  } else if (door) {
    watched = 'door';
    target = { door: door.id };
  } else if (shelf) {
    // The middle of its front face.
    const [dx, dy] = rotate(0, -shelf.size[1] / 2, shelf.yaw);
    watched = 'shelf';
    target = { point: [shelf.position[0] + dx, shelf.position[1] + dy, shelf.size[2] / 2] };
  } else if (zone) {
    const n = zone.outline.length;
    watched = 'zone';
    target = { point: [zone.outline.reduce((s, q) => s + q[0], 0) / n, zone.outline.reduce((s, q) => s + q[1], 0) / n, 1] };
  }
  const point = (target && targetPoint(layout, target)) ?? null;
  return {
    where: {
      slot: slot ? { id: slot.id, level: slot.level, index: slot.index, plannedSku: slot.sku } : null,
      shelf: shelf ? { id: shelf.id } : null,
      zone: zone ? { id: zone.id, kind: zone.kind, restricted: zone.restricted, roles: zone.roles } : null,
      door: door ? { id: door.id, kind: door.kind, zone: door.zone } : null,
      device: p.device ? { id: p.device, kinds } : null,
      watched,
      point,
    },
    ...(target ? { target } : {}),
  };
}

/** Swipes at any door of the store in [lo, hi], in the order the store keeps them. */
export function swipesSql(store: string, lo: number, hi: number): string {
  return `SELECT badge, door, role, granted, epoch_ms(ts) AS t FROM badges
    WHERE store = ${lit(store)} AND ts >= ${sqlTime(lo)} AND ts <= ${sqlTime(hi)}
    ORDER BY ts, coalesce(seq, -1), badge, door, granted`;
}

/** Per camera, its detection in [lo, hi] nearest `at` (ties: the earlier, then label), and how many it has there. */
export function nearestDetectionsSql(store: string, cameras: Iterable<string>, at: number, lo: number, hi: number): string {
  return `WITH d AS (
      SELECT camera, label, score, x, y, w, h, epoch_ms(ts) AS t,
        row_number() OVER (PARTITION BY camera ORDER BY abs(epoch_ms(ts) - ${Math.trunc(at)}), ts, label, score DESC) AS k,
        count(*) OVER (PARTITION BY camera) AS n
      FROM detections
      WHERE store = ${lit(store)} AND camera IN ${litList(cameras)} AND ts >= ${sqlTime(lo)} AND ts <= ${sqlTime(hi)})
    SELECT camera, label, score, x, y, w, h, t, n FROM d WHERE k = 1 ORDER BY camera`;
}

/**
 * Per camera, its stored frame in [lo, hi] nearest `at` (ties: the earlier, then the first
 * to arrive) with the JPEG, and how many it has there. Only the chosen frames' bytes are read.
 */
export function nearestFramesSql(store: string, cameras: Iterable<string>, at: number, lo: number, hi: number): string {
  // Both sides filtered alike, so the scan that reads the JPEGs reads only the span's.
  const where = `store = ${lit(store)} AND camera IN ${litList(cameras)} AND ts >= ${sqlTime(lo)} AND ts <= ${sqlTime(hi)}`;
  return `WITH f AS (
      SELECT rowid AS r, camera,
        row_number() OVER (PARTITION BY camera ORDER BY abs(epoch_ms(ts) - ${Math.trunc(at)}), ts, received, rowid) AS k,
        count(*) OVER (PARTITION BY camera) AS n
      FROM frames WHERE ${where})
    SELECT f.camera, epoch_ms(x.ts) AS t, x.ts_source, x.size, x.jpeg, f.n
    FROM f JOIN (SELECT rowid AS r, ts, ts_source, size, jpeg FROM frames WHERE ${where}) x ON x.r = f.r
    WHERE f.k = 1 ORDER BY f.camera`;
}

/** The chain of custody of `incident`, from the event store behind `q` and the layout. */
export async function custodyOf(q: Query, layout: LayoutIndex, incident: Incident, opts: CustodyOptions = {}): Promise<Custody> {
  const store = layout.store;
  const tz = layout.layout.timezone;
  const margin = Math.max(0, opts.marginMs ?? 5 * MIN);
  const lo = incident.from - margin;
  const hi = incident.to + margin;
  const local = (ms: number) => localTime(ms, tz);

  // Who: present at `from`, then every swipe in the window and its margin.
  const cage = [...layout.doors.values()].filter((d) => d.kind === 'cage').map((d) => d.id);
  const present = await q(presentBadgesSql(store, incident.from, cage, opts.presenceTimeoutMs ?? 12 * HOUR));
  const swipes = await q(swipesSql(store, lo, hi));
  const own = new Set(incident.badges);
  const people = new Map<string, { role: string; first: number; present: CustodyPerson['presentAtFrom']; swipes: CustodySwipe[] }>();
  const person = (badge: string, role: string, first: number) => {
    let p = people.get(badge);
    if (!p) people.set(badge, (p = { role, first, present: null, swipes: [] }));
    return p;
  };
  for (const r of present) {
    const since = num(r.since);
    person(String(r.badge), String(r.role), since).present = { since, sinceLocal: local(since), door: String(r.door) };
  }
  for (const r of swipes) {
    const ts = num(r.t);
    const p = person(String(r.badge), String(r.role), ts);
    p.role = String(r.role);
    const door = String(r.door);
    p.swipes.push({
      ts,
      local: local(ts),
      door,
      doorKind: layout.doors.get(door)?.kind ?? null,
      granted: r.granted === true,
      role: String(r.role),
      inWindow: ts >= incident.from && ts <= incident.to,
    });
  }
  const who: CustodyPerson[] = [...people]
    .sort(([a, pa], [b, pb]) => pa.first - pb.first || (a < b ? -1 : a > b ? 1 : 0))
    .map(([badge, p]) => ({ badge, role: p.role, own: own.has(badge), presentAtFrom: p.present, swipes: p.swipes }));
  for (const badge of [...own].sort()) {
    if (!people.has(badge)) who.push({ badge, role: 'unknown', own: true, presentAtFrom: null, swipes: [] });
  }

  const { where, target } = whereOf(layout, incident);

  // Cameras: every one that sees the place, with the detection and the frame nearest the bookmark.
  const bookmark = incident.from;
  const sights = target ? camerasSeeing(layout, target) : [];
  const nearest = new Map<string, Record<string, unknown>>();
  const frames = new Map<string, Record<string, unknown>>();
  if (sights.length) {
    const ids = sights.map((s) => s.camera);
    for (const r of await q(nearestDetectionsSql(store, ids, bookmark, lo, hi))) nearest.set(String(r.camera), r);
    for (const r of await q(nearestFramesSql(store, ids, bookmark, lo, hi))) frames.set(String(r.camera), r);
  }
  const cameras: CustodyCamera[] = sights.map((s) => {
    const r = nearest.get(s.camera);
    let det: CustodyDetection | null = null;
    if (r) {
      const ts = num(r.t);
      const box = [num(r.x), num(r.y), num(r.w), num(r.h)] as const;
      det = {
        ts,
        local: local(ts),
        offsetMs: ts - bookmark,
        label: String(r.label),
        score: num(r.score),
        box,
        atTarget: s.u >= box[0] && s.u <= box[0] + box[2] && s.v >= box[1] && s.v <= box[1] + box[3],
      };
    }
    const f = frames.get(s.camera);
    const frame: CustodyFrame | null = f
      ? {
          camera: s.camera,
          ts: num(f.t),
          local: local(num(f.t)),
          offsetMs: num(f.t) - bookmark,
          tsSource: f.ts_source === 'arrival' ? 'arrival' : 'property',
          bytes: num(f.size),
          jpegBase64: toBase64(f.jpeg as Uint8Array),
        }
      : null;
    return { ...s, bookmark, bookmarkLocal: local(bookmark), nearestDetection: det, detections: r ? num(r.n) : 0, nearestFrame: frame, frames: f ? num(f.n) : 0 };
  });

  return {
    store,
    incident: incident.id,
    who,
    what: whatOf(layout, incident),
    when: {
      from: incident.from,
      to: incident.to,
      detectedAt: incident.detectedAt,
      durationMs: incident.to - incident.from,
      timezone: tz,
      fromLocal: local(incident.from),
      toLocal: local(incident.to),
      detectedLocal: local(incident.detectedAt),
      fromUtc: new Date(incident.from).toISOString(),
      toUtc: new Date(incident.to).toISOString(),
      searchedFrom: lo,
      searchedTo: hi,
    },
    where,
    cameras,
  };
}
