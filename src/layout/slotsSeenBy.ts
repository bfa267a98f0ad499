/**
 * The slots a camera sees, for the inspector of a camera: a slot is seen when the centre of
 * its front face projects inside the camera's image and that face turns towards the camera.
 * Occlusion by other shelves is not modelled (as in the simulator's PersonSightings).
 */
import { cameraFrame, project } from './cameraProjection';
import { frontFace, frontNormal } from './geometry';
import type { LayoutIndex } from './LayoutIndex';

export interface SeenSlot {
  readonly slot: string;
  /** Pixel of the front face's centre. */
  readonly u: number;
  readonly v: number;
  /** Distance along the optical axis, metres. */
  readonly depth: number;
}

/** Slots whose front faces the camera and falls in its image, nearest first; empty for an unknown camera. */
export function slotsSeenBy(layout: LayoutIndex, cameraId: string): SeenSlot[] {
  const camera = layout.cameras.get(cameraId);
  if (!camera) return [];
  const f = cameraFrame(camera);
  const out: SeenSlot[] = [];
  for (const slot of layout.slots.values()) {
    const box = layout.slotBox(slot.id);
    const face = frontFace(box);
    const c: [number, number, number] = [0, 1, 2].map((i) => face.reduce((a, p) => a + p[i]!, 0) / face.length) as [number, number, number];
    const [nx, ny] = frontNormal(box.yaw);
    if ((camera.position[0] - c[0]) * nx + (camera.position[1] - c[1]) * ny <= 0) continue;
    const p = project(f, c);
    if (p?.inImage) out.push({ slot: slot.id, u: p.u, v: p.v, depth: p.depth });
  }
  return out.sort((a, b) => a.depth - b.depth || (a.slot < b.slot ? -1 : 1));
}
