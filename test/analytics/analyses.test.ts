/**
 * The named analyses on hand-made data whose answers are worked out below, in the fixture
 * store (America/Chicago, UTC-6 in November; trading 07:00-22:00; shelf A in z-rep with
 * SKU1 (500 g, cost 4, price 9) on A-0-0 and A-1-0 and SKU2 (250 g, cost 2, price 4.5) on
 * A-0-1; shelf B in the restricted cage z-cage with SKU3 (100 g, cost 60, price 129)).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuarantineEntry, TwinEvent } from '../../src/contract/messages';
import { EventStore, type Row } from '../../src/analytics/EventStore';
import { openDuckDB, type NodeDuckDB } from '../../src/analytics/openDuckDB';
import { resolveParams, type AnalysisOptions } from '../../src/analytics/analyses/AnalysisParams';
import { ANALYSES, findSections } from '../../src/analytics/analyses/index';
import { miniLayout } from '../fixtures/miniLayout';

const MIN = 60_000;
/** Epoch ms of a local (Chicago, UTC-6) time on 2026-11-16 + `day`. */
const local = (day: number, hh: number, mm = 0, ss = 0) => Date.UTC(2026, 10, 16 + day, hh + 6, mm, ss);
const DAY1 = Date.UTC(2026, 10, 16);
const DAY2 = Date.UTC(2026, 10, 17);

const shelfOf = (slot: string) => slot.split('-')[0]!;
const w = (slot: string, ts: number, grams: number): TwinEvent => ({ type: 'weight', ts, received: ts + 50, shelf: shelfOf(slot), slot, grams });
const book = (sku: string, ts: number, delta: number, reason: string, extra: { slot?: string; ref?: string; ordered?: number } = {}): TwinEvent =>
  ({ type: 'book', ts, received: ts + 1000, sku, delta, reason, ...extra }) as TwinEvent;

const EVENTS: TwinEvent[] = [
  // Day 1, 08:00: opening counts and first readings.
  book('SKU1', local(0, 8), 10, 'count', { slot: 'A-0-0' }),
  book('SKU2', local(0, 8), 20, 'count', { slot: 'A-0-1' }),
  book('SKU1', local(0, 8), 4, 'count', { slot: 'A-1-0' }),
  book('SKU3', local(0, 8), 5, 'count', { slot: 'B-0-0' }),
  w('A-0-0', local(0, 8), 5000), w('A-0-1', local(0, 8), 5000), w('A-1-0', local(0, 8), 2000), w('B-0-0', local(0, 8), 500),
  // 08:00-08:12 the staff door stands open (a long opening), 09:00 a 30 s one.
  { type: 'door_state', ts: local(0, 8), received: local(0, 8), door: 'D1', open: true },
  { type: 'door_state', ts: local(0, 8, 12), received: local(0, 8, 12), door: 'D1', open: false },
  { type: 'door_state', ts: local(0, 9), received: local(0, 9), door: 'D1', open: true },
  { type: 'door_state', ts: local(0, 9, 0, 30), received: local(0, 9, 0, 30), door: 'D1', open: false },
  // 09:14 two units replenished from A-0-0, booked at 09:20 (the next quarter hour): explained.
  w('A-0-0', local(0, 9, 14), 4003), book('SKU1', local(0, 9, 20), -2, 'replenish', { slot: 'A-0-0' }),
  // 12:00 two units of SKU3 leave the cage, nothing booked: loss, restricted zone, early shift.
  w('B-0-0', local(0, 12), 301),
  // 23:30 three units of SKU2 leave A-0-1 after hours (night shift, still day 1 locally).
  w('A-0-1', local(0, 23, 30), 4248),
  // Day 2, 10:00: three units of SKU1 moved off A-1-0 with no scan (early shift).
  w('A-1-0', local(1, 10), 502),
  // 14:30 a delivery: PO-1 ordered 6 of SKU1 and 3 of SKU2; 4 and 3 booked as received.
  book('SKU1', local(1, 14, 30), 4, 'receipt', { ref: 'PO-1', ordered: 6 }),
  book('SKU2', local(1, 14, 30), 3, 'receipt', { ref: 'PO-1', ordered: 3 }),
  // 15:00 putaway of 4 SKU1 booked to A-0-0, but put on A-0-1 (SKU2's slot): misplaced.
  book('SKU1', local(1, 15), 4, 'putaway', { slot: 'A-0-0' }), w('A-0-1', local(1, 15), 6251),
  // 16:00 the last three units of SKU3 leave the cage (late shift): SKU3 is now phantom.
  w('B-0-0', local(1, 16), 2),
  // 18:00 A-1-0 is counted: 1 unit where the book said 4, a correction of -3.
  book('SKU1', local(1, 18), 1, 'count', { slot: 'A-1-0', ref: 'CYCLE' }),
  // A damaged unit written off at store level.
  book('SKU2', local(1, 19), -1, 'adjustment', { ref: 'DAMAGE' }),
];

