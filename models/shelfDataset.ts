/**
 * Training and held-out data for the shelf CNN: frames rendered by the simulator
 * (sim/render/FrameRenderer.ts) over random stock worlds, passed through the camera's JPEG
 * as the vision pipeline would receive them (encoded, then decoded: by default by mozjpeg's
 * decoder, libjpeg-turbo's code, as the browser's own decoder and Node's vision pool decode
 * them, src/inference/wasmJpeg.ts), and cut into slot crops (shelfInput.ts
 * `slotQuad`, `cutCrop`) labelled from the frame's truth. Seeded: the same layout, seed and options give the same crops and labels.
 *
 * A world: every slot gets a fill class uniformly (so the classes are balanced), units
 * uniform within the class; with `misplacedRate` part of those units (1 to all of them) are
 * another SKU's, most often one planned elsewhere on the same shelf (as a misplaced put-away
 * in sim/Operations.ts), otherwise any SKU of the layout. A random hour (night light
 * included), 0 to 2 people, frame width, noise, blur and JPEG quality per frame.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../src/core/random';
import { parseLayoutText } from '../src/layout/parseLayout';
import { LayoutIndex } from '../src/layout/LayoutIndex';
import { FrameRenderer, type FrameWorld } from '../sim/render/FrameRenderer';
import { fillClass, FILL_CLASSES } from '../sim/render/frameTruth';
import { encodeJpeg } from '../sim/render/encodeJpeg';
import { decodeJpeg } from '../sim/render/decodeJpeg';
import { nodeJpegDecoder } from '../src/inference/nodeJpeg';
import { cutCrop, INPUT_SIZE, SHELF_CROP, sideReach, skuReference, writeInput } from '../src/inference/shelfInput';
import { judgedQuad, VIEW_LIMITS, type ViewLimits } from '../src/inference/slotsInView';

/** mozjpeg's decoder, ready (the datasets are built synchronously). */
const decodeMozjpeg = await nodeJpegDecoder();

/** Slot crops with their labels, as columns. */
export interface ShelfDataset {
  readonly size: number;
  /** SHELF_CROP's width x height x 3 bytes a crop, back to back. */
  readonly crops: Uint8Array;
  /** The planned SKU's reference (skuReference), 6 floats a crop. */
  readonly refs: Float32Array;
  /** Index into FILL_LABELS. */
  readonly fill: Uint8Array;
  /** 1: only the planned SKU (or nothing) on the slot; 0: another SKU's units are there (truth `misplaced`). */
  readonly match: Uint8Array;
  /** Share of the slot's capacity held by other SKUs' units, 0 when none. */
  readonly foreignShare: Float32Array;
  /** All units on the slot over its capacity, 0 to 1: how far across the slot its units reach. */
  readonly ratio: Float32Array;
  /** Scene light of the frame, 0 to 1. */
  readonly light: Float32Array;
  /** Frame width the crop was cut from, pixels. */
  readonly width: Uint16Array;
  /** shelfInput.ts sideReach of the view. */
  readonly reach: Float32Array;
  /** Width of the slot's front face in the frame, pixels (its quad's top edge). */
  readonly facePx: Float32Array;
  /** The slot's capacity, units. */
  readonly capacity: Uint16Array;
  /** Which world (0-based) the crop's frame rendered: a slot's views in one world show the same stock. */
  readonly world: Uint16Array;
  /** The slot's id. */
  readonly slot: readonly string[];
}

