/**
 * The simulator: messages a second, and a 7-day baseline of the large layout, run in
 * memory (lines counted, not kept) so the figure is the simulation's, not the disk's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText } from '../sim/scenario/parseScenario';
import { Simulator } from '../sim/Simulator';
import type { Benchmark } from './harness';
import { benchLayout } from './ingest.bench';

export const simulateBench: Benchmark = {
  id: 'simulate',
  run() {
    const parsed = parseScenarioText(readFileSync(join(import.meta.dirname, '../scenarios/baseline-gm.scenario.json'), 'utf8'));
    if (!parsed.ok) throw new Error('baseline-gm scenario is not valid');
    const layout = benchLayout();
    let lines = 0;
    let bytes = 0;
    const t = performance.now();
    new Simulator(layout, { ...parsed.scenario, days: 7 }, { recording: (l) => { lines++; bytes += l.length + 1; } }).run();
    const seconds = (performance.now() - t) / 1000;
    return [
      { name: `7-day baseline, gm-large (${layout.slotCount} slots), in memory`, value: seconds, unit: 's', target: { atMost: 10 } },
      { name: 'simulated messages a second', value: lines / seconds, unit: 'msg/s' },
      { name: 'recording size of that week', value: bytes / 2 ** 20, unit: 'MiB' },
    ];
  },
};