let duck: NodeDuckDB;
let store: EventStore;
beforeAll(async () => {
  duck = await openDuckDB();
  store = await EventStore.open(duck.connection, miniLayout());
  await store.append(EVENTS);
});
afterAll(() => duck.close());

async function run(id: string, o: AnalysisOptions = {}): Promise<Row[]> {
  const [section] = findSections(id)!;
  return store.query(section!.sql(resolveParams('store-t1', o)));
}

describe('shrink', () => {
  it('finds the units that left the slots unbooked, at cost and retail, and sets misplaced stock apart', async () => {
    expect(await run('shrink.summary')).toEqual([
      { lost_units: 11, lost_at_cost: 3 * 4 + 3 * 2 + 5 * 60, lost_at_retail: 3 * 9 + 3 * 4.5 + 5 * 129, found_units: 0, misplaced_units: 4, booked_not_shelved_units: 3, blind_slots: 0 },
    ]);
  });

  it('breaks the loss down by SKU, zone, shift and local day', async () => {
    expect(await run('shrink.by_sku')).toEqual([
      { sku: 'SKU3', name: 'Headphones', lost_units: 5, lost_at_cost: 300, lost_at_retail: 645, found_units: 0, booked_not_shelved_units: 0 },
      { sku: 'SKU1', name: 'Detergent 2L', lost_units: 3, lost_at_cost: 12, lost_at_retail: 27, found_units: 0, booked_not_shelved_units: 0 },
      // Received 3 at the dock, never put away on a slot.
      { sku: 'SKU2', name: 'Cereal', lost_units: 3, lost_at_cost: 6, lost_at_retail: 13.5, found_units: 0, booked_not_shelved_units: 3 },
    ]);
    expect(await run('shrink.by_zone')).toEqual([
      { zone: 'z-cage', lost_units: 5, lost_at_cost: 300, lost_at_retail: 645, found_units: 0 },
      { zone: 'z-rep', lost_units: 6, lost_at_cost: 18, lost_at_retail: 40.5, found_units: 0 },
    ]);
    expect((await run('shrink.by_shift')).map((r) => [r.shift, r.lost_units])).toEqual([['late', 3], ['early', 5], ['night', 3]]);
    expect((await run('shrink.by_day')).map((r) => [r.day, r.lost_units])).toEqual([[DAY1, 5], [DAY2, 6]]);
  });

  it('lists loss after hours and in restricted zones, when and where', async () => {
    expect((await run('shrink.after_hours_restricted')).map((r) => [r.at, r.slot, r.after_hours, r.restricted, r.lost_units])).toEqual([
      [local(0, 12), 'B-0-0', false, true, 2],
      [local(0, 23, 30), 'A-0-1', true, false, 3],
      [local(1, 16), 'B-0-0', false, true, 3],
    ]);
  });

  it('honours the filters: time range, zone, SKU and shift', async () => {
    expect((await run('shrink.summary', { from: new Date(local(1, 0)).toISOString() }))[0]).toMatchObject({ lost_units: 6, misplaced_units: 4 });
    expect((await run('shrink.summary', { to: new Date(local(1, 0)).toISOString() }))[0]).toMatchObject({ lost_units: 5, misplaced_units: 0 });
    expect((await run('shrink.summary', { zone: 'z-cage' }))[0]).toMatchObject({ lost_units: 5, lost_at_cost: 300 });
    expect((await run('shrink.summary', { sku: 'SKU1' }))[0]).toMatchObject({ lost_units: 3 });
    expect((await run('shrink.summary', { shift: 'night' }))[0]).toMatchObject({ lost_units: 3 });
    // Shifts of one's own: a single 24-hour shift puts all the loss in it.
    expect(await run('shrink.by_shift', { shifts: 'all=00:00-00:00' })).toEqual([{ shift: 'all', lost_units: 11, lost_at_cost: 318, lost_at_retail: 685.5, found_units: 0 }]);
  });

  it('tracks book against shelves per SKU at the end of each local day', async () => {
    const rows = await run('shrink.book_vs_physical');
    const at = (day: number, sku: string) => rows.find((r) => r.day === day && r.sku === sku);
    expect(at(DAY1, 'SKU1')).toMatchObject({ book: 12, physical: 12, difference: 0 });
    expect(at(DAY1, 'SKU2')).toMatchObject({ book: 20, physical: 17, difference: 3 });
    expect(at(DAY1, 'SKU3')).toMatchObject({ book: 5, physical: 3, difference: 2 });
    expect(at(DAY2, 'SKU1')).toMatchObject({ book: 13, physical: 9, difference: 4 });
    expect(at(DAY2, 'SKU2')).toMatchObject({ book: 20, physical: 25, difference: -5 });
    expect(at(DAY2, 'SKU3')).toMatchObject({ book: 5, physical: 0, difference: 5 });
  });
});

