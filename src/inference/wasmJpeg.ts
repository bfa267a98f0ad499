/**
 * JPEG decoding in WebAssembly: Squoosh's build of mozjpeg's decoder (libjpeg-turbo's code),
 * as the @jsquash/jpeg package ships it. Where there is no browser decoder (Node: the CLI,
 * the Node vision pool) it replaces jpeg-js, whose JavaScript decode was most of a frame's
 * cost at 1280 px (bench/vision.bench.ts measures both). The shelf CNN is trained through it
 * (models/shelfDataset.ts): libjpeg-turbo's code, as the browser's own decoder is, so the
 * model sees what it will be given. jpeg-js upsamples colour more coarsely; the model's calls
 * through it stay close (test/inference/wasmJpeg.test.ts).
 *
 * The caller compiles the binary (a WebAssembly.Module clones to workers, so a pool compiles
 * it once): nodeWasmPaths.ts `nodeJpegWasm` from the package in Node, wasmUrls.ts
 * `JPEG_WASM_URL` as the Vite build serves it. Nothing is fetched from elsewhere.
 */
import moduleFactory from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js';
import type { DecodedImage } from './VisionRunner';

/** A JPEG to RGBA, on this thread; throws for bytes that are not a JPEG it decodes. */
export type SyncJpegDecoder = (jpeg: Uint8Array) => DecodedImage;

const instances = new WeakMap<WebAssembly.Module, Promise<SyncJpegDecoder>>();

/** The decoder, instantiated from the compiled binary once a realm (it is synchronous: one instance serves every caller). */
export function wasmJpegDecoder(wasm: WebAssembly.Module): Promise<SyncJpegDecoder> {
  let d = instances.get(wasm);
  if (!d) instances.set(wasm, (d = instantiate(wasm)));
  return d;
}

async function instantiate(wasm: WebAssembly.Module): Promise<SyncJpegDecoder> {
  const mod = await moduleFactory({
    noInitialRun: true,
    // The binary is given, never located or fetched by the glue code.
    instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) => {
      const instance = new WebAssembly.Instance(wasm, imports);
      done(instance);
      return instance.exports;
    },
  } as never);
  return (jpeg) => {
    let image: ImageData | null;
    try {
      image = mod.decode(jpeg as Uint8Array<ArrayBuffer>, false);
    } catch (e) {
      throw new Error(`the frame is not a JPEG mozjpeg decodes (${(e as Error).message})`);
    }
    if (!image) throw new Error('the frame is not a JPEG mozjpeg decodes');
    const { data, width, height } = image;
    return { width, height, rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  };
}
