/**
 * Feeds the event store from a live pipeline without holding it up: `enqueue` takes a
 * batch and returns at once; the writer appends the queued batches one after another, in
 * order (several queued batches go as one append), and checkpoints when the queue runs
 * dry, so what was appended survives a reload of the page. Nothing queued is skipped. A
 * failed append or checkpoint becomes a problem record, never an exception in the caller.
 */
import type { QuarantineEntry, TwinEvent } from '../contract/messages';
import type { Problem } from '../core/Problem';

/** What the writer needs of the event store; EventStore has it. */
export interface StoreSink {
  append(events: readonly TwinEvent[]): Promise<unknown>;
  appendQuarantine(entries: readonly QuarantineEntry[]): Promise<unknown>;
  /** Runs SQL; the writer runs CHECKPOINT through it. */
  query(sql: string): Promise<unknown>;
}

export interface StoreWriterOptions {
  /** CHECKPOINT after each burst of appends (default true): a database in a file keeps the rows in its main file, not only its log. */
  readonly checkpoint?: boolean;
  /** Most events one append takes when batches have queued up (default 50,000). */
  readonly maxMerge?: number;
  /** Called with each problem as it is recorded or updated. */
  readonly onProblem?: (problem: Problem) => void;
  /** How long a CHECKPOINT refused because another transaction runs is tried again (default 60 s). */
  readonly busyWaitMs?: number;
  readonly now?: () => number;
}

/** What the writer has done so far. */
export interface StoreWriterTotals {
  /** Events and quarantine entries appended. */
  readonly events: number;
  readonly quarantined: number;
  /** Events and quarantine entries queued, not yet appended. */
  readonly pending: number;
  /** Events and quarantine entries whose append failed (each failure is a problem record). */
  readonly lost: number;
  readonly checkpoints: number;
}

interface Batch {
  readonly events: readonly TwinEvent[];
  readonly quarantine: readonly QuarantineEntry[];
}

export class StoreWriter {
  private readonly queue: Batch[] = [];
  private draining: Promise<void> | undefined;
  private readonly problemsById = new Map<string, Problem>();
  private readonly maxMerge: number;
  private readonly busyWaitMs: number;
  private readonly now: () => number;
  private totals = { events: 0, quarantined: 0, lost: 0, checkpoints: 0 };

  /** `store` may still be opening: batches queue until it is there. */
  constructor(
    private readonly store: StoreSink | Promise<StoreSink>,
    private readonly options: StoreWriterOptions = {},
  ) {
    this.maxMerge = options.maxMerge ?? 50_000;
    this.busyWaitMs = options.busyWaitMs ?? 60_000;
    this.now = options.now ?? Date.now;
    // A store that fails to open is reported by the drain that first needs it; this only
    // keeps the rejection from being reported as unhandled before then.
    if (store instanceof Promise) store.catch(() => {});
  }

  /** Queues a batch of accepted events and quarantine entries; returns at once. */
  enqueue(events: readonly TwinEvent[], quarantine: readonly QuarantineEntry[] = []): void {
    if (events.length === 0 && quarantine.length === 0) return;
    this.queue.push({ events, quarantine });
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  /** Resolves once every batch queued before or while waiting is appended and checkpointed. */
  async flushed(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Faults so far, one record per kind, newest wording. */
  problems(): Problem[] {
    return [...this.problemsById.values()];
  }

  stats(): StoreWriterTotals {
    const pending = this.queue.reduce((n, b) => n + b.events.length + b.quarantine.length, 0);
    return { ...this.totals, pending };
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.takeMerged();
      const rows = batch.events.length + batch.quarantine.length;
      try {
        const store = await this.store;
        if (batch.events.length) await store.append(batch.events);
        if (batch.quarantine.length) await store.appendQuarantine(batch.quarantine);
        this.totals.events += batch.events.length;
        this.totals.quarantined += batch.quarantine.length;
      } catch (e) {
        // Not retried: an append that failed half-way may have written some tables, and a
        // second try would write those rows twice.
        this.totals.lost += rows;
        this.report({
          id: 'event-store-append',
          severity: 'error',
          message: `${this.totals.lost.toLocaleString('en-US')} messages could not be saved to the event store: ${errorMessage(e)}`,
          tip: 'The live twin is not affected. Reload the page to reopen the event store.',
        });
        continue;
      }
      if (this.queue.length === 0 && this.options.checkpoint !== false) await this.checkpoint();
    }
  }

  /** The queue's head, merged with the batches behind it while they fit in one append. */
  private takeMerged(): Batch {
    const first = this.queue.shift()!;
    if (this.queue.length === 0) return first;
    const events = [...first.events];
    const quarantine = [...first.quarantine];
    while (this.queue.length > 0 && events.length + this.queue[0]!.events.length <= this.maxMerge) {
      const next = this.queue.shift()!;
      for (const e of next.events) events.push(e);
      for (const q of next.quarantine) quarantine.push(q);
    }
    return { events, quarantine };
  }

  private async checkpoint(): Promise<void> {
    const started = this.now();
    for (;;) {
      try {
        await (await this.store).query('CHECKPOINT');
        this.totals.checkpoints++;
        return;
      } catch (e) {
        // A question running on another connection (the analytics panel's) holds a
        // transaction: CHECKPOINT refuses while it runs, and FORCE would wait for it inside the
        // single-threaded worker, which is busy waiting. Try again shortly; the rows are in.
        if (BUSY.test(errorMessage(e)) && this.now() - started < this.busyWaitMs) {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        this.failCheckpoint(e);
        return;
      }
    }
  }

  private failCheckpoint(e: unknown): void {
    this.report({
      id: 'event-store-checkpoint',
      severity: 'warning',
      message: `The event store could not checkpoint: ${errorMessage(e)}`,
      tip: 'The newest rows are in the store now but may be missing after a reload.',
    });
  }

  private report(problem: Problem): void {
    this.problemsById.set(problem.id, problem);
    this.options.onProblem?.(problem);
  }
}

/** DuckDB's refusal to checkpoint while other transactions run. */
const BUSY = /other (write )?transactions|transactions? (are )?(active|running)/i;

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