describe('variance', () => {
  it('measures record accuracy within a tolerance', async () => {
    expect(await run('variance.accuracy')).toEqual([{ skus: 3, accurate_skus: 0, accuracy_pct: 0, phantom_skus: 1, units_off: 14, value_off: 4 * 4 + 5 * 2 + 5 * 60 }]);
    expect(await run('variance.accuracy', { tolerance: '4' })).toMatchObject([{ accurate_skus: 1, accuracy_pct: 33.3 }]);
    // As of the end of day 1, SKU1 still matched.
    expect(await run('variance.accuracy', { to: new Date(local(1, 0)).toISOString() })).toMatchObject([{ skus: 3, accurate_skus: 1, phantom_skus: 0 }]);
  });

  it('lists phantom stock: booked, and no units on any of the SKU\'s slots', async () => {
    expect(await run('variance.phantom')).toEqual([
      { sku: 'SKU3', name: 'Headphones', booked_units: 5, booked_value: 300, shelves_last_had_stock: local(0, 12), last_count: local(0, 8) },
    ]);
  });

  it('counts adjustments and the counts that corrected the book', async () => {
    expect(await run('variance.adjustments')).toEqual([
      { sku: 'SKU1', adjustments: 0, adjusted_units: 0, counts: 3, count_corrections: 1, corrected_units: -3 },
      { sku: 'SKU2', adjustments: 1, adjusted_units: -1, counts: 1, count_corrections: 0, corrected_units: 0 },
    ]);
  });

  it('ranks the slots to count by the value a count would correct', async () => {
    const rows = await run('variance.cycle_counts');
    expect(rows.map((r) => [r.slot, r.difference, r.value_at_risk, r.why])).toEqual([
      ['B-0-0', 5, 300, 'book above shelf'],
      ['A-0-0', 4, 16, 'book above shelf'],
      ['A-0-1', -5, 10, 'shelf above book'],
    ]);
    expect(rows[0]!.days_since_count).toBeCloseTo((local(1, 19) - local(0, 8)) / 86_400_000, 1);
  });
});

