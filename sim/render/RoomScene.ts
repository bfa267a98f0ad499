/**
 * The faces a camera frame is drawn from: the room (floor, walls, ceiling, doors), shelving
 * bays (sides, boards, back panels), obstacles, the units on every slot as they are at that
 * moment, and people standing in the room. The fixed part is built once per layout; stock
 * and people are built per frame. Geometry follows the layout contract through
 * src/layout/geometry.ts (a shelf's front faces -y at yaw 0, slot index 0 leftmost from the front).
 */
import { nearestEdge, rotate, signedArea2 } from '../../src/layout/geometry';
import type { Shelf, Slot, Vec2, Vec3 } from '../../src/layout/Layout';
import type { LayoutIndex } from '../../src/layout/LayoutIndex';
import type { Face, Pattern, Rgb } from './Rasteriser';
import { hash32, hsl, skuLook } from './skuLook';

const BOARD = 0.03;
const SIDE = 0.03;
const METAL: Rgb = [120, 126, 134];
const BACK: Rgb = [172, 174, 170];

interface Style {
  readonly colour: Rgb;
  readonly pattern?: Pattern;
  readonly rim?: number;
}

/** Where a slot's units stand, in its shelf's frame (x along the width, y front to back, z up). */
export interface SlotPlace {
  readonly slot: Slot;
  /** The shelf's centre on the floor and its yaw: the local frame's origin and turn. */
  readonly origin: Vec2;
  readonly yaw: number;
  /** Left and right edges of the slot's share of the width, between the bay's side panels. */
  readonly x0: number;
  readonly x1: number;
  /** Front and back of the units, a little inside the bay's depth. */
  readonly y0: number;
  readonly y1: number;
  /** Top of the board the units stand on, and the room above it up to the next board. */
  readonly z0: number;
  readonly clear: number;
}

/**
 * Pushes the faces of an upright box given in a local frame (origin on the floor, turned by
 * `yaw`), corners `min`..`max`. `skip` leaves out faces nobody can see (a box's bottom on a
 * board); with `from` (a camera's position), so are the faces turned away from it.
 */
export function boxFaces(out: Face[], origin: Vec2, yaw: number, min: Vec3, max: Vec3, style: Style, skip: readonly ('bottom' | 'back')[] = [], from?: Vec3): void {
  const P = (x: number, y: number, z: number): Vec3 => {
    const [rx, ry] = rotate(x, y, yaw);
    return [origin[0] + rx, origin[1] + ry, z];
  };
  const N = (x: number, y: number, z: number): Vec3 => {
    const [rx, ry] = rotate(x, y, yaw);
    return [rx, ry, z];
  };
  const [x0, y0, z0] = min;
  const [x1, y1, z1] = max;
  const [lx, ly] = from ? rotate(from[0] - origin[0], from[1] - origin[1], -yaw) : [0, 0];
  const lz = from ? from[2] : 0;
  const sees = (k: 'front' | 'top' | 'left' | 'right' | 'back' | 'bottom') =>
    !from || (k === 'front' ? ly < y0 : k === 'back' ? ly > y1 : k === 'left' ? lx < x0 : k === 'right' ? lx > x1 : k === 'top' ? lz > z1 : lz < z0);
  const face = (pts: Vec3[], normal: Vec3) =>
    out.push({ pts, normal, colour: style.colour, ...(style.pattern ? { pattern: style.pattern } : {}), ...(style.rim ? { rim: style.rim } : {}) });
  if (sees('front')) face([P(x0, y0, z0), P(x1, y0, z0), P(x1, y0, z1), P(x0, y0, z1)], N(0, -1, 0));
  if (sees('top')) face([P(x0, y0, z1), P(x1, y0, z1), P(x1, y1, z1), P(x0, y1, z1)], N(0, 0, 1));
  if (sees('left')) face([P(x0, y1, z0), P(x0, y0, z0), P(x0, y0, z1), P(x0, y1, z1)], N(-1, 0, 0));
  if (sees('right')) face([P(x1, y0, z0), P(x1, y1, z0), P(x1, y1, z1), P(x1, y0, z1)], N(1, 0, 0));
  if (!skip.includes('back') && sees('back')) face([P(x1, y1, z0), P(x0, y1, z0), P(x0, y1, z1), P(x1, y1, z1)], N(0, 1, 0));
  if (!skip.includes('bottom') && sees('bottom')) face([P(x0, y1, z0), P(x1, y1, z0), P(x1, y0, z0), P(x0, y0, z0)], N(0, 0, -1));
}

export class RoomScene {
  /** The faces that never change: room, doors, shelving, obstacles. */
  readonly fixed: Face[] = [];
  /** Slot places in layout order. */
  readonly places: SlotPlace[] = [];
  readonly placeById = new Map<string, SlotPlace>();

