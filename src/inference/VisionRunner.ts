/**
 * One camera frame through the shelf CNN: the JPEG decoded, the camera's pinhole at the
 * frame's own size, the slots it shows well enough to judge (slotsInView.ts, the rule the
 * model was trained under), their crops classified in one batch. Pure: no DOM, no Node; the
 * same class runs in Node (`twin vision`) and in a web worker.
 */
import { decodeJpeg } from '../../sim/render/decodeJpeg';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { ShelfCnn } from './ShelfCnn';
import { cutCrop, skuReference, writeInput, type FillLabel } from './shelfInput';
import { slotsInView, type JudgedSlot } from './slotsInView';

/** A decoded frame: RGBA bytes, row by row. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** A frame as a camera published it. */
export interface FrameInput {
  readonly camera: string;
  /** When it was taken, epoch ms (the MQTT `ts` user property). */
  readonly ts: number;
  readonly jpeg: Uint8Array;
}

/** What the CNN made of one slot in one frame. */
export interface SlotSighting {
  readonly slot: string;
  readonly camera: string;
  /** The frame's ts, epoch ms. */
  readonly ts: number;
  readonly plannedSku: string;
  readonly fill: FillLabel;
  /** Probability of `fill`, 0 to 1. */
  readonly fillProb: number;
  /** Only the planned SKU (or nothing) is on the slot. */
  readonly match: boolean;
  /** Probability of `match` being true, 0 to 1. */
  readonly matchProb: number;
  /** The frame's mean brightness, 0 to 1 (FrameResult `light`); absent: not known. */
  readonly light?: number;
  /** The crop the CNN saw (`cropWidth` wide, row by row from the top), RGBA bytes (alpha 255), for the inspector. */
  readonly crop: Uint8Array;
  /** The crop's width, pixels (64 for the shipped model; its height is crop.length / 4 / cropWidth). */
  readonly cropWidth: number;
}

export interface FrameResult {
  readonly camera: string;
  readonly ts: number;
  /** The decoded frame's size, pixels. */
  readonly width: number;
  readonly height: number;
  /** Mean brightness of the frame, 0 to 1: the light of the hour as the camera saw it (fusion compares a slot with how it looked in like light). */
  readonly light?: number;
  /** One a judged slot, nearest the camera first; empty when the frame shows none well enough. */
  readonly slots: readonly SlotSighting[];
  /** Decoding, cropping and classifying took this long, ms. */
  readonly ms: number;
}

/** Milliseconds from a monotonic clock where there is one (Node, workers, pages), else the wall clock. */
function nowMs(): number {
  const p = (globalThis as { performance?: { now(): number } }).performance;
  return p ? p.now() : Date.now();
}

export class VisionRunner {
  /** Judged slots per camera and frame size: `${camera}@${width}x${height}`. */
  private readonly views = new Map<string, readonly JudgedSlot[]>();
  /** Planned SKUs' references, by SKU. */
  private readonly refs = new Map<string, Float32Array>();
  private inputBuffer = new Float32Array(0);

  constructor(
    readonly layout: LayoutIndex,
    readonly cnn: ShelfCnn,
    /** How `run` decodes a frame's JPEG on this thread: jpeg-js (pure JavaScript, no set-up; the shipped model's training set went through it) unless given mozjpeg's (wasmJpeg.ts), as the pools and the CLI do. */
    private readonly decode: (jpeg: Uint8Array) => DecodedImage = decodeJpeg,
  ) {}

  /** The slots a camera's frames of this size are judged on (cached). Throws for an unknown camera. */
  slotsFor(camera: string, width: number, height: number): readonly JudgedSlot[] {
    const key = `${camera}@${width}x${height}`;
    let v = this.views.get(key);
    if (!v) {
      v = slotsInView(this.layout, camera, width, height);
      this.views.set(key, v);
    }
    return v;
  }

  /** One frame, its JPEG decoded on this thread (the constructor's decoder). */
  run(frame: FrameInput): FrameResult {
    const started = nowMs();
    this.checkCamera(frame.camera);
    return this.runImage(frame, this.decode(frame.jpeg), started);
  }

  /** One frame already decoded (a browser's own decoder: nativeDecode.ts); `started` is when its work began, for `ms`. */
  runImage(frame: FrameInput, image: DecodedImage, started = nowMs()): FrameResult {
    this.checkCamera(frame.camera);
    const light = brightness(image.rgba);
    const judged = this.slotsFor(frame.camera, image.width, image.height);
    const size = this.cnn.crop;
    const inputs = this.inputs(judged.length * this.cnn.inputSize);
    const crops = judged.map((s, i) => {
      const crop = cutCrop(image, s.quad, size);
      writeInput(crop, this.ref(s.plannedSku), inputs, i * this.cnn.inputSize, s.reach, size);
      return crop;
    });
    const verdicts = judged.length ? this.cnn.classifyInputs(inputs) : [];
    const slots = judged.map((s, i): SlotSighting => {
      const v = verdicts[i]!;
      return { slot: s.slot, camera: frame.camera, ts: frame.ts, plannedSku: s.plannedSku, fill: v.fill, fillProb: v.fillProb, match: v.match, matchProb: v.matchProb, light, crop: rgba(crops[i]!), cropWidth: size.width };
    });
    return { camera: frame.camera, ts: frame.ts, width: image.width, height: image.height, light, slots, ms: nowMs() - started };
  }

  /**
   * The batch's input floats: one buffer kept for the runner's life and grown when a frame
   * judges more slots, since a frame's 16-odd slots take close to 1 MB and a fresh buffer a
   * frame is garbage the collector's threads then take from the cores beside this one.
   */
  private inputs(n: number): Float32Array {
    if (this.inputBuffer.length < n) this.inputBuffer = new Float32Array(n);
    return this.inputBuffer.subarray(0, n);
  }

  private checkCamera(camera: string): void {
    if (!this.layout.cameras.has(camera)) {
      throw new Error(`unknown camera ${camera}: the layout has ${[...this.layout.cameras.keys()].join(', ') || 'no cameras'}`);
    }
  }

  private ref(sku: string): Float32Array {
    let r = this.refs.get(sku);
    if (!r) {
      r = skuReference(sku);
      this.refs.set(sku, r);
    }
    return r;
  }
}

/** RGB bytes to RGBA, opaque. */
function rgba(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgb.length / 3) * 4);
  for (let p = 0, q = 0; p < rgb.length; p += 3, q += 4) {
    out[q] = rgb[p]!;
    out[q + 1] = rgb[p + 1]!;
    out[q + 2] = rgb[p + 2]!;
    out[q + 3] = 255;
  }
  return out;
}

/** Mean of R, G and B over every 7th pixel, 0 to 1. */
function brightness(px: Uint8Array): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i + 2 < px.length; i += 28) {
    sum += px[i]! + px[i + 1]! + px[i + 2]!;
    n += 3;
  }
  return n ? Math.round((sum / n / 255) * 1000) / 1000 : 0;
}
