/**
 * A store's live telemetry from an MQTT broker over WebSocket, as a source: the
 * subscription (MQTT 3.1.1 or 5, QoS 1, persistent session, reconnection with backoff) and
 * the ingest run in workers/live.worker.ts (LiveFeed). It can record the session.
 */
import type { LiveArgs } from './LiveFeed';
import { WorkerSource, workerEndpoint, type FeedEndpoint } from './WorkerSource';

export class LiveSource extends WorkerSource<LiveArgs> {
  /** `open` replaces the worker (tests). */
  constructor(args: LiveArgs, open?: () => FeedEndpoint) {
    super(
      { name: `Live: ${args.connection.url} · ${args.connection.store}`, capabilities: ['stop', 'record'], realtime: true },
      open ?? (() => workerEndpoint(new Worker(new URL('../../workers/live.worker.ts', import.meta.url), { type: 'module' }))),
      args,
    );
  }
}