export interface DatasetOptions {
  /** 'gm-large' or 'apparel-compact' (scenarios/layouts/NAME.layout.json). */
  readonly layout: string;
  readonly seed: number;
  /** Random worlds; each is seen by every camera once. */
  readonly worlds: number;
  /**
   * Training only: besides the layout's own cameras, CAMERA_VARIANTS copies of them moved by up
   * to this many metres (height half as much; yaw up to 30 degrees a metre, pitch 20), one
   * set per world in turn: more angles and distances than one layout's cameras give. 0: none.
   */
  readonly cameraJitter?: number;
  /**
   * Training only: in each moved camera set's copy of the layout, a slot takes the planned SKU
   * of the slot to its left on the same level with this chance. Stores often give neighbouring
   * slots one SKU (apparel-compact: 23 of its 54 neighbouring pairs; gm-large: 12 of 444), and
   * seen at an angle a neighbour's units show through an empty stretch of the slot: in the
   * planned SKU's colours when they share it. 0: the layout's own SKUs.
   */
  readonly sharedSkus?: number;
  /** Share of slots with another SKU's units. */
  readonly misplacedRate?: number;
  /** Frame widths to draw from. */
  readonly widths?: readonly number[];
  /** Who decodes the frames: mozjpeg's wasm (default: what the vision pipeline uses) or jpeg-js (what the shipped model was trained through). */
  readonly decoder?: 'mozjpeg' | 'jpeg-js';
  /** Keep a slot when this share of its face is in the frame and this share unhidden. */
  readonly minInFrame?: number;
  readonly minVisible?: number;
  /** Keep a slot when its front face is at least this many pixels wide in the frame (default MIN_SLOT_PX). */
  readonly minWidthPx?: number;
  /** Keep a slot when the camera sees its front within this many degrees of head-on (default MAX_VIEW_ANGLE). */
  readonly maxViewAngle?: number;
}

/** Frame widths the model is trained for (shelfInput.ts MODEL_FRAME_WIDTH the middle): a slot is then about 32 px wide (median over gm-large's cameras at 1280). */
export const FRAME_WIDTHS: readonly number[] = [1120, 1280, 1440];

/** Which slots are kept: the rule inference uses too (src/inference/slotsInView.ts). */
export { MAX_VIEW_ANGLE, MIN_SLOT_PX } from '../src/inference/slotsInView';

const ROOT = join(import.meta.dirname, '..');

export function loadLayout(name: string): LayoutIndex {
  const r = parseLayoutText(readFileSync(join(ROOT, 'scenarios/layouts', `${name}.layout.json`), 'utf8'));
  if (!r.ok) throw new Error(`scenarios/layouts/${name}.layout.json is not valid`);
  return new LayoutIndex(r.layout);
}

/** Units that give each fill class on a slot of `capacity`. */
function unitsByClass(capacity: number): number[][] {
  const out: number[][] = FILL_CLASSES.map(() => []);
  for (let u = 0; u <= capacity; u++) out[FILL_CLASSES.indexOf(fillClass(u, capacity))]!.push(u);
  return out;
}

function randomWorld(layout: LayoutIndex, rnd: Random, misplacedRate: number): FrameWorld {
  const skus = [...layout.skus.keys()];
  const stock = new Map<string, Map<string, number>>();
  for (const slot of layout.slots.values()) {
    const classes = unitsByClass(slot.capacity).filter((us) => us.length > 0);
    const units = rnd.pick(rnd.pick(classes));
    const here = new Map<string, number>();
    if (units > 0 && rnd.chance(misplacedRate)) {
      const neighbours = layout.shelves.get(slot.shelf)!.slots.map((s) => s.sku).filter((s) => s !== slot.sku);
      const foreign = neighbours.length > 0 && rnd.chance(0.7) ? rnd.pick(neighbours) : rnd.pick(skus.filter((s) => s !== slot.sku));
      const k = rnd.int(1, units);
      if (units - k > 0) here.set(slot.sku, units - k);
      here.set(foreign, k);
    } else if (units > 0) here.set(slot.sku, units);
    stock.set(slot.id, here);
  }
  const xs = layout.layout.room.outline.map((p) => p[0]);
  const ys = layout.layout.room.outline.map((p) => p[1]);
  const people = Array.from({ length: rnd.int(0, 2) }, (_, k) => ({
    x: Math.min(...xs) + rnd.next() * (Math.max(...xs) - Math.min(...xs)),
    y: Math.min(...ys) + rnd.next() * (Math.max(...ys) - Math.min(...ys)),
    key: `p${rnd.int(0, 1e6)}-${k}`,
  }));
  // Any minute of a November day: night light as well as full light.
  const ts = Date.parse('2026-11-02T00:00:00Z') + rnd.int(0, 27) * 86_400_000 + rnd.int(0, 24 * 60 - 1) * 60_000;
  return { ts, stock, people };
}

