/**
 * What the shelf CNN sees for one slot: the slot's crop, cut from a camera frame along the
 * quad that the slot's front face projects to through the camera's geometry (`slotQuad`) and
 * straightened to a crop of SHELF_CROP's size (left of the slot to the left of the crop, its board at the
 * bottom, whatever the camera's angle), compared pixel by pixel with its planned SKU's
 * reference look (sim/render/skuLook.ts: the catalogue's colour and pattern colour). The
 * model thus compares the shelf with the reference instead of memorising SKUs, which is what
 * lets it judge a layout and SKUs it never trained on. The comparison is of chroma (colour
 * less its grey level, over that level), which the light of the hour and the lens's
 * vignette scale away. Pure: no tf, runs in Node, a worker and the page.
 */
import { skuLook } from '../../sim/render/skuLook';
import { project, type CameraFrame } from '../layout/cameraProjection';
import { frontFace, frontNormal } from '../layout/geometry';
import type { LayoutIndex } from '../layout/LayoutIndex';

/** A slot crop's size, pixels: across the slot, and up it. */
export interface CropSize {
  readonly width: number;
  readonly height: number;
}

/**
 * The shipped model's crop: four times as wide as high, because a slot's fill is how far its
 * units reach across it (sim/render/RoomScene.ts `stockFaces` stands them in full-height
 * columns from its left edge), so the pixels go across. A user's model may take another size
 * (its input's shape says which: userModel.ts).
 */
export const SHELF_CROP: CropSize = { width: 64, height: 16 };

/**
 * Frame width the shipped model reads best, pixels: the middle of the widths it was trained on
 * (1120 to 1440; models/shelfDataset.ts FRAME_WIDTHS). The layouts' cameras stream 1920 or
 * 2560; the simulator renders narrower to save time, and frames for the CNN at this width.
 */
export const MODEL_FRAME_WIDTH = 1280;

/**
 * Channels a pixel: the crop's RGB, then its chroma less the planned SKU's colour's, then less
 * its pattern colour's, then how colourful it is (stock against the grey of boards, back
 * panels and metal), then how far its colour is from all three (the planned SKU's two colours
 * and grey): high where something else stands; then those last two averaged down the pixel's
 * column (units stand in columns the slot's full height, so a column's average shows stock
 * and another SKU's units through the noise of single pixels); last, the same at every
 * pixel, the view's side reach (`sideReach`: how far the units' side faces show across the
 * empty stretch at this camera's angle, which the crop alone cannot tell from stock).
 */
export const CHANNELS = 14;
/** Floats one slot's input takes (height x width x channels, channels last). */
export const INPUT_SIZE = inputSize(SHELF_CROP);

/** Floats one slot's input takes at a crop size. */
export function inputSize(size: CropSize): number {
  return size.width * size.height * CHANNELS;
}

/** The fill classes, in the model's output order (sim/render/frameTruth.ts FILL_CLASSES). */
export const FILL_LABELS = ['empty', 'low', 'half', 'full'] as const;
export type FillLabel = (typeof FILL_LABELS)[number];

/** A camera frame as RGBA bytes, 4 a pixel (a decoded JPEG or a rendered frame). */
export interface FrameImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** A point in a frame, pixels (x right, y down; pixel (i, j) covers [i, i + 1) x [j, j + 1)). */
export type ImagePoint = readonly [number, number];

/** A slot's front face in a frame: its top-left, top-right, bottom-right and bottom-left corners as seen from the front. */
export type SlotQuad = readonly [ImagePoint, ImagePoint, ImagePoint, ImagePoint];

/** One slot to classify: where it shows in the frame and what the planogram puts there. */
export interface SlotCrop {
  readonly quad: SlotQuad;
  /** The SKU the planogram puts on the slot. */
  readonly plannedSku: string;
  /** sideReach: how far the units' side faces show across the face, signed (the model was trained with it). */
  readonly reach: number;
}

/**
 * How far the back of a slot's right edge (seen from the front, at mid-height) shows shifted
 * from its front in the frame, along the face, as a share of the face's width, clamped to
 * +-2: the side of a unit column that runs the slot's depth shows over about that much of
 * the empty stretch beside it. Positive: the camera stands to the slot's right and the sides
 * show to the right of the units; head-on it is a little negative (perspective draws the back
 * inward). The model takes it as its last channel: the layout and the camera give it, the
 * crop alone does not.
 */
export function sideReach(layout: LayoutIndex, frame: CameraFrame, slotId: string): number {
  const box = layout.slotBox(slotId);
  const [bl, br] = frontFace(box);
  const [nx, ny] = frontNormal(box.yaw);
  const d = box.size[1];
  const mid = (p: readonly number[]): [number, number, number] => [p[0]!, p[1]!, box.center[2]];
  const fl = project(frame, mid(bl!));
  const fr = project(frame, mid(br!));
  const back = project(frame, [br![0]! - nx * d, br![1]! - ny * d, box.center[2]]);
  if (!fl || !fr || !back) return 0;
  const ex = fr.u - fl.u;
  const ey = fr.v - fl.v;
  const len = ex * ex + ey * ey;
  if (len === 0) return 0;
  return Math.max(-2, Math.min(2, ((back.u - fr.u) * ex + (back.v - fr.v) * ey) / len));
}

