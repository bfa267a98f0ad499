/**
 * The vision pool in Node (the CLI, the bench, tests): worker threads running the same
 * VisionService as the page's web workers (workers/visionNode.worker.ts, frames transferred),
 * or the service in-process on this thread (one slot: tf.js's backend is global to a thread,
 * and a frame then runs between ingest's turns rather than beside them).
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { nodeEndpoint } from './nodeEndpoint';
import type { BackendChoice } from './backend';
import { nodeJpegWasm, nodeWasmPaths } from './nodeWasmPaths';
import type { VisionModel } from './userModel';
import { comlinkSlot, poolSize, threadsPerWorker, VisionPool, type VisionPoolCallbacks, type VisionSlot } from './VisionPool';
import { VisionService } from './VisionService';

export interface NodeVisionPoolOptions extends VisionPoolCallbacks {
  readonly layout: string | object;
  readonly model: VisionModel;
  /** Default 'auto': wasm (Node has no WebGL), else cpu. */
  readonly backend?: BackendChoice;
  /** 'threads' (default): worker threads, `size` of them; 'in-process': this thread, one slot. */
  readonly mode?: 'threads' | 'in-process';
  /** Worker threads (default: cores - 1, 1 to 4). */
  readonly size?: number;
  /** JPEG decoding: `auto` (default) mozjpeg's wasm (wasmJpeg.ts), `js` jpeg-js (the bench compares them). */
  readonly decode?: 'auto' | 'js';
}

export async function startNodeVisionPool(options: NodeVisionPoolOptions): Promise<VisionPool> {
  const { layout, model, mode = 'threads' } = options;
  const cores = availableParallelism();
  const size = mode === 'in-process' ? 1 : (options.size ?? poolSize(cores));
  const backend = { prefer: options.backend ?? 'auto', wasmPaths: nodeWasmPaths(), threads: threadsPerWorker(cores, size), jpegWasm: nodeJpegWasm(), ...(options.decode ? { decode: options.decode } : {}) };
  const slots = mode === 'in-process' ? [inProcessSlot()] : Array.from({ length: size }, (_, i) => threadSlot(i));
  return VisionPool.start(slots, { layout, model, backend }, options);
}

/** The service on this thread, behind the slot interface. */
export function inProcessSlot(service = new VisionService()): VisionSlot {
  return {
    init: (layout, model, backend) => service.init(layout, model, backend),
    // A turn of the event loop first: push never runs a frame inside the caller's call, and
    // I/O (a broker's messages) gets its turn between frames.
    run: async (frame) => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      return service.run(frame);
    },
    close: () => service.dispose(),
  };
}

const WORKER = new URL('../../workers/visionNode.worker.ts', import.meta.url).href;

/**
 * The worker is TypeScript, and a worker thread's entry is resolved before any `--import`
 * hook of its own runs, so it starts as a line of JavaScript that registers tsx's loader
 * (tsx's own ESM API, from this package's node_modules) and then imports the worker.
 */
function bootstrap(): string {
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER)}); })`;
}

function threadSlot(i: number): VisionSlot {
  const worker = new Worker(bootstrap(), { eval: true, name: `vision-${i}` });
  const died = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`vision worker ${i} exited (code ${code})`)));
  });
  return comlinkSlot(nodeEndpoint(worker), () => worker.terminate(), died);
}
