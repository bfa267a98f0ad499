/**
 * Runs an async load for the latest request only: while one runs, newer requests replace
 * each other and the newest runs next; results of requests overtaken meanwhile are dropped.
 * Scrubbing the timeline asks for a room a frame; the event store answers one at a time.
 */
export class LatestOnly<K, V> {
  private running = false;
  private next: { key: K } | undefined;
  private generation = 0;

  constructor(
    private readonly load: (key: K) => Promise<V>,
    private readonly done: (value: V, key: K) => void,
    private readonly failed: (error: unknown, key: K) => void = () => {},
  ) {}

  request(key: K): void {
    this.next = { key };
    this.generation++;
    if (!this.running) void this.drain();
  }

  /** Drops what is queued and the result of what is running. */
  cancel(): void {
    this.next = undefined;
    this.generation++;
  }

  get busy(): boolean {
    return this.running;
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.next) {
      const { key } = this.next;
      this.next = undefined;
      const gen = this.generation;
      try {
        const value = await this.load(key);
        // A newer request came while this ran: its result, not this one, is wanted.
        if (gen === this.generation) this.done(value, key);
      } catch (e) {
        if (gen === this.generation) this.failed(e, key);
      }
    }
    this.running = false;
  }
}
