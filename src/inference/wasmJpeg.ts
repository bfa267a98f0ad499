/**
 * JPEG decoding in WebAssembly: Squoosh's build of mozjpeg's decoder (libjpeg-turbo's code),
 * as the @jsquash/jpeg package ships it. Where there is no browser decoder (Node: the CLI,
 * the Node vision pool) it replaces jpeg-js, whose JavaScript decode was most of a frame's
 * cost at 1280 px (bench/vision.bench.ts measures both). It is libjpeg-turbo's code, as the
 * browser's own decoder is, so Node and the browser decode alike, and the shelf CNN's
 * validation and held-out sets are scored through it (models/shelfDataset.ts; its training set
 * stays on jpeg-js, models/train.ts TRAIN_DECODER). jpeg-js upsamples colour more coarsely; the
 * model's calls through it stay close (test/inference/wasmJpeg.test.ts).
 *
 * The caller compiles the binary (a WebAssembly.Module clones to workers, so a pool compiles
 * it once): nodeWasmPaths.ts `nodeJpegWasm` from the package in Node, wasmUrls.ts
 * `JPEG_WASM_URL` as the Vite build serves it. Nothing is fetched from elsewhere.
 */
import moduleFactory, { type MozJPEGModule } from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js';
import type { DecodedImage } from './VisionRunner';

/**
 * A JPEG to RGBA, on this thread; throws for bytes that are not a JPEG it decodes. The pixels
 * are in a buffer the decoder reuses, good until its next call (any caller's: one instance
 * serves a realm): read them, or copy them (`rgba.slice()`) to keep them.
 */
export type SyncJpegDecoder = (jpeg: Uint8Array) => DecodedImage;

const instances = new WeakMap<WebAssembly.Module, Promise<SyncJpegDecoder>>();

/** The decoder, instantiated from the compiled binary once a realm (it is synchronous: one instance serves every caller). */
export function wasmJpegDecoder(wasm: WebAssembly.Module): Promise<SyncJpegDecoder> {
  let d = instances.get(wasm);
  if (!d) instances.set(wasm, (d = instantiate(wasm)));
  return d;
}

async function instantiate(wasm: WebAssembly.Module): Promise<SyncJpegDecoder> {
  /** libjpeg's last complaint (it prints its reason, then exits). */
  let complaint = '';
  const start = (): Promise<MozJPEGModule> =>
    moduleFactory({
      noInitialRun: true,
      printErr: (line: string) => void (complaint = line),
      // The binary is given, never located or fetched by the glue code.
      instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) => {
        const instance = new WebAssembly.Instance(wasm, imports);
        done(instance);
        return instance.exports;
      },
    } as never);
  let mod = await start();
  /** Whether `mod` has decoded once, and so looked up the pixel array's constructor (withReusedPixels). */
  let reusing = false;
  let fresh: Promise<unknown> | undefined;
  return (jpeg) => {
    if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('the frame is not a JPEG (it does not start with FF D8)');
    complaint = '';
    let image: ImageData | null;
    try {
      if (reusing) image = mod.decode(jpeg as Uint8Array<ArrayBuffer>, false);
      else {
        image = withReusedPixels(() => mod.decode(jpeg as Uint8Array<ArrayBuffer>, false));
        reusing = true;
      }
    } catch (e) {
      // libjpeg exits on a stream it cannot read, leaving that call's memory and C stack
      // behind: a fresh instance takes over as soon as it is ready (frames meanwhile still decode).
      fresh ??= start().then((m) => {
        mod = m;
        reusing = false;
        fresh = undefined;
      });
      throw new Error(`the frame is not a JPEG mozjpeg decodes (${complaint || (e as Error).message})`);
    }
    if (!image) throw new Error(`the frame is not a JPEG mozjpeg decodes${complaint ? ` (${complaint})` : ''}`);
    const { data, width, height } = image;
    return { width, height, rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  };
}

/**
 * Runs an instance's first decode with `globalThis.Uint8ClampedArray` standing in for a
 * constructor that copies the pixels it is given into one buffer the instance keeps (grown
 * when a frame is larger), instead of a fresh array a frame. The glue builds its result as
 * `new ImageData(new Uint8ClampedArray(memoryView), w, h)` while the C++ side still holds the
 * pixels, and it looks the constructor up by name once, at its first decode, and keeps it
 * (embind's `val::global`, held in a C++ static). So every frame after is copied out of wasm
 * memory before the decoder frees it, into memory of its own that is overwritten by the next
 * frame: no fresh 3.7 MB array a 1280 px frame, which at a pool's rate of frames was garbage
 * the collector's threads took from the cores beside (ingest's among them). Only that one
 * lookup sees the stand-in: it calls through to the real constructor for anything but a lone
 * typed-array argument, and the global is put back before this returns. Were a later build
 * of the glue to look the constructor up otherwise, its frames would come back in fresh
 * arrays, as before (test/inference/wasmJpeg.test.ts checks they do not).
 */
function withReusedPixels<T>(decode: () => T): T {
  const Real = globalThis.Uint8ClampedArray;
  let kept = new ArrayBuffer(0);
  function Reusing(...args: unknown[]): Uint8ClampedArray {
    const [v] = args;
    if (args.length !== 1 || !ArrayBuffer.isView(v)) return Reflect.construct(Real, args) as Uint8ClampedArray;
    if (kept.byteLength < v.byteLength) kept = new ArrayBuffer(v.byteLength);
    const out = new Real(kept, 0, v.byteLength);
    out.set(new Real(v.buffer as ArrayBuffer, v.byteOffset, v.byteLength));
    return out;
  }
  (globalThis as { Uint8ClampedArray: unknown }).Uint8ClampedArray = Reusing;
  try {
    return decode();
  } finally {
    globalThis.Uint8ClampedArray = Real;
  }
}