/** Moved camera sets a dataset with `cameraJitter` draws from, besides the layout's own. */
export const CAMERA_VARIANTS = 5;

/** The layout with its cameras moved at random (DatasetOptions `cameraJitter`), kept 0.2 m inside the room's bounds. */
function jitteredCameras(layout: LayoutIndex, rnd: Random, jitter: number): LayoutIndex {
  const xs = layout.layout.room.outline.map((p) => p[0]);
  const ys = layout.layout.room.outline.map((p) => p[1]);
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi - 0.2, Math.max(lo + 0.2, v));
  const shift = (k: number) => (rnd.next() * 2 - 1) * k;
  const cameras = layout.layout.cameras.map((c) => ({
    ...c,
    position: [
      clamp(c.position[0] + shift(jitter), Math.min(...xs), Math.max(...xs)),
      clamp(c.position[1] + shift(jitter), Math.min(...ys), Math.max(...ys)),
      clamp(c.position[2] + shift(jitter / 2), 0.5, layout.layout.room.height),
    ] as const,
    yaw: c.yaw + shift(30 * jitter),
    pitch: Math.max(-80, Math.min(10, c.pitch + shift(20 * jitter))),
  }));
  return new LayoutIndex({ ...layout.layout, cameras });
}

/** The layout with each slot given its left neighbour's planned SKU (same shelf and level) with chance `p` (DatasetOptions `sharedSkus`). */
export function withSharedSkus(layout: LayoutIndex, rnd: Random, p: number): LayoutIndex {
  if (p <= 0) return layout;
  const shelves = layout.layout.shelves.map((shelf) => {
    /** Each level's last SKU given, left to right. */
    const left = new Map<number, string>();
    const slots = [...shelf.slots].sort((a, b) => a.level - b.level || a.index - b.index).map((slot) => {
      const prior = left.get(slot.level);
      const sku = prior !== undefined && rnd.chance(p) ? prior : slot.sku;
      left.set(slot.level, sku);
      return { ...slot, sku };
    });
    const byId = new Map(slots.map((s) => [s.id, s]));
    return { ...shelf, slots: shelf.slots.map((s) => byId.get(s.id)!) };
  });
  return new LayoutIndex({ ...layout.layout, shelves });
}