describe('activity', () => {
  it('counts picks and puts by zone and local hour', async () => {
    expect(await run('activity.heat')).toEqual([
      { zone: 'z-cage', hour: 12, picks: 1, puts: 0, units_moved: 2 },
      { zone: 'z-cage', hour: 16, picks: 1, puts: 0, units_moved: 3 },
      { zone: 'z-rep', hour: 9, picks: 1, puts: 0, units_moved: 2 },
      { zone: 'z-rep', hour: 10, picks: 1, puts: 0, units_moved: 3 },
      { zone: 'z-rep', hour: 15, picks: 0, puts: 1, units_moved: 8 },
      { zone: 'z-rep', hour: 23, picks: 1, puts: 0, units_moved: 3 },
    ]);
  });

  it('compares receipts with their purchase orders', async () => {
    expect(await run('activity.receiving')).toEqual([
      { po: 'PO-1', received_at: local(1, 14, 30), lines: 2, ordered: 9, received: 7, lines_exact: 1, lines_short: 1, lines_over: 0, fill_pct: 77.8 },
    ]);
  });

  it('measures how long doors stood open', async () => {
    expect(await run('activity.doors')).toEqual([
      { door: 'D1', opens: 2, open_minutes: 12.5, avg_open_seconds: 375, max_open_minutes: 12, long_opens: 1, still_open: 0 },
    ]);
  });
});

describe('devices', () => {
  let duck2: NodeDuckDB;
  let store2: EventStore;
  const T = Date.UTC(2026, 11, 1, 0, 0);
  beforeAll(async () => {
    duck2 = await openDuckDB();
    store2 = await EventStore.open(duck2.connection, miniLayout());
    const events: TwinEvent[] = [];
    // A-0-0 reports every minute 00:00-01:00, falls silent for 20 minutes, then 01:20-01:30
    // (the range ends at 01:30, exclusive).
    for (let m = 0; m <= 90; m++) if (m <= 60 || m >= 80) events.push(w('A-0-0', T + m * MIN, 1000));
    // A-0-1 reports every minute all along.
    for (let m = 0; m <= 90; m++) events.push(w('A-0-1', T + m * MIN, 500));
    // Reader R1 drops off for 15 minutes.
    events.push({ type: 'status', ts: T + 30 * MIN, received: T + 30 * MIN, device: 'R1', online: false });
    events.push({ type: 'status', ts: T + 45 * MIN, received: T + 45 * MIN, device: 'R1', online: true });
    await store2.append(events);
    const q = (topic: string, reason: QuarantineEntry['reason']): QuarantineEntry => ({ reason, detail: 'x', message: { topic, payload: '{}', qos: 1, retain: false, received: T } });
    await store2.appendQuarantine([
      q('backroom/v1/store-t1/shelf/A/slot/A-0-0/weight', 'bad_field'),
      q('backroom/v1/store-t1/shelf/A/slot/A-0-0/weight', 'bad_field'),
      q('backroom/v1/store-t1/door/D9/state', 'unknown_id'),
    ]);
  });
  afterAll(() => duck2.close());
  const range = { from: new Date(T).toISOString(), to: new Date(T + 90 * MIN).toISOString() };
  const devRun = async (id: string, o: AnalysisOptions = {}) => store2.query(findSections(id)![0]!.sql(resolveParams('store-t1', o)));

  it('measures uptime from heartbeat gaps and status reports', async () => {
    const rows = await devRun('devices.uptime', range);
    const by = new Map(rows.map((r) => [r.device, r]));
    expect(by.get('A-0-0')).toMatchObject({ kind: 'slot', readings: 71, gaps: 1, silent_minutes: 20, uptime_pct: 77.78 });
    expect(by.get('A-0-1')).toMatchObject({ readings: 90, gaps: 0, silent_minutes: 0, uptime_pct: 100 });
    // A slot that never reported was down the whole range.
    expect(by.get('B-0-0')).toMatchObject({ readings: 0, uptime_pct: 0 });
    expect(by.get('R1')).toMatchObject({ kind: 'rfid', offline_reports: 1, offline_minutes: 15, uptime_pct: 83.33 });
    expect(by.get('C1')).toMatchObject({ kind: 'camera', uptime_pct: 100 });
  });

  it('counts a silence that began before the range once, clipped to the range', async () => {
    const rows = await devRun('devices.uptime', { from: new Date(T + 70 * MIN).toISOString(), to: new Date(T + 90 * MIN).toISOString() });
    expect(rows.find((r) => r.device === 'A-0-0')).toMatchObject({ readings: 10, gaps: 1, silent_minutes: 10, uptime_pct: 50 });
  });

  it('lists the longest gaps', async () => {
    expect(await devRun('devices.gaps', range)).toEqual([{ slot: 'A-0-0', silent_from: T + 60 * MIN, silent_to: T + 80 * MIN, minutes: 20 }]);
    expect(await devRun('devices.gaps', { ...range, gapMinutes: '30' })).toEqual([]);
  });

  it('counts quarantined messages by reason and device', async () => {
    expect((await devRun('devices.quarantine')).map((r) => [r.reason, r.device, r.messages])).toEqual([
      ['bad_field', 'A-0-0', 2],
      ['unknown_id', 'D9', 1],
    ]);
  });
});

