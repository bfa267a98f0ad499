/**
 * A recording file chosen by the user, as a source: read, parsed and ingested in
 * workers/recording.worker.ts (RecordingFeed), replayed as fast as the page takes it.
 */
import type { RecordingArgs } from './RecordingFeed';
import { WorkerSource, workerEndpoint, type FeedEndpoint } from './WorkerSource';

export class RecordingSource extends WorkerSource<RecordingArgs> {
  /** `open` replaces the worker (tests). */
  constructor(args: RecordingArgs, open?: () => FeedEndpoint) {
    super(
      { name: `Recording: ${args.name}`, capabilities: ['stop'], realtime: false },
      open ?? (() => workerEndpoint(new Worker(new URL('../../workers/recording.worker.ts', import.meta.url), { type: 'module' }))),
      args,
    );
  }
}