export function shelfDataset(o: DatasetOptions): ShelfDataset {
  const p = o.sharedSkus ?? 0;
  if (!(p >= 0 && p <= 1)) throw new Error(`sharedSkus is a chance, 0 to 1 (got ${o.sharedSkus})`);
  if (p > 0 && !((o.cameraJitter ?? 0) > 0)) throw new Error('sharedSkus applies to the moved camera sets: it needs cameraJitter > 0');
  const base = loadLayout(o.layout);
  const rnd = new Random(o.seed);
  const jitter = o.cameraJitter ?? 0;
  const moved = new Random(o.seed + 0x5eed);
  const shared = new Random(o.seed + 0x5a5e);
  const layouts = [base, ...(jitter > 0 ? Array.from({ length: CAMERA_VARIANTS }, () => withSharedSkus(jitteredCameras(base, moved, jitter), shared, p)) : [])];
  const renderers = layouts.map((l) => new FrameRenderer(l));
  const widths = o.widths ?? FRAME_WIDTHS;
  const decode = o.decoder === 'jpeg-js' ? decodeJpeg : decodeMozjpeg;
  const limits: ViewLimits = {
    minInFrame: o.minInFrame ?? VIEW_LIMITS.minInFrame,
    minVisible: o.minVisible ?? VIEW_LIMITS.minVisible,
    minWidthPx: o.minWidthPx ?? VIEW_LIMITS.minWidthPx,
    maxViewAngle: o.maxViewAngle ?? VIEW_LIMITS.maxViewAngle,
  };
  const crops: Uint8Array[] = [];
  const refs: Float32Array[] = [];
  const fill: number[] = [];
  const match: number[] = [];
  const foreign: number[] = [];
  const ratio: number[] = [];
  const light: number[] = [];
  const width: number[] = [];
  const reach: number[] = [];
  const facePx: number[] = [];
  const capacity: number[] = [];
  const worldOf: number[] = [];
  const slotOf: string[] = [];
  for (let w = 0; w < o.worlds; w++) {
    const layout = layouts[w % layouts.length]!;
    const renderer = renderers[w % layouts.length]!;
    const world = randomWorld(layout, rnd, o.misplacedRate ?? 0.3);
    for (const camera of layout.cameras.keys()) {
      const frameWidth = rnd.pick(widths);
      const f = renderer.render(camera, world, { width: frameWidth, noise: 1 + rnd.next() * 5, blur: rnd.chance(0.15) ? 1 : 0, seed: rnd.int(0, 2 ** 31) });
      const image = decode(encodeJpeg(f.rgba, f.width, f.height, rnd.int(60, 90)));
      const pinhole = renderer.frame(camera, frameWidth);
      for (const s of f.truth.slots) {
        const quad = judgedQuad(layout, pinhole, s.slot, s, limits);
        if (!quad) continue;
        crops.push(cutCrop(image, quad));
        refs.push(skuReference(s.plannedSku));
        fill.push(FILL_CLASSES.indexOf(s.fill));
        match.push(s.misplaced ? 0 : 1);
        foreign.push((s.units - (s.skus[s.plannedSku] ?? 0)) / s.capacity);
        ratio.push(s.units / s.capacity);
        light.push(f.truth.light);
        width.push(frameWidth);
        reach.push(sideReach(layout, pinhole, s.slot));
        facePx.push(Math.hypot(quad[1][0] - quad[0][0], quad[1][1] - quad[0][1]));
        capacity.push(s.capacity);
        worldOf.push(w);
        slotOf.push(s.slot);
      }
    }
  }
  const n = crops.length;
  const allCrops = new Uint8Array(n * SHELF_CROP.width * SHELF_CROP.height * 3);
  const allRefs = new Float32Array(n * 6);
  crops.forEach((c, i) => allCrops.set(c, i * SHELF_CROP.width * SHELF_CROP.height * 3));
  refs.forEach((r, i) => allRefs.set(r, i * 6));
  return {
    size: n,
    crops: allCrops,
    refs: allRefs,
    fill: Uint8Array.from(fill),
    match: Uint8Array.from(match),
    foreignShare: Float32Array.from(foreign),
    ratio: Float32Array.from(ratio),
    light: Float32Array.from(light),
    width: Uint16Array.from(width),
    reach: Float32Array.from(reach),
    facePx: Float32Array.from(facePx),
    capacity: Uint16Array.from(capacity),
    world: Uint16Array.from(worldOf),
    slot: slotOf,
  };
}

/** The model inputs for some crops of a dataset, in the order of `indices`. */
export function datasetInputs(ds: ShelfDataset, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * INPUT_SIZE);
  const bytes = SHELF_CROP.width * SHELF_CROP.height * 3;
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    writeInput(ds.crops.subarray(j * bytes, (j + 1) * bytes), ds.refs.subarray(j * 6, j * 6 + 6), out, i * INPUT_SIZE, ds.reach[j]!);
  }
  return out;
}
