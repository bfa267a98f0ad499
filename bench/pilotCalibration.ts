/**
 * `npm run calibrate:pilot [-- SEEDS]`: the pilot method checked on the real simulator (issue 12): pilots simulated with a known
 * theft cut in the test stores, each store's recording through the event store's shrink
 * analysis (shrink.by_day at cost), then the difference-in-differences. Over seeds, the 95 %
 * interval should cover the true effect (the test stores' theft change against the same
 * stores without the cut, common random numbers) in 90 % or more, and a pilot with no effect
 * should be called significant in 10 % or fewer.
 *
 * Slow (about 10 s a pilot of 3 + 3 small stores over 7 + 7 days, most of it loading the
 * recordings), so it is a script beside the benchmarks rather than a CI test; the CI test of
 * the method is test/roi/did.test.ts, on synthetic pilots over 200 seeds. Exits 1 below the
 * floors. Environment: TWIN_CALIBRATION_TESTS, _CONTROLS, _PRE, _POST (stores and days).
 *
 * TWIN_CALIBRATION_METRIC=record-accuracy checks record accuracy instead: the test stores'
 * unscanned moves and misplaced putaways are cut by half (TWIN_CALIBRATION_ERROR_CUT), each
 * store goes through `twin pilot --metric record-accuracy`'s own code (runPilot), and the true
 * effect is the test stores' accuracy against the same stores without the cut, in points.
 * runPilot resamples stores for a level; TWIN_CALIBRATION_RESAMPLE=days tries days instead.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pilotStores, type PilotSpec } from '../sim/pilot/pilotStores';
import { parseScenarioText } from '../sim/scenario/parseScenario';
import type { Scenario } from '../sim/scenario/Scenario';
import { Simulator } from '../sim/Simulator';
import { resolveParams } from '../src/analytics/analyses/AnalysisParams';
import { findSections } from '../src/analytics/analyses/index';
import { openNativeDuckDB } from '../src/analytics/openNativeDuckDB';
import { loadRecordingIntoStore } from '../src/cli/loadRecording';
import { localToUtc } from '../src/core/zonedTime';
import { LayoutIndex } from '../src/layout/LayoutIndex';
import { parseLayoutText } from '../src/layout/parseLayout';
import { dailySeries } from '../src/roi/dailySeries';
import { differenceInDifferences, type StoreSeries } from '../src/roi/did';
import { writePilotScenario } from '../test/cli/pilotFixture';
import { mkdirSync, readFileSync } from 'node:fs';
import { formatLayoutJson } from '../sim/layouts/formatLayoutJson';
import { runPilot } from '../src/cli/pilotCommand';
import type { Did } from '../src/roi/did';

const SEEDS = Number(process.argv[2] ?? 10);
const METRIC = process.env.TWIN_CALIBRATION_METRIC ?? 'shrink';
const ERROR_CUT = Number(process.env.TWIN_CALIBRATION_ERROR_CUT ?? 0.5);
const SPEC = {
  tests: Number(process.env.TWIN_CALIBRATION_TESTS ?? 3), controls: Number(process.env.TWIN_CALIBRATION_CONTROLS ?? 3),
  preDays: Number(process.env.TWIN_CALIBRATION_PRE ?? 7), postDays: Number(process.env.TWIN_CALIBRATION_POST ?? 7),
};

/** One pilot: the DiD's interval and the true effect on the test stores' theft at cost in the post-period. */
async function onePilot(dir: string, layout: LayoutIndex, scenario: Scenario, spec: PilotSpec) {
  const pilot = pilotStores(layout.layout, scenario, spec);
  const postStart = localToUtc(pilot.post.from, 0, layout.layout.timezone);
  const theftPost = (truth: readonly { kind: string; ts: string; sku?: string; units?: number }[]) =>
    truth.filter((t) => t.kind === 'theft' && Date.parse(t.ts) >= postStart).reduce((a, t) => a + (t.units ?? 0) * (layout.skus.get(t.sku!)?.unitCost ?? 0), 0);
  const byDay = findSections('shrink.by_day')![0]!;
  const series: StoreSeries[] = [];
  let withCut = 0, without = 0;
  for (const s of pilot.stores) {
    const index = new LayoutIndex(s.layout);
    const lines: string[] = [];
    const { truth } = new Simulator(index, s.scenario, { recording: (l) => lines.push(l) }).run();
    const path = join(dir, `${s.store}.jsonl`);
    writeFileSync(path, lines.join('\n') + '\n');
    if (s.counterfactual) {
      withCut += theftPost(truth);
      without += theftPost(new Simulator(index, s.counterfactual, { recording: () => {} }).run().truth);
    }
    const { duck, store } = await loadRecordingIntoStore(index, path, Date.now, openNativeDuckDB);
    try {
      const rows = (await store.select(byDay.sql(resolveParams(index.store, {}, index.layout.timezone)))).rows;
      const days = rows.map((r) => ({ day: typeof r.day === 'number' ? new Date(r.day).toISOString().slice(0, 10) : String(r.day), value: Number(r.lost_at_cost ?? 0) }));
      series.push({ store: s.store, group: s.group, pre: dailySeries(days, pilot.pre), post: dailySeries(days, pilot.post) });
    } finally {
      duck.close();
    }
  }
  const did = differenceInDifferences(series, { blockDays: Math.min(spec.preDays, spec.postDays) >= 14 ? 7 : 1, replicates: 1000, permutations: 0 });
  return { did, truth: without > 0 ? withCut / without - 1 : 0 };
}

