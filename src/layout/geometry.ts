/**
 * Plane and box geometry of a layout, as the contract defines it. Plain maths, no three.js,
 * so the validator, the simulator and the CLI share it in Node and in workers.
 */
import type { Shelf, Slot, Vec2, Vec3 } from './Layout';

const DEG = Math.PI / 180;

/** Rotates (x, y) counter-clockwise by `deg` degrees about the origin. */
export function rotate(x: number, y: number, deg: number): [number, number] {
  const c = Math.cos(deg * DEG);
  const s = Math.sin(deg * DEG);
  return [x * c - y * s, x * s + y * c];
}

/** Corners of a yawed rectangle on the floor, counter-clockwise, starting at front-left. */
export function footprint(position: Vec2, width: number, depth: number, yaw: number): Vec2[] {
  const local: Vec2[] = [
    [-width / 2, -depth / 2],
    [width / 2, -depth / 2],
    [width / 2, depth / 2],
    [-width / 2, depth / 2],
  ];
  return local.map(([x, y]) => {
    const [rx, ry] = rotate(x, y, yaw);
    return [position[0] + rx, position[1] + ry] as Vec2;
  });
}

/** An oriented box standing upright: centre, [width, depth, height] and yaw about z. */
export interface Box {
  readonly center: Vec3;
  readonly size: Vec3;
  readonly yaw: number;
}

/** A slot's box in the room, per the contract: its share of the shelf's width on its level. */
export function slotBox(shelf: Shelf, slot: Slot, slotsOnLevel: number): Box {
  const [w, d, h] = shelf.size;
  const slotW = w / slotsOnLevel;
  const levelH = h / shelf.levels;
  // Seen from the front (standing on -y, looking +y), left is -x: index 0 has the smallest x.
  const localX = -w / 2 + slotW * (slot.index + 0.5);
  const [dx, dy] = rotate(localX, 0, shelf.yaw);
  return {
    center: [shelf.position[0] + dx, shelf.position[1] + dy, levelH * (slot.level + 0.5)],
    size: [slotW, d, levelH],
    yaw: shelf.yaw,
  };
}

/** Unit vector the front of a shelf (and of each of its slots) faces. */
export function frontNormal(yaw: number): Vec2 {
  return rotate(0, -1, yaw);
}

/** The four corners of a box's front face (the -y side in its own frame), counter-clockwise seen from the front. */
export function frontFace(box: Box): Vec3[] {
  const [w, d, h] = box.size;
  const corners: [number, number][] = [
    [-w / 2, -h / 2],
    [w / 2, -h / 2],
    [w / 2, h / 2],
    [-w / 2, h / 2],
  ];
  return corners.map(([x, z]) => {
    const [rx, ry] = rotate(x, -d / 2, box.yaw);
    return [box.center[0] + rx, box.center[1] + ry, box.center[2] + z] as Vec3;
  });
}

/** Twice the signed area: positive when the polygon winds counter-clockwise. */
export function signedArea2(poly: readonly Vec2[]): number {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    a += p[0] * q[1] - q[0] * p[1];
  }
  return a;
}

function cross(o: Vec2, a: Vec2, b: Vec2): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function onSegment(p: Vec2, a: Vec2, b: Vec2, eps = 1e-9): boolean {
  return (
    Math.abs(cross(a, b, p)) <= eps * Math.max(1, Math.hypot(b[0] - a[0], b[1] - a[1])) &&
    Math.min(a[0], b[0]) - eps <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) + eps &&
    Math.min(a[1], b[1]) - eps <= p[1] &&
    p[1] <= Math.max(a[1], b[1]) + eps
  );
}

/** True when segments ab and cd share any point (touching counts). */
export function segmentsIntersect(a: Vec2, b: Vec2, c: Vec2, d: Vec2): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    return true;
  }
  return onSegment(a, c, d) || onSegment(b, c, d) || onSegment(c, a, b) || onSegment(d, a, b);
}

