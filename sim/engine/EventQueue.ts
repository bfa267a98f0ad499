/**
 * The simulator's agenda: a binary min-heap of scheduled actions ordered by time, then by
 * the order they were scheduled in, so equal-time actions always run in the same order
 * and a scenario with a seed replays byte for byte.
 */
export interface Scheduled<T> {
  /** Simulated time, epoch ms. */
  readonly at: number;
  /** Tie-breaker: the scheduling order. */
  readonly order: number;
  readonly item: T;
}

export class EventQueue<T> {
  private readonly heap: Scheduled<T>[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, item: T): void {
    if (!Number.isFinite(at)) throw new Error(`cannot schedule at ${at}`);
    const h = this.heap;
    h.push({ at, order: this.counter++, item });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  peekTime(): number | undefined {
    return this.heap[0]?.at;
  }

  pop(): Scheduled<T> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = <T>(a: Scheduled<T>, b: Scheduled<T>): boolean => a.at < b.at || (a.at === b.at && a.order < b.order);
