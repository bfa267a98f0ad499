import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioText } from '../../sim/scenario/parseScenario';
import type { Scenario } from '../../sim/scenario/Scenario';
import { Simulator } from '../../sim/Simulator';
import { expectedOnHand } from '../../sim/world/Stock';
import { Ingest } from '../../src/ingest/Ingest';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';
import { presentBadges } from '../../src/twin/TwinState';

const ROOT = join(import.meta.dirname, '../..');
const layoutOf = (file: string) => {
  const r = parseLayoutText(readFileSync(join(ROOT, 'scenarios/layouts', file), 'utf8'));
  if (!r.ok) throw new Error('layout');
  return new LayoutIndex(r.layout);
};
const APPAREL = layoutOf('apparel-compact.layout.json');

function scenario(
  over: Omit<Partial<Scenario>, 'incidents' | 'workload' | 'sensors'> & { incidents?: Partial<Scenario['incidents']>; workload?: Partial<Scenario['workload']>; sensors?: Partial<Scenario['sensors']> } = {},
): Scenario {
  const base = parseScenarioText(readFileSync(join(ROOT, 'scenarios/baseline-apparel.scenario.json'), 'utf8'));
  if (!base.ok) throw new Error('scenario');
  const b = base.scenario;
  return { ...b, days: 2, ...over, incidents: { ...b.incidents, ...over.incidents }, workload: { ...b.workload, ...over.workload }, sensors: { ...b.sensors, ...over.sensors } };
}

function simulate(s: Scenario, layout = APPAREL) {
  const lines: string[] = [];
  const result = new Simulator(layout, s, { recording: (l) => lines.push(l) }).run();
  return { lines, result };
}

const NO_INCIDENTS = {
  afterHoursTheftPerWeek: 0, dockTheftPerWeek: 0, cageAccessTheftPerWeek: 0, shortShipmentRate: 0, receivingErrorRate: 0, misplacementRate: 0, unscannedMoveRate: 0, sweetheartingRate: 0, phantomReceiptRate: 0,
};
const MANY_INCIDENTS = {
  afterHoursTheftPerWeek: 14, dockTheftPerWeek: 14, cageAccessTheftPerWeek: 14, shortShipmentRate: 1, receivingErrorRate: 0.3, misplacementRate: 0.2, unscannedMoveRate: 0.2, sweetheartingRate: 1, phantomReceiptRate: 1,
};
const FAULTY_SENSORS = { deadCellRate: 0.05, stuckCellRate: 0.05, badMessagesPerDay: 40, driftGramsPerDay: 2 };

describe('scenario files', () => {
  it('lists every problem, unknown fields included', () => {
    const r = parseScenario({
      version: 2,
      layout: '',
      start: '2026-13-01',
      days: 0,
      workload: { unitsSoldPerDay: -1, volumme: 2 },
      incidents: { theftPerWeek: 3, shortShipmentRate: 1.5 },
      staffing: { shifts: [{ start: '6am', end: '14:00', associates: 1.5 }] },
      sensors: { heartbeatSeconds: 120, postingLagMinutes: [10, 1] },
      colour: 'blue',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path).sort()).toEqual(
      [
        'colour', 'version', 'name', 'layout', 'start', 'days', 'workload.volumme', 'workload.unitsSoldPerDay', 'incidents.theftPerWeek',
        'incidents.shortShipmentRate', 'sensors.heartbeatSeconds', 'sensors.postingLagMinutes', 'staffing.shifts[0].start', 'staffing.shifts[0].associates',
      ].sort(),
    );
  });

  it('fills defaults so a minimal file runs', () => {
    const r = parseScenario({ version: 1, name: 'Minimal', layout: 'x.json', start: '2026-11-16', days: 1 });
    expect(r.ok && r.scenario.sensors.heartbeatSeconds).toBe(60);
    expect(r.ok && r.scenario.staffing.shifts.length).toBeGreaterThan(0);
  });

  const shipped = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.scenario.json'));
  it('ships a baseline for each example layout, theft-heavy, phantom-inventory, holiday-peak, flaky-sensors, theft-pilot and vision-faults weeks', () => {
    expect(shipped.map((f) => f.replace('.scenario.json', '')).sort()).toEqual(
      ['baseline-apparel', 'baseline-gm', 'flaky-sensors-gm', 'holiday-peak-gm', 'phantom-inventory-gm', 'theft-heavy-gm', 'theft-pilot-apparel', 'vision-faults-gm'],
    );
  });
  it.each(shipped)('ships %s, which parses and names a layout that loads', (file) => {
    const r = parseScenarioText(readFileSync(join(ROOT, 'scenarios', file), 'utf8'));
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (r.ok) expect(parseLayoutText(readFileSync(join(ROOT, 'scenarios', r.scenario.layout), 'utf8')).ok).toBe(true);
  });
});