describe('the catalogue', () => {
  it('names every section analysis.section and documents it', () => {
    for (const a of ANALYSES) {
      expect(a.description.length).toBeGreaterThan(20);
      for (const s of a.sections) {
        expect(s.id.startsWith(`${a.name}.`)).toBe(true);
        expect(s.description.length, s.id).toBeGreaterThan(20);
      }
    }
  });

  it('refuses parameters that are not what they claim before any SQL is built', () => {
    expect(() => resolveParams('store-t1', { zone: "x' OR 1=1 --" })).toThrow(/not an id/);
    expect(() => resolveParams('store-t1', { from: 'yesterday' })).toThrow(/not a time/);
    expect(() => resolveParams('store-t1', { shift: 'lunch' })).toThrow(/not one of the shifts: early, late, night/);
    expect(() => resolveParams('store-t1', { shifts: 'a=25:00-02:00' })).toThrow(/not name=HH:MM-HH:MM/);
    expect(() => resolveParams('store-t1', { from: '2026-11-17T00:00:00Z', to: '2026-11-16T00:00:00Z' })).toThrow(/before/);
  });
});

describe('devices over a store that was closed and opened again', () => {
  it('finds no gap where the readings simply went on after the reopen', async () => {
    const duck3 = await openDuckDB();
    try {
      const T = Date.UTC(2026, 11, 1, 0, 0);
      const first = await EventStore.open(duck3.connection, miniLayout());
      await first.append(Array.from({ length: 30 }, (_, m) => w('A-0-0', T + m * MIN, 1000)));
      // The same database opened again (a page reload): the next reading comes a minute on.
      const again = await EventStore.open(duck3.connection, miniLayout());
      await again.append(Array.from({ length: 30 }, (_, m) => w('A-0-0', T + (30 + m) * MIN, 1000)));
      await again.append([w('A-0-0', T + 75 * MIN, 1000)]);
      expect(await again.query('SELECT slot, epoch_ms(from_ts) AS f, epoch_ms(to_ts) AS t FROM reading_gaps')).toEqual([{ slot: 'A-0-0', f: T + 59 * MIN, t: T + 75 * MIN }]);
    } finally {
      duck3.close();
    }
  });
});
