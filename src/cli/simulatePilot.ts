/**
 * `twin simulate --scenario FILE --pilot TESTS+CONTROLS --pre DAYS --post DAYS
 * [--theft-cut SHARE] [--error-cut SHARE] [--volume-spread S] [--seed N] --out DIR`: a simulated pilot in one run.
 * Each store (sim/pilot/pilotStores.ts) gets DIR/<store>/ with layout.json (the layout
 * with its own store id), recording.jsonl, truth.jsonl and summary.json; DIR/pilot.json says
 * which stores are test and control, the periods, the injected effect and the truth's
 * theft and record errors per store and period, with the test stores' counterfactual (the
 * same seed without the cuts) to give the effect the cuts really had.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { formatLayoutJson } from '../../sim/layouts/formatLayoutJson';
import { pilotStores, pilotSpecProblems, type PilotSpec } from '../../sim/pilot/pilotStores';
import type { Scenario } from '../../sim/scenario/Scenario';
import { Simulator } from '../../sim/Simulator';
import type { TruthRecord } from '../../sim/world/Truth';
import { localToUtc } from '../core/zonedTime';
import { LayoutIndex } from '../layout/LayoutIndex';
import { CliError } from './CliError';

/** The pilot file's name in a pilot folder. */
export const PILOT_FILE = 'pilot.json';

/** Theft in the truth at cost, before and after the first post-period day (local midnight). */
interface TheftTotals {
  readonly pre: { units: number; atCost: number };
  readonly post: { units: number; atCost: number };
}

function theftTotals(layout: LayoutIndex, truth: readonly TruthRecord[], postStart: number): TheftTotals {
  const out = { pre: { units: 0, atCost: 0 }, post: { units: 0, atCost: 0 } };
  for (const t of truth) {
    if (t.kind !== 'theft' || !t.sku || !t.units) continue;
    const side = Date.parse(t.ts) < postStart ? out.pre : out.post;
    side.units += t.units;
    side.atCost += t.units * (layout.skus.get(t.sku)?.unitCost ?? 0);
  }
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return { pre: { units: out.pre.units, atCost: r2(out.pre.atCost) }, post: { units: out.post.units, atCost: r2(out.post.atCost) } };
}

/** Record errors in the truth (unscanned moves and misplaced putaways), before and after the first post-period day. */
function recordErrors(truth: readonly TruthRecord[], postStart: number): { pre: number; post: number } {
  const out = { pre: 0, post: 0 };
  for (const t of truth) if (t.kind === 'unscanned_move' || t.kind === 'misplacement') out[Date.parse(t.ts) < postStart ? 'pre' : 'post'] += 1;
  return out;
}

/** Runs a scenario, writing its recording line by line (synchronously: the simulation does not yield to the event loop). */
function simulateTo(layout: LayoutIndex, scenario: Scenario, recordingPath: string | undefined) {
  const fd = recordingPath === undefined ? undefined : openSync(recordingPath, 'w');
  let buf: string[] = [];
  const flush = () => {
    if (fd !== undefined && buf.length) writeSync(fd, buf.join('\n') + '\n');
    buf = [];
  };
  try {
    return new Simulator(layout, scenario, {
      recording: (line) => {
        if (fd === undefined) return;
        buf.push(line);
        if (buf.length >= 4096) flush();
      },
    }).run();
  } finally {
    flush();
    if (fd !== undefined) closeSync(fd);
  }
}

