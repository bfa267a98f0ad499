/**
 * The shrink and variance analyses against the simulator's truth, on the shipped scenarios:
 * each scenario runs in memory, its recording goes through the ingest pipeline into the
 * event store (DuckDB-WASM), and the analyses' answers are compared with what the
 * simulator says really happened.
 *
 * The truth the shrink analysis should find is the stock that left the back room's slots
 * with nothing booked: thefts from slots (after hours, at the dock, from the cage) and
 * moves to the sales floor nobody scanned. (Sweethearting and phantom receipts never reach
 * a slot; the analysis reports them as booked-but-never-shelved, not as slot loss.) A load
 * cell that died or stuck sees nothing from the local day it failed; the analysis leaves
 * such slots out from that day, and so does the truth it is compared with.
 *
 * Heartbeats are stretched to 15 minutes: a heartbeat only repeats a slot's unchanged
 * weight, so it changes nothing the analyses read, and it keeps the test fast.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../sim/scenario/parseScenario';
import { Simulator } from '../../sim/Simulator';
import type { TruthRecord } from '../../sim/world/Truth';
import type { TwinEvent } from '../../src/contract/messages';
import { EventStore, type Row } from '../../src/analytics/EventStore';
import { openDuckDB, type NodeDuckDB } from '../../src/analytics/openDuckDB';
import { resolveParams } from '../../src/analytics/analyses/AnalysisParams';
import { findSections } from '../../src/analytics/analyses/index';
import { STUCK_REPEATS } from '../../src/analytics/MovementDeriver';
import { Ingest } from '../../src/ingest/Ingest';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';
import { zoneOffset } from '../../src/core/zonedTime';

const ROOT = join(import.meta.dirname, '../..');
const HEARTBEAT_S = 900;

interface Outcome {
  truth: readonly TruthRecord[];
  end: number;
  /** The local day (days since 1970) of a record's time, in the store's zone. */
  dayOf: (iso: string) => number;
  summary: Row;
  phantom: Row[];
}

async function runScenario(duck: NodeDuckDB, name: string): Promise<Outcome> {
  const sr = parseScenarioText(readFileSync(join(ROOT, 'scenarios', `${name}.scenario.json`), 'utf8'));
  if (!sr.ok) throw new Error(`${name}: ${JSON.stringify(sr.problems)}`);
  const lr = parseLayoutText(readFileSync(join(ROOT, 'scenarios', sr.scenario.layout), 'utf8'));
  if (!lr.ok) throw new Error(`${name}: layout`);
  const layout = new LayoutIndex(lr.layout);
  const store = await EventStore.open(duck.connection, layout);
  let batch: TwinEvent[] = [];
  const ingest = new Ingest(layout, { onEvent: (e) => batch.push(e) });
  let line = 0;
  const scenario = { ...sr.scenario, sensors: { ...sr.scenario.sensors, heartbeatSeconds: HEARTBEAT_S } };
  const sim = new Simulator(layout, scenario, { recording: (l) => ingest.pushLine(l, ++line, 0) });
  for (const _ of sim.steps()) {
    if (batch.length >= 50_000) {
      await store.append(batch);
      batch = [];
    }
  }
  await store.append(batch);
  const params = resolveParams(layout.store);
  const run = (id: string) => store.query(findSections(id)![0]!.sql(params));
  const dayOf = (iso: string) => {
    const t = Date.parse(iso);
    return Math.floor((t + zoneOffset(t, layout.layout.timezone)) / 86_400_000);
  };
  return { truth: sim.truth, end: sim.end, dayOf, summary: (await run('shrink.summary'))[0]!, phantom: await run('variance.phantom') };
}

const units = (truth: readonly TruthRecord[], keep: (t: TruthRecord) => boolean) => truth.filter(keep).reduce((a, t) => a + (t.units ?? 0), 0);

