/** A scenario simulated in the browser, as a source: the simulator and the ingest run in workers/scenario.worker.ts (ScenarioFeed). */
import type { ScenarioArgs } from './ScenarioFeed';
import { WorkerSource, workerEndpoint, type FeedEndpoint } from './WorkerSource';

export class ScenarioSource extends WorkerSource<ScenarioArgs> {
  /** `scenarioName` is what the user sees; `open` replaces the worker (tests). */
  constructor(args: ScenarioArgs, scenarioName: string, open?: () => FeedEndpoint) {
    super(
      { name: `Scenario: ${scenarioName}`, capabilities: ['stop', 'record'], realtime: false },
      open ?? (() => workerEndpoint(new Worker(new URL('../../workers/scenario.worker.ts', import.meta.url), { type: 'module' }))),
      args,
    );
  }
}
