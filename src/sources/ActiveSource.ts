/**
 * The page's one listener: the source being shown and what it has delivered. Each batch
 * goes to the twin (the worker's changed records applied to the page's copy), to the event
 * store (`enqueue`, which returns at once), to the 3D view (the fills of the slots that
 * changed) and to the UI (a fresh `view`). The promise it returns resolves a frame later,
 * so the source sends at most one batch a frame and the page keeps its frame rate whatever
 * the source's pace. It never asks what kind of source it has.
 */
import type { QuarantineEntry, TwinEvent } from '../contract/messages';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Alert } from '../rules/Incident';
import { applyTwinDelta } from '../twin/TwinDelta';
import type { SlotState, TwinState } from '../twin/TwinState';
import { type SourceBatch, type SourceCapability, type SourceEnd, type SourceStatus, type SourceTotals, type TelemetrySource } from './TelemetrySource';

/** What the UI shows of the active source. A new object whenever something in it changed. */
export interface SourceView {
  readonly name: string;
  readonly capabilities: readonly SourceCapability[];
  readonly realtime: boolean;
  readonly status: SourceStatus;
  /** Undefined until the first batch. */
  readonly totals: SourceTotals | undefined;
  /** Messages a second over about the last second. */
  readonly rate: number;
  /** Events read by the source and not yet handed to the page. */
  readonly backlog: number;
  /** Batches taken so far. */
  readonly batches: number;
  /** Until start() has settled. */
  readonly running: boolean;
  /** Why start() failed (bad configuration: an invalid layout or scenario). */
  readonly error?: string;
  /** Whether a recording is being made (see `record`). */
  readonly recording: boolean;
}

export interface ActiveSourceSinks {
  /** The event store's feed (BrowserEventStore.enqueue): takes the batch and returns at once. */
  enqueue(layout: LayoutIndex, events: readonly TwinEvent[], quarantine: readonly QuarantineEntry[]): void;
  /**
   * Slots whose fill changed, slot id to 0-1 (NaN before any reading): to the 3D view. At most
   * once every `fillsEveryMs`, the changes in between merged: a burst recolours the room a few
   * times a second instead of redrawing the 3D view every frame.
   */
  fills?(fills: Map<string, number>): void;
  /** What the rules raised in a batch of the active source (src/rules), with the layout it read against. */
  alerts?(layout: LayoutIndex, alerts: readonly Alert[]): void;
  /** Something in `view` or `twin` changed. */
  changed?(): void;
}

export interface ActiveSourceDeps {
  /** Resolves at the next frame (default: requestAnimationFrame, or 250 ms where frames stop, as in a hidden tab). */
  readonly nextFrame?: () => Promise<void>;
  /** Wall clock, epoch ms. */
  readonly now?: () => number;
  /** Least time between two calls of `fills` (default 250 ms). */
  readonly fillsEveryMs?: number;
}

interface Current {
  readonly source: TelemetrySource;
  readonly layout: LayoutIndex;
  twin: TwinState | undefined;
  view: SourceView;
  /** (time, messages) after each batch, for the rate. */
  samples: { t: number; n: number }[];
}

const RATE_WINDOW_MS = 1000;

