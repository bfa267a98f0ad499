/**
 * Camera frames through the shelf CNN on a pool of workers, behind a FrameQueue: `push`
 * never waits (ingest is never held up), each camera has at most one frame waiting and a
 * newer one replaces it (dropped and counted), and at most one frame runs a worker. Results
 * and failures come back through callbacks. The same pool runs web workers in the page
 * (browserVisionPool.ts), Node worker threads or the service in-process (nodeVisionPool.ts):
 * what differs is only how a VisionSlot reaches its VisionService.
 *
 * A frame's JPEG bytes are the pool's once pushed: the caller's ArrayBuffer is moved (left
 * detached, nothing copied), and moved again into the worker that runs it (Comlink.transfer).
 * A caller that keeps the frame (the event store) keeps its own copy.
 */
import * as Comlink from 'comlink';
import type { BackendInfo, BackendOptions } from './backend';
import { FrameQueue, type FrameQueueStats } from './FrameQueue';
import type { VisionModel } from './userModel';
import type { JpegDecoderName, VisionReady } from './VisionService';
import type { FrameInput, FrameResult } from './VisionRunner';

/** One worker (or the in-process service) as the pool sees it: one frame at a time. */
export interface VisionSlot {
  init(layout: string | object, model: VisionModel, backend: BackendOptions): Promise<VisionReady>;
  /** Runs one frame; the frame's JPEG buffer may be transferred (detached) by the call. */
  run(frame: FrameInput): Promise<FrameResult>;
  close(): void | Promise<void>;
}

/** What every slot starts with. */
export interface VisionPoolInit {
  /** The layout file's text (or its JSON). */
  readonly layout: string | object;
  readonly model: VisionModel;
  readonly backend: BackendOptions;
}

export interface VisionPoolCallbacks {
  /** Each frame's verdicts, as its worker finishes it. */
  readonly onResult: (result: FrameResult) => void;
  /** A frame that failed (an unknown camera, a JPEG that does not decode): a real Error. */
  readonly onError?: (frame: { readonly camera: string; readonly ts: number }, error: Error) => void;
}

export interface VisionPoolStats extends Omit<FrameQueueStats, 'byCamera'> {
  /** Workers in the pool. */
  readonly size: number;
  /** The backend the workers run (the first worker's; all start with the same options). */
  readonly backend: BackendInfo;
  /** Who decodes the JPEGs in the workers: the browser (`native`), mozjpeg's wasm (`wasm`) or jpeg-js (`js`). */
  readonly decoder: JpegDecoderName;
  readonly byCamera: Readonly<Record<string, { readonly done: number; readonly dropped: number; readonly failed: number }>>;
}

/** Workers for a machine with this many cores: one left for the page (or ingest), at least 1, at most 4. */
export function poolSize(cores: number): number {
  return Math.max(1, Math.min(4, Math.floor(cores) - 1));
}

/** wasm threads for each of `size` workers on `cores` cores, so that the pool does not oversubscribe them. */
export function threadsPerWorker(cores: number, size: number): number {
  return Math.max(1, Math.floor(cores / size));
}

export class VisionPool {
  private readonly queue: FrameQueue<FrameInput, FrameResult>;
  private readonly failedBy = new Map<string, number>();
  private closed = false;

  private constructor(
    private readonly slots: readonly VisionSlot[],
    /** What each slot's init answered, in slot order. */
    readonly ready: readonly VisionReady[],
    callbacks: VisionPoolCallbacks,
  ) {
    this.queue = new FrameQueue<FrameInput, FrameResult>(
      slots.length,
      // async: a slot that throws at once (a released proxy after close) still only rejects.
      async (frame, slot) => {
        if (this.closed) throw new Error('the vision pool is closed');
        return this.slots[slot]!.run(frame);
      },
      (_frame, result) => callbacks.onResult(result),
      (frame, error) => {
        // A frame cut short by close() (its worker ended) is not a failure to report.
        if (this.closed) return;
        this.failedBy.set(frame.camera, (this.failedBy.get(frame.camera) ?? 0) + 1);
        callbacks.onError?.({ camera: frame.camera, ts: frame.ts }, error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  /** Starts every slot with the same layout, model and backend options; one that fails closes them all and throws its error. */
  static async start(slots: readonly VisionSlot[], init: VisionPoolInit, callbacks: VisionPoolCallbacks): Promise<VisionPool> {
    if (slots.length === 0) throw new RangeError('a vision pool needs at least one slot');
    try {
      const ready = await Promise.all(slots.map((s) => s.init(init.layout, init.model, init.backend)));
      return new VisionPool(slots, ready, callbacks);
    } catch (e) {
      await Promise.allSettled(slots.map((s) => s.close()));
      throw e;
    }
  }

  get size(): number {
    return this.slots.length;
  }

  /** Queues a frame, taking its JPEG bytes (the caller's buffer is left detached). Never waits. */
  push(frame: FrameInput): void {
    if (this.closed) throw new Error('the vision pool is closed');
    this.queue.push({ camera: frame.camera, ts: frame.ts, jpeg: takeBytes(frame.jpeg) });
  }

  stats(): VisionPoolStats {
    const q = this.queue.stats();
    const cameras = new Set([...Object.keys(q.byCamera), ...this.failedBy.keys()]);
    const byCamera = Object.fromEntries([...cameras].map((c) => [c, { done: q.byCamera[c]?.done ?? 0, dropped: q.byCamera[c]?.dropped ?? 0, failed: this.failedBy.get(c) ?? 0 }]));
    return { ...q, byCamera, size: this.slots.length, backend: this.ready[0]!.backend, decoder: this.ready[0]!.decoder };
  }

  /** Resolves once no frame waits or runs. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Ends the workers; frames still waiting are never run (and not reported as failed). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.slots.map((s) => s.close()));
  }
}

/**
 * The bytes as the pool's own: a view over a whole ArrayBuffer is moved (the caller's buffer
 * detached, nothing copied); a view into a larger or shared buffer (a Node Buffer from its
 * pool, a wasm memory) is copied once, since moving it would take its neighbours' bytes too.
 */
export function takeBytes(bytes: Uint8Array): Uint8Array {
  const buffer = bytes.buffer;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) {
    try {
      return new Uint8Array(structuredClone(buffer, { transfer: [buffer] }));
    } catch {
      // Untransferable (Node marks its Buffer pool so): copy instead.
    }
  }
  // Not bytes.slice(): a Node Buffer's slice is a view on the same memory.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/**
 * A VisionSlot over a Comlink endpoint (a web worker, a Node worker thread's adapter): frames
 * go transferred. `died` rejects when the worker fails to load or exits: the call waiting on
 * it (and every later one) fails with that error instead of waiting for ever.
 */
export function comlinkSlot(endpoint: Comlink.Endpoint, terminate: () => void | Promise<unknown>, died?: Promise<never>): VisionSlot {
  const remote = Comlink.wrap<{
    init(layout: string | object, model: VisionModel, backend: BackendOptions): Promise<VisionReady>;
    run(frame: FrameInput): FrameResult;
  }>(endpoint);
  died?.catch(() => {}); // observed through the calls that race it
  const guard = <T>(p: Promise<T>): Promise<T> => (died ? Promise.race([p, died]) : p);
  return {
    init: (layout, model, backend) => guard(remote.init(layout, model, backend)),
    run: (frame) => guard(remote.run(Comlink.transfer(frame, [frame.jpeg.buffer as ArrayBuffer])) as Promise<FrameResult>),
    close: async () => {
      remote[Comlink.releaseProxy]();
      await terminate();
    },
  };
}
