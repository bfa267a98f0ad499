/**
 * mozjpeg's wasm decoder (wasmJpeg.ts), what Node's vision pool and the CLI decode frames
 * with and what the held-out sets are scored through: its pixels are about jpeg-js's, and
 * the shipped CNN makes nearly the same calls through jpeg-js, the fallback.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadShelfCnn } from '../../models/shelfCnnFiles';
import { loadLayout } from '../../models/shelfDataset';
import { Random } from '../../src/core/random';
import { decodeJpeg } from '../../sim/render/decodeJpeg';
import { FrameRenderer, type FrameWorld } from '../../sim/render/FrameRenderer';
import { nodeJpegWasm } from '../../src/inference/nodeWasmPaths';
import { VisionRunner } from '../../src/inference/VisionRunner';
import { VisionService } from '../../src/inference/VisionService';
import { wasmJpegDecoder, type SyncJpegDecoder } from '../../src/inference/wasmJpeg';
import type { LayoutIndex } from '../../src/layout/LayoutIndex';

let decode: SyncJpegDecoder;

beforeAll(async () => {
  await tf.setBackend('cpu');
  decode = await wasmJpegDecoder(nodeJpegWasm());
});

/** Every slot at a random fill, a tenth of them with another SKU's units too, at an hour of the day. */
function world(layout: LayoutIndex, rnd: Random, hour: number): FrameWorld {
  const skus = [...layout.skus.keys()];
  const stock = new Map([...layout.slots.values()].map((s) => {
    const m = new Map<string, number>();
    const units = rnd.int(0, s.capacity);
    if (units) m.set(s.sku, units);
    if (units < s.capacity && rnd.chance(0.1)) m.set(rnd.pick(skus.filter((k) => k !== s.sku)), 1);
    return [s.id, m];
  }));
  return { ts: Date.parse(`2026-11-17T${String(hour).padStart(2, '0')}:00:00Z`), people: [], stock };
}

