/**
 * Camera frames waiting for the shelf CNN, in front of a pool of N workers: each camera has
 * at most one frame waiting, and a newer frame replaces it (the stale one is dropped and
 * counted: the twin wants what the shelf looks like now, not a backlog). Cameras take turns,
 * the one waiting longest first; at most N frames run at once. `push` never waits, so ingest
 * is never held up by inference falling behind. Pure: the pool (worker or in-process) is the
 * `run` function given, told which of its N slots to use.
 */

export interface QueuedFrame {
  readonly camera: string;
  /** The frame's time (epoch ms). */
  readonly ts: number;
}

export interface FrameQueueStats {
  /** Frames waiting (at most one a camera) and running now. */
  readonly waiting: number;
  readonly running: number;
  readonly done: number;
  /** Frames replaced by a newer one of their camera before they ran. */
  readonly dropped: number;
  readonly failed: number;
  readonly byCamera: Readonly<Record<string, { readonly done: number; readonly dropped: number }>>;
}

export class FrameQueue<F extends QueuedFrame, R> {
  /** Waiting frames by camera, in the order their cameras started waiting. */
  private readonly waiting = new Map<string, F>();
  private readonly free: number[];
  private running = 0;
  private done = 0;
  private dropped = 0;
  private failed = 0;
  private readonly perCamera = new Map<string, { done: number; dropped: number }>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    /** Frames run at once (the pool's size), >= 1. */
    readonly slots: number,
    private readonly run: (frame: F, slot: number) => Promise<R>,
    private readonly onResult: (frame: F, result: R) => void,
    private readonly onError: (frame: F, error: unknown) => void = () => {},
  ) {
    if (!(Number.isInteger(slots) && slots >= 1)) throw new RangeError(`a frame queue needs at least one slot, not ${slots}`);
    this.free = Array.from({ length: slots }, (_, i) => slots - 1 - i);
  }

  /** Queues a frame (replacing its camera's waiting one) and starts work if a slot is free. Never waits. */
  push(frame: F): void {
    const stale = this.waiting.get(frame.camera);
    if (stale) {
      this.dropped++;
      this.count(frame.camera).dropped++;
      // Replacing keeps the camera's turn: delete and set would send it to the back.
      this.waiting.set(frame.camera, frame);
    } else {
      this.waiting.set(frame.camera, frame);
    }
    this.pump();
  }

  stats(): FrameQueueStats {
    return {
      waiting: this.waiting.size,
      running: this.running,
      done: this.done,
      dropped: this.dropped,
      failed: this.failed,
      byCamera: Object.fromEntries([...this.perCamera].map(([k, v]) => [k, { ...v }])),
    };
  }

  /** Resolves once nothing waits or runs (for the CLI's end and for tests). */
  idle(): Promise<void> {
    if (!this.waiting.size && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private count(camera: string) {
    let c = this.perCamera.get(camera);
    if (!c) this.perCamera.set(camera, (c = { done: 0, dropped: 0 }));
    return c;
  }

  private pump(): void {
    while (this.free.length && this.waiting.size) {
      const [camera, frame] = this.waiting.entries().next().value as [string, F];
      this.waiting.delete(camera);
      const slot = this.free.pop()!;
      this.running++;
      void this.run(frame, slot).then(
        (r) => {
          this.done++;
          this.count(camera).done++;
          this.onResult(frame, r);
        },
        (e: unknown) => {
          this.failed++;
          this.onError(frame, e);
        },
      ).finally(() => {
        this.running--;
        this.free.push(slot);
        this.pump();
        if (!this.waiting.size && !this.running) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }
}
