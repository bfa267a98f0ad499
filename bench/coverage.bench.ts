/**
 * Placement planning's geometry on the large example layout (850 slots, 91 shelves, 13
 * obstacles, 9 cameras), in Node on one core: the full coverage report (targets, every
 * camera's sight lines, the report), sight lines a second, and one camera moved (its view
 * recomputed and the report rebuilt), as a planner dragging a camera gets it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LayoutIndex } from '../src/layout/LayoutIndex';
import { parseLayout } from '../src/layout/parseLayout';
import { cameraCandidates } from '../src/planning/candidates';
import { CoverageModel } from '../src/planning/coverage';
import { planPlacement } from '../src/planning/planPlacement';
import { DEFAULT_PRICES } from '../src/planning/prices';
import { bestOf, type Benchmark } from './harness';

export function largeLayout(): LayoutIndex {
  const r = parseLayout(JSON.parse(readFileSync(join(import.meta.dirname, '../scenarios/layouts/gm-large.layout.json'), 'utf8')));
  if (!r.ok) throw new Error('gm-large is not valid');
  return new LayoutIndex(r.layout);
}

export const coverageBench: Benchmark = {
  id: 'coverage',
  run() {
    const layout = largeLayout();
    let rays = 0;
    const fullMs = bestOf(5, () => {
      // A fresh index each time, so no cached geometry from the last run helps.
      const m = new CoverageModel(new LayoutIndex(layout.layout));
      rays = m.report().totals.rays;
    });
    const model = new CoverageModel(layout);
    const cam = layout.layout.cameras[0]!;
    let step = 0;
    const updateMs = bestOf(20, () => {
      step++;
      model.setCamera({ ...cam, yaw: cam.yaw + (step % 10) - 5, position: [cam.position[0] + (step % 3) * 0.1, cam.position[1], cam.position[2]] });
      model.report();
    });
    // The optimiser: 200 candidate poses (every k-th of those generated on walls and ceiling), money for 10 cameras.
    const all = cameraCandidates(layout, { hfov: DEFAULT_PRICES.cameraModel.hfov, resolution: DEFAULT_PRICES.cameraModel.resolution });
    const stride = all.length / 200;
    const pool = Array.from({ length: 200 }, (_, i) => all[Math.floor(i * stride)]!.camera);
    const budget = 10 * (DEFAULT_PRICES.camera + DEFAULT_PRICES.cameraInstall);
    let picked = 0;
    let evaluations = 0;
    const planMs = bestOf(1, () => {
      const { plan } = planPlacement(layout, { budget, kinds: ['camera'], candidates: { cameras: pool } });
      picked = plan.devices.length;
      evaluations = plan.evaluations;
    });
    return [
      { name: `full coverage, gm-large (${layout.slotCount} slots, ${layout.cameras.size} cameras)`, value: fullMs, unit: 'ms', target: { atMost: 1000 } },
      { name: 'sight lines tested in the full coverage', value: (rays / fullMs) * 1000, unit: 'rays/s', note: `${rays.toLocaleString('en-US')} rays` },
      { name: 'one camera moved: its view and the report again', value: updateMs, unit: 'ms', target: { atMost: 100 } },
      { name: 'plan: 200 candidate poses, budget for 10 cameras (greedy + local search)', value: planMs / 1000, unit: 's', target: { atMost: 30 }, note: `${picked} cameras, ${evaluations} gains evaluated` },
    ];
  },
};
