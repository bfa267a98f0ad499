/**
 * The history queries on hand-made events in the fixture store (miniLayout: shelf A in
 * z-rep, the cage door D2, staff door D1, camera C1), on DuckDB-WASM's Node build and on
 * native DuckDB: time travel at every event against the twin folded up to it, then what
 * each query answers about doors, badges, the book, the timeline and the inspector.
 */
import { describe, expect, it } from 'vitest';
import type { BadgeRole, TwinEvent } from '../../../src/contract/messages';
import { EventStore } from '../../../src/analytics/EventStore';
import { openDuckDB } from '../../../src/analytics/openDuckDB';
import { openNativeDuckDB } from '../../../src/analytics/openNativeDuckDB';
import { eventHistogram, timeSpan } from '../../../src/analytics/history/eventHistogram';
import type { Query } from '../../../src/analytics/history/historySql';
import { recentEvents } from '../../../src/analytics/history/recentEvents';
import { roomAt } from '../../../src/analytics/history/roomAt';
import { slotHistory } from '../../../src/analytics/history/slotHistory';
import { slotsSeenBy } from '../../../src/layout/slotsSeenBy';
import { Twin } from '../../../src/twin/Twin';
import { roomViewOfTwin, type RoomView } from '../../../src/twin/RoomView';
import { miniLayout } from '../../fixtures/miniLayout';
import { STORE_ENGINES, useFilledStore } from '../../fixtures/filledStore';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 16, 14);
const at = (m: number) => T0 + m * MIN;

const w = (slot: string, m: number, grams: number): TwinEvent => ({ type: 'weight', ts: at(m), received: at(m), shelf: slot.split('-')[0]!, slot, grams });
const book = (sku: string, m: number, delta: number, reason: string, slot?: string): TwinEvent =>
  ({ type: 'book', ts: at(m), received: at(m) + 1000, sku, delta, reason, ...(slot ? { slot } : {}) }) as TwinEvent;
const door = (id: string, m: number, open: boolean): TwinEvent => ({ type: 'door_state', ts: at(m), received: at(m), door: id, open });
const swipe = (badge: string, m: number, doorId: string, granted = true, role: BadgeRole = 'associate'): TwinEvent =>
  ({ type: 'badge', ts: at(m), received: at(m), door: doorId, badge, role, granted });
const status = (device: string, m: number, online: boolean): TwinEvent => ({ type: 'status', ts: at(m), received: at(m), device, online });

const EVENTS: TwinEvent[] = [
  // Erin came in 11 h before T0 and never swiped out; Dave 13 h before (already timed out at T0).
  swipe('erin', -11 * 60, 'D1'),
  swipe('dave', -13 * 60, 'D1'),
  book('SKU1', 0, 10, 'count', 'A-0-0'),
  w('A-0-0', 0, 5000),
  book('SKU2', 0, 20, 'count', 'A-0-1'),
  book('SKU2', 0, 5, 'receipt'), // store level: no slot's book
  swipe('alice', 1, 'D1', true, 'manager'),
  door('D1', 1, true),
  swipe('bob', 2, 'D1'),
  door('D1', 3, false),
  swipe('carol', 4, 'D1', false),
  swipe('alice', 5, 'D2', true, 'manager'), // the cage door: no change to room presence
  status('C1', 5, false),
  status('R1', 6, true),
  status('R1', 6, false), // same ts: offline wins (a Last Will repeats its connect's ts)
  status('R2', 7, false),
  status('R2', 7, true), // in either order
  // A-1-0's reading of minute 8 arrives after that of minute 20: the store makes no movement
  // of it, the twin (in ts order) counts it first.
  w('A-1-0', 20, 3000),
  w('A-1-0', 8, 2000),
  door('D1', 10, true),
  door('D1', 11, true), // a repeat: still open since minute 10
  w('A-0-0', 15, 4003), // a pick of 2
  book('SKU1', 16, -2, 'replenish', 'A-0-0'),
  swipe('bob', 20, 'D1'), // out
  status('C1', 25, true),
  status('R2', 26, true), // back: a later ts
  swipe('dave', 30, 'D1'), // in again: his earlier presence had timed out
  book('SKU1', 40, 7, 'count', 'A-0-0'), // a count resets the book
  book('SKU1', 41, -1, 'adjustment', 'A-0-0'),
  w('A-0-0', 50, 3498),
  door('D1', 55, false),
];