/**
 * One record-accuracy pilot through runPilot: the DiD's interval (absolute, in points) and the
 * true effect, the test stores' mean post-period accuracy less their counterfactuals'.
 */
async function oneAccuracyPilot(dir: string, layout: LayoutIndex, scenario: Scenario, spec: PilotSpec) {
  const pilot = pilotStores(layout.layout, scenario, spec);
  const write = (store: string, s: Scenario, index: LayoutIndex) => {
    const d = join(dir, store);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'layout.json'), formatLayoutJson(index.layout));
    const lines: string[] = [];
    new Simulator(index, s, { recording: (l) => lines.push(l) }).run();
    writeFileSync(join(d, 'recording.jsonl'), lines.join('\n') + '\n');
    return d;
  };
  const tests: string[] = [], controls: string[] = [], counterfactuals: string[] = [];
  for (const s of pilot.stores) {
    const index = new LayoutIndex(s.layout);
    (s.group === 'test' ? tests : controls).push(write(s.store, s.scenario, index));
    if (s.counterfactual) counterfactuals.push(write(`${s.store}-without`, s.counterfactual, index));
  }
  const periods = { pre: `${pilot.pre.from}..${pilot.pre.to}`, post: `${pilot.post.from}..${pilot.post.to}`, metric: 'record-accuracy' as const, blockDays: 1,
    ...(process.env.TWIN_CALIBRATION_RESAMPLE ? { resample: process.env.TWIN_CALIBRATION_RESAMPLE as 'days' | 'stores' } : {}) };
  const run = await runPilot({ test: tests, control: controls, ...periods });
  let truth = 0;
  if (counterfactuals.length) {
    const without = await runPilot({ test: tests, control: counterfactuals, ...periods });
    const post = (dir: string) => without.series.find((s) => s.dir === dir)!.post;
    let n = 0;
    tests.forEach((t, i) => post(t).forEach((v, d) => { truth += v - post(counterfactuals[i]!)[d]!; n++; }));
    truth /= n;
  }
  rmSync(dir, { recursive: true, force: true });
  return { did: run.result, truth };
}

async function accuracyCalibration(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'twin-calibration-'));
  const parsedScenario = parseScenarioText(readFileSync(writePilotScenario(dir, 'errors'), 'utf8'));
  const parsedLayout = parseLayoutText(readFileSync(join(dir, 'small.layout.json'), 'utf8'));
  if (!parsedScenario.ok || !parsedLayout.ok) throw new Error('fixture');
  const layout = new LayoutIndex(parsedLayout.layout);
  let covered = 0, detected = 0, nullSignificant = 0, failed = 0, estimates = 0, truths = 0;
  const started = performance.now();
  const interval = (d: Did) => d.absolute;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const scenario = { ...parsedScenario.scenario, seed: seed * 101 };
    const cut = await oneAccuracyPilot(join(dir, `cut-${seed}`), layout, scenario, { ...SPEC, theftCut: 0, errorCut: ERROR_CUT });
    if (!cut.did.ok) console.info(`seed ${seed}: no estimate: ${cut.did.problems.map((p) => p.message).join('; ')}`);
    if (!cut.did.ok) failed++;
    else {
      const i = interval(cut.did);
      estimates += i.estimate;
      truths += cut.truth;
      if (cut.did.significant && i.estimate > 0) detected++;
      if (i.low <= cut.truth && cut.truth <= i.high) covered++;
    }
    const none = await oneAccuracyPilot(join(dir, `none-${seed}`), layout, scenario, { ...SPEC, theftCut: 0, errorCut: 0 });
    if (!none.did.ok) failed++;
    else if (none.did.significant) nullSignificant++;
    if (cut.did.ok) console.info(`seed ${seed}: means ${JSON.stringify(cut.did.means)}; ${cut.did.method}; ${cut.did.warnings.map((w) => w.message).join(' ')}`);
    console.info(`seed ${seed}: estimate ${cut.did.ok ? interval(cut.did).estimate.toFixed(2) : '-'} points (${cut.did.ok ? `${interval(cut.did).low.toFixed(2)} to ${interval(cut.did).high.toFixed(2)}` : 'none'}), true ${cut.truth.toFixed(2)}; no-effect significant: ${none.did.ok && none.did.significant}`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.info(`record-accuracy calibration: ${SEEDS} seeds a side in ${seconds.toFixed(0)} s (${(seconds / (2 * SEEDS)).toFixed(1)} s a pilot), record errors cut by ${ERROR_CUT}; the 95 % interval covered the true effect in ${covered} of ${SEEDS}, mean estimate ${(estimates / SEEDS).toFixed(2)} points against a mean true effect of ${(truths / SEEDS).toFixed(2)}, called significant in ${detected}; no-effect pilots called significant: ${nullSignificant} of ${SEEDS}; no estimate: ${failed}`);
  rmSync(dir, { recursive: true, force: true });
  const ok = covered / SEEDS >= 0.9 && nullSignificant / SEEDS <= 0.1;
  console.info(ok ? 'within the floors (coverage >= 90 %, false positives <= 10 %)' : 'BELOW the floors (coverage >= 90 %, false positives <= 10 %)');
  return ok ? 0 : 1;
}

