/**
 * The worker side of the source interface's backpressure. Messages are read (Ingest: the
 * contract, the quarantine, the twin) as soon as they arrive; what came of them waits here
 * until the listener is free, then goes as one batch of at most `maxEvents` events and
 * quarantine entries, with the twin's changed records, the totals and the status. The next
 * batch goes only once the listener's promise has settled, so a slow page gets fewer,
 * bigger batches, never a flood. Sources that can wait (a file, the simulator) await
 * `room()` before reading more, so the backlog stays bounded; a live broker cannot wait,
 * and its backlog waits here.
 */
import type { QuarantineEntry, RawMessage, TwinEvent } from '../contract/messages';
import type { Problem } from '../core/Problem';
import { Ingest } from '../ingest/Ingest';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { TwinOptions } from '../twin/Twin';
import { diffTwin } from '../twin/TwinDelta';
import type { TwinState } from '../twin/TwinState';
import { DEFAULT_RULES, type Rules } from '../rules/Rules';
import type { Alert } from '../rules/Incident';
import { RuleEngine } from '../rules/RuleEngine';
import { FINAL_PHASES, type SourceBatch, type SourceListener, type SourceStatus } from './TelemetrySource';

export interface BatchPumpOptions {
  /** Most events plus quarantine entries in one batch (default 5000). */
  readonly maxEvents?: number;
  /** `room()` waits while more than this many are waiting (default twice maxEvents). */
  readonly highWater?: number;
  readonly twin?: TwinOptions;
  /** The rules the events go through (default: the shipped ones); false: none. */
  readonly rules?: Rules | false;
}

export class BatchPump {
  readonly ingest: Ingest;
  private readonly maxEvents: number;
  private readonly highWater: number;
  private listener: SourceListener | undefined;
  private events: TwinEvent[] = [];
  private quarantineSent = 0;
  private status: SourceStatus = { phase: 'starting', problems: [] };
  private statusChanged = true;
  private shown: TwinState | undefined;
  private delivering: Promise<void> | undefined;
  private running = false;
  private failure: Error | undefined;
  private waiters: (() => void)[] = [];
  private batches = 0;
  private readonly rules: RuleEngine | undefined;
  private alerts: Alert[] = [];
  private rulesFinished = false;

  /** `describe` adds to the status what changes too often to set each time (a recording's line count); read once a batch. */
  constructor(
    layout: LayoutIndex,
    options: BatchPumpOptions = {},
    private readonly describe?: () => Partial<SourceStatus>,
  ) {
    this.maxEvents = options.maxEvents ?? 5000;
    this.highWater = options.highWater ?? 2 * this.maxEvents;
    const rules = options.rules === false ? undefined : new RuleEngine(layout, options.rules ?? DEFAULT_RULES, (a) => this.alerts.push(a));
    this.rules = rules;
    this.ingest = new Ingest(layout, {
      onEvent: (e) => {
        this.events.push(e);
        rules?.pushOne(e);
      },
      ...(options.twin ? { twin: options.twin } : {}),
    });
  }

  /** The one listener; batches start once it is set. */
  setListener(listener: SourceListener): void {
    this.listener = listener;
    this.kick();
  }

  /** A message as received. */
  push(msg: RawMessage): void {
    this.ingest.push(msg);
    this.kick();
  }

  /** A recording line (blank lines skipped, bad ones quarantined). */
  pushLine(line: string, lineNo: number, now: number): void {
    this.ingest.pushLine(line, lineNo, now);
    this.kick();
  }

  /** Changes the status; it goes out with the next batch (one is sent for it if nothing else is waiting). */
  setStatus(patch: Partial<SourceStatus>): void {
    // The source ended: the rules decide what was waiting for more data (a grace period).
    if (patch.phase && FINAL_PHASES.has(patch.phase) && !this.rulesFinished) {
      this.rulesFinished = true;
      this.rules?.finish();
    }
    this.status = { ...this.status, ...patch };
    this.statusChanged = true;
    this.kick();
  }

  /** Sends the status again (with what `describe` says now) even if nothing else changed. */
  touch(): void {
    this.statusChanged = true;
    this.kick();
  }

  /** Records a problem, replacing one with the same id. */
  setProblem(problem: Problem): void {
    this.setStatus({ problems: [...this.status.problems.filter((p) => p.id !== problem.id), problem] });
  }

  clearProblem(id: string): void {
    if (this.status.problems.some((p) => p.id === id)) this.setStatus({ problems: this.status.problems.filter((p) => p.id !== id) });
  }

  get currentStatus(): SourceStatus {
    return this.status;
  }

  /** Events and quarantine entries read and not yet handed to the listener. */
  get backlog(): number {
    return this.events.length + this.ingest.quarantine.size - this.quarantineSent;
  }

  /** Batches handed to the listener so far. */
  get delivered(): number {
    return this.batches;
  }

  /** Resolves once the backlog is at most `highWater`; rejects if the listener failed. */
  async room(): Promise<void> {
    while (!this.failure && this.backlog > this.highWater) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw this.failure;
  }

  /** Resolves once everything read so far, and the latest status, has been handed over; rejects if the listener failed. */
  async drained(): Promise<void> {
    this.kick();
    while (this.running) await this.delivering;
    if (this.failure) throw this.failure;
  }

  private hasWork(): boolean {
    return this.statusChanged || this.backlog > 0 || this.alerts.length > 0;
  }

  private kick(): void {
    if (!this.listener || this.running || this.failure || !this.hasWork()) return;
    this.running = true;
    this.delivering = this.deliver(this.listener);
  }

  private async deliver(listener: SourceListener): Promise<void> {
    try {
      while (this.hasWork()) {
        const batch = this.take();
        await listener(batch);
        this.batches++;
        this.wake();
      }
    } catch (e) {
      // The page is gone or its listener broke: nothing can be delivered any more.
      this.failure = e instanceof Error ? e : new Error(String(e));
      this.wake();
    } finally {
      // Cleared here, in the same turn as the last hasWork() check, so a push that comes
      // after it starts a new delivery instead of finding this one still marked running.
      this.running = false;
    }
  }

  private take(): SourceBatch {
    const all = this.ingest.quarantine.entries;
    const qCount = Math.min(all.length - this.quarantineSent, this.maxEvents);
    const quarantine: QuarantineEntry[] = all.slice(this.quarantineSent, this.quarantineSent + qCount);
    this.quarantineSent += qCount;
    const room = this.maxEvents - qCount;
    let events: TwinEvent[];
    if (this.events.length <= room) {
      events = this.events;
      this.events = [];
    } else {
      events = this.events.slice(0, room);
      this.events = this.events.slice(room);
    }
    const state = this.ingest.twin.state;
    const twin = diffTwin(this.shown, state);
    this.shown = state;
    this.statusChanged = false;
    const alerts = this.alerts;
    this.alerts = [];
    return { events, quarantine, alerts, twin, totals: { ...this.ingest.totals(), newestTs: state.asOf }, status: this.describe ? { ...this.status, ...this.describe() } : this.status, backlog: this.backlog };
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}