/** The planned SKU's reference: colour then pattern colour, RGB in 0 to 1. */
export function skuReference(sku: string): Float32Array {
  const look = skuLook(sku);
  const c = look.colour;
  const p = look.pattern.colour;
  return Float32Array.of(c[0] / 255, c[1] / 255, c[2] / 255, p[0] / 255, p[1] / 255, p[2] / 255);
}

/**
 * Where a slot's front face shows in a camera frame (the camera's pinhole at the frame's
 * size: sim/render/FrameRenderer.ts `frame`), or undefined when a corner lies behind the camera.
 */
export function slotQuad(layout: LayoutIndex, frame: CameraFrame, slotId: string): SlotQuad | undefined {
  // frontFace: bottom-left, bottom-right, top-right, top-left, seen from the front.
  const c = frontFace(layout.slotBox(slotId)).map((p) => project(frame, p));
  if (c.some((p) => p === undefined)) return undefined;
  const at = (i: number): ImagePoint => [c[i]!.u, c[i]!.v];
  return [at(3), at(2), at(1), at(0)];
}

/**
 * How far round from head-on a camera sees a slot's front, degrees in the floor plane (0:
 * straight in front; 90: edge on). Through an empty stretch of a slot seen obliquely the
 * camera sees the sides of its neighbours' units, which read as stock.
 */
export function viewAngle(layout: LayoutIndex, frame: CameraFrame, slotId: string): number {
  const box = layout.slotBox(slotId);
  const [nx, ny] = frontNormal(box.yaw);
  const dx = frame.origin[0] - box.center[0];
  const dy = frame.origin[1] - box.center[1];
  const cos = (dx * nx + dy * ny) / (Math.hypot(dx, dy) || 1);
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}

/**
 * The quad straightened to `size` RGB bytes: each crop pixel's centre mapped bilinearly
 * across the quad (close to the true perspective map for a face as small as a slot's), the
 * frame sampled bilinearly there, edges clamped. Bytes, not floats, so that a training set of
 * thousands of crops stays small; inference goes through the same rounding.
 */
