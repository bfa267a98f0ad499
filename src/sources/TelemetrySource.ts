/**
 * One interface for every way telemetry comes in: a live broker, a recording file, a
 * scenario simulated in the browser. Modelled on Lichtblick's Player
 * (packages/suite-base/src/players/types.ts): the source reads, checks and folds the
 * messages itself (in a worker), pushes what came of them to ONE listener as a batch, and
 * waits for the promise the listener returns before pushing the next. The listener resolves
 * once the page has taken the batch (and a frame has gone by), so a burst reaches the page
 * as one batch a frame and never freezes it; what piles up meanwhile waits in the worker.
 *
 * What a source can do beyond that is declared in `capabilities`, so the UI shows only the
 * controls a source has. The twin, the event store and the views read batches and never ask
 * which kind of source is behind them.
 */
import type { QuarantineEntry, TwinEvent } from '../contract/messages';
import type { Alert } from '../rules/Incident';
import type { Problem } from '../core/Problem';
import type { IngestTotals } from '../ingest/Ingest';
import type { TwinDelta } from '../twin/TwinDelta';

/**
 * What a source can be asked to do besides delivering batches.
 * - `stop`: end it before its data runs out (`stop()`).
 * - `record`: keep every message as it came and hand it over as a recording file
 *   (`startRecording()`, `stopRecording()`).
 * - `speed`, `seek`, `publish`: named so the UI can ask; no source offers them yet.
 */
export type SourceCapability = 'stop' | 'record' | 'speed' | 'seek' | 'publish';

/**
 * Where a source is in its life. Live sources go through the connection states; sources
 * that read a finite input are `playing` until `ended`. `stopped` follows `stop()`;
 * `failed` means it could not go on (the status's problems say why).
 */
export type SourcePhase = 'starting' | 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'playing' | 'ended' | 'stopped' | 'failed';

/** Phases after which a source delivers nothing more. */
export const FINAL_PHASES: ReadonlySet<SourcePhase> = new Set(['ended', 'stopped', 'failed']);

export interface SourceStatus {
  readonly phase: SourcePhase;
  /** A word more about the phase: why the connection is offline, what failed. */
  readonly detail?: string;
  /** Share of the input read, 0 to 1; absent for a source with no end (live). */
  readonly progress?: number;
  /** The source's own clock where it has one (a scenario's simulated now), epoch ms. */
  readonly clock?: number;
  /** Messages kept for the recording being made, absent when none is being made. */
  readonly recorded?: number;
  /** Recoverable faults to show (a refused connection, a broker gone): data, not exceptions. */
  readonly problems: readonly Problem[];
}

export interface SourceTotals extends IngestTotals {
  /** Newest event time seen (the twin's clock), epoch ms; null before any event. */
  readonly newestTs: number | null;
}

/** What one push to the listener carries. */
export interface SourceBatch {
  /** Accepted events, in arrival order, not delivered before (the event store's feed). */
  readonly events: readonly TwinEvent[];
  /** Quarantine entries, in arrival order, not delivered before. */
  readonly quarantine: readonly QuarantineEntry[];
  /** What the rules raised since the previous batch (src/rules), evaluated in the worker. */
  readonly alerts: readonly Alert[];
  /** The twin's records that changed since the previous batch (all of them in the first). */
  readonly twin: TwinDelta;
  /** Totals over everything the source has read so far. */
  readonly totals: SourceTotals;
  readonly status: SourceStatus;
  /** Events and quarantine entries read but left for later batches: how far the page is behind the source. */
  readonly backlog: number;
}

/** The one listener. The source pushes nothing more until the promise it returns settles. */
export type SourceListener = (batch: SourceBatch) => Promise<void>;

/** How a source's `start()` ends. */
export interface SourceEnd {
  /** 'ended' when the input ran out, 'stopped' after stop(), 'failed' when it could not go on. */
  readonly phase: 'ended' | 'stopped' | 'failed';
  /** Messages read, recording lines included. */
  readonly messages: number;
}

export interface TelemetrySource {
  /** What the user sees the source called ("Live: ws://… store-017", a file name, a scenario). */
  readonly name: string;
  readonly capabilities: readonly SourceCapability[];
  /** Whether the data is happening now, so that "now minus the newest ts" (lag) means something. */
  readonly realtime: boolean;
  /** Sets the one listener; call before start(). */
  setListener(listener: SourceListener): void;
  /**
   * Starts reading and resolves when the source ends, is stopped or fails; its last batch
   * has been delivered by then. Rejects only for bad configuration (an invalid layout or
   * scenario): a connection that fails is a problem in the status, not an exception.
   */
  start(): Promise<SourceEnd>;
  /** Stops it (capability `stop`); what was read is still delivered before start() resolves. */
  stop(): Promise<void>;
  /** Starts keeping every message as it came (capability `record`). */
  startRecording?(): Promise<void>;
  /** Stops keeping messages and returns them as a recording file (capability `record`). */
  stopRecording?(): Promise<Blob>;
}

/**
 * The worker side of a source: a plain class that reads its input, feeds it through the
 * ingest pipeline and pushes batches. A `*.worker.ts` exposes one with Comlink; tests drive
 * it directly or over a MessageChannel.
 */
export interface SourceFeed<A> {
  run(args: A, listener: SourceListener): Promise<SourceEnd>;
  stop(): void;
  startRecording?(): void;
  stopRecording?(): Blob;
}
