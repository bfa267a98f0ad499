/**
 * A simulated pilot: test stores that get the devices and control stores that do not, all
 * the same layout at different volumes, over a pre-period and a post-period; in the
 * post-period the test stores' thefts are cut by a known share (Scenario.theftCut), and their
 * record errors too if asked (Scenario.recordErrorCut), so the difference-in-differences of
 * src/roi/did.ts can be checked against a known effect on shrink and on record accuracy.
 *
 * Test store i and control store i run at the same volume (a matched pair by size); every
 * store has its own seed. A test store's counterfactual (the same store without the cut) is
 * its scenario without the cuts and the same seed: common random numbers, so it differs
 * only where a theft was called off.
 */
import type { Layout } from '../../src/layout/Layout';
import { addDays } from '../../src/core/zonedTime';
import type { Scenario } from '../scenario/Scenario';

export interface PilotSpec {
  /** Test (pilot) stores, 1 or more. */
  readonly tests: number;
  /** Control stores, 1 or more. */
  readonly controls: number;
  /** Days before the devices, 1 or more; preDays + postDays at most 60. */
  readonly preDays: number;
  /** Days with the devices, 1 or more. */
  readonly postDays: number;
  /** Share (0..1) of the test stores' thefts called off in the post-period: the injected effect. */
  readonly theftCut: number;
  /** Share (0..1) of the test stores' unscanned moves and misplaced putaways called off in the post-period (default 0). */
  readonly errorCut?: number;
  /** Volumes run evenly from (1 - spread) to (1 + spread) times the scenario's, 0..0.9 (default 0.2). */
  readonly volumeSpread?: number;
}

export interface PilotStore {
  /** The layout's store id with -t1, -t2 ... for test stores, -c1 ... for controls. */
  readonly store: string;
  readonly group: 'test' | 'control';
  /** The scenario's volume times this store's factor. */
  readonly volume: number;
  readonly seed: number;
  /** The layout with this store's id: every topic of its recording carries it. */
  readonly layout: Layout;
  /** What it runs: pre + post days, the cuts on test stores from the first post day. */
  readonly scenario: Scenario;
  /** Test stores only: the same store without the cuts, on the same seed. */
  readonly counterfactual?: Scenario;
}

/** Local dates, inclusive. */
export interface Period {
  readonly from: string;
  readonly to: string;
  readonly days: number;
}

export interface Pilot {
  readonly stores: readonly PilotStore[];
  readonly pre: Period;
  readonly post: Period;
}

/** A spec's problems, one a line; empty when it can run. */
export function pilotSpecProblems(spec: PilotSpec): string[] {
  const out: string[] = [];
  const whole = (v: number, name: string, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) out.push(`${name} must be a whole number from ${min} to ${max}, not ${v}`);
  };
  whole(spec.tests, 'test stores', 1, 50);
  whole(spec.controls, 'control stores', 1, 50);
  whole(spec.preDays, 'pre-period days', 1, 59);
  whole(spec.postDays, 'post-period days', 1, 59);
  if (spec.preDays + spec.postDays > 60) out.push(`pre + post must be at most 60 days, not ${spec.preDays + spec.postDays}`);
  if (!(spec.theftCut >= 0 && spec.theftCut <= 1)) out.push(`the theft cut must be a share from 0 to 1, not ${spec.theftCut}`);
  const errorCut = spec.errorCut ?? 0;
  if (!(errorCut >= 0 && errorCut <= 1)) out.push(`the record-error cut must be a share from 0 to 1, not ${errorCut}`);
  const spread = spec.volumeSpread ?? 0.2;
  if (!(spread >= 0 && spread <= 0.9)) out.push(`the volume spread must be from 0 to 0.9, not ${spread}`);
  return out;
}

/** The stores of a pilot on a layout and scenario (its start, workload, incidents, seed). Throws a RangeError on a bad spec. */
export function pilotStores(layout: Layout, scenario: Scenario, spec: PilotSpec): Pilot {
  const problems = pilotSpecProblems(spec);
  if (problems.length) throw new RangeError(problems.join('; '));
  const spread = spec.volumeSpread ?? 0.2;
  const pairs = Math.max(spec.tests, spec.controls);
  // Pair i's factor, evenly spaced; with one pair, the scenario's own volume.
  const factor = (i: number) => (pairs === 1 ? 1 : 1 - spread + (2 * spread * i) / (pairs - 1));
  const days = spec.preDays + spec.postDays;
  const stores: PilotStore[] = [];
  const add = (group: 'test' | 'control', i: number) => {
    const store = `${layout.store}-${group === 'test' ? 't' : 'c'}${i + 1}`;
    // Far-apart seeds per store, the same for a store with and without the cut.
    const seed = (scenario.seed + 7919 * (stores.length + 1)) >>> 0;
    const volume = Math.round(scenario.workload.volume * factor(i) * 1000) / 1000;
    const { theftCut: _, recordErrorCut: __, ...base } = scenario;
    const plain: Scenario = { ...base, days, seed, workload: { ...scenario.workload, volume } };
    const withCut: Scenario = {
      ...plain,
      theftCut: { fromDay: spec.preDays, share: spec.theftCut },
      ...(spec.errorCut ? { recordErrorCut: { fromDay: spec.preDays, share: spec.errorCut } } : {}),
    };
    stores.push({
      store, group, volume, seed,
      layout: { ...layout, store },
      scenario: group === 'test' ? withCut : plain,
      ...(group === 'test' ? { counterfactual: plain } : {}),
    });
  };
  for (let i = 0; i < spec.tests; i++) add('test', i);
  for (let i = 0; i < spec.controls; i++) add('control', i);
  return {
    stores,
    pre: { from: scenario.start, to: addDays(scenario.start, spec.preDays - 1), days: spec.preDays },
    post: { from: addDays(scenario.start, spec.preDays), to: addDays(scenario.start, days - 1), days: spec.postDays },
  };
}
