/**
 * A store's live telemetry, as a source: an MqttSubscription (QoS 1, persistent session,
 * reconnection with backoff) whose messages go through the ingest pipeline here, each
 * acknowledged to the broker as soon as it is ingested. A broker cannot be asked to wait, so
 * when the page is behind, the backlog waits in the BatchPump. The connection's ups and downs
 * become the status's phase and problems (a refused or unreachable broker is a problem, not
 * an exception). Device presence comes from the retained `status` messages and Last Wills,
 * which the twin folds like any other event. Plain class: workers/live.worker.ts exposes it.
 */
import type { Problem } from '../core/Problem';
import { BatchPump, type BatchPumpOptions } from './BatchPump';
import { layoutFromText } from './layoutFromText';
import { MqttSubscription, type ConnectionState, type MqttSubscriptionHandlers, type MqttSubscriptionOptions } from './MqttSubscription';
import { Recorder, recordingFullProblem, startRecording, stopRecording } from './Recorder';
import type { SourceEnd, SourceFeed, SourceListener } from './TelemetrySource';

export interface LiveArgs {
  readonly layoutText: string;
  readonly connection: MqttSubscriptionOptions;
  readonly pump?: BatchPumpOptions;
}

/** What the feed needs of a subscription; MqttSubscription has it (tests may pass another). */
export interface Subscription {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type Subscribe = (options: MqttSubscriptionOptions, handlers: MqttSubscriptionHandlers) => Subscription;

const CONNECTION_PROBLEM = 'broker-connection';

export class LiveFeed implements SourceFeed<LiveArgs> {
  private readonly recorder = new Recorder((kept) => this.pump?.setProblem(recordingFullProblem(kept)));
  private pump: BatchPump | undefined;
  private end: ((phase: SourceEnd['phase']) => void) | undefined;
  private stopRequested = false;

  constructor(private readonly subscribe: Subscribe = (o, h) => new MqttSubscription(o, h)) {}

  async run(args: LiveArgs, listener: SourceListener): Promise<SourceEnd> {
    const layout = layoutFromText(args.layoutText);
    const { url, store } = args.connection;
    if (store !== layout.store) throw new Error(`the open layout is for store ${layout.store}, not ${store}: every message would be quarantined as wrong_store`);
    this.stopRequested = false;
    const pump = new BatchPump(layout, args.pump, () => ({ recorded: this.recorder.recording ? this.recorder.lines : undefined }));
    this.pump = pump;
    pump.setListener(listener);
    const ended = new Promise<SourceEnd['phase']>((resolve) => (this.end = resolve));
    const subscription = this.subscribe(args.connection, {
      onMessage: (msg, ack) => {
        this.recorder.message(msg);
        pump.push(msg);
        ack();
      },
      onState: (state, detail) => this.onState(pump, url, state, detail),
    });
    // A refusal or a first connection that never comes also arrives as 'closed' (onState),
    // which ends the run; the rejection itself says nothing more.
    subscription.start().catch(() => {});
    if (this.stopRequested) this.end?.('stopped');
    const phase = await ended;
    await subscription.stop();
    pump.setStatus({ phase });
    await pump.drained();
    return { phase, messages: pump.ingest.totals().messages };
  }

  stop(): void {
    this.stopRequested = true;
    this.end?.('stopped');
  }

  startRecording(): void {
    startRecording(this.recorder, this.pump);
  }

  stopRecording(): Blob {
    return stopRecording(this.recorder, this.pump);
  }

  private onState(pump: BatchPump, url: string, state: ConnectionState, detail = ''): void {
    const problem = (severity: Problem['severity'], message: string, tip?: string) =>
      pump.setProblem({ id: CONNECTION_PROBLEM, severity, message, ...(tip ? { tip } : {}) });
    switch (state) {
      case 'connecting':
        pump.setStatus({ phase: 'connecting', detail });
        // A first attempt that failed says when the next one is.
        if (/next attempt/.test(detail)) problem('warning', `Cannot reach ${url} yet: ${detail}`, 'Check the address and that the broker is running; it keeps trying until the connect timeout.');
        return;
      case 'connected':
        pump.clearProblem(CONNECTION_PROBLEM);
        pump.setStatus({ phase: 'connected', detail });
        return;
      case 'offline':
        pump.setStatus({ phase: 'offline', detail });
        problem('warning', `Connection to the broker lost: ${detail}`, 'It reconnects by itself; the broker keeps what is published meanwhile for this session.');
        return;
      case 'reconnecting':
        pump.setStatus({ phase: 'reconnecting', detail });
        return;
      case 'closed':
        if (this.stopRequested) return;
        problem('error', detail || 'The connection closed.', 'Check the broker address, store id, protocol and credentials, then connect again.');
        pump.setStatus({ phase: 'failed', detail });
        this.end?.('failed');
        return;
    }
  }
}