function comparable(v: RoomView) {
  return {
    slots: Object.fromEntries([...v.slots].map(([id, s]) => [id, { units: s.units, book: s.book, mismatch: s.mismatch }])),
    openDoors: Object.fromEntries(v.openDoors),
    present: v.present,
    offline: [...v.offline].sort(),
  };
}

const layout = miniLayout();

describe.each(STORE_ENGINES)('history on %s', (_name, open) => {
  const query = useFilledStore(open, layout, () => EVENTS);
  const q: Query = (sql) => query()(sql);

  it('shows the room as the twin had it after the events up to each moment', async () => {
    const sorted = [...EVENTS].sort((a, b) => a.ts - b.ts);
    const moments = [...new Set(sorted.flatMap((e) => [e.ts, e.ts + 1]))].sort((a, b) => a - b);
    const twin = new Twin(layout);
    let i = 0;
    for (const T of moments) {
      while (i < sorted.length && sorted[i]!.ts <= T) twin.apply(sorted[i++]!);
      // The twin's clock is its newest event; time travel's is the moment asked for.
      expect(comparable(await roomAt(q, layout, twin.state.asOf!)), new Date(T).toISOString()).toEqual(comparable(roomViewOfTwin(twin.state)));
    }
  });

  it('knows which doors stood open and since when', async () => {
    expect((await roomAt(q, layout, at(0))).openDoors).toEqual(new Map());
    expect((await roomAt(q, layout, at(2))).openDoors).toEqual(new Map([['D1', at(1)]]));
    expect((await roomAt(q, layout, at(5))).openDoors).toEqual(new Map());
    expect((await roomAt(q, layout, at(12))).openDoors).toEqual(new Map([['D1', at(10)]]));
    expect((await roomAt(q, layout, at(60))).openDoors).toEqual(new Map());
  });

  it('knows who was in the room: swipes in and out, the cage door, refusals and the presence timeout', async () => {
    const who = async (m: number) => (await roomAt(q, layout, at(m))).present.map((p) => `${p.badge}@${p.door}`);
    expect(await who(0)).toEqual(['erin@D1']);
    expect(await who(4)).toEqual(['erin@D1', 'alice@D1', 'bob@D1']);
    expect(await who(6)).toEqual(['erin@D1', 'alice@D2', 'bob@D1']);
    expect(await who(21)).toEqual(['erin@D1', 'alice@D2']);
    expect(await who(31)).toEqual(['erin@D1', 'alice@D2', 'dave@D1']);
    // Erin's 12 h are up an hour after T0.
    expect(await who(61)).toEqual(['alice@D2', 'dave@D1']);
    const alice = (await roomAt(q, layout, at(6))).present.find((p) => p.badge === 'alice')!;
    expect(alice).toEqual({ badge: 'alice', role: 'manager', door: 'D2', since: at(1) });
  });

  it('puts units and book on each slot, a count resetting the book', async () => {
    const slot = async (m: number) => (await roomAt(q, layout, at(m))).slots.get('A-0-0');
    expect(await slot(-1)).toBeUndefined();
    expect(await slot(0)).toMatchObject({ units: 10, book: 10, mismatch: false, fill: 0.5 });
    expect(await slot(15)).toMatchObject({ units: 8, book: 10, mismatch: true });
    expect(await slot(16)).toMatchObject({ units: 8, book: 8, mismatch: false });
    expect(await slot(40)).toMatchObject({ units: 8, book: 7, mismatch: true });
    expect(await slot(41)).toMatchObject({ units: 8, book: 6 });
    expect(await slot(50)).toMatchObject({ units: 7, book: 6 });
    // A reading stored out of order, before the slot's first movement.
    expect((await roomAt(q, layout, at(9))).slots.get('A-1-0')).toMatchObject({ units: 4, book: null });
    expect((await roomAt(q, layout, at(20))).slots.get('A-1-0')).toMatchObject({ units: 6, book: null });
    // Booked, never weighed.
    expect((await roomAt(q, layout, at(1))).slots.get('A-0-1')).toMatchObject({ units: null, book: 20, mismatch: false });
    expect((await roomAt(q, layout, at(30))).offline).toEqual(new Set(['R1']));
    expect((await roomAt(q, layout, at(7))).offline).toEqual(new Set(['C1', 'R1', 'R2']));
  });

  it('gives the timeline its span and a histogram by kind', async () => {
    expect(await timeSpan(q, layout.store)).toEqual({ from: at(-13 * 60), to: at(55) });
    expect(await timeSpan(q, 'no-such-store')).toBeNull();
    const h = await eventHistogram(q, layout.store, at(0), at(60), 6);
    expect(h.width).toBe(10 * MIN);
    expect(h.counts.readings).toEqual([2, 1, 1, 0, 0, 1]);
    expect(h.counts.movements).toEqual([0, 1, 0, 0, 0, 1]);
    expect(h.counts.book).toEqual([3, 1, 0, 0, 2, 0]);
    expect(h.counts.doors).toEqual([2, 2, 0, 0, 0, 1]);
    expect(h.counts.badges).toEqual([4, 0, 1, 1, 0, 0]);
    expect(h.counts.alerts).toEqual([3, 0, 0, 0, 0, 0]);
    expect(h.counts.rfid).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('charts a slot: grams, units and book from the left edge, thinned to the points asked for', async () => {
    const h = await slotHistory(q, layout.store, 'A-0-0', at(5), at(60), 100);
    expect(h.grams).toEqual({ ts: [at(5), at(15), at(50)], value: [5000, 4003, 3498] });
    expect(h.units).toEqual({ ts: [at(5), at(15), at(50)], value: [10, 8, 7] });
    expect(h.book).toEqual({ ts: [at(5), at(16), at(40), at(41)], value: [10, 8, 7, 6] });
    // Two points: the value at `from` and the last of the range.
    const thin = await slotHistory(q, layout.store, 'A-0-0', at(5), at(60), 2);
    expect(thin.book).toEqual({ ts: [at(5), at(41)], value: [10, 6] });
    expect((await slotHistory(q, layout.store, 'A-0-1', at(0), at(60))).grams).toEqual({ ts: [], value: [] });
  });

  it('lists the latest events touching a slot, a door, a badge and a camera, newest first', async () => {
    const slot = await recentEvents(q, layout.store, { kind: 'slot', id: 'A-0-0' }, at(45), 4);
    expect(slot.map((e) => [e.ts, e.kind, e.text])).toEqual([
      [at(41), 'book', 'adjustment -1 SKU1'],
      [at(40), 'book', 'count: 7 of SKU1'],
      [at(16), 'book', 'replenish -2 SKU1'],
      [at(15), 'movement', 'pick 2: 10 → 8 units'],
    ]);
    const d1 = await recentEvents(q, layout.store, { kind: 'door', id: 'D1' }, at(3), 10);
    expect(d1.map((e) => e.text)).toEqual([
      'D1 closed',
      'bob (associate) swiped at D1',
      // At one ts the door's own state comes before the swipes.
      'D1 opened',
      'alice (manager) swiped at D1',
      'erin (associate) swiped at D1',
      'dave (associate) swiped at D1',
    ]);
    const alice = await recentEvents(q, layout.store, { kind: 'badge', id: 'alice' }, at(60), 10);
    expect(alice.map((e) => e.text)).toEqual(['alice (manager) swiped at D2', 'alice (manager) swiped at D1']);
    const cam = await recentEvents(q, layout.store, { kind: 'camera', id: 'C1' }, at(60), 10);
    expect(cam.map((e) => e.text)).toEqual(['C1 online', 'C1 offline']);
    const shelf = await recentEvents(q, layout.store, { kind: 'shelf', id: 'A' }, at(60), 100);
    expect(shelf.filter((e) => e.kind === 'book').map((e) => e.subject)).toEqual(['A-0-0', 'A-0-0', 'A-0-0', 'A-0-0', 'A-0-1']);
    const zone = await recentEvents(q, layout.store, { kind: 'zone', id: 'z-rep' }, at(60), 100);
    expect(zone.map((e) => [e.subject, e.text])).toEqual([
      ['A-0-0', 'pick 1: 8 → 7 units'],
      ['A-1-0', 'first reading: 6 units (3000 g)'],
      ['A-0-0', 'pick 2: 10 → 8 units'],
      ['A-0-0', 'first reading: 10 units (5000 g)'],
    ]);
  });
});

describe('slotsSeenBy', () => {
  it('lists the slots whose fronts face a camera inside its image, nearest first', () => {
    const seen = slotsSeenBy(layout, 'C1');
    // C1 stands in the room's south-west corner looking north-east: shelf A faces south (towards it), shelf B faces north (away).
    expect(seen.map((s) => s.slot).sort()).toEqual(['A-0-0', 'A-0-1', 'A-1-0']);
    expect(slotsSeenBy(layout, 'nope')).toEqual([]);
  });
});
