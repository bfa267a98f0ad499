/**
 * A simulated pilot's stores, and the theft cut that is its injected effect: the cut calls
 * off thefts from its day on and nothing before, and the same seed with and without it gives
 * the same store until then (common random numbers); a cut of 0 changes no byte.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pilotSpecProblems, pilotStores } from '../../../sim/pilot/pilotStores';
import { parseScenario, parseScenarioText } from '../../../sim/scenario/parseScenario';
import type { Scenario } from '../../../sim/scenario/Scenario';
import { Simulator } from '../../../sim/Simulator';
import { LayoutIndex } from '../../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../../src/layout/parseLayout';

const ROOT = join(import.meta.dirname, '../../..');
const parsed = parseLayoutText(readFileSync(join(ROOT, 'scenarios/layouts/apparel-compact.layout.json'), 'utf8'));
if (!parsed.ok) throw new Error('layout');
const LAYOUT = new LayoutIndex(parsed.layout);
const base = parseScenarioText(readFileSync(join(ROOT, 'scenarios/baseline-apparel.scenario.json'), 'utf8'));
if (!base.ok) throw new Error('scenario');
/** Two days with a theft every hour or two. */
const THEFTS: Scenario = { ...base.scenario, days: 2, incidents: { ...base.scenario.incidents, afterHoursTheftPerWeek: 40, dockTheftPerWeek: 40, cageAccessTheftPerWeek: 10 } };

function run(s: Scenario) {
  const lines: string[] = [];
  const { truth } = new Simulator(LAYOUT, s, { recording: (l) => lines.push(l) }).run();
  return { lines, truth };
}

const CUT_KINDS = new Set(['after_hours', 'dock_walkout', 'cage_access']);

describe('the theft cut', () => {
  it('of 0 changes no byte; from day 1 it leaves day 0 alone and calls off the thefts after', () => {
    const plain = run(THEFTS);
    expect(run({ ...THEFTS, theftCut: { fromDay: 0, share: 0 } }).lines).toEqual(plain.lines);
    const cut = run({ ...THEFTS, theftCut: { fromDay: 1, share: 1 } });
    const day1 = Date.parse('2026-11-17T05:00:00Z'); // local midnight, America/New_York
    const before = (t: { ts: string }) => Date.parse(t.ts) < day1;
    expect(cut.truth.filter(before)).toEqual(plain.truth.filter(before));
    const theftsAfter = (truth: typeof plain.truth) => truth.filter((t) => !before(t) && t.kind === 'theft' && CUT_KINDS.has(t.subtype ?? ''));
    expect(theftsAfter(plain.truth).length).toBeGreaterThan(3);
    expect(theftsAfter(cut.truth)).toEqual([]);
  }, 120_000);

  it('is read from a scenario file, every problem listed', () => {
    const ok = parseScenario({ ...THEFTS, theftCut: { fromDay: 3, share: 0.33 } });
    expect(ok.ok && ok.scenario.theftCut).toEqual({ fromDay: 3, share: 0.33 });
    const bad = parseScenario({ ...THEFTS, theftCut: { fromDay: -1, share: 2, when: 'later' } });
    expect(!bad.ok && bad.problems.map((p) => p.path).sort()).toEqual(['theftCut.fromDay', 'theftCut.share', 'theftCut.when']);
  });
});

/** Two days with many unscanned moves and misplaced putaways. */
const ERRORS: Scenario = { ...base.scenario, days: 2, incidents: { ...base.scenario.incidents, unscannedMoveRate: 0.3, misplacementRate: 0.3 } };
const ERROR_KINDS = new Set(['unscanned_move', 'misplacement']);