async function main(): Promise<number> {
  if (METRIC === 'record-accuracy') return accuracyCalibration();
  if (METRIC !== 'shrink') throw new Error(`TWIN_CALIBRATION_METRIC is shrink or record-accuracy, not ${METRIC}`);
  {
    const dir = mkdtempSync(join(tmpdir(), 'twin-calibration-'));
    const parsedScenario = parseScenarioText(readFileSync(writePilotScenario(dir), 'utf8'));
    const parsedLayout = parseLayoutText(readFileSync(join(dir, 'small.layout.json'), 'utf8'));
    if (!parsedScenario.ok || !parsedLayout.ok) throw new Error('fixture');
    const layout = new LayoutIndex(parsedLayout.layout);
    let covered = 0, detected = 0, nullSignificant = 0, failed = 0, estimates = 0, truths = 0;
    const started = performance.now();
    for (let seed = 1; seed <= SEEDS; seed++) {
      const scenario = { ...parsedScenario.scenario, seed: seed * 101 };
      const cut = await onePilot(dir, layout, scenario, { ...SPEC, theftCut: 1 / 3 });
      if (!cut.did.ok) failed++;
      else {
        estimates += cut.did.relative.estimate;
        truths += cut.truth;
        if (cut.did.significant && cut.did.relative.estimate < 0) detected++;
        if (cut.did.relative.low <= cut.truth && cut.truth <= cut.did.relative.high) covered++;
      }
      const none = await onePilot(dir, layout, scenario, { ...SPEC, theftCut: 0 });
      if (!none.did.ok) failed++;
      else if (none.did.significant) nullSignificant++;
    }
    const seconds = (performance.now() - started) / 1000;
    console.info(`calibration: ${SEEDS} seeds a side in ${seconds.toFixed(0)} s (${(seconds / (2 * SEEDS)).toFixed(1)} s a pilot); the 95 % interval covered the true effect in ${covered} of ${SEEDS}, mean estimate ${(estimates / SEEDS * 100).toFixed(1)} % against a mean true effect of ${(truths / SEEDS * 100).toFixed(1)} %, called significant in ${detected}; no-effect pilots called significant: ${nullSignificant} of ${SEEDS}; no estimate: ${failed}`);
    rmSync(dir, { recursive: true, force: true });
    const ok = covered / SEEDS >= 0.9 && nullSignificant / SEEDS <= 0.1;
    console.info(ok ? 'within the floors (coverage >= 90 %, false positives <= 10 %)' : 'BELOW the floors (coverage >= 90 %, false positives <= 10 %)');
    return ok ? 0 : 1;
  }
}

if (!Number.isInteger(SEEDS) || SEEDS < 1) {
  console.error(`usage: npm run calibrate:pilot [-- SEEDS]; SEEDS is a whole number >= 1, not ${process.argv[2]}`);
  process.exit(2);
}
console.info(`calibrating ${METRIC} on ${SEEDS} seeds a side, ${SPEC.tests}+${SPEC.controls} stores, ${SPEC.preDays}+${SPEC.postDays} days`);
process.exit(await main());
