/**
 * A layout camera as a pinhole: its frame (forward, right, up from yaw and pitch as the
 * contract defines them), projection of room points to pixels, and the pixel density at a
 * point. Square pixels; the vertical field of view follows from the aspect.
 */
import type { Camera, Vec3 } from './Layout';

const DEG = Math.PI / 180;

export interface CameraFrame {
  readonly origin: Vec3;
  readonly forward: Vec3;
  readonly right: Vec3;
  readonly up: Vec3;
  /** Focal length in pixels: (width / 2) / tan(hfov / 2). */
  readonly focalPx: number;
  readonly width: number;
  readonly height: number;
}

export function cameraFrame(c: Camera): CameraFrame {
  const cy = Math.cos(c.yaw * DEG);
  const sy = Math.sin(c.yaw * DEG);
  const cp = Math.cos(c.pitch * DEG);
  const sp = Math.sin(c.pitch * DEG);
  const forward: Vec3 = [cp * cy, cp * sy, sp];
  // Looking along +x at yaw 0, the image's right is -y; up completes a right-handed frame.
  const right: Vec3 = [sy, -cy, 0];
  const up: Vec3 = [right[1] * forward[2] - right[2] * forward[1], right[2] * forward[0] - right[0] * forward[2], right[0] * forward[1] - right[1] * forward[0]];
  const [width, height] = c.resolution;
  return { origin: c.position, forward, right, up, focalPx: width / 2 / Math.tan((c.hfov / 2) * DEG), width, height };
}

export interface Projection {
  /** Pixel column and row (0,0 top-left). */
  readonly u: number;
  readonly v: number;
  /** Distance along the optical axis, metres (> 0). */
  readonly depth: number;
  /** Whether the pixel falls inside the image. */
  readonly inImage: boolean;
}

/** Projects a room point; undefined when it is behind the camera. */
export function project(f: CameraFrame, p: Vec3): Projection | undefined {
  const d: Vec3 = [p[0] - f.origin[0], p[1] - f.origin[1], p[2] - f.origin[2]];
  const z = d[0] * f.forward[0] + d[1] * f.forward[1] + d[2] * f.forward[2];
  if (z <= 1e-6) return undefined;
  const x = d[0] * f.right[0] + d[1] * f.right[1] + d[2] * f.right[2];
  const y = d[0] * f.up[0] + d[1] * f.up[1] + d[2] * f.up[2];
  const u = f.width / 2 + (f.focalPx * x) / z;
  const v = f.height / 2 - (f.focalPx * y) / z;
  return { u, v, depth: z, inImage: u >= 0 && u < f.width && v >= 0 && v < f.height };
}

/** Pixels per metre on a surface facing the camera at this depth: focal / depth. */
export function pixelsPerMetre(f: CameraFrame, depth: number): number {
  return f.focalPx / depth;
}
