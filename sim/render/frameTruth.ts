/**
 * The truth beside a rendered camera frame, for training and scoring a model on slot crops:
 * for every slot whose front face the camera sees (src/layout/cameraCoverage.ts
 * `slotCoverage`: facing it, centre in the image, no shelf, obstacle or wall in the way), its
 * box in the image, how much of it the frame really shows (people and neighbouring bays can
 * hide part of it), its units against capacity, its fill class, the planned SKU and the SKU
 * actually on it.
 */
import { project, type CameraFrame } from '../../src/layout/cameraProjection';
import { slotCoverage } from '../../src/layout/cameraCoverage';
import { frontFace } from '../../src/layout/geometry';
import type { LayoutIndex } from '../../src/layout/LayoutIndex';

/** empty: no units; low: under 35 % of capacity; half: 35 % to under 75 %; full: 75 % and up. */
export type FillClass = 'empty' | 'low' | 'half' | 'full';
export const FILL_CLASSES: readonly FillClass[] = ['empty', 'low', 'half', 'full'];

export function fillClass(units: number, capacity: number): FillClass {
  if (units <= 0) return 'empty';
  const r = units / capacity;
  return r < 0.35 ? 'low' : r < 0.75 ? 'half' : 'full';
}

export interface SlotTruth {
  readonly slot: string;
  readonly shelf: string;
  /** [x, y, w, h] in pixels of this frame: the slot's front face's bounding box, clipped to the image. */
  readonly box: readonly [number, number, number, number];
  /** Share of the front face's projected area that falls inside the image, 0 to 1, two decimals (below 1: cut by the border). */
  readonly inFrame: number;
  /** Share of the front face's pixels in the image with nothing in front of the face (a person, another bay), 0 to 1, two decimals. */
  readonly visible: number;
  /** All units on the slot, of any SKU. */
  readonly units: number;
  readonly capacity: number;
  readonly fill: FillClass;
  /** The SKU the planogram puts here. */
  readonly plannedSku: string;
  /** The SKU with the most units here (ties: the planned one, then by id); null when empty. */
  readonly actualSku: string | null;
  /** Units by SKU, only SKUs present, by id. */
  readonly skus: Readonly<Record<string, number>>;
  /** Units of a SKU other than the planned one are on the slot. */
  readonly misplaced: boolean;
  /** A board hides the slot's face (a concealment): the camera sees no stock, whatever `units` says. Absent: not hidden. */
  readonly concealed?: true;
}

export interface FrameTruth {
  readonly camera: string;
  /** When the frame was taken (RFC 3339 UTC), as its `ts` user property; (camera, ts) names one frame. */
  readonly ts: string;
  /** Why the camera published it: its interval came round, or a person came into view. */
  readonly trigger: 'interval' | 'motion';
  readonly width: number;
  readonly height: number;
  /** Scene light, 0 to 1 (1: full light in trading hours). */
  readonly light: number;
  /** People drawn in the frame's scene (not all need be in view). */
  readonly people: number;
  /** Slots in clear view, nearest first. */
  readonly slots: readonly SlotTruth[];
}

/** Depth tolerance for "nothing in front of the face": a shelf's side stands flush with its front. */
const FLUSH = 1.002;

