/**
 * The page's side of a source whose feed runs in a worker: starts the worker, hands the feed
 * its arguments and the one listener (as a Comlink proxy), and ends the worker when the
 * feed's run settles. Errors thrown in the worker arrive as real errors (Comlink carries
 * name, message and stack). ScenarioSource, RecordingSource and LiveSource are this with
 * their worker; tests pass an in-process endpoint instead of a worker.
 */
import * as Comlink from 'comlink';
import type { SourceBatch, SourceCapability, SourceEnd, SourceListener, TelemetrySource } from './TelemetrySource';

/** Where a feed runs: a Comlink endpoint (a Worker, a MessagePort) and how to close it. */
export interface FeedEndpoint {
  readonly endpoint: Comlink.Endpoint;
  close(): void;
}

export interface SourceInfo {
  readonly name: string;
  readonly capabilities: readonly SourceCapability[];
  readonly realtime: boolean;
}

/** A module worker as a feed endpoint, terminated on close. */
export function workerEndpoint(worker: Worker): FeedEndpoint {
  return { endpoint: worker, close: () => worker.terminate() };
}

/** A feed as Comlink shows it across the boundary: every call a promise. */
interface RemoteFeed<A> {
  run(args: A, listener: SourceListener): Promise<SourceEnd>;
  stop(): Promise<void>;
  startRecording(): Promise<void>;
  stopRecording(): Promise<Blob>;
  [Comlink.releaseProxy](): void;
}

export class WorkerSource<A> implements TelemetrySource {
  readonly name: string;
  readonly capabilities: readonly SourceCapability[];
  readonly realtime: boolean;
  readonly startRecording?: () => Promise<void>;
  readonly stopRecording?: () => Promise<Blob>;
  private listener: SourceListener = async () => {};
  private remote: RemoteFeed<A> | undefined;
  private started = false;
  private recordingOn = false;
  /** A recording still being made when the run ended, kept for stopRecording(). */
  private leftover: Blob | undefined;

  constructor(
    info: SourceInfo,
    private readonly open: () => FeedEndpoint,
    private readonly args: A,
  ) {
    this.name = info.name;
    this.capabilities = info.capabilities;
    this.realtime = info.realtime;
    if (info.capabilities.includes('record')) {
      this.startRecording = async () => {
        if (!this.remote) throw new Error(`${this.name} is not running`);
        await this.remote.startRecording();
        this.recordingOn = true;
        this.leftover = undefined;
      };
      this.stopRecording = async () => {
        if (this.remote && this.recordingOn) {
          this.recordingOn = false;
          return this.remote.stopRecording();
        }
        const kept = this.leftover;
        this.leftover = undefined;
        if (!kept) throw new Error('no recording is being made');
        return kept;
      };
    }
  }

  setListener(listener: SourceListener): void {
    this.listener = listener;
  }

  async start(): Promise<SourceEnd> {
    if (this.started) throw new Error(`${this.name} was started already: a source runs once`);
    this.started = true;
    const { endpoint, close } = this.open();
    const remote = Comlink.wrap(endpoint) as unknown as RemoteFeed<A>;
    this.remote = remote;
    try {
      return await remote.run(this.args, Comlink.proxy((batch: SourceBatch) => this.listener(batch)));
    } finally {
      // The worker goes with the run: a recording still being made is fetched first.
      if (this.recordingOn) {
        this.recordingOn = false;
        this.leftover = await remote.stopRecording().catch(() => undefined);
      }
      this.remote = undefined;
      remote[Comlink.releaseProxy]();
      close();
    }
  }

  async stop(): Promise<void> {
    await this.remote?.stop();
  }
}