/** True when segments ab and cd cross at a point interior to both (touching does not count). */
export function segmentsCross(a: Vec2, b: Vec2, c: Vec2, d: Vec2, eps = 1e-9): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  return ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps)) && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps));
}

/**
 * A polygon is simple when it has at least 3 distinct points, non-zero area, and no two
 * non-adjacent edges touch. O(n²), fine for room and zone outlines.
 */
export function isSimplePolygon(poly: readonly Vec2[]): boolean {
  const n = poly.length;
  if (n < 3) return false;
  if (Math.abs(signedArea2(poly)) < 1e-12) return false;
  for (let i = 0; i < n; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % n]!;
    if (a[0] === b[0] && a[1] === b[1]) return false;
    for (let j = i + 1; j < n; j++) {
      // Adjacent edges share a vertex by construction.
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsIntersect(a, b, poly[j]!, poly[(j + 1) % n]!)) return false;
    }
  }
  return true;
}

/** The polygon edge nearest to p: its index (edge i runs from vertex i to i+1), distance and unit direction. */
export function nearestEdge(p: Vec2, poly: readonly Vec2[]): { index: number; distance: number; direction: Vec2 } {
  let best = { index: -1, distance: Infinity, direction: [1, 0] as Vec2 };
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    const abx = b[0] - a[0];
    const aby = b[1] - a[1];
    const len2 = abx * abx + aby * aby;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * abx + (p[1] - a[1]) * aby) / len2));
    const distance = Math.hypot(p[0] - (a[0] + t * abx), p[1] - (a[1] + t * aby));
    if (distance < best.distance && len2 > 0) {
      const len = Math.sqrt(len2);
      best = { index: i, distance, direction: [abx / len, aby / len] };
    }
  }
  return best;
}

/** Distance from p to the nearest edge of the polygon. */
export function distanceToOutline(p: Vec2, poly: readonly Vec2[]): number {
  return nearestEdge(p, poly).distance;
}

/** Even-odd point-in-polygon; a point on an edge counts as inside. */
export function pointInPolygon(p: Vec2, poly: readonly Vec2[], edgeTolerance = 1e-9): boolean {
  if (distanceToOutline(p, poly) <= edgeTolerance) return true;
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) {
      inside = !inside;
    }
  }
  return inside;
}

/** True when every point of `inner` (a polygon) lies inside or on `outer`, with no edge crossing out. */
export function polygonInside(inner: readonly Vec2[], outer: readonly Vec2[], tolerance = 1e-6): boolean {
  if (!inner.every((p) => pointInPolygon(p, outer, tolerance))) return false;
  for (let i = 0; i < inner.length; i++) {
    const a = inner[i]!;
    const b = inner[(i + 1) % inner.length]!;
    for (let j = 0; j < outer.length; j++) {
      if (segmentsCross(a, b, outer[j]!, outer[(j + 1) % outer.length]!, tolerance)) return false;
    }
  }
  return true;
}

/**
 * True when two convex polygons overlap with positive area (edges merely touching do not
 * count), by the separating-axis test with a small tolerance.
 */
export function convexOverlap(a: readonly Vec2[], b: readonly Vec2[], tolerance = 1e-6): boolean {
  for (const poly of [a, b]) {
    for (let i = 0; i < poly.length; i++) {
      const p = poly[i]!;
      const q = poly[(i + 1) % poly.length]!;
      const nx = q[1] - p[1];
      const ny = p[0] - q[0];
      const len = Math.hypot(nx, ny) || 1;
      let minA = Infinity, maxA = -Infinity, minB = Infinity, maxB = -Infinity;
      for (const v of a) {
        const s = (v[0] * nx + v[1] * ny) / len;
        minA = Math.min(minA, s);
        maxA = Math.max(maxA, s);
      }
      for (const v of b) {
        const s = (v[0] * nx + v[1] * ny) / len;
        minB = Math.min(minB, s);
        maxB = Math.max(maxB, s);
      }
      if (maxA <= minB + tolerance || maxB <= minA + tolerance) return false;
    }
  }
  return true;
}
