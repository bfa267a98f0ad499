/**
 * Which slots of a camera frame the shelf CNN may judge, one rule for training and for
 * inference: the slot's front face mostly in the frame and mostly unhidden, wide enough in
 * pixels to tell the fill classes apart, and seen within 45 degrees of head-on. Training
 * (models/shelfDataset.ts) knows how much of a face a render shows from the render's depth
 * buffer; inference has only the layout, so `faceView` estimates it on a grid of points
 * over the face: inside the image, and no other shelf, obstacle or wall on the line of sight
 * (src/layout/occlusion.ts, the coverage code's occluders). People are not in a layout, so
 * at inference a person in front of a slot is judged as what the camera sees. Pure.
 */
import { cameraFrame, project, type CameraFrame } from '../layout/cameraProjection';
import { slotCoverage } from '../layout/cameraCoverage';
import { frontFace } from '../layout/geometry';
import type { Vec3 } from '../layout/Layout';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { Occluders } from '../layout/occlusion';
import { sideReach, slotQuad, viewAngle, type SlotQuad } from './shelfInput';

/** Narrower slot faces carry too few pixels for the fill class's 35 % and 75 % steps (4 px at 12 px wide). */
export const MIN_SLOT_PX = 12;

/**
 * Through the empty stretch of a slot seen more obliquely, the camera sees the sides of its
 * neighbours' units (slots on a level have no dividers), which read as stock; the model is
 * trained and judged on views within this angle (shelfInput.ts `viewAngle`).
 */
export const MAX_VIEW_ANGLE = 45;

/** When a slot is judged. */
export interface ViewLimits {
  /** Least share of the face's area inside the frame. */
  readonly minInFrame: number;
  /** Least share of the face with nothing in front of it. */
  readonly minVisible: number;
  /** Least width of the face's top edge in the frame, pixels. */
  readonly minWidthPx: number;
  /** Most degrees from head-on. */
  readonly maxViewAngle: number;
}

export const VIEW_LIMITS: ViewLimits = { minInFrame: 0.9, minVisible: 0.8, minWidthPx: MIN_SLOT_PX, maxViewAngle: MAX_VIEW_ANGLE };

/** How much of a slot's face one frame shows, each 0 to 1 (sim/render/frameTruth.ts SlotTruth's fields of these names). */
export interface FaceView {
  readonly inFrame: number;
  readonly visible: number;
}

/** The slot's quad in the frame when the frame shows it well enough to judge, else undefined. */
export function judgedQuad(layout: LayoutIndex, frame: CameraFrame, slotId: string, view: FaceView, limits: ViewLimits = VIEW_LIMITS): SlotQuad | undefined {
  if (view.inFrame < limits.minInFrame || view.visible < limits.minVisible) return undefined;
  if (viewAngle(layout, frame, slotId) > limits.maxViewAngle) return undefined;
  const quad = slotQuad(layout, frame, slotId);
  if (!quad || Math.hypot(quad[1][0] - quad[0][0], quad[1][1] - quad[0][1]) < limits.minWidthPx) return undefined;
  return quad;
}

/** Grid points over a face, columns by rows: 6 x 4 is a point every 4 % of its area. */
const GRID_X = 6;
const GRID_Y = 4;

const occluderCache = new WeakMap<LayoutIndex, Occluders>();

function occludersOf(layout: LayoutIndex): Occluders {
  let o = occluderCache.get(layout);
  if (!o) {
    o = new Occluders(layout.layout);
    occluderCache.set(layout, o);
  }
  return o;
}

/** Estimates how much of a slot's face the frame shows, from the layout alone (no people). */
export function faceView(layout: LayoutIndex, frame: CameraFrame, slotId: string): FaceView {
  const shelf = layout.slots.get(slotId)?.shelf;
  // frontFace: bottom-left, bottom-right, top-right, top-left.
  const [bl, br, , tl] = frontFace(layout.slotBox(slotId));
  const occluders = occludersOf(layout);
  let inImage = 0;
  let shown = 0;
  for (let j = 0; j < GRID_Y; j++) {
    const t = (j + 0.5) / GRID_Y;
    for (let i = 0; i < GRID_X; i++) {
      const s = (i + 0.5) / GRID_X;
      const p: Vec3 = [0, 1, 2].map((k) => bl![k]! + (br![k]! - bl![k]!) * s + (tl![k]! - bl![k]!) * t) as unknown as Vec3;
      const pr = project(frame, p);
      if (!pr?.inImage) continue;
      inImage++;
      if (!occluders.blocked(frame.origin, p, shelf)) shown++;
    }
  }
  const n = GRID_X * GRID_Y;
  return { inFrame: inImage / n, visible: inImage === 0 ? 0 : shown / inImage };
}

/** A slot a frame shows well enough to judge. */
export interface JudgedSlot {
  readonly slot: string;
  readonly quad: SlotQuad;
  readonly plannedSku: string;
  /** shelfInput.ts sideReach. */
  readonly reach: number;
}

/**
 * The slots a camera's frame of `width` x `height` shows well enough to judge, nearest
 * first: those the coverage code gives the camera (facing it, centre in view, no shelf in
 * the way), then held to `limits` on `faceView`. Throws for an unknown camera.
 */
export function slotsInView(layout: LayoutIndex, cameraId: string, width: number, height: number, limits: ViewLimits = VIEW_LIMITS): JudgedSlot[] {
  const camera = layout.cameras.get(cameraId);
  if (!camera) throw new Error(`unknown camera ${cameraId}: the layout has ${[...layout.cameras.keys()].join(', ') || 'no cameras'}`);
  const frame = cameraFrame({ ...camera, resolution: [width, height] });
  const out: JudgedSlot[] = [];
  for (const sight of slotCoverage(layout, cameraId)) {
    const quad = judgedQuad(layout, frame, sight.slot, faceView(layout, frame, sight.slot), limits);
    if (quad) out.push({ slot: sight.slot, quad, plannedSku: layout.slots.get(sight.slot)!.sku, reach: sideReach(layout, frame, sight.slot) });
  }
  return out;
}