  constructor(readonly layout: LayoutIndex) {
    this.room();
    for (const shelf of layout.shelves.values()) this.shelf(shelf);
    for (const o of layout.layout.obstacles) {
      const [w, d, h] = o.size;
      boxFaces(this.fixed, o.position, o.yaw, [-w / 2, -d / 2, 0], [w / 2, d / 2, h], { colour: [150, 118, 82], pattern: { kind: 'stripes_h', colour: [120, 92, 62], period: 0.3 } }, ['bottom']);
    }
  }

  private room(): void {
    const { outline, height } = this.layout.layout.room;
    const xs = outline.map((p) => p[0]);
    const ys = outline.map((p) => p[1]);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    // Floor and ceiling as the outline's bounding box: the walls hide what lies outside a concave room.
    this.fixed.push({ pts: [[minX, minY, 0], [maxX, minY, 0], [maxX, maxY, 0], [minX, maxY, 0]], normal: [0, 0, 1], colour: [128, 128, 122], pattern: { kind: 'checker', colour: [118, 118, 113], period: 0.6 } });
    this.fixed.push({ pts: [[minX, maxY, height], [maxX, maxY, height], [maxX, minY, height], [minX, minY, height]], normal: [0, 0, -1], colour: [205, 205, 200] });
    const ccw = signedArea2(outline) > 0;
    for (let i = 0; i < outline.length; i++) {
      const a = outline[i]!;
      const b = outline[(i + 1) % outline.length]!;
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
      const inward: Vec3 = ccw ? [-(b[1] - a[1]) / len, (b[0] - a[0]) / len, 0] : [(b[1] - a[1]) / len, -(b[0] - a[0]) / len, 0];
      this.fixed.push({
        pts: [[a[0], a[1], 0], [b[0], b[1], 0], [b[0], b[1], height], [a[0], a[1], height]],
        normal: inward,
        colour: [196, 192, 180],
        pattern: { kind: 'band', colour: [90, 90, 92], period: 0.05 },
        twoSided: true,
      });
    }
    for (const door of this.layout.doors.values()) {
      // A door on the room's outline stands in its wall; one on its zone's edge (a cage) in that edge.
      const onRoom = nearestEdge(door.position, outline);
      const zone = this.layout.zones.get(door.zone);
      const dir = onRoom.distance < 0.05 || !zone ? onRoom.direction : nearestEdge(door.position, zone.outline).direction;
      const h = door.kind === 'dock' ? 3 : 2.1;
      const colour: Rgb = door.kind === 'dock' ? [88, 96, 108] : door.kind === 'cage' ? [70, 70, 70] : [112, 84, 60];
      // A door stands a couple of centimetres into the room from its wall (two-sided when on a zone's edge).
      const inward: Vec2 = ccw ? [-dir[1], dir[0]] : [dir[1], -dir[0]];
      const off = onRoom.distance < 0.05 ? 0.02 : 0;
      const c: Vec2 = [door.position[0] + inward[0] * off, door.position[1] + inward[1] * off];
      const hw = door.width / 2;
      const a: Vec3 = [c[0] - dir[0] * hw, c[1] - dir[1] * hw, 0];
      const b: Vec3 = [c[0] + dir[0] * hw, c[1] + dir[1] * hw, 0];
      this.fixed.push({
        pts: [a, b, [b[0], b[1], h], [a[0], a[1], h]],
        normal: [inward[0], inward[1], 0],
        colour,
        rim: 0.06,
        twoSided: true,
        ...(door.kind === 'dock' ? { pattern: { kind: 'stripes_h', colour: [70, 78, 88], period: 0.25 } } : {}),
      });
    }
  }

  private shelf(shelf: Shelf): void {
    const [w, d, h] = shelf.size;
    const levelH = h / shelf.levels;
    const o = shelf.position;
    const F = this.fixed;
    boxFaces(F, o, shelf.yaw, [-w / 2, -d / 2, 0], [-w / 2 + SIDE, d / 2, h], { colour: METAL }, ['bottom']);
    boxFaces(F, o, shelf.yaw, [w / 2 - SIDE, -d / 2, 0], [w / 2, d / 2, h], { colour: METAL }, ['bottom']);
    for (let l = 0; l <= shelf.levels; l++) {
      const z = Math.min(l * levelH, h - BOARD);
      boxFaces(F, o, shelf.yaw, [-w / 2 + SIDE, -d / 2, z], [w / 2 - SIDE, d / 2, z + BOARD], { colour: [150, 154, 160], rim: 0.01 });
    }
    // The back seen from behind the bay: one panel.
    const [bx, by] = rotate(0, 1, shelf.yaw);
    const corner = (x: number, z: number): Vec3 => {
      const [rx, ry] = rotate(x, d / 2, shelf.yaw);
      return [o[0] + rx, o[1] + ry, z];
    };
    F.push({ pts: [corner(w / 2, 0), corner(-w / 2, 0), corner(-w / 2, h), corner(w / 2, h)], normal: [bx, by, 0], colour: METAL });
    const perLevel = new Map<number, number>();
    for (const s of shelf.slots) perLevel.set(s.level, (perLevel.get(s.level) ?? 0) + 1);
    for (const slot of shelf.slots) {
      const n = perLevel.get(slot.level)!;
      const inner = w - 2 * SIDE;
      const x0 = -w / 2 + SIDE + (inner / n) * slot.index;
      const z0 = slot.level * levelH + BOARD;
      const place: SlotPlace = { slot, origin: o, yaw: shelf.yaw, x0, x1: x0 + inner / n, y0: -d / 2 + 0.02, y1: d / 2 - 0.02, z0, clear: levelH - BOARD };
      this.places.push(place);
      this.placeById.set(slot.id, place);
      // The slot's own back panel, facing the front: what shows when it is empty.
      const back = (x: number, z: number): Vec3 => {
        const [rx, ry] = rotate(x, d / 2 - 0.01, shelf.yaw);
        return [o[0] + rx, o[1] + ry, z];
      };
      F.push({ pts: [back(place.x0, z0), back(place.x1, z0), back(place.x1, z0 + place.clear), back(place.x0, z0 + place.clear)], normal: [-bx, -by, 0], colour: BACK });
    }
  }