describe('wasmJpegDecoder', () => {
  it('decodes a frame to about the pixels jpeg-js gives (apart at colour edges, where jpeg-js upsamples colour more coarsely), and instantiates once a realm', async () => {
    const layout = loadLayout('apparel-compact');
    const { jpeg } = new FrameRenderer(layout).jpeg('cam-cage', world(layout, new Random(3), 16), { width: 1280, noise: 3 });
    const a = decode(jpeg);
    const b = decodeJpeg(jpeg);
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    expect(a.rgba).toHaveLength(b.rgba.length);
    let near = 0;
    let sum = 0;
    for (let i = 0; i < a.rgba.length; i++) {
      const d = Math.abs(a.rgba[i]! - b.rgba[i]!);
      if (d <= 2) near++;
      sum += d;
    }
    expect(near / a.rgba.length).toBeGreaterThanOrEqual(0.9);
    expect(sum / a.rgba.length).toBeLessThan(2);
    // Compiled once a thread, instantiated once a Module.
    expect(nodeJpegWasm()).toBe(nodeJpegWasm());
    expect(await wasmJpegDecoder(nodeJpegWasm())).toBe(decode);
  });

  it("hands a frame's pixels over as a view into its memory, not a fresh copy a frame, each right until the next decode", () => {
    const layout = loadLayout('apparel-compact');
    const renderer = new FrameRenderer(layout);
    const [first, second] = [7, 8].map((seed) => renderer.jpeg('cam-cage', world(layout, new Random(seed), 16), { width: 1280, noise: 3 }).jpeg);
    const a = decode(first!);
    // A view: the array is a window on the decoder's (larger) memory, not a buffer of its own.
    expect(a.rgba.buffer.byteLength).toBeGreaterThan(a.rgba.byteLength);
    const kept = a.rgba.slice();
    const b = decode(second!);
    expect(b.rgba.buffer.byteLength).toBeGreaterThan(b.rgba.byteLength);
    // Each frame's pixels are its own while they are current: the second frame is not the first.
    expect(b.rgba.slice()).not.toEqual(kept);
    expect(decode(first!).rgba).toEqual(kept);
    // The realm's own constructor is back in place, untouched.
    expect(new Uint8ClampedArray([300, -5])).toEqual(Uint8ClampedArray.from([255, 0]));
    expect(Uint8ClampedArray.name).toBe('Uint8ClampedArray');
  });

  it('says why for bytes that are not a JPEG, and decodes the next frames as before after many bad ones', async () => {
    expect(() => decode(new Uint8Array([1, 2, 3, 4]))).toThrow(/not a JPEG \(it does not start with FF D8\)/);
    expect(() => decode(new Uint8Array(0))).toThrow(/not a JPEG/);
    const layout = loadLayout('apparel-compact');
    const { jpeg } = new FrameRenderer(layout).jpeg('cam-cage', world(layout, new Random(5), 16), { width: 1280, noise: 3 });
    const before = decode(jpeg).rgba.slice();
    // A JPEG's start, then garbage: libjpeg gives up on it (and exits, in the wasm build).
    const bad = Uint8Array.from([...jpeg.subarray(0, 200), ...Array.from({ length: 5000 }, (_, i) => (i * 97) & 0xff)]);
    let said = '';
    for (let i = 0; i < 150; i++) {
      try {
        decode(bad);
      } catch (e) {
        said = (e as Error).message;
      }
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 0)); // a fresh instance takes over between frames
    }
    expect(said).toMatch(/not a JPEG mozjpeg decodes \(.+\)/);
    await new Promise((r) => setTimeout(r, 0));
    expect(decode(jpeg).rgba).toEqual(before);
  });

  it('gives the shipped CNN nearly the calls it makes through jpeg-js (the fallback, and its training set\'s decoder), on both layouts, by day and by night', async () => {
    const cnn = await loadShelfCnn();
    let slots = 0;
    let sameFill = 0;
    let sameMatch = 0;
    const rnd = new Random(11);
    for (const name of ['apparel-compact', 'gm-large']) {
      const layout = loadLayout(name);
      const renderer = new FrameRenderer(layout);
      const viaJs = new VisionRunner(layout, cnn);
      const viaWasm = new VisionRunner(layout, cnn, decode);
      for (const hour of [3, 16]) {
        const w = world(layout, rnd, hour);
        for (const camera of [...layout.cameras.keys()].slice(0, 4)) {
          const { jpeg } = renderer.jpeg(camera, w, { width: 1280, noise: 3 });
          const a = viaWasm.run({ camera, ts: w.ts, jpeg });
          const b = viaJs.run({ camera, ts: w.ts, jpeg });
          expect(a.slots.map((s) => s.slot)).toEqual(b.slots.map((s) => s.slot));
          a.slots.forEach((s, i) => {
            slots++;
            if (s.fill === b.slots[i]!.fill) sameFill++;
            if (s.match === b.slots[i]!.match) sameMatch++;
          });
        }
      }
    }
    expect(slots).toBeGreaterThan(100);
    expect(sameFill / slots).toBeGreaterThanOrEqual(0.95);
    expect(sameMatch / slots).toBeGreaterThanOrEqual(0.85);
  });
});

describe("the vision service's decoder", () => {
  it("is mozjpeg's by default where it is given compiled, else the realm's own, else jpeg-js; one asked for and missing is a clear error", async () => {
    const layout = readFileSync('scenarios/layouts/apparel-compact.layout.json', 'utf8');
    const model = { modelJson: readFileSync('models/shelf-cnn/model.json', 'utf8'), weights: new Uint8Array(readFileSync('models/shelf-cnn/weights.bin')).buffer };
    const decoder = async (o: object) => (await new VisionService().init(layout, model, { prefer: 'cpu', ...o })).decoder;
    expect(await decoder({ jpegWasm: nodeJpegWasm() })).toBe('wasm');
    // Node has no decoder of its own (no createImageBitmap): without mozjpeg's, jpeg-js.
    expect(await decoder({})).toBe('js');
    expect(await decoder({ decode: 'js', jpegWasm: nodeJpegWasm() })).toBe('js');
    await expect(decoder({ decode: 'native', jpegWasm: nodeJpegWasm() })).rejects.toThrow(/no JPEG decoder of its own/);
    await expect(decoder({ decode: 'wasm' })).rejects.toThrow(/needs jpegWasm/);
  });
});
