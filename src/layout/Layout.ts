/**
 * The back-room layout, version 1 (../shared/contract/layout.md), as the rest of the
 * code sees it once `parseLayout` has accepted a file. Units are metres and degrees; the
 * floor is the x-y plane, z up, origin at a corner of the room.
 *
 * Every object here is plain data (JSON-serialisable) and is never mutated after parsing.
 */

export type Vec2 = readonly [number, number];
export type Vec3 = readonly [number, number, number];

export const ZONE_KINDS = [
  'receiving',
  'staging',
  'replenishment',
  'high_value',
  'returns',
  'fixtures',
  'aisle',
  'exit',
] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

export const DOOR_KINDS = ['dock', 'staff', 'cage', 'sales_floor'] as const;
export type DoorKind = (typeof DOOR_KINDS)[number];

export const ROLES = ['associate', 'supervisor', 'manager', 'vendor', 'unknown'] as const;
export type Role = (typeof ROLES)[number];

export interface Sku {
  /** Unique among SKUs. */
  readonly id: string;
  readonly name: string;
  /** Mass of one unit in grams, > 0: a load cell's grams / unitGrams = units. */
  readonly unitGrams: number;
  /** What one unit cost the store, >= 0, in the store's currency. */
  readonly unitCost: number;
  /** What one unit sells for, >= 0. */
  readonly unitPrice: number;
  /** Worth guarding: rules and planning weight it up. Defaults to false. */
  readonly highValue: boolean;
}

export interface Zone {
  readonly id: string;
  readonly kind: ZoneKind;
  /** A simple polygon on the floor, at least 3 points (readers do not require it inside the room). */
  readonly outline: readonly Vec2[];
  /** Entering or picking here is limited to `roles`. Defaults to false. */
  readonly restricted: boolean;
  /** The roles allowed in a restricted zone; empty when the zone is not restricted. */
  readonly roles: readonly Role[];
}

export interface Slot {
  /** Unique across the whole layout (not only within its shelf). */
  readonly id: string;
  /** The shelf this slot belongs to (filled in by the parser from the nesting). */
  readonly shelf: string;
  /** 0 = lowest level; always < the shelf's `levels`. */
  readonly level: number;
  /** 0 = leftmost seen from the shelf's front; (level, index) is unique within the shelf. */
  readonly index: number;
  /** The SKU the slot is planned to hold (the planogram). */
  readonly sku: string;
  /** Units that fit, a positive integer. */
  readonly capacity: number;
}

export interface Shelf {
  readonly id: string;
  readonly zone: string;
  /** Centre of the footprint on the floor. */
  readonly position: Vec2;
  /** Degrees, counter-clockwise from above; at 0 the width runs along +x and the front faces -y. */
  readonly yaw: number;
  /** [width, depth, height] in metres, all > 0. */
  readonly size: Vec3;
  /** Number of levels dividing the height evenly, a positive integer. */
  readonly levels: number;
  readonly slots: readonly Slot[];
}

export interface Door {
  readonly id: string;
  readonly kind: DoorKind;
  /** Centre of the opening; on the room's outline or on its zone's outline. */
  readonly position: Vec2;
  /** Width of the opening along the edge it sits on, > 0. */
  readonly width: number;
  readonly zone: string;
}

export interface RfidReader {
  readonly id: string;
  /** Antenna number to zone id. A reader written with `zone` has one antenna, number 1. */
  readonly antennas: Readonly<Record<string, string>>;
  /** Set when the reader was written with one `zone`: every read, on any antenna, lands there. */
  readonly zone?: string;
}

export interface Camera {
  readonly id: string;
  /** [x, y, z]: z is the mounting height. */
  readonly position: Vec3;
  /** Degrees; 0 looks along +x, counter-clockwise seen from above. */
  readonly yaw: number;
  /** Degrees; 0 is level, negative looks down. */
  readonly pitch: number;
  /** Horizontal field of view in degrees, in (0, 180). The vertical follows from the aspect. */
  readonly hfov: number;
  /** [width, height] in pixels. */
  readonly resolution: readonly [number, number];
}

export interface Obstacle {
  readonly id: string;
  readonly position: Vec2;
  /** [width, depth, height]. */
  readonly size: Vec3;
  readonly yaw: number;
}

export interface Layout {
  readonly version: 1;
  /** The store id; every table and export carries it. */
  readonly store: string;
  readonly name: string;
  /** IANA time zone of the store, e.g. "America/Chicago". */
  readonly timezone: string;
  /** Trading hours, "HH:MM" in `timezone`. `close` may be earlier than `open` (past midnight). */
  readonly hours: { readonly open: string; readonly close: string };
  readonly room: { readonly outline: readonly Vec2[]; readonly height: number };
  readonly skus: readonly Sku[];
  readonly zones: readonly Zone[];
  readonly shelves: readonly Shelf[];
  readonly doors: readonly Door[];
  readonly rfid: readonly RfidReader[];
  readonly cameras: readonly Camera[];
  readonly obstacles: readonly Obstacle[];
}

/** One thing wrong with a layout file: where (a JSON path such as `shelves[3].slots[0].sku`) and why. */
export interface LayoutProblem {
  readonly path: string;
  readonly reason: string;
}
