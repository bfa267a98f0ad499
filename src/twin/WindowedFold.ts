/**
 * A fold over one entity's events in event-time order that gives the same result whatever
 * order the events arrive in, as long as no event arrives more than `windowMs` (of event
 * time) behind the newest one seen. Events older than the window are folded into a base
 * and let go, so memory stays bounded over days of telemetry; the full history lives in the
 * event store. An event that arrives behind the window cannot be placed: it is counted as
 * late and leaves the state as it is (the event store still has it).
 *
 * In-order appends cost one step; an out-of-order insert re-folds the events still retained.
 */
export interface Timed {
  readonly ts: number;
}

export type InsertResult = 'appended' | 'inserted' | 'late';

export class WindowedFold<E extends Timed, S> {
  private base: S;
  private readonly retained: E[] = [];
  private current: S;
  /** Events before this time have been folded into the base; -Infinity until the first prune. */
  private windowStart = -Infinity;

  constructor(
    private readonly init: S,
    /** Pure: returns the next state, never mutates `s`. */
    private readonly step: (s: S, e: E) => S,
    /** Total order on events: by ts, then by any field that tells equal-time events apart. */
    private readonly compare: (a: E, b: E) => number,
    private readonly windowMs: number,
    /**
     * For an event behind the window: the base with it applied, when the fold can take it
     * out of order (an addition no later reset overrides), or undefined when it cannot.
     * `current` is the state with the window folded in, for deciding what came later.
     */
    private readonly applyLate?: (base: S, e: E, current: S) => S | undefined,
  ) {
    this.base = init;
    this.current = init;
  }

  get value(): S {
    return this.current;
  }

  /** The state before the first retained event. */
  get baseValue(): S {
    return this.base;
  }

  /** Events still inside the reorder window, in order. */
  get events(): readonly E[] {
    return this.retained;
  }

  get newestTs(): number {
    return this.retained.length ? this.retained[this.retained.length - 1]!.ts : -Infinity;
  }

  insert(e: E): InsertResult {
    const ev = this.retained;
    const n = ev.length;
    if (e.ts < this.windowStart) {
      const base = this.applyLate?.(this.base, e, this.current);
      if (base === undefined) return 'late';
      this.base = base;
      this.refold();
      return 'inserted';
    }
    if (n === 0 || this.compare(ev[n - 1]!, e) <= 0) {
      ev.push(e);
      this.current = this.step(this.current, e);
      this.prune();
      return 'appended';
    }
    // The base holds only events before windowStart, so anything at or after it can be placed.
    // Binary search for the first retained event that sorts after e.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(ev[mid]!, e) <= 0) lo = mid + 1;
      else hi = mid;
    }
    ev.splice(lo, 0, e);
    this.refold();
    return 'inserted';
  }

  private refold(): void {
    let s = this.base;
    for (const x of this.retained) s = this.step(s, x);
    this.current = s;
  }

  /** Events at or after this time are placed in order; before it they meet applyLate. */
  get start(): number {
    return this.windowStart;
  }

  private prune(): void {
    const ev = this.retained;
    const newest = ev[ev.length - 1]!.ts;
    // Prune in batches (a quarter window at a time) so the cost is amortised.
    if (newest - ev[0]!.ts <= this.windowMs * 1.25) return;
    const cut = newest - this.windowMs;
    let k = 0;
    let s = this.base;
    while (k < ev.length && ev[k]!.ts < cut) s = this.step(s, ev[k++]!);
    this.base = s;
    ev.splice(0, k);
    this.windowStart = cut;
  }
}

/** Compares numbers for a sort: negative, zero or positive. */
export const cmpNum = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);
export const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
