/**
 * Renders what a layout camera sees at a moment, with the truth beside it: the fixed room
 * (RoomScene), the units on every slot and the people in the room then, through the
 * camera's pinhole scaled to the output width, developed (light of the hour, noise, blur)
 * and encoded as JPEG. Seeded: the same world, options and seed give the same bytes.
 */
import { cameraFrame, type CameraFrame } from '../../src/layout/cameraProjection';
import { zoneOffset } from '../../src/core/zonedTime';
import type { LayoutIndex } from '../../src/layout/LayoutIndex';
import { develop, lightLevel } from './develop';
import { encodeJpeg } from './encodeJpeg';
import { slotTruths, type FrameTruth } from './frameTruth';
import { Rasteriser, type Face } from './Rasteriser';
import { RoomScene, type SlotPlace } from './RoomScene';
import { hash32 } from './skuLook';

/** The world as a frame sees it. */
export interface FrameWorld {
  /** Epoch ms of the frame. */
  readonly ts: number;
  /** Slot id to SKU to units (sim/world/Stock.ts `slots`). */
  readonly stock: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** People standing in the room; `key` picks their clothes. */
  readonly people: readonly { readonly x: number; readonly y: number; readonly key: string }[];
  /** Why the frame is taken (into its truth); default 'interval'. */
  readonly trigger?: 'interval' | 'motion';
  /** Slots whose face a grey board hides (a concealment: the slot looks empty, its stock still there); absent: none. */
  readonly concealed?: ReadonlySet<string>;
}

export interface FrameOptions {
  /** Output width in pixels; the height follows the camera's aspect. */
  readonly width: number;
  /** JPEG quality, 1 to 100. */
  readonly quality: number;
  /** Sensor noise, standard deviation in 0-255 steps at full light. */
  readonly noise: number;
  /** Box-blur radius in pixels, 0 for none. */
  readonly blur: number;
  /** Seeds the noise, together with the camera and the time. */
  readonly seed: number;
}

export const FRAME_DEFAULTS: FrameOptions = { width: 320, quality: 75, noise: 3, blur: 0, seed: 1 };

export interface RenderedFrame {
  readonly camera: string;
  readonly width: number;
  readonly height: number;
  /** Before encoding, 4 bytes a pixel. */
  readonly rgba: Uint8Array;
  readonly truth: FrameTruth;
}

/** What one camera at one width can see at all: fixed faces turned to it and in its view, slots it stands in front of. */
interface CameraView {
  readonly frame: CameraFrame;
  readonly fixed: readonly Face[];
  readonly places: readonly SlotPlace[];
}

export class FrameRenderer {
  readonly scene: RoomScene;
  private readonly views = new Map<string, CameraView>();

  constructor(readonly layout: LayoutIndex) {
    this.scene = new RoomScene(layout);
  }

  /** The camera's pinhole at `width` pixels wide (same field of view, same aspect). */
  frame(cameraId: string, width: number): CameraFrame {
    return this.view(cameraId, width).frame;
  }

  private view(cameraId: string, width: number): CameraView {
    const key = `${cameraId}@${width}`;
    let v = this.views.get(key);
    if (!v) {
      const c = this.layout.cameras.get(cameraId);
      if (!c) throw new Error(`unknown camera ${cameraId}`);
      const height = Math.max(1, Math.round((width * c.resolution[1]) / c.resolution[0]));
      const frame = cameraFrame({ ...c, resolution: [width, height] });
      const r = new Rasteriser(frame);
      const fixed = this.scene.fixed.filter((f) => r.faces(f) && r.mayShow(f.pts));
      const places = this.scene.places.filter((p) => this.scene.inFront(p, frame.origin) && r.mayShow(this.scene.placeCorners(p)));
      v = { frame, fixed, places };
      this.views.set(key, v);
    }
    return v;
  }

  render(cameraId: string, world: FrameWorld, options: Partial<FrameOptions> = {}): RenderedFrame {
    const o = { ...FRAME_DEFAULTS, ...options };
    const view = this.view(cameraId, o.width);
    const f = view.frame;
    const r = new Rasteriser(f);
    for (const face of view.fixed) r.draw(face);
    const dynamic: Face[] = [];
    for (const place of view.places) {
      if (world.concealed?.has(place.slot.id)) this.scene.boardFace(dynamic, place);
      const here = world.stock.get(place.slot.id);
      if (!here || here.size === 0) continue;
      // The planned SKU stands leftmost, others after it by id.
      const contents = [...here].sort((a, b) => Number(b[0] === place.slot.sku) - Number(a[0] === place.slot.sku) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.scene.stockFaces(dynamic, place, contents, f.origin);
    }
    for (const p of world.people) this.scene.personFaces(dynamic, p.x, p.y, p.key, f.origin);
    for (const face of dynamic) r.draw(face);
    const tz = this.layout.layout.timezone;
    const local = ((world.ts + zoneOffset(world.ts, tz)) / 60_000) % (24 * 60);
    const light = lightLevel(local, this.layout.layout.hours);
    const seed = hash32(`${cameraId}/${world.ts}`, o.seed >>> 0);
    const rgba = develop(r.rgb, f.width, f.height, { light, noise: o.noise, blur: o.blur, seed });
    const slots = slotTruths(this.layout, cameraId, f, r.invDepth, world.stock, world.concealed);
    return {
      camera: cameraId,
      width: f.width,
      height: f.height,
      rgba,
      truth: { camera: cameraId, ts: new Date(world.ts).toISOString(), trigger: world.trigger ?? 'interval', width: f.width, height: f.height, light, people: world.people.length, slots },
    };
  }

  /** Renders and encodes: the JPEG bytes a camera would publish, and the truth. */
  jpeg(cameraId: string, world: FrameWorld, options: Partial<FrameOptions> = {}): { jpeg: Uint8Array; truth: FrameTruth } {
    const frame = this.render(cameraId, world, options);
    return { jpeg: encodeJpeg(frame.rgba, frame.width, frame.height, options.quality ?? FRAME_DEFAULTS.quality), truth: frame.truth };
  }
}
