/**
 * Runs a costly step (rebuilding the coverage model after a shelf moved: ~0.2 s on the large
 * layout) for the latest state only. At most one step is queued or running at a time; the
 * requests that come meanwhile collapse into one more step after it, which reads the state as
 * it is then. So a drag's intermediate positions are dropped and its last one is always done.
 *
 * `schedule` runs a callback later and returns a way to cancel it; the page waits for a frame
 * to paint first (the moved shelf shows before the step blocks), tests step by hand.
 */
export type Schedule = (run: () => void) => () => void;

/** Runs at once: for callers (tests, the command line) that have no frames to let paint. */
export const immediately: Schedule = (run) => {
  run();
  return () => {};
};

export class CatchUp {
  /** Cancels the queued step; set while one is queued. */
  private queued: (() => void) | undefined;
  private running = false;
  /** A request came that no step has started on yet. */
  private dirty = false;
  /** Steps run so far (for tests and the page handle). */
  steps = 0;

  constructor(
    private readonly step: () => void,
    private readonly schedule: Schedule = immediately,
    /** Called after a step when nothing is left to catch up with. */
    private readonly settled: () => void = () => {},
  ) {}

  /** Asks for a step on the state as it will be when the step runs. */
  request(): void {
    this.dirty = true;
    if (!this.running && !this.queued) this.queue();
  }

  /** Whether the last request has not been fully caught up with yet (a step queued or running). */
  get behind(): boolean {
    return this.dirty || this.running || this.queued !== undefined;
  }

  /** Drops a queued step (the state it was for is gone). */
  cancel(): void {
    this.queued?.();
    this.queued = undefined;
    this.dirty = false;
  }

  private queue(): void {
    let ran = false;
    const cancel = this.schedule(() => {
      ran = true;
      this.queued = undefined;
      this.run();
    });
    // A schedule that ran the step at once has nothing left to cancel.
    if (!ran) this.queued = cancel;
  }

  private run(): void {
    this.dirty = false;
    this.running = true;
    try {
      this.step();
      this.steps++;
    } finally {
      this.running = false;
      if (this.dirty) this.queue();
      else this.settled();
    }
  }
}
