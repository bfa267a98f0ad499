/**
 * Runs a placement plan in a worker of its own (workers/planner.worker.ts), with progress,
 * and cancels it by ending the worker: a planner asking again does not wait for a plan no
 * longer wanted.
 */
import * as Comlink from 'comlink';
import type { PlannerService, PlanAnswer, PlanRequest } from '../planning/PlannerService';
import type { PlanProgress } from '../planning/planPlacement';

export interface PlanJob {
  readonly answer: Promise<PlanAnswer>;
  cancel(): void;
}

export function planInWorker(req: PlanRequest, onProgress: (p: PlanProgress) => void): PlanJob {
  const worker = new Worker(new URL('../../workers/planner.worker.ts', import.meta.url), { type: 'module' });
  const service = Comlink.wrap<PlannerService>(worker);
  let stop: (e: Error) => void = () => {};
  // An ended worker never answers: cancelling rejects the plan instead of leaving it pending.
  const cancelled = new Promise<never>((_, reject) => (stop = reject));
  const answer = Promise.race([service.plan(req, Comlink.proxy(onProgress)), cancelled]).finally(() => worker.terminate());
  return {
    answer,
    cancel() {
      worker.terminate();
      stop(new Error('plan cancelled'));
    },
  };
}