export function simulatePilot(base: LayoutIndex, scenario: Scenario, spec: PilotSpec, out: string): number {
  const problems = pilotSpecProblems(spec);
  if (problems.length) throw new CliError(problems.join('; '));
  const pilot = pilotStores(base.layout, scenario, spec);
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  const tty = process.stderr.isTTY;
  const postStart = localToUtc(pilot.post.from, 0, base.layout.timezone);
  const stores = pilot.stores.map((s, i) => {
    if (tty) process.stderr.write(`\rsimulating ${s.store} (${i + 1} of ${pilot.stores.length})   `);
    const dir = join(out, s.store);
    mkdirSync(dir, { recursive: true });
    const layout = new LayoutIndex(s.layout);
    writeFileSync(join(dir, 'layout.json'), formatLayoutJson(s.layout));
    const result = simulateTo(layout, s.scenario, join(dir, 'recording.jsonl'));
    writeFileSync(join(dir, 'truth.jsonl'), result.truth.map((t) => JSON.stringify(t)).join('\n') + (result.truth.length ? '\n' : ''));
    const incidents: Record<string, number> = {};
    for (const t of result.truth) incidents[t.kind] = (incidents[t.kind] ?? 0) + 1;
    const summary = {
      store: s.store, scenario: scenario.name, seed: s.seed, days: s.scenario.days, volume: s.volume,
      start: new Date(result.start).toISOString(), end: new Date(result.end).toISOString(),
      messages: Object.values(result.messagesByKind).reduce((a, b) => a + b, 0), byTopic: result.messagesByKind, incidents,
      ...(s.scenario.theftCut ? { theftCut: s.scenario.theftCut } : {}),
      ...(s.scenario.recordErrorCut ? { recordErrorCut: s.scenario.recordErrorCut } : {}),
    };
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    const theft = theftTotals(layout, result.truth, postStart);
    const errors = recordErrors(result.truth, postStart);
    // The same store without the cuts, on the same seed: what its theft and record errors would have been.
    const cf = s.counterfactual ? simulateTo(layout, s.counterfactual, undefined).truth : undefined;
    return {
      store: s.store, group: s.group, dir: s.store, volume: s.volume, seed: s.seed, theft, recordErrors: errors,
      ...(cf ? { theftWithoutCut: theftTotals(layout, cf, postStart), recordErrorsWithoutCut: recordErrors(cf, postStart) } : {}),
    };
  });
  if (tty) process.stderr.write('\n');

  const tests = stores.filter((s) => s.group === 'test');
  const withCut = tests.reduce((a, s) => a + s.theft.post.atCost, 0);
  const withoutCut = tests.reduce((a, s) => a + (s.theftWithoutCut?.post.atCost ?? 0), 0);
  const errorsWith = tests.reduce((a, s) => a + s.recordErrors.post, 0);
  const errorsWithout = tests.reduce((a, s) => a + (s.recordErrorsWithoutCut?.post ?? 0), 0);
  const errorCut = spec.errorCut ?? 0;
  const file = {
    version: 1,
    scenario: scenario.name,
    baseStore: base.store,
    seed: scenario.seed,
    pre: pilot.pre,
    post: pilot.post,
    effect: {
      theftCut: spec.theftCut,
      what: `From ${pilot.post.from}, each after-hours, dock and cage theft in the test stores is called off with chance ${spec.theftCut}: theft rates times ${Math.round((1 - spec.theftCut) * 1000) / 1000}.`,
      // What the cut did to the test stores' theft at cost in the post-period, against their counterfactual (same seeds, no cut).
      realisedTheftChange: withoutCut > 0 ? Math.round((withCut / withoutCut - 1) * 10_000) / 10_000 : null,
      errorCut,
      ...(errorCut > 0 ? { errorWhat: `From ${pilot.post.from}, each unscanned move and misplaced putaway in the test stores is called off with chance ${errorCut}: the book stays true where the devices catch the error.` } : {}),
      // The same for the test stores' record errors (unscanned moves and misplaced putaways) in the post-period.
      realisedErrorChange: errorsWithout > 0 ? Math.round((errorsWith / errorsWithout - 1) * 10_000) / 10_000 : null,
    },
    tests: tests.map((s) => s.store),
    controls: stores.filter((s) => s.group === 'control').map((s) => s.store),
    stores,
  };
  writeFileSync(join(out, PILOT_FILE), JSON.stringify(file, null, 2) + '\n');
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  console.log(JSON.stringify({ pilot: out, tests: file.tests, controls: file.controls, pre: pilot.pre, post: pilot.post, effect: file.effect, seconds }));
  return 0;
}