  /**
   * The faces of the units on a slot now: each SKU's units take the share of the slot's
   * width that their count is of its capacity, left to right in the order given (the
   * planned SKU first), in columns of that SKU's boxes stacked as high as fit.
   */
  stockFaces(out: Face[], p: SlotPlace, contents: readonly (readonly [string, number])[], from?: Vec3): void {
    const cap = p.slot.capacity;
    const slotW = p.x1 - p.x0;
    let x = p.x0;
    for (const [sku, units] of contents) {
      if (units <= 0) continue;
      const share = Math.min(p.x1 - x, (slotW * units) / cap);
      if (share <= 0.002) continue;
      const look = skuLook(sku);
      const cols = Math.max(1, Math.round(share / look.box[0]));
      const bw = share / cols;
      const bh = Math.min(look.box[1], p.clear - 0.02);
      const rows = Math.max(1, Math.floor((p.clear - 0.02) / bh));
      const style: Style = { colour: look.colour, pattern: look.pattern, rim: Math.min(0.008, bw / 6) };
      for (let c = 0; c < cols; c++) {
        for (let r = 0; r < rows; r++) {
          const z = p.z0 + r * bh;
          boxFaces(out, p.origin, p.yaw, [x + c * bw + 0.003, p.y0, z], [x + (c + 1) * bw - 0.003, p.y1, z + bh - 0.003], style, ['bottom', 'back'], from);
        }
      }
      x += share;
    }
  }

  /**
   * A board across a slot's face (a concealment), between the shelf's front edge and the
   * units, the colour of the slot's back panel: to a camera the slot looks empty.
   */
  boardFace(out: Face[], p: SlotPlace): void {
    const y = p.y0 - 0.01;
    const at = (x: number, z: number): Vec3 => {
      const [rx, ry] = rotate(x, y, p.yaw);
      return [p.origin[0] + rx, p.origin[1] + ry, z];
    };
    const [bx, by] = rotate(0, 1, p.yaw);
    out.push({ pts: [at(p.x0, p.z0), at(p.x1, p.z0), at(p.x1, p.z0 + p.clear), at(p.x0, p.z0 + p.clear)], normal: [-bx, -by, 0], colour: BACK });
  }

  /** The eight corners of the room a slot's units may fill, in room coordinates. */
  placeCorners(p: SlotPlace): Vec3[] {
    const out: Vec3[] = [];
    for (const x of [p.x0, p.x1]) {
      for (const y of [p.y0, p.y1]) {
        const [rx, ry] = rotate(x, y, p.yaw);
        for (const z of [p.z0, p.z0 + p.clear]) out.push([p.origin[0] + rx, p.origin[1] + ry, z]);
      }
    }
    return out;
  }

  /** Whether a viewer at `from` stands in front of the slot's shelf (only then can it see the units). */
  inFront(p: SlotPlace, from: Vec3): boolean {
    const [, ly] = rotate(from[0] - p.origin[0], from[1] - p.origin[1], -p.yaw);
    return ly < p.y0;
  }

  /** A person standing at (x, y): body and head, clothes coloured from `key`. */
  personFaces(out: Face[], x: number, y: number, key: string, from?: Vec3): void {
    const h = hash32(key);
    const shirt = hsl((h & 0xff) / 256, 0.5, 0.35 + ((h >>> 8) & 0x3f) / 255);
    const legs: Rgb = [52, 56, 70];
    const o: Vec2 = [x, y];
    boxFaces(out, o, 0, [-0.18, -0.11, 0], [0.18, 0.11, 0.85], { colour: legs }, ['bottom'], from);
    boxFaces(out, o, 0, [-0.23, -0.13, 0.85], [0.23, 0.13, 1.5], { colour: shirt }, ['bottom'], from);
    boxFaces(out, o, 0, [-0.1, -0.1, 1.52], [0.1, 0.11, 1.75], { colour: [214, 170, 140] }, ['bottom'], from);
  }
}
