/**
 * Every named analysis over a store of 10 million load-cell readings, on DuckDB-WASM (the
 * page's engine, here its Node build) and on native DuckDB in the same run, as a ratio.
 *
 * The data is real simulator output, not a synthetic table: the baseline week of the large
 * layout (850 slots, heartbeats every 60 s), run long enough to publish 10 million
 * readings, through the ingest pipeline, appended to both stores batch by batch (the WASM
 * appends are timed: rows a second for the whole mix of tables).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText } from '../sim/scenario/parseScenario';
import { Simulator } from '../sim/Simulator';
import type { TwinEvent } from '../src/contract/messages';
import { resolveParams } from '../src/analytics/analyses/AnalysisParams';
import { ANALYSES } from '../src/analytics/analyses/index';
import { EventStore } from '../src/analytics/EventStore';
import { openDuckDB } from '../src/analytics/openDuckDB';
import { openNativeDuckDB } from '../src/analytics/openNativeDuckDB';
import { Ingest } from '../src/ingest/Ingest';
import { LayoutIndex } from '../src/layout/LayoutIndex';
import { parseLayoutText } from '../src/layout/parseLayout';
import type { Benchmark, Figure } from './harness';

const ROOT = join(import.meta.dirname, '..');
const READINGS = 10_000_000;
const BATCH = 100_000;

async function timeBest(n: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

export const analysesBench: Benchmark = {
  id: 'analyses',
  async run() {
    const sr = parseScenarioText(readFileSync(join(ROOT, 'scenarios/baseline-gm.scenario.json'), 'utf8'));
    if (!sr.ok) throw new Error('baseline-gm scenario');
    const lr = parseLayoutText(readFileSync(join(ROOT, 'scenarios', sr.scenario.layout), 'utf8'));
    if (!lr.ok) throw new Error('gm-large layout');
    const layout = new LayoutIndex(lr.layout);
    // 850 cells x 1,440 heartbeats a day, plus the readings that movements make.
    const days = Math.ceil(READINGS / (layout.slots.size * 1440));
    const wasm = await openDuckDB();
    const native = await openNativeDuckDB();
    try {
      const [ws, ns] = [await EventStore.open(wasm.connection, layout), await EventStore.open(native.connection, layout)];
      let batch: TwinEvent[] = [];
      let readings = 0;
      let rows = 0;
      let appendMs = 0;
      const ingest = new Ingest(layout, { onEvent: (e) => batch.push(e) });
      let line = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const t = performance.now();
        const appended = await ws.append(batch);
        appendMs += performance.now() - t;
        for (const n of Object.values(appended)) rows += n ?? 0;
        readings += appended.readings ?? 0;
        await ns.append(batch);
        batch = [];
      };
      const sim = new Simulator(layout, { ...sr.scenario, days }, { recording: (l) => ingest.pushLine(l, ++line, 0) });
      for (const _ of sim.steps()) {
        if (batch.length >= BATCH) await flush();
        if (readings >= READINGS) break;
      }
      await flush();
      const stored = await ws.count('readings');
      if (stored !== readings || (await ns.count('readings')) !== readings) throw new Error(`appended ${readings} readings, WASM has ${stored}`);

      const figures: Figure[] = [
        { name: `store appends, all tables, ${rows.toLocaleString('en-US')} rows from a simulated week (DuckDB-WASM ${wasm.build})`, value: rows / (appendMs / 1000), unit: 'rows/s', target: { atLeast: 1_000_000 } },
      ];
      const params = resolveParams(layout.store, {}, layout.layout.timezone);
      for (const a of ANALYSES) {
        let wasmTotal = 0;
        let nativeTotal = 0;
        for (const s of a.sections) {
          const sql = s.sql(params);
          wasmTotal += await timeBest(2, () => ws.query(sql));
          nativeTotal += await timeBest(2, () => ns.query(sql));
        }
        const n = `${(readings / 1e6).toFixed(1)}M readings, ${a.sections.length} sections`;
        figures.push({ name: `${a.name}: every section, DuckDB-WASM (Node), ${n}`, value: wasmTotal, unit: 'ms', target: { atMost: 1000 } });
        figures.push({ name: `${a.name}: the same on native DuckDB ${native.version}`, value: nativeTotal, unit: 'ms' });
        figures.push({ name: `${a.name}: WASM / native`, value: wasmTotal / nativeTotal, unit: 'x' });
      }
      return figures;
    } finally {
      wasm.close();
      native.close();
    }
  },
};