/** Slot truths for one frame; `invDepth` is the rasteriser's depth buffer (1 / depth of the nearest surface drawn). */
export function slotTruths(
  layout: LayoutIndex,
  cameraId: string,
  frame: CameraFrame,
  invDepth: Float32Array,
  stock: ReadonlyMap<string, ReadonlyMap<string, number>>,
  concealed?: ReadonlySet<string>,
): SlotTruth[] {
  const out: SlotTruth[] = [];
  const { width: W, height: H } = frame;
  for (const sight of slotCoverage(layout, cameraId)) {
    const slot = layout.slots.get(sight.slot)!;
    const corners = frontFace(layout.slotBox(slot.id)).map((p) => project(frame, p));
    if (corners.some((c) => c === undefined)) continue;
    const uv = corners.map((c) => [c!.u, c!.v] as const);
    const x0 = Math.max(0, Math.floor(Math.min(...uv.map((p) => p[0]))));
    const x1 = Math.min(W, Math.ceil(Math.max(...uv.map((p) => p[0]))));
    const y0 = Math.max(0, Math.floor(Math.min(...uv.map((p) => p[1]))));
    const y1 = Math.min(H, Math.ceil(Math.max(...uv.map((p) => p[1]))));
    if (x1 - x0 < 2 || y1 - y0 < 2) continue;
    // 1/depth of the face's plane is affine over the image: fit it on three corners.
    const plane = affine(uv[0]!, uv[1]!, uv[2]!, 1 / corners[0]!.depth, 1 / corners[1]!.depth, 1 / corners[2]!.depth);
    let inside = 0;
    let shown = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const px = x + 0.5;
        const py = y + 0.5;
        if (!insideQuad(uv, px, py)) continue;
        inside++;
        if (invDepth[y * W + x]! <= (plane[0] * px + plane[1] * py + plane[2]) * FLUSH) shown++;
      }
    }
    const visible = inside === 0 ? 0 : Math.round((shown / inside) * 100) / 100;
    if (visible === 0) continue;
    const area = polygonArea(uv);
    const inFrame = area > 0 ? Math.round((polygonArea(clipToRect(uv, W, H)) / area) * 100) / 100 : 0;
    const here = stock.get(slot.id);
    const skus: Record<string, number> = {};
    let units = 0;
    for (const [sku, u] of [...(here ?? [])].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      if (u <= 0) continue;
      skus[sku] = u;
      units += u;
    }
    let actualSku: string | null = null;
    for (const [sku, u] of Object.entries(skus)) {
      const best = actualSku === null ? 0 : skus[actualSku]!;
      if (u > best || (u === best && sku === slot.sku)) actualSku = sku;
    }
    out.push({
      slot: slot.id,
      shelf: slot.shelf,
      box: [x0, y0, x1 - x0, y1 - y0],
      inFrame,
      visible,
      units,
      capacity: slot.capacity,
      fill: fillClass(units, slot.capacity),
      plannedSku: slot.sku,
      actualSku,
      skus,
      misplaced: Object.keys(skus).some((s) => s !== slot.sku),
      ...(concealed?.has(slot.id) ? { concealed: true } : {}),
    });
  }
  return out;
}

type P2 = readonly [number, number];

function polygonArea(poly: readonly P2[]): number {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    a += p[0] * q[1] - q[0] * p[1];
  }
  return Math.abs(a) / 2;
}

/** Sutherland-Hodgman against the image rectangle [0, w] x [0, h]. */
function clipToRect(poly: readonly P2[], w: number, h: number): P2[] {
  let out: P2[] = [...poly];
  const edges: [(p: P2) => number][] = [[(p) => p[0]], [(p) => w - p[0]], [(p) => p[1]], [(p) => h - p[1]]];
  for (const [inside] of edges) {
    const src = out;
    out = [];
    for (let i = 0; i < src.length; i++) {
      const a = src[i]!;
      const b = src[(i + 1) % src.length]!;
      const da = inside(a);
      const db = inside(b);
      if (da >= 0) out.push(a);
      if ((da >= 0) !== (db >= 0)) {
        const t = da / (da - db);
        out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
      }
    }
  }
  return out;
}

/** [a, b, c] with a*u + b*v + c equal to z0, z1, z2 at the three points. */
function affine(p0: readonly [number, number], p1: readonly [number, number], p2: readonly [number, number], z0: number, z1: number, z2: number): [number, number, number] {
  const det = (p1[0] - p0[0]) * (p2[1] - p0[1]) - (p2[0] - p0[0]) * (p1[1] - p0[1]);
  if (Math.abs(det) < 1e-12) return [0, 0, Math.max(z0, z1, z2)];
  const a = ((z1 - z0) * (p2[1] - p0[1]) - (z2 - z0) * (p1[1] - p0[1])) / det;
  const b = ((z2 - z0) * (p1[0] - p0[0]) - (z1 - z0) * (p2[0] - p0[0])) / det;
  return [a, b, z0 - a * p0[0] - b * p0[1]];
}

/** Point in a convex quad, either winding. */
function insideQuad(q: readonly (readonly [number, number])[], x: number, y: number): boolean {
  let pos = false;
  let neg = false;
  for (let i = 0; i < q.length; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % q.length]!;
    const c = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
    if (c > 0) pos = true;
    else if (c < 0) neg = true;
    if (pos && neg) return false;
  }
  return true;
}
