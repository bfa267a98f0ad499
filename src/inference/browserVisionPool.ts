/**
 * The vision pool in the page: web workers (workers/vision.worker.ts), one fewer than the
 * machine's cores (1 to 4), each running VisionService on the backend backend.ts picks (WebGL
 * on a real GPU, else wasm with SIMD, and threads when the page is cross-origin isolated).
 */
import type { BackendChoice } from './backend';
import type { VisionModel } from './userModel';
import { comlinkSlot, poolSize, threadsPerWorker, VisionPool, type VisionPoolCallbacks, type VisionSlot } from './VisionPool';
import { JPEG_WASM_URL, WASM_URLS } from './wasmUrls';

export interface BrowserVisionPoolOptions extends VisionPoolCallbacks {
  readonly layout: string | object;
  readonly model: VisionModel;
  /** Default 'auto'. */
  readonly backend?: BackendChoice;
  /** Use WebGL even on a software renderer (the bench measures it). */
  readonly allowSoftwareWebgl?: boolean;
  /** Workers (default: cores - 1, 1 to 4). */
  readonly size?: number;
  /** JPEG decoding: `auto` (default) mozjpeg's wasm (what the held-out scores are measured through), else the browser's own; `native` the browser's; `wasm` mozjpeg's; `js` jpeg-js (the bench compares them). */
  readonly decode?: 'auto' | 'native' | 'wasm' | 'js';
}

let compiled: Promise<WebAssembly.Module> | undefined;

/** mozjpeg's decoder compiled once a page for the pools' workers (a Module clones to each); a failed load is tried again by the next pool. */
function jpegWasm(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const response = await fetch(JPEG_WASM_URL);
    if (!response.ok) throw new Error(`mozjpeg's decoder did not load from ${JPEG_WASM_URL}: HTTP ${response.status}`);
    return WebAssembly.compile(await response.arrayBuffer());
  })().catch((e: unknown) => {
    compiled = undefined;
    throw e;
  });
  return compiled;
}

export async function startBrowserVisionPool(options: BrowserVisionPoolOptions): Promise<VisionPool> {
  const cores = navigator.hardwareConcurrency || 2;
  const size = options.size ?? poolSize(cores);
  const backend = {
    prefer: options.backend ?? 'auto',
    wasmPaths: WASM_URLS,
    threads: threadsPerWorker(cores, size),
    ...(options.allowSoftwareWebgl ? { allowSoftwareWebgl: true } : {}),
    ...(options.decode ? { decode: options.decode } : {}),
    ...(options.decode === 'js' || options.decode === 'native' ? {} : { jpegWasm: await jpegWasm().catch((e: unknown) => {
      // Only a pool told to use it needs it: `auto` falls back on the browser's decoder, else jpeg-js.
      if (options.decode === 'wasm') throw e;
      return undefined;
    }) }),
  };
  const slots = Array.from({ length: size }, (_, i) => workerSlot(i));
  return VisionPool.start(slots, { layout: options.layout, model: options.model, backend }, options);
}

function workerSlot(i: number): VisionSlot {
  const worker = new Worker(new URL('../../workers/vision.worker.ts', import.meta.url), { type: 'module', name: `vision-${i}` });
  const died = new Promise<never>((_, reject) => {
    // An error event on the Worker itself is a script that failed to load or a crash, not a thrown call (Comlink returns those).
    worker.addEventListener('error', (e) => reject(new Error(`vision worker ${i} failed: ${e.message || 'the worker script did not load'}`)));
  });
  return comlinkSlot(worker, () => worker.terminate(), died);
}
