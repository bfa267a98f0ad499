/**
 * The page's side of a scenario run: the simulation runs in a worker and its lines come
 * back in batches, one per animation frame, into the same pipeline (Ingest) a recording or
 * the live broker feeds. Stoppable; errors cross the worker boundary as real errors.
 */
import * as Comlink from 'comlink';
import type { LineBatch, RunOptions, ScenarioRunner } from './ScenarioRunner';

export class ScenarioSource {
  private worker: Worker | undefined;
  private runner: Comlink.Remote<ScenarioRunner> | undefined;

  /** Runs the scenario on the layout; `onBatch` is awaited before the next batch comes. */
  async run(layoutText: string, scenarioText: string, onBatch: (b: LineBatch) => void, options: RunOptions = {}): Promise<{ lines: number; stopped: boolean }> {
    this.stop();
    // This run's own worker: a previous run that is still finishing terminates its own, never this one.
    const worker = new Worker(new URL('../../workers/scenario.worker.ts', import.meta.url), { type: 'module' });
    const runner = Comlink.wrap<ScenarioRunner>(worker);
    this.worker = worker;
    this.runner = runner;
    const listener = async (b: LineBatch) => {
      onBatch(b);
      // One batch a frame: the page stays responsive however fast the worker simulates.
      await new Promise<void>((r) => requestAnimationFrame(() => r()));
    };
    try {
      return await runner.run(layoutText, scenarioText, Comlink.proxy(listener), options);
    } finally {
      worker.terminate();
      if (this.worker === worker) {
        this.worker = undefined;
        this.runner = undefined;
      }
    }
  }

  /**
   * Asks the current run to stop: it resolves with `stopped: true` after the batch in hand,
   * and its worker is terminated then (terminating now would leave its promise unsettled).
   */
  stop(): void {
    void this.runner?.stop();
  }
}