export function cutCrop(frame: FrameImage, quad: SlotQuad, size: CropSize = SHELF_CROP): Uint8Array {
  const cw = size.width;
  const ch = size.height;
  const [tl, tr, br, bl] = quad;
  const W = frame.width;
  const H = frame.height;
  const px = frame.rgba;
  const out = new Uint8Array(cw * ch * 3);
  let o = 0;
  for (let y = 0; y < ch; y++) {
    const t = (y + 0.5) / ch;
    for (let x = 0; x < cw; x++) {
      const s = (x + 0.5) / cw;
      const topX = tl[0] + (tr[0] - tl[0]) * s;
      const topY = tl[1] + (tr[1] - tl[1]) * s;
      const botX = bl[0] + (br[0] - bl[0]) * s;
      const botY = bl[1] + (br[1] - bl[1]) * s;
      const sx = Math.min(W - 1, Math.max(0, topX + (botX - topX) * t - 0.5));
      const sy = Math.min(H - 1, Math.max(0, topY + (botY - topY) * t - 0.5));
      const y0 = Math.floor(sy);
      const y1 = Math.min(H - 1, y0 + 1);
      const fy = sy - y0;
      const x0 = Math.floor(sx);
      const x1 = Math.min(W - 1, x0 + 1);
      const fx = sx - x0;
      const a = (y0 * W + x0) * 4;
      const b = (y0 * W + x1) * 4;
      const c = (y1 * W + x0) * 4;
      const d = (y1 * W + x1) * 4;
      for (let k = 0; k < 3; k++) {
        const top = px[a + k]! + (px[b + k]! - px[a + k]!) * fx;
        const bottom = px[c + k]! + (px[d + k]! - px[c + k]!) * fx;
        out[o++] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return out;
}

/** Chroma of an RGB colour (0-255): each channel less the grey level, over that level (dark pixels floored, their hue being mostly noise). */
function chroma(r: number, g: number, b: number, out: Float32Array, at: number): void {
  const l = (r + g + b) / 3;
  const d = Math.max(l, 24);
  out[at] = (r - l) / d;
  out[at + 1] = (g - l) / d;
  out[at + 2] = (b - l) / d;
}

const px = new Float32Array(3);
const refs = new Float32Array(6);
/** Grey, the reference colour and the reference pattern colour as points of the chroma plane. */
const tri = new Float64Array(6);

const SQRT6 = Math.sqrt(6);

/** A chroma (its three parts sum to 0) as coordinates in its plane: lengths are kept. */
function plane(r: number, g: number, b: number): [number, number] {
  return [(r - g) / Math.SQRT2, (r + g - 2 * b) / SQRT6];
}

/**
 * How far a chroma point lies outside the triangle of grey and the planned SKU's two colours
 * (0 inside): blends of those (a pattern's edges, JPEG's colour smear, darker rims) lie
 * inside it, another SKU's colour mostly outside.
 */
function outside(x: number, y: number, t: Float64Array): number {
  let inside = true;
  let best = Infinity;
  const turn = (t[2]! - t[0]!) * (t[5]! - t[1]!) - (t[3]! - t[1]!) * (t[4]! - t[0]!);
  for (let k = 0; k < 3; k++) {
    const ax = t[k * 2]!;
    const ay = t[k * 2 + 1]!;
    const bx = t[((k + 1) % 3) * 2]!;
    const by = t[((k + 1) % 3) * 2 + 1]!;
    const ex = bx - ax;
    const ey = by - ay;
    if ((ex * (y - ay) - ey * (x - ax)) * turn < 0) inside = false;
    const len = ex * ex + ey * ey;
    const f = len > 0 ? Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / len)) : 0;
    const dx = x - ax - f * ex;
    const dy = y - ay - f * ey;
    best = Math.min(best, Math.sqrt(dx * dx + dy * dy));
  }
  return inside && turn !== 0 ? 0 : best;
}

/**
 * Writes one slot's input at `out[offset .. offset + inputSize(size))`, pixel by pixel: the crop's
 * RGB centred on 0 (-1 to 1), then its chroma less the reference colour's, then less the
 * reference pattern colour's (0 where the pixel is that colour, at any light), then the size
 * of its chroma, then how far its chroma lies outside the triangle of grey and the two
 * reference colours, then those two averaged over the pixel's column, then `reach`
 * (sideReach) at every pixel. `size` is the crop's.
 */
export function writeInput(crop: Uint8Array, ref: Float32Array, out: Float32Array, offset = 0, reach = 0, size: CropSize = SHELF_CROP): void {
  const cw = size.width;
  const ch = size.height;
  chroma(ref[0]! * 255, ref[1]! * 255, ref[2]! * 255, refs, 0);
  chroma(ref[3]! * 255, ref[4]! * 255, ref[5]! * 255, refs, 3);
  const [a0, a1] = plane(refs[0]!, refs[1]!, refs[2]!);
  const [b0, b1] = plane(refs[3]!, refs[4]!, refs[5]!);
  tri[0] = 0;
  tri[1] = 0;
  tri[2] = a0;
  tri[3] = a1;
  tri[4] = b0;
  tri[5] = b1;
  let o = offset;
  for (let p = 0; p < cw * ch; p++) {
    const r = crop[p * 3]!;
    const g = crop[p * 3 + 1]!;
    const b = crop[p * 3 + 2]!;
    out[o++] = r / 127.5 - 1;
    out[o++] = g / 127.5 - 1;
    out[o++] = b / 127.5 - 1;
    chroma(r, g, b, px, 0);
    const p0 = px[0]!;
    const p1 = px[1]!;
    const p2 = px[2]!;
    out[o++] = p0 - refs[0]!;
    out[o++] = p1 - refs[1]!;
    out[o++] = p2 - refs[2]!;
    out[o++] = p0 - refs[3]!;
    out[o++] = p1 - refs[4]!;
    out[o++] = p2 - refs[5]!;
    // plane(), written out: this runs for every pixel of every crop, and a pair returned
    // a pixel was most of a frame's garbage.
    const u = (p0 - p1) / Math.SQRT2;
    const v = (p0 + p1 - 2 * p2) / SQRT6;
    // Not Math.hypot: V8 calls it as a builtin, boxing its numbers (garbage a pixel).
    out[o++] = Math.sqrt(u * u + v * v);
    out[o++] = outside(u, v, tri);
    o += 2;
    out[o++] = reach;
  }
  // Column averages of the last two channels, into the two after them.
  for (let x = 0; x < cw; x++) {
    let colour = 0;
    let other = 0;
    for (let y = 0; y < ch; y++) {
      const at = offset + (y * cw + x) * CHANNELS;
      colour += out[at + 9]!;
      other += out[at + 10]!;
    }
    for (let y = 0; y < ch; y++) {
      const at = offset + (y * cw + x) * CHANNELS;
      out[at + 11] = colour / ch;
      out[at + 12] = other / ch;
    }
  }
}

/** The inputs for many slots of one frame, packed for one batch. */
export function slotInputs(frame: FrameImage, slots: readonly SlotCrop[], size: CropSize = SHELF_CROP): Float32Array {
  const n = inputSize(size);
  const out = new Float32Array(slots.length * n);
  slots.forEach((s, i) => writeInput(cutCrop(frame, s.quad, size), skuReference(s.plannedSku), out, i * n, s.reach, size));
  return out;
}
