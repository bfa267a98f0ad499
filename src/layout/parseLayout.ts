/**
 * Reads a layout file (../shared/contract/layout.md) and either accepts all of it or
 * refuses it with every problem found (path and reason). A layout is never half-loaded.
 * Fields the contract does not name are ignored, as the contract asks of readers.
 */
import {
  at,
  parseJsonText,
  Problems,
  readArray,
  readBoolean,
  readNumber,
  readObject,
  readString,
  readTuple,
} from '../core/fields';
import { HHMM_PATTERN, ID_HINT, ID_PATTERN } from '../core/patterns';
import { convexOverlap, distanceToOutline, footprint, isSimplePolygon, pointInPolygon, polygonInside } from './geometry';
import {
  DOOR_KINDS,
  ROLES,
  ZONE_KINDS,
  type Camera,
  type Door,
  type DoorKind,
  type Layout,
  type LayoutProblem,
  type Obstacle,
  type RfidReader,
  type Role,
  type Shelf,
  type Sku,
  type Slot,
  type Vec2,
  type Vec3,
  type Zone,
  type ZoneKind,
} from './Layout';

// A store may close at midnight, written 24:00.
const HHMM = new RegExp(`${HHMM_PATTERN.source}|^24:00$`);
/** How far a door's centre may sit from the outline it belongs on (hand-drawn files are not exact). */
export const DOOR_TOLERANCE_M = 0.05;

export type LayoutResult = { ok: true; layout: Layout } | { ok: false; problems: LayoutProblem[] };

/** Parses layout JSON text; JSON syntax errors are reported like any other problem. */
export function parseLayoutText(text: string): LayoutResult {
  const p = new Problems();
  const json = parseJsonText(p, text);
  if (!p.ok) return { ok: false, problems: p.list };
  return parseLayout(json);
}

