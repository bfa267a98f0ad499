/**
 * Where a layout camera looks, as plain vectors (no three.js): its axes and the edges of its
 * view pyramid. The contract's convention: yaw 0 looks along +x and grows counter-clockwise
 * seen from above; pitch 0 is level, negative looks down; `hfov` is horizontal and the
 * vertical field follows from the resolution's aspect.
 */
import type { Camera, Vec2, Vec3 } from '../layout/Layout';

const DEG = Math.PI / 180;

/** The camera's unit axes in the room: where it looks, its right hand, and its up. */
export interface CameraBasis {
  readonly forward: Vec3;
  readonly right: Vec3;
  readonly up: Vec3;
}

export function cameraBasis(camera: Pick<Camera, 'yaw' | 'pitch'>): CameraBasis {
  const y = camera.yaw * DEG;
  const p = camera.pitch * DEG;
  const forward: Vec3 = [Math.cos(p) * Math.cos(y), Math.cos(p) * Math.sin(y), Math.sin(p)];
  // Right stays level (cameras are mounted without roll): forward turned 90° clockwise.
  const right: Vec3 = [Math.sin(y), -Math.cos(y), 0];
  const up = cross(right, forward);
  return { forward, right, up };
}

/** Half-angle tangents of the view: horizontal from hfov, vertical from the aspect. */
export function halfTangents(camera: Pick<Camera, 'hfov' | 'resolution'>): { h: number; v: number } {
  const h = Math.tan((camera.hfov * DEG) / 2);
  const [w, hgt] = camera.resolution;
  return { h, v: (h * hgt) / w };
}

/** The room the camera sits in: its walls (outline) and ceiling height. */
export interface RoomBounds {
  readonly outline: readonly Vec2[];
  readonly height: number;
}

/**
 * The four edge rays of the view, each cut where it first leaves the room — at the floor, the
 * ceiling or a wall — or at `range` metres along the view axis, so the drawn pyramid ends on
 * the surfaces the camera actually sees. Without a room only the floor (z = 0) cuts.
 * Order: bottom-left, bottom-right, top-right, top-left as seen by the camera.
 */
export function frustumCorners(camera: Camera, range: number, room?: RoomBounds): Vec3[] {
  const { forward: f, right: r, up: u } = cameraBasis(camera);
  const t = halfTangents(camera);
  const signs: [number, number][] = [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ];
  const p = camera.position;
  return signs.map(([sx, sy]) => {
    // Not normalised: its component along forward is 1, so `range` is a depth, not a length.
    const d: Vec3 = [
      f[0] + sx * t.h * r[0] + sy * t.v * u[0],
      f[1] + sx * t.h * r[1] + sy * t.v * u[1],
      f[2] + sx * t.h * r[2] + sy * t.v * u[2],
    ];
    const k = Math.min(range, exitDistance(p, d, room));
    return [p[0] + k * d[0], p[1] + k * d[1], p[2] + k * d[2]] as Vec3;
  });
}

/** The smallest k > 0 where p + k·d meets the floor, the ceiling or a wall; Infinity if none. */
function exitDistance(p: Vec3, d: Vec3, room: RoomBounds | undefined): number {
  let k = d[2] < 0 ? -p[2] / d[2] : Infinity;
  if (!room) return k;
  if (d[2] > 0) k = Math.min(k, (room.height - p[2]) / d[2]);
  const poly = room.outline;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    const ex = b[0] - a[0];
    const ey = b[1] - a[1];
    const denom = d[0] * ey - d[1] * ex;
    if (Math.abs(denom) < 1e-12) continue; // parallel to this wall
    const wx = a[0] - p[0];
    const wy = a[1] - p[1];
    const along = (wx * ey - wy * ex) / denom; // distance factor along the ray
    const s = (wx * d[1] - wy * d[0]) / denom; // where on the wall, 0..1
    // A camera mounted on a wall meets that wall at k = 0: ignore hits behind or at the lens.
    if (along > 1e-6 && s >= 0 && s <= 1) k = Math.min(k, along);
  }
  return k;
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
