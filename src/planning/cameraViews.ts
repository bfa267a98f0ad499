/**
 * One camera's view of every target: for each slot face and door, the fraction of its sample
 * points in the picture with nothing in the way, the pixel density at its centre and the
 * angle it is seen at; for each floor cell, whether it is seen and at what density. Kept in
 * typed arrays in the targets' order, so coverage is a fold over cameras, and moving one
 * camera recomputes only its own view.
 *
 * Pixel density (px/m) follows the pinhole: focal / distance, with focal = (width / 2) /
 * tan(hfov / 2), i.e. resolution / (2 d tan(hfov / 2)) at distance d. On a flat target (a slot
 * face, a door's opening) seen at an angle a from its normal, the picture shrinks across the
 * surface by cos a, so the density there is taken as focal / distance * sqrt(cos a) (the
 * square root of pixels per square metre). Face-on the two agree; edge-on the target is not seen.
 */
import { cameraFrame, type CameraFrame } from '../layout/cameraProjection';
import type { Camera } from '../layout/Layout';
import type { Occluders } from '../layout/occlusion';
import type { SurfaceTarget, Targets } from './targets';

export interface SurfaceViews {
  /** Fraction of the target's samples in the picture and in clear view, 0..1. */
  readonly fraction: Float32Array;
  /** Pixels per metre on the target's surface at its centre (0 when it is not seen at all). */
  readonly pxPerM: Float32Array;
  /** Angle between the target's normal and the line to the camera, degrees (0 face-on). */
  readonly angle: Float32Array;
}

export interface CameraViews {
  readonly camera: Camera;
  readonly slots: SurfaceViews;
  readonly doors: SurfaceViews;
  /** Per floor cell: pixels per metre when seen, 0 when not. */
  readonly cells: Float32Array;
  /** Sight lines tested (for the benchmark's rays a second). */
  readonly rays: number;
}

/** Whether a room point falls in the camera's picture (in front of it, inside the frame). */
function inPicture(f: CameraFrame, x: number, y: number, z: number): boolean {
  const dx = x - f.origin[0], dy = y - f.origin[1], dz = z - f.origin[2];
  const depth = dx * f.forward[0] + dy * f.forward[1] + dz * f.forward[2];
  if (depth <= 1e-6) return false;
  const u = f.width / 2 + (f.focalPx * (dx * f.right[0] + dy * f.right[1] + dz * f.right[2])) / depth;
  if (u < 0 || u >= f.width) return false;
  const v = f.height / 2 - (f.focalPx * (dx * f.up[0] + dy * f.up[1] + dz * f.up[2])) / depth;
  return v >= 0 && v < f.height;
}

function surfaceViews(f: CameraFrame, targets: readonly SurfaceTarget[], occluders: Occluders, counter: { rays: number }): SurfaceViews {
  const n = targets.length;
  const fraction = new Float32Array(n);
  const pxPerM = new Float32Array(n);
  const angle = new Float32Array(n);
  const o = f.origin;
  const p: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const t = targets[i]!;
    const dx = o[0] - t.centre[0], dy = o[1] - t.centre[1], dz = o[2] - t.centre[2];
    const dist = Math.hypot(dx, dy, dz);
    let cos = (dx * t.normal[0] + dy * t.normal[1]) / dist;
    if (t.twoSided) cos = Math.abs(cos);
    // Seen from behind or edge-on, a face shows nothing of what it holds.
    if (cos <= 1e-6) continue;
    const s = t.samples;
    const count = s.length / 3;
    let seen = 0;
    for (let k = 0; k < s.length; k += 3) {
      if (!inPicture(f, s[k]!, s[k + 1]!, s[k + 2]!)) continue;
      p[0] = s[k]!;
      p[1] = s[k + 1]!;
      p[2] = s[k + 2]!;
      counter.rays++;
      if (!occluders.blocked(o, p, t.shelf)) seen++;
    }
    if (!seen) continue;
    fraction[i] = seen / count;
    pxPerM[i] = (f.focalPx / dist) * Math.sqrt(cos);
    angle[i] = (Math.acos(Math.min(1, cos)) * 180) / Math.PI;
  }
  return { fraction, pxPerM, angle };
}

export function cameraViews(camera: Camera, targets: Targets, occluders: Occluders): CameraViews {
  const f = cameraFrame(camera);
  const counter = { rays: 0 };
  const slots = surfaceViews(f, targets.slots, occluders, counter);
  const doors = surfaceViews(f, targets.doors, occluders, counter);
  const cells = new Float32Array(targets.cells.length);
  const o = f.origin;
  targets.cells.forEach((c, i) => {
    const [x, y, z] = c.point;
    if (!inPicture(f, x, y, z)) return;
    counter.rays++;
    if (occluders.blocked(o, c.point)) return;
    cells[i] = f.focalPx / Math.hypot(x - o[0], y - o[1], z - o[2]);
  });
  return { camera, slots, doors, cells, rays: counter.rays };
}