export class ActiveSource {
  private current: Current | undefined;
  private readonly nextFrame: () => Promise<void>;
  private readonly now: () => number;
  private readonly fillsEveryMs: number;
  private pendingFills = new Map<string, number>();
  private lastFills = -Infinity;
  private fillsTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sinks: ActiveSourceSinks,
    deps: ActiveSourceDeps = {},
  ) {
    this.nextFrame = deps.nextFrame ?? frameOrTimeout;
    this.now = deps.now ?? Date.now;
    this.fillsEveryMs = deps.fillsEveryMs ?? 250;
  }

  get source(): TelemetrySource | undefined {
    return this.current?.source;
  }

  get view(): SourceView | undefined {
    return this.current?.view;
  }

  /** The twin as the active source has delivered it. */
  get twin(): TwinState | undefined {
    return this.current?.twin;
  }

  /** Now minus the newest event time, for a source whose data is happening now; null otherwise. */
  lag(): number | null {
    const v = this.current?.view;
    const newest = v?.totals?.newestTs;
    return v?.realtime && newest !== null && newest !== undefined ? this.now() - newest : null;
  }

  /** Messages a second, decaying to 0 when nothing arrives. */
  rate(): number {
    const c = this.current;
    if (!c) return 0;
    const now = this.now();
    const s = c.samples;
    const last = s.at(-1);
    if (!last) return 0;
    // The oldest sample inside the window, or the newest before it, against now.
    let first = s[0]!;
    for (const x of s) if (x.t <= now - RATE_WINDOW_MS) first = x;
    const dt = now - first.t;
    return dt > 0 ? ((last.n - first.n) * 1000) / dt : 0;
  }

  /**
   * Makes `source` the active one, stopping the one before, and starts it on `layout` (the
   * page's index of the layout the source reads against). Resolves when it ends; a source
   * that could not start (bad configuration) resolves undefined with `view.error` set.
   */
  async play(source: TelemetrySource, layout: LayoutIndex): Promise<SourceEnd | undefined> {
    const previous = this.current?.source;
    const current: Current = {
      source,
      layout,
      twin: undefined,
      samples: [],
      view: { name: source.name, capabilities: source.capabilities, realtime: source.realtime, status: { phase: 'starting', problems: [] }, totals: undefined, rate: 0, backlog: 0, batches: 0, running: true, recording: false },
    };
    this.current = current;
    this.pendingFills = new Map();
    this.changed();
    if (previous) await previous.stop().catch(() => {});
    source.setListener((batch) => this.take(current, batch));
    try {
      const end = await source.start();
      if (this.current === current) this.flushFills(true);
      this.update(current, { running: false, status: { ...current.view.status, phase: end.phase } });
      return end;
    } catch (e) {
      this.update(current, { running: false, error: e instanceof Error ? e.message : String(e), status: { ...current.view.status, phase: 'failed' } });
      return undefined;
    }
  }

  /** Stops the active source (what it read is still delivered). */
  async stop(): Promise<void> {
    await this.current?.source.stop();
  }

  /** Starts a recording of the active source (capability `record`). */
  async startRecording(): Promise<void> {
    const c = this.current;
    if (!c?.source.startRecording) throw new Error('this source cannot record');
    await c.source.startRecording();
    this.update(c, { recording: true });
  }

  /** Ends the recording and returns it as a `.jsonl` file. */
  async stopRecording(): Promise<Blob> {
    const c = this.current;
    if (!c?.source.stopRecording) throw new Error('this source cannot record');
    const blob = await c.source.stopRecording();
    this.update(c, { recording: false });
    return blob;
  }

  private async take(c: Current, batch: SourceBatch): Promise<void> {
    // A source that was replaced still hands over what it read: its rows belong in the
    // event store, but it no longer drives the twin or the view.
    this.sinks.enqueue(c.layout, batch.events, batch.quarantine);
    if (this.current !== c) return;
    if (batch.alerts.length) this.sinks.alerts?.(c.layout, batch.alerts);
    c.twin = applyTwinDelta(c.twin, batch.twin);
    for (const slot of batch.twin.slots) this.pendingFills.set(slot.slot, fillOf(slot));
    this.flushFills(false);
    c.samples.push({ t: this.now(), n: batch.totals.messages });
    const cutoff = this.now() - 2 * RATE_WINDOW_MS;
    while (c.samples.length > 2 && c.samples[1]!.t < cutoff) c.samples.shift();
    this.update(c, { status: batch.status, totals: batch.totals, backlog: batch.backlog, batches: c.view.batches + 1, rate: this.rate() });
    await this.nextFrame();
  }

  /** Hands the changed fills to the view now (`force`) or once `fillsEveryMs` has passed since the last time. */
  private flushFills(force: boolean): void {
    if (this.pendingFills.size === 0 || !this.sinks.fills) return;
    const wait = this.lastFills + this.fillsEveryMs - this.now();
    if (!force && wait > 0) {
      this.fillsTimer ??= setTimeout(() => {
        this.fillsTimer = undefined;
        this.flushFills(true);
      }, wait);
      return;
    }
    clearTimeout(this.fillsTimer);
    this.fillsTimer = undefined;
    const fills = this.pendingFills;
    this.pendingFills = new Map();
    this.lastFills = this.now();
    this.sinks.fills(fills);
  }

  private update(c: Current, patch: Partial<SourceView>): void {
    c.view = { ...c.view, ...patch };
    if (this.current === c) this.changed();
  }

  private changed(): void {
    this.sinks.changed?.();
  }
}

/** How full a slot is, 0 to 1, from the load cell's units; NaN before any reading. */
export function fillOf(s: SlotState): number {
  return s.units === null ? NaN : Math.min(1, s.units / s.capacity);
}

/** The next animation frame; a hidden tab has none, so 250 ms at most. */
function frameOrTimeout(): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(finish, 250);
    requestAnimationFrame(finish);
  });
}
