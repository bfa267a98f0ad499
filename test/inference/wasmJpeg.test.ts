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
import moduleFactory from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js';
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

  it("hands every frame's pixels over in one buffer it reuses, not a fresh array a frame, byte for byte what a copying decoder gives", async () => {
    // The reference: the same binary through the glue as it comes (each frame a fresh copy).
    const saved = globalThis.Uint8ClampedArray;
    const plain = await moduleFactory({ noInitialRun: true, instantiateWasm: (imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) => {
      const instance = new WebAssembly.Instance(nodeJpegWasm(), imports);
      done(instance);
      return instance.exports;
    } } as never);
    const layout = loadLayout('apparel-compact');
    const renderer = new FrameRenderer(layout);
    let shared: ArrayBufferLike | undefined;
    for (const [seed, width] of [[7, 1280], [8, 64], [9, 1920], [10, 200], [11, 1280]] as const) {
      const { jpeg } = renderer.jpeg('cam-cage', world(layout, new Random(seed), 16), { width, noise: 3 });
      const a = decode(jpeg);
      const ref = plain.decode(jpeg as Uint8Array<ArrayBuffer>, false)!;
      expect([a.width, a.height]).toEqual([ref.width, ref.height]);
      expect(Buffer.from(a.rgba.buffer, a.rgba.byteOffset, a.rgba.byteLength).equals(Buffer.from(ref.data.buffer, ref.data.byteOffset, ref.data.byteLength)), `frame ${width} px`).toBe(true);
      // Not a fresh array: one buffer, kept once it is large enough (the 1920 px frame grew it).
      if (width !== 1920 && shared && shared.byteLength >= a.rgba.byteLength) expect(a.rgba.buffer).toBe(shared);
      shared = a.rgba.buffer;
    }
    // The realm's own constructor is back in place.
    expect(globalThis.Uint8ClampedArray).toBe(saved);
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
    const after = decode(jpeg).rgba;
    expect(after).toEqual(before);
    // The instance that took over reuses its buffer too.
    expect(decode(jpeg).rgba.buffer).toBe(after.buffer);
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
