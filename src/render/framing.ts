/**
 * Where the view camera starts: an oblique look at the whole room from its front-left (the
 * side shelves face at yaw 0), just far enough back that every corner of the room's box —
 * floor and ceiling — falls inside the view. Pure so the framing is tested without WebGL.
 */
import type { Vec2, Vec3 } from '../layout/Layout';

export interface Framing {
  readonly position: Vec3;
  readonly target: Vec3;
  /** Radius of the room's bounding sphere; the renderer sets near/far planes from it. */
  readonly radius: number;
}

/** From the target towards the eye: front-left of the room, about 40° above the floor. */
const VIEW_DIR: Vec3 = normalise([-0.45, -0.85, 0.95]);
/** Room to spare around the box, as a share of the distance. */
const MARGIN = 1.04;

export function frameRoom(outline: readonly Vec2[], height: number, vfovDeg: number, aspect: number): Framing {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of outline) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const target: Vec3 = [(minX + maxX) / 2, (minY + maxY) / 2, height / 2];
  const radius = Math.max(0.5, Math.hypot(maxX - minX, maxY - minY, height) / 2);

  // The eye looks along -VIEW_DIR with z up; right and up are the screen's axes.
  const forward = scale(VIEW_DIR, -1);
  const right = normalise(cross(forward, [0, 0, 1]));
  const up = cross(right, forward);
  const tanV = Math.tan((vfovDeg * Math.PI) / 360);
  const tanH = tanV * aspect;

  // A point at offsets (x, y, z) from the target along (right, up, forward) is in view from
  // distance D when |x| <= tanH·(D + z) and |y| <= tanV·(D + z): solve for the least D.
  let distance = 0;
  for (const cx of [minX, maxX]) {
    for (const cy of [minY, maxY]) {
      for (const cz of [0, height]) {
        const rel: Vec3 = [cx - target[0], cy - target[1], cz - target[2]];
        const z = dot(rel, forward);
        distance = Math.max(distance, Math.abs(dot(rel, right)) / tanH - z, Math.abs(dot(rel, up)) / tanV - z);
      }
    }
  }
  distance *= MARGIN;
  const position: Vec3 = [
    target[0] + VIEW_DIR[0] * distance,
    target[1] + VIEW_DIR[1] * distance,
    target[2] + VIEW_DIR[2] * distance,
  ];
  return { position, target, radius };
}

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const scale = (a: Vec3, k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

function normalise(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / l, v[1] / l, v[2] / l];
}
