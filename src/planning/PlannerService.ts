/**
 * The planner as a service a worker exposes (workers/planner.worker.ts): a layout's text and
 * the plan's settings in, the plan and the planned layout out, progress told as it goes. A
 * plan on the large layout takes seconds, so the page never runs it on its own thread.
 * Plain TypeScript: tested in Node without a worker.
 */
import type { Layout } from '../layout/Layout';
import { LayoutIndex } from '../layout/LayoutIndex';
import { parseLayoutText } from '../layout/parseLayout';
import { layoutWithPlan, planPlacement, type Plan, type PlanOptions, type PlanProgress } from './planPlacement';

export type PlanRequest = Omit<PlanOptions, 'onProgress'> & {
  /** The layout file's text (as opened in the workbench, cameras as edited). */
  readonly layoutText: string;
};

export interface PlanAnswer {
  readonly plan: Plan;
  /** The layout with the plan's devices, ready to load or download. */
  readonly layout: Layout;
  readonly ms: number;
}

export class PlannerService {
  /** Plans; a layout that does not load or a setting out of range is an Error with the reason. */
  plan(req: PlanRequest, onProgress?: (p: PlanProgress) => void): PlanAnswer {
    const t0 = performance.now();
    const parsed = parseLayoutText(req.layoutText);
    if (!parsed.ok) throw new Error(`the layout does not load: ${parsed.problems.slice(0, 3).map((p) => `${p.path}: ${p.reason}`).join('; ')}`);
    const { layoutText: _text, ...opts } = req;
    const run = planPlacement(new LayoutIndex(parsed.layout), { ...opts, ...(onProgress ? { onProgress } : {}) });
    return { plan: run.plan, layout: layoutWithPlan(parsed.layout, run.plan), ms: performance.now() - t0 };
  }
}
