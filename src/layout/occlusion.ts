/**
 * What blocks a line of sight in a back room: the shelves' and obstacles' upright oriented
 * boxes (a slab test in each box's frame) and, on the floor plan, the room's walls (an
 * L-shaped room hides its other arm). Built once per layout and reused for every ray: the
 * camera coverage of a place, the planner's coverage of every slot face, door and zone.
 * Pure maths, no DOM.
 */
import { segmentsCross } from './geometry';
import type { Layout, Vec2, Vec3 } from './Layout';

/** An upright oriented box as the slab test wants it: centre, half sizes, yaw's cos and sin. */
interface Occluder {
  readonly id: string;
  /** The shelf id when it is a shelf, so a slot's own shelf can be skipped. */
  readonly shelf?: string;
  readonly cx: number;
  readonly cy: number;
  readonly hx: number;
  readonly hy: number;
  /** Floor to top. */
  readonly z1: number;
  readonly cos: number;
  readonly sin: number;
  /** The footprint's axis-aligned bounds, for a cheap rejection. */
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/** Margin kept off both ends of the sight line, so touching the target's own surface or the camera's mount is not a block. */
const EPS = 1e-6;
const DEG = Math.PI / 180;

export class Occluders {
  private readonly boxes: readonly Occluder[];
  private readonly outline: readonly Vec2[];

  constructor(layout: Pick<Layout, 'shelves' | 'obstacles' | 'room'>) {
    const box = (id: string, p: Vec2, size: Vec3, yaw: number, shelf?: string): Occluder => {
      const cos = Math.cos(yaw * DEG);
      const sin = Math.sin(yaw * DEG);
      // Half extents of the rotated footprint along x and y.
      const ex = Math.abs(cos) * size[0] / 2 + Math.abs(sin) * size[1] / 2;
      const ey = Math.abs(sin) * size[0] / 2 + Math.abs(cos) * size[1] / 2;
      return { id, ...(shelf ? { shelf } : {}), cx: p[0], cy: p[1], hx: size[0] / 2, hy: size[1] / 2, z1: size[2], cos, sin, x0: p[0] - ex, x1: p[0] + ex, y0: p[1] - ey, y1: p[1] + ey };
    };
    this.boxes = [
      ...layout.shelves.map((sh) => box(`shelf:${sh.id}`, sh.position, sh.size, sh.yaw, sh.id)),
      ...layout.obstacles.map((o) => box(`obstacle:${o.id}`, o.position, o.size, o.yaw)),
    ];
    this.outline = layout.room.outline;
  }

  /**
   * The first thing blocking the segment from `from` (the camera) to `to` (the target):
   * `shelf:ID`, `obstacle:ID` (nearest the camera) or `wall`; undefined when the view is
   * clear. `skipShelf` is the target's own shelf, whose front never hides its own slots.
   */
  first(from: Vec3, to: Vec3, skipShelf?: string): string | undefined {
    let best: Occluder | undefined;
    let bestT = Infinity;
    for (const o of this.boxes) {
      if (o.shelf !== undefined && o.shelf === skipShelf) continue;
      if (misses(o, from, to)) continue;
      const t = segmentEntersBox(from, to, o);
      if (t !== undefined && t < bestT) {
        best = o;
        bestT = t;
      }
    }
    if (best) return best.id;
    return this.crossesWall(from, to) ? 'wall' : undefined;
  }

  /** Whether anything blocks the segment: the same test as `first`, stopping at the first hit. */
  blocked(from: Vec3, to: Vec3, skipShelf?: string): boolean {
    for (const o of this.boxes) {
      if (o.shelf !== undefined && o.shelf === skipShelf) continue;
      if (misses(o, from, to)) continue;
      if (segmentEntersBox(from, to, o) !== undefined) return true;
    }
    return this.crossesWall(from, to);
  }

  /** The sight line leaves the room on the floor plan (a target on the outline, such as a door, only touches it). */
  private crossesWall(from: Vec3, to: Vec3): boolean {
    const a: Vec2 = [from[0], from[1]];
    const b: Vec2 = [to[0], to[1]];
    const poly = this.outline;
    for (let i = 0; i < poly.length; i++) if (segmentsCross(a, b, poly[i]!, poly[(i + 1) % poly.length]!, 1e-9)) return true;
    return false;
  }
}

/** Whether segment a→b passes through the box's interior, and where along it (0..1) it enters. */
function segmentEntersBox(a: Vec3, b: Vec3, o: Occluder): number | undefined {
  // Into the box's frame: rotate by -yaw about its centre.
  const ax = a[0] - o.cx, ay = a[1] - o.cy;
  const bx = b[0] - o.cx, by = b[1] - o.cy;
  const p0 = ax * o.cos + ay * o.sin, p1 = -ax * o.sin + ay * o.cos;
  const q0 = bx * o.cos + by * o.sin, q1 = -bx * o.sin + by * o.cos;
  // Slabs in turn, unrolled (this runs for every sight line the planner tests).
  const r0 = slab(p0, q0, -o.hx, o.hx, EPS, 1 - EPS);
  if (r0 === undefined) return undefined;
  const r1 = slab(p1, q1, -o.hy, o.hy, r0.t0, r0.t1);
  if (r1 === undefined) return undefined;
  const r2 = slab(a[2], b[2], 0, o.z1, r1.t0, r1.t1);
  return r2?.t0;
}

const span = { t0: 0, t1: 0 };

/** The part of [t0, t1] where p + t (q - p) lies inside (lo, hi); undefined when empty. Returns a shared object: read it before the next call. */
function slab(p: number, q: number, lo: number, hi: number, t0: number, t1: number): { t0: number; t1: number } | undefined {
  const d = q - p;
  if (Math.abs(d) < 1e-12) {
    // Parallel: inside strictly or never (grazing a face does not block).
    if (p <= lo + EPS || p >= hi - EPS) return undefined;
  } else {
    let ta = (lo - p) / d;
    let tb = (hi - p) / d;
    if (ta > tb) {
      const x = ta;
      ta = tb;
      tb = x;
    }
    if (ta > t0) t0 = ta;
    if (tb < t1) t1 = tb;
    if (t0 >= t1) return undefined;
  }
  span.t0 = t0;
  span.t1 = t1;
  return span;
}

/** The segment's bounds clear the box's (on the floor, or both ends above its top): it cannot pass through. */
function misses(o: Occluder, a: Vec3, b: Vec3): boolean {
  return (a[0] < o.x0 && b[0] < o.x0) || (a[0] > o.x1 && b[0] > o.x1) || (a[1] < o.y0 && b[1] < o.y0) || (a[1] > o.y1 && b[1] > o.y1) || (a[2] >= o.z1 && b[2] >= o.z1);
}