export function parseLayout(json: unknown): LayoutResult {
  const p = new Problems();
  const root = readObject(p, '', json);
  if (!root) return { ok: false, problems: p.list };

  if (root.version !== 1) {
    p.add('version', root.version === undefined ? 'is missing (this reader knows version 1)' : `must be 1, not ${JSON.stringify(root.version)}`);
  }
  const store = readString(p, 'store', root.store, { pattern: ID_PATTERN, patternHint: ID_HINT });
  const name = readString(p, 'name', root.name);
  const timezone = readString(p, 'timezone', root.timezone);
  if (timezone !== undefined && !isTimeZone(timezone)) p.add('timezone', `${JSON.stringify(timezone)} is not an IANA time zone`);
  const hoursObj = readObject(p, 'hours', root.hours);
  const open = hoursObj && readString(p, 'hours.open', hoursObj.open, { pattern: HHMM, patternHint: 'must be HH:MM' });
  const close = hoursObj && readString(p, 'hours.close', hoursObj.close, { pattern: HHMM, patternHint: 'must be HH:MM' });

  const roomObj = readObject(p, 'room', root.room);
  const outline = roomObj ? readPolygon(p, 'room.outline', roomObj.outline) : undefined;
  const height = roomObj && readNumber(p, 'room.height', roomObj.height, { above: 0 });

  const skus = readSkus(p, root.skus);
  const zones = readZones(p, root.zones);
  // References resolve against every id a part declares, even a part broken elsewhere: its own
  // problems are reported at the part, and a slot or door naming it is not wrong as well.
  const skuIds = declaredIds(root.skus);
  const zoneIds = declaredIds(root.zones);
  const zoneById = new Map(zones.map((z) => [z.id, z]));
  const shelves = readShelves(p, root.shelves, skuIds, zoneIds, outline, height);
  const doors = readDoors(p, root.doors, zoneIds, zoneById, outline);
  const rfid = readRfid(p, root.rfid, zoneIds);
  const cameras = readCameras(p, root.cameras, outline, height);
  const obstacles = readObstacles(p, root.obstacles);

  if (!p.ok) return { ok: false, problems: p.list };
  return {
    ok: true,
    layout: {
      version: 1,
      store: store!,
      name: name!,
      timezone: timezone!,
      hours: { open: open!, close: close! },
      room: { outline: outline!, height: height! },
      skus,
      zones,
      shelves,
      doors,
      rfid,
      cameras,
      obstacles,
    },
  };
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The well-formed ids of a list of parts, whether or not the rest of each part is good. */
function declaredIds(v: unknown): Set<string> {
  const ids = new Set<string>();
  if (!Array.isArray(v)) return ids;
  for (const item of v) {
    const id: unknown = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : undefined;
    if (typeof id === 'string' && ID_PATTERN.test(id)) ids.add(id);
  }
  return ids;
}

function readPolygon(p: Problems, path: string, v: unknown): Vec2[] | undefined {
  const arr = readArray(p, path, v, { minLength: 3 });
  if (!arr) return undefined;
  const before = p.list.length;
  const pts = arr.map((pt, i) => readTuple(p, at(path, i), pt, 2) as Vec2 | undefined);
  if (p.list.length > before) return undefined;
  const poly = pts as Vec2[];
  if (!isSimplePolygon(poly)) {
    p.add(path, 'is not a simple polygon (its edges cross or touch, or it has no area)');
    return undefined;
  }
  return poly;
}

/** Reads a list of parts, checking each id and its uniqueness within the kind. */
function readParts<T>(
  p: Problems,
  path: string,
  v: unknown,
  read: (o: Record<string, unknown>, path: string, id: string | undefined) => T | undefined,
): T[] {
  const arr = readArray(p, path, v, { optional: true }) ?? [];
  const seen = new Map<string, number>();
  const out: T[] = [];
  arr.forEach((item, i) => {
    const ipath = at(path, i);
    const o = readObject(p, ipath, item);
    if (!o) return;
    const id = readString(p, at(ipath, 'id'), o.id, { pattern: ID_PATTERN, patternHint: ID_HINT });
    if (id !== undefined) {
      const first = seen.get(id);
      if (first !== undefined) p.add(at(ipath, 'id'), `duplicate id ${JSON.stringify(id)} (also ${path}[${first}])`);
      else seen.set(id, i);
    }
    const part = read(o, ipath, id);
    if (part !== undefined) out.push(part);
  });
  return out;
}

function readSkus(p: Problems, v: unknown): Sku[] {
  return readParts(p, 'skus', v, (o, path, id) => {
    const name = readString(p, at(path, 'name'), o.name);
    const unitGrams = readNumber(p, at(path, 'unitGrams'), o.unitGrams, { above: 0 });
    const unitCost = readNumber(p, at(path, 'unitCost'), o.unitCost, { min: 0 });
    const unitPrice = readNumber(p, at(path, 'unitPrice'), o.unitPrice, { min: 0 });
    const highValue = readBoolean(p, at(path, 'highValue'), o.highValue, { optional: true }) ?? false;
    if (id === undefined || name === undefined || unitGrams === undefined || unitCost === undefined || unitPrice === undefined) return undefined;
    return { id, name, unitGrams, unitCost, unitPrice, highValue };
  });
}

function readZones(p: Problems, v: unknown): Zone[] {
  return readParts(p, 'zones', v, (o, path, id) => {
    const kind = readString(p, at(path, 'kind'), o.kind, { oneOf: ZONE_KINDS }) as ZoneKind | undefined;
    const outline = readPolygon(p, at(path, 'outline'), o.outline);
    const restricted = readBoolean(p, at(path, 'restricted'), o.restricted, { optional: true }) ?? false;
    const rolesArr = readArray(p, at(path, 'roles'), o.roles, { optional: true }) ?? [];
    const roles = rolesArr.map((r, i) => readString(p, at(at(path, 'roles'), i), r, { oneOf: ROLES }) as Role | undefined);
    if (id === undefined || kind === undefined || outline === undefined || roles.includes(undefined)) return undefined;
    return { id, kind, outline, restricted, roles: roles as Role[] };
  });
}

function readShelves(
  p: Problems,
  v: unknown,
  skuIds: Set<string>,
  zoneIds: Set<string>,
  room: Vec2[] | undefined,
  roomHeight: number | undefined,
): Shelf[] {
  const slotIds = new Map<string, string>();
  const footprints: { path: string; id: string; poly: Vec2[] }[] = [];
  const shelves = readParts(p, 'shelves', v, (o, path, id) => {
    const zone = readString(p, at(path, 'zone'), o.zone);
    if (zone !== undefined && !zoneIds.has(zone)) p.add(at(path, 'zone'), `refers to zone ${JSON.stringify(zone)}, which the layout does not have`);
    const position = readTuple(p, at(path, 'position'), o.position, 2) as Vec2 | undefined;
    const yaw = readNumber(p, at(path, 'yaw'), o.yaw);
    const size = readTuple(p, at(path, 'size'), o.size, 3, { positive: true }) as Vec3 | undefined;
    const levels = readNumber(p, at(path, 'levels'), o.levels, { integer: true, min: 1 });
    if (size && roomHeight !== undefined && size[2] > roomHeight) p.add(at(path, 'size'), `the shelf is ${size[2]} m tall, taller than the room (${roomHeight} m)`);
    const slots = readSlots(p, at(path, 'slots'), o.slots, id, levels, skuIds, slotIds);
    if (position && yaw !== undefined && size) {
      const poly = footprint(position, size[0], size[1], yaw);
      if (room && !polygonInside(poly, room, 1e-6)) p.add(at(path, 'position'), 'the shelf stands (at least partly) outside the room');
      if (id !== undefined) footprints.push({ path, id, poly });
    }
    if (id === undefined || zone === undefined || !position || yaw === undefined || !size || levels === undefined || !slots) return undefined;
    return { id, zone, position, yaw, size, levels, slots };
  });
  for (let i = 0; i < footprints.length; i++) {
    for (let j = i + 1; j < footprints.length; j++) {
      const a = footprints[i]!;
      const b = footprints[j]!;
      if (convexOverlap(a.poly, b.poly)) p.add(b.path, `overlaps shelf ${JSON.stringify(a.id)} (${a.path})`);
    }
  }
  return shelves;
}

function readSlots(
  p: Problems,
  path: string,
  v: unknown,
  shelfId: string | undefined,
  levels: number | undefined,
  skuIds: Set<string>,
  slotIds: Map<string, string>,
): Slot[] | undefined {
  const arr = readArray(p, path, v);
  if (!arr) return undefined;
  const before = p.list.length;
  const places = new Map<string, number>();
  const slots: Slot[] = [];
  const pathOf = new Map<Slot, string>();
  arr.forEach((item, i) => {
    const spath = at(path, i);
    const o = readObject(p, spath, item);
    if (!o) return;
    const id = readString(p, at(spath, 'id'), o.id, { pattern: ID_PATTERN, patternHint: ID_HINT });
    if (id !== undefined) {
      const first = slotIds.get(id);
      if (first !== undefined) p.add(at(spath, 'id'), `duplicate slot id ${JSON.stringify(id)} (also ${first}); slot ids are unique across the layout`);
      else slotIds.set(id, spath);
    }
    const level = readNumber(p, at(spath, 'level'), o.level, { integer: true, min: 0 });
    if (level !== undefined && levels !== undefined && level >= levels) {
      p.add(at(spath, 'level'), `is ${level} but the shelf has ${levels} level${levels === 1 ? '' : 's'} (0 to ${levels - 1})`);
    }
    const index = readNumber(p, at(spath, 'index'), o.index, { integer: true, min: 0 });
    const sku = readString(p, at(spath, 'sku'), o.sku);
    if (sku !== undefined && !skuIds.has(sku)) p.add(at(spath, 'sku'), `refers to SKU ${JSON.stringify(sku)}, which the layout does not have`);
    const capacity = readNumber(p, at(spath, 'capacity'), o.capacity, { integer: true, min: 1 });
    if (level !== undefined && index !== undefined) {
      const key = `${level}/${index}`;
      const first = places.get(key);
      if (first !== undefined) p.add(spath, `shares level ${level} and index ${index} with ${path}[${first}]`);
      else places.set(key, i);
    }
    if (id !== undefined && level !== undefined && index !== undefined && sku !== undefined && capacity !== undefined && shelfId !== undefined) {
      const slot = { id, shelf: shelfId, level, index, sku, capacity };
      slots.push(slot);
      pathOf.set(slot, spath);
    }
  });
  // Each slot spans width / slotsOnItsLevel, so on a level of n slots the indices are 0..n-1.
  // Every slot with a readable level counts, even one broken elsewhere (its own problem
  // stands), so a good neighbour is not blamed for it.
  const perLevel = new Map<number, number>();
  for (const [key] of places) {
    const level = Number(key.split('/')[0]);
    perLevel.set(level, (perLevel.get(level) ?? 0) + 1);
  }
  slots.forEach((s) => {
    const n = perLevel.get(s.level)!;
    if (s.index >= n) {
      p.add(at(pathOf.get(s)!, 'index'), `is ${s.index} but level ${s.level} has ${n} slot${n === 1 ? '' : 's'}, so indices run 0 to ${n - 1}`);
    }
  });
  return p.list.length > before ? undefined : slots;
}

function readDoors(p: Problems, v: unknown, zoneIds: Set<string>, zones: Map<string, Zone>, room: Vec2[] | undefined): Door[] {
  return readParts(p, 'doors', v, (o, path, id) => {
    const kind = readString(p, at(path, 'kind'), o.kind, { oneOf: DOOR_KINDS }) as DoorKind | undefined;
    const position = readTuple(p, at(path, 'position'), o.position, 2) as Vec2 | undefined;
    const width = readNumber(p, at(path, 'width'), o.width, { above: 0 });
    const zoneId = readString(p, at(path, 'zone'), o.zone);
    const zone = zoneId === undefined ? undefined : zones.get(zoneId);
    if (zoneId !== undefined && !zoneIds.has(zoneId)) p.add(at(path, 'zone'), `refers to zone ${JSON.stringify(zoneId)}, which the layout does not have`);
    // A zone that is declared but broken has no outline to measure against: its own problem stands.
    const zoneBroken = zoneId !== undefined && zoneIds.has(zoneId) && !zone;
    if (position && room && !zoneBroken) {
      const onRoom = distanceToOutline(position, room) <= DOOR_TOLERANCE_M;
      const onZone = zone !== undefined && distanceToOutline(position, zone.outline) <= DOOR_TOLERANCE_M;
      if (!onRoom && !onZone) p.add(at(path, 'position'), "the door's centre is on neither the room's outline nor its zone's outline");
    }
    if (id === undefined || kind === undefined || !position || width === undefined || !zone) return undefined;
    return { id, kind, position, width, zone: zone.id };
  });
}

function readRfid(p: Problems, v: unknown, zoneIds: Set<string>): RfidReader[] {
  return readParts(p, 'rfid', v, (o, path, id) => {
    const antennas: Record<string, string> = {};
    const checkZone = (zpath: string, z: unknown): string | undefined => {
      const zid = readString(p, zpath, z);
      if (zid !== undefined && !zoneIds.has(zid)) return void p.add(zpath, `refers to zone ${JSON.stringify(zid)}, which the layout does not have`);
      return zid;
    };
    if (o.antennas !== undefined) {
      const ant = readObject(p, at(path, 'antennas'), o.antennas);
      if (ant) {
        const keys = Object.keys(ant);
        if (keys.length === 0) p.add(at(path, 'antennas'), 'must map at least one antenna number to a zone');
        for (const k of keys) {
          if (!/^(0|[1-9]\d{0,3})$/.test(k)) p.add(at(path, 'antennas'), `antenna ${JSON.stringify(k)} is not an antenna number`);
          const z = checkZone(`${path}.antennas.${k}`, ant[k]);
          if (z !== undefined) antennas[k] = z;
        }
      }
    } else if (o.zone !== undefined) {
      const z = checkZone(at(path, 'zone'), o.zone);
      if (z !== undefined) antennas['1'] = z;
    } else {
      p.add(path, 'needs antennas (antenna number to zone) or, for a reader with one antenna, zone');
    }
    if (id === undefined || Object.keys(antennas).length === 0) return undefined;
    return o.antennas === undefined ? { id, antennas, zone: antennas['1']! } : { id, antennas };
  });
}

function readCameras(p: Problems, v: unknown, room: Vec2[] | undefined, height: number | undefined): Camera[] {
  return readParts(p, 'cameras', v, (o, path, id) => {
    const position = readTuple(p, at(path, 'position'), o.position, 3) as Vec3 | undefined;
    const yaw = readNumber(p, at(path, 'yaw'), o.yaw);
    const pitch = readNumber(p, at(path, 'pitch'), o.pitch, { min: -90, max: 90 });
    const hfov = readNumber(p, at(path, 'hfov'), o.hfov, { above: 0, below: 180 });
    const res = readTuple(p, at(path, 'resolution'), o.resolution, 2, { positive: true });
    if (res && !res.every(Number.isInteger)) p.add(at(path, 'resolution'), 'must be whole pixels');
    if (position && room) {
      const inPlan = pointInPolygon([position[0], position[1]], room, 1e-6);
      const inHeight = height === undefined || (position[2] >= 0 && position[2] <= height);
      if (!inPlan || !inHeight) p.add(at(path, 'position'), 'the camera is outside the room');
    }
    if (id === undefined || !position || yaw === undefined || pitch === undefined || hfov === undefined || !res) return undefined;
    return { id, position, yaw, pitch, hfov, resolution: [res[0]!, res[1]!] };
  });
}

function readObstacles(p: Problems, v: unknown): Obstacle[] {
  return readParts(p, 'obstacles', v, (o, path, id) => {
    const position = readTuple(p, at(path, 'position'), o.position, 2) as Vec2 | undefined;
    const size = readTuple(p, at(path, 'size'), o.size, 3, { positive: true }) as Vec3 | undefined;
    const yaw = readNumber(p, at(path, 'yaw'), o.yaw, { optional: true }) ?? 0;
    if (id === undefined || !position || !size) return undefined;
    return { id, position, size, yaw };
  });
}