describe('the simulator', () => {
  const busy = scenario({ incidents: MANY_INCIDENTS, sensors: FAULTY_SENSORS, workload: { returnsPerDay: 20, transfersPerWeek: 40, damagePerWeek: 14 }, seed: 3, days: 3 }); // day 3 has a delivery
  const run = simulate(busy);

  it('gives byte-identical recordings for the same scenario and seed, and others for another seed', () => {
    const hash = (ls: string[]) => createHash('sha256').update(ls.join('\n')).digest('hex');
    expect(hash(simulate(busy).lines)).toBe(hash(run.lines));
    expect(hash(simulate({ ...busy, seed: 4 }).lines)).not.toBe(hash(run.lines));
  });

  it('emits only messages the contract accepts, but for the bad ones it injected, which the quarantine catches one for one', () => {
    const ingest = new Ingest(APPAREL);
    run.lines.forEach((l, i) => ingest.pushLine(l, i + 1, 0));
    const t = ingest.totals();
    const injected = run.result.truth.filter((x) => x.kind === 'bad_message');
    expect(injected.length).toBeGreaterThan(40);
    const byReason: Record<string, number> = {};
    for (const b of injected) byReason[b.reason!] = (byReason[b.reason!] ?? 0) + 1;
    expect(t.reasons).toEqual(byReason);
    expect(ingest.quarantine.entries.map((e) => e.message.topic)).toEqual(injected.map((b) => b.topic));
    expect(t.duplicates).toBe(0);
    expect(t.accepted).toBe(run.lines.length - injected.length);
    const received = run.lines.map((l) => Date.parse(JSON.parse(l).received));
    expect(received.every((r, i) => i === 0 || r >= received[i - 1]!)).toBe(true);
  });

  it('publishes every live load cell at least once a heartbeat period', () => {
    const last = new Map<string, number>();
    const dead = new Set(run.result.truth.filter((t) => t.subtype === 'dead').map((t) => t.slot));
    const known = new Set([...APPAREL.slots.values()].map((s) => `backroom/v1/${APPAREL.store}/shelf/${s.shelf}/slot/${s.id}/weight`));
    let worst = 0;
    for (const l of run.lines) {
      const o = JSON.parse(l);
      const valid = known.has(o.topic) && /"grams":[-\d.]+,"seq"/.test(o.payload);
      if (!valid || dead.has(o.topic.split('/')[6])) continue;
      const t = Date.parse(o.received);
      const prev = last.get(o.topic);
      if (prev !== undefined) worst = Math.max(worst, t - prev);
      last.set(o.topic, t);
    }
    expect(last.size).toBe(APPAREL.slotCount - dead.size);
    expect(worst).toBeLessThanOrEqual(busy.sensors.heartbeatSeconds * 1000 + 5000);
  });

  it('silences dead cells after their Last Will and freezes stuck ones', () => {
    const faults = run.result.truth.filter((t) => t.kind === 'sensor_fault');
    expect(faults.map((f) => f.subtype).sort()).toEqual(expect.arrayContaining(['dead', 'stuck']));
    for (const f of faults) {
      const topic = `backroom/v1/${APPAREL.store}/shelf/${f.shelf}/slot/${f.slot}/weight`;
      const readings = run.lines.map((l) => JSON.parse(l)).filter((o) => o.topic === topic && /"grams":/.test(o.payload) && o.payload.endsWith('}'));
      const after = readings.filter((o) => Date.parse(o.received) > Date.parse(f.ts) + 5000);
      if (f.subtype === 'dead') {
        expect(after).toEqual([]);
        expect(run.lines.some((l) => l.includes(`/status/${f.slot}"`) && l.includes('online\\":false') && l.includes('"retain":true'))).toBe(true);
      } else {
        expect(new Set(after.map((o) => JSON.parse(o.payload).grams)).size).toBeLessThanOrEqual(1);
      }
    }
  });

  it('lets drifting cells slide away from the weight on them, at the rate asked, each in the truth; a drift rate of 0 draws nothing', () => {
    const quiet = scenario({ days: 2, incidents: NO_INCIDENTS });
    const drifting = simulate({ ...quiet, sensors: { ...quiet.sensors, driftCellRate: 0.5, driftCellGramsPerHour: 600 } });
    const faults = drifting.result.truth.filter((t) => t.kind === 'sensor_fault' && t.subtype === 'drift');
    expect(faults.length).toBeGreaterThan(APPAREL.slotCount * 0.3);
    expect(faults.length).toBeLessThan(APPAREL.slotCount * 0.7);
    // From 01:00 to 05:00 local on the second night nothing moves in the room: a cell drifting
    // since before then reads 4 hours x 600 g away, give or take its noise.
    const [from, to] = [Date.parse('2026-11-17T06:00:00Z'), Date.parse('2026-11-17T10:00:00Z')];
    const readings = drifting.lines.map((l) => JSON.parse(l) as { topic: string; payload: string }).filter((o) => o.topic.endsWith('/weight'));
    const at = (slot: string, t: number) => {
      const mine = readings.filter((o) => o.topic.endsWith(`/slot/${slot}/weight`)).map((o) => JSON.parse(o.payload) as { ts: string; grams: number });
      return mine.reduce((best, r) => (Math.abs(Date.parse(r.ts) - t) < Math.abs(Date.parse(best.ts) - t) ? r : best));
    };
    const early = faults.filter((f) => Date.parse(f.ts) < from);
    expect(early.length).toBeGreaterThan(0);
    for (const f of early) {
      const [a, b] = [at(f.slot!, from), at(f.slot!, to)];
      const hours = (Date.parse(b.ts) - Date.parse(a.ts)) / 3_600_000;
      expect(Math.abs(b.grams - a.grams), f.slot).toBeCloseTo(600 * hours, -2);
    }
    // driftCellRate 0 (the default) draws nothing: byte for byte the run without the field.
    expect(simulate({ ...quiet, sensors: { ...quiet.sensors, driftCellRate: 0 } }).lines).toEqual(simulate(quiet).lines);
  });

  it('conserves stock: for every SKU, units in (opening, received, returned, transferred in) = units out + on hand', () => {
    for (const [sku, l] of run.result.stock.ledger) expect(run.result.stock.onHand(sku), sku).toBe(expectedOnHand(l));
    const moved = [...run.result.stock.ledger.values()];
    for (const k of ['received', 'returned', 'transferredIn', 'transferredOut', 'damaged', 'sold', 'lost'] as const) expect(moved.some((l) => l[k] > 0), k).toBe(true);
    const lostInTruth = run.result.truth.filter((t) => t.kind === 'theft' && t.subtype !== 'sweethearting').reduce((a, t) => a + t.units!, 0);
    const lost = [...run.result.stock.ledger.values()].reduce((a, l) => a + l.lost, 0);
    expect(lost).toBe(lostInTruth);
  });

  it('books scheduled cycle counts and exception counts when replenishment finds a SKU short', () => {
    const refs = new Set(run.lines.filter((l) => l.includes('inventory/book') && l.includes('count')).map((l) => JSON.parse(JSON.parse(l).payload).ref));
    expect(refs).toEqual(new Set(['OPENING', 'CYCLE', 'EXCEPTION']));
  });

  it('writes the truth of each kind of incident it injects', () => {
    const kinds = new Set(run.result.truth.map((t) => `${t.kind}${t.subtype ? '/' + t.subtype : ''}`));
    expect([...kinds].sort()).toEqual([
      'bad_message', 'misplacement', 'phantom_receipt', 'phantom_stock', 'receiving_error', 'sensor_fault/dead', 'sensor_fault/stuck', 'short_shipment',
      'theft/after_hours', 'theft/cage_access', 'theft/dock_walkout', 'theft/sweethearting', 'unscanned_move',
    ]);
    for (const t of run.result.truth.filter((x) => x.kind === 'theft')) expect(t).toMatchObject({ actor: expect.any(String), role: expect.any(String), units: expect.any(Number), sku: expect.any(String) });
    // Cage thefts are by a role the cage does not allow.
    for (const t of run.result.truth.filter((x) => x.subtype === 'cage_access')) expect(APPAREL.zones.get(t.zone!)!.roles).not.toContain(t.role);
  });

  it('names the SKUs that end the run as phantom stock, as the twin fed its recording sees them', () => {
    // Unscanned moves empty slots the book still holds, and nobody counts an empty slot.
    const s = scenario({ incidents: { ...NO_INCIDENTS, unscannedMoveRate: 0.5 }, workload: { exceptionCounts: 0, countsPerDay: 0 }, days: 3, seed: 5 });
    const { lines, result } = simulate(s);
    const ingest = new Ingest(APPAREL);
    lines.forEach((l, i) => ingest.pushLine(l, i + 1, 0));
    const truth = result.truth.filter((t) => t.kind === 'phantom_stock');
    expect(truth.length).toBeGreaterThan(0);
    const twin = [...ingest.twin.state.skus].filter(([, st]) => st.bookBackroom > 0 && st.physical === 0);
    expect(new Map(twin.map(([sku, st]) => [sku, st.bookBackroom]))).toEqual(new Map(truth.map((t) => [t.sku, t.units])));
  });

  it('leaves nobody in the room at midnight after a day of deliveries and dock walk-outs', () => {
    const s = scenario({ incidents: { ...NO_INCIDENTS, dockTheftPerWeek: 30, shortShipmentRate: 0.5 }, workload: { deliveriesPerWeek: 7 }, days: 2, seed: 21 });
    const { lines, result } = simulate(s);
    expect(result.truth.some((t) => t.subtype === 'dock_walkout')).toBe(true);
    expect(lines.some((l) => l.includes('"role\\":\\"vendor'))).toBe(true);
    const ingest = new Ingest(APPAREL);
    lines.forEach((l, i) => ingest.pushLine(l, i + 1, 0));
    expect(presentBadges(ingest.twin.state)).toEqual([]);
  });

  it('gives a twin whose back-room book minus physical is exactly what the truth says was stolen', () => {
    // Counts (scheduled or on exception) would reset the slots' book to what is there, so none here.
    const s = scenario({ incidents: { ...NO_INCIDENTS, afterHoursTheftPerWeek: 14, dockTheftPerWeek: 14, cageAccessTheftPerWeek: 7 }, workload: { countsPerDay: 0, exceptionCounts: 0 }, seed: 11 });
    const { lines, result } = simulate(s);
    const ingest = new Ingest(APPAREL);
    lines.forEach((l, i) => ingest.pushLine(l, i + 1, 0));
    const stolen = new Map<string, number>();
    // A theft in the last 2 s is not yet on the wire when the recording ends.
    for (const t of result.truth) if (Date.parse(t.ts) + 2000 < result.end) stolen.set(t.sku!, (stolen.get(t.sku!) ?? 0) + t.units!);
    expect(stolen.size).toBeGreaterThan(0);
    for (const [sku, st] of ingest.twin.state.skus) expect(st.bookBackroom - st.physical, sku).toBe(stolen.get(sku) ?? 0);
  });
});