describe('the record-error cut', () => {
  it('of 0 changes no byte; from day 1 it leaves day 0 alone and calls off the unscanned moves and misplacements after', () => {
    const plain = run(ERRORS);
    expect(run({ ...ERRORS, recordErrorCut: { fromDay: 0, share: 0 } }).lines).toEqual(plain.lines);
    const cut = run({ ...ERRORS, recordErrorCut: { fromDay: 1, share: 1 } });
    const day1 = Date.parse('2026-11-17T05:00:00Z');
    const before = (t: { ts: string }) => Date.parse(t.ts) < day1;
    expect(cut.truth.filter(before)).toEqual(plain.truth.filter(before));
    const errorsAfter = (truth: typeof plain.truth) => truth.filter((t) => !before(t) && ERROR_KINDS.has(t.kind));
    expect(errorsAfter(plain.truth).length).toBeGreaterThan(5);
    expect(errorsAfter(cut.truth)).toEqual([]);
    // A half cut calls off some and keeps some.
    const half = errorsAfter(run({ ...ERRORS, recordErrorCut: { fromDay: 1, share: 0.5 } }).truth).length;
    expect(half).toBeGreaterThan(0);
    expect(half).toBeLessThan(errorsAfter(plain.truth).length);
  }, 120_000);

  it('is read from a scenario file, every problem listed', () => {
    const ok = parseScenario({ ...ERRORS, recordErrorCut: { fromDay: 2, share: 0.5 } });
    expect(ok.ok && ok.scenario.recordErrorCut).toEqual({ fromDay: 2, share: 0.5 });
    const bad = parseScenario({ ...ERRORS, recordErrorCut: { fromDay: 1.5, share: -1, who: 'x' } });
    expect(!bad.ok && bad.problems.map((p) => p.path).sort()).toEqual(['recordErrorCut.fromDay', 'recordErrorCut.share', 'recordErrorCut.who']);
  });
});

describe('a pilot\'s stores', () => {
  it('pairs test and control stores by volume, each with its own id and seed, the cut on the test stores from the post-period', () => {
    const p = pilotStores(LAYOUT.layout, THEFTS, { tests: 3, controls: 2, preDays: 4, postDays: 3, theftCut: 0.33 });
    expect(p.stores.map((s) => s.store)).toEqual(['store-017-t1', 'store-017-t2', 'store-017-t3', 'store-017-c1', 'store-017-c2']);
    expect(p.stores.map((s) => s.layout.store)).toEqual(p.stores.map((s) => s.store));
    expect(p.stores.map((s) => s.volume)).toEqual([0.8, 1, 1.2, 0.8, 1]);
    expect(new Set(p.stores.map((s) => s.seed)).size).toBe(5);
    expect(p.pre).toEqual({ from: '2026-11-16', to: '2026-11-19', days: 4 });
    expect(p.post).toEqual({ from: '2026-11-20', to: '2026-11-22', days: 3 });
    for (const s of p.stores) {
      expect(s.scenario.days).toBe(7);
      expect(s.scenario.theftCut).toEqual(s.group === 'test' ? { fromDay: 4, share: 0.33 } : undefined);
      expect(s.counterfactual === undefined).toBe(s.group === 'control');
      if (s.counterfactual) expect(s.counterfactual).toEqual({ ...s.scenario, theftCut: undefined } as unknown as Scenario);
      expect(s.scenario.recordErrorCut).toBeUndefined();
    }
  });

  it('cuts the test stores\' record errors too when asked, and their counterfactual has neither cut', () => {
    const p = pilotStores(LAYOUT.layout, THEFTS, { tests: 2, controls: 2, preDays: 3, postDays: 3, theftCut: 0, errorCut: 0.5 });
    for (const s of p.stores) {
      expect(s.scenario.recordErrorCut).toEqual(s.group === 'test' ? { fromDay: 3, share: 0.5 } : undefined);
      if (s.counterfactual) expect(s.counterfactual.recordErrorCut ?? s.counterfactual.theftCut).toBeUndefined();
    }
  });

  it('lists every problem of a bad spec', () => {
    expect(pilotSpecProblems({ tests: 0, controls: 1.5, preDays: 40, postDays: 30, theftCut: 2, errorCut: 1.5, volumeSpread: 1 })).toHaveLength(6);
    expect(() => pilotStores(LAYOUT.layout, THEFTS, { tests: 0, controls: 1, preDays: 1, postDays: 1, theftCut: 0 })).toThrow(/test stores must be/);
  });
});