/** Thefts from slots and unscanned moves, except on a slot whose cell had failed by that local day. */
function removedFromSeenSlots(o: Outcome): (t: TruthRecord) => boolean {
  const failed = new Map<string, number>();
  for (const t of o.truth) if (t.kind === 'sensor_fault' && t.slot) failed.set(t.slot, Math.min(failed.get(t.slot) ?? Infinity, o.dayOf(t.ts)));
  return (t) =>
    ((t.kind === 'theft' && t.subtype !== 'sweethearting') || t.kind === 'unscanned_move') && !(t.slot && o.dayOf(t.ts) >= (failed.get(t.slot) ?? Infinity));
}

const SCENARIOS = ['baseline-apparel', 'baseline-gm', 'theft-heavy-gm', 'phantom-inventory-gm', 'holiday-peak-gm', 'flaky-sensors-gm'];

describe.each(SCENARIOS)('scenario %s against its truth', (name) => {
  let duck: NodeDuckDB;
  let outcome: Outcome;
  beforeAll(async () => {
    duck = await openDuckDB();
    outcome = await runScenario(duck, name);
  }, 120_000);
  afterAll(() => duck.close());

  it('finds the units lost from the slots within 5 % of the truth', () => {
    const lost = units(outcome.truth, removedFromSeenSlots(outcome));
    const faults = outcome.truth.filter((t) => t.kind === 'sensor_fault').length;
    console.log(`${name}: lost ${outcome.summary.lost_units} (truth ${lost}), found ${outcome.summary.found_units}, blind slots ${outcome.summary.blind_slots} (faults ${faults})`);
    expect(lost).toBeGreaterThan(0);
    expect(Math.abs(Number(outcome.summary.lost_units) - lost) / lost).toBeLessThanOrEqual(0.05);
    // Every failed cell is found and its slot left out: a dead one by its Last Will, a stuck
    // one once it has repeated a reading STUCK_REPEATS times, so not one that stuck too close
    // to the end of the run.
    const detectable = outcome.truth.filter((t) => t.subtype === 'dead' || (t.subtype === 'stuck' && Date.parse(t.ts) + STUCK_REPEATS * HEARTBEAT_S * 1000 < outcome.end));
    expect(outcome.summary.blind_slots).toBeGreaterThanOrEqual(new Set(detectable.map((t) => t.slot)).size);
    expect(outcome.summary.blind_slots).toBeLessThanOrEqual(new Set(outcome.truth.filter((t) => t.kind === 'sensor_fault').map((t) => t.slot)).size);
  });

  it('sets misplaced stock apart within 5 % of the truth where every cell works', () => {
    const misplaced = units(outcome.truth, (t) => t.kind === 'misplacement');
    const faults = outcome.truth.some((t) => t.kind === 'sensor_fault');
    console.log(`${name}: misplaced ${outcome.summary.misplaced_units} (truth ${misplaced})`);
    // With failed cells, stock put on a blind slot cannot be matched; the figure is in the log.
    if (faults) expect(Number(outcome.summary.misplaced_units)).toBeLessThanOrEqual(misplaced * 1.05);
    else expect(Math.abs(Number(outcome.summary.misplaced_units) - misplaced) / misplaced).toBeLessThanOrEqual(0.05);
  });

  it('lists at least 90 % of the SKUs the truth says ended as phantom stock', () => {
    const truth = new Set(outcome.truth.filter((t) => t.kind === 'phantom_stock').map((t) => t.sku));
    const found = new Set(outcome.phantom.map((r) => r.sku));
    const hit = [...truth].filter((s) => found.has(s)).length;
    console.log(`${name}: phantom SKUs ${found.size} listed, ${truth.size} in the truth, ${hit} of them listed`);
    // The scenario made for it must produce phantoms; in the others counts mostly prevent them.
    if (name === 'phantom-inventory-gm') expect(truth.size).toBeGreaterThanOrEqual(5);
    if (truth.size > 0) expect(hit / truth.size).toBeGreaterThanOrEqual(0.9);
    // Nothing listed that the truth does not know as phantom.
    expect([...found].filter((s) => !truth.has(s as string))).toEqual([]);
  });
});
