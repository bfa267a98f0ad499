/**
 * The chain of custody of hand-made incidents in the fixture store (miniLayout: shelf A in
 * z-rep seen by camera C1, staff door D1, cage door D2), on DuckDB-WASM's Node build and on
 * native DuckDB: who was in the room and who swiped around the window, the stock and its
 * value, the window in Chicago time, the place, and C1 with its nearest detection.
 */
import { describe, expect, it } from 'vitest';
import type { BadgeRole, TwinEvent } from '../../src/contract/messages';
import { EventStore } from '../../src/analytics/EventStore';
import { openDuckDB } from '../../src/analytics/openDuckDB';
import { openNativeDuckDB } from '../../src/analytics/openNativeDuckDB';
import type { Query } from '../../src/analytics/history/historySql';
import { camerasSeeing } from '../../src/layout/cameraCoverage';
import type { Incident } from '../../src/rules/Incident';
import { custodyOf, localTime } from '../../src/rules/custody';
import { miniLayout } from '../fixtures/miniLayout';
import { STORE_ENGINES, useFilledStore } from '../fixtures/filledStore';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 16, 14); // 08:00 in Chicago (CST, -06:00)
const at = (m: number) => T0 + m * MIN;

const layout = miniLayout();
const c1 = camerasSeeing(layout, { slot: 'A-0-0' })[0]!;

const swipe = (badge: string, m: number, door: string, granted = true, role: BadgeRole = 'associate'): TwinEvent =>
  ({ type: 'badge', ts: at(m), received: at(m), door, badge, role, granted });
const detection = (camera: string, m: number, label: string, box: [number, number, number, number], score = 0.9): TwinEvent =>
  ({ type: 'detection', ts: at(m), received: at(m), camera, label, score, box });

const onTarget: [number, number, number, number] = [c1.u - 50, c1.v - 80, 100, 160];
const elsewhere: [number, number, number, number] = [0, 0, 10, 10];

const EVENTS: TwinEvent[] = [
  swipe('erin', -60, 'D1'), // in the room at from
  swipe('frank', -30, 'D1'),
  swipe('frank', -20, 'D1'), // in and out before: not there
  swipe('alice', 8, 'D1', true, 'manager'), // in the margin before the window
  swipe('alice', 10.5, 'D2', true, 'manager'), // the cage door, inside the window
  swipe('mallory', 11, 'D2', false, 'vendor'), // refused at the cage
  swipe('bob', 20, 'D1'), // after the margin: not listed
  detection('C1', 3, 'person', onTarget), // before the margin
  detection('C1', 9, 'person', onTarget, 0.8), // a minute before the bookmark
  detection('C1', 11, 'person', elsewhere), // a minute after: the tie goes to the earlier
  detection('C1', 30, 'person', onTarget),
  detection('C9', 10, 'person', onTarget), // a camera the layout does not know
];

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    store: 'store-t1',
    kind: 'unscanned_move',
    severity: 'warning',
    from: at(10),
    to: at(12),
    detectedAt: at(12),
    place: { slot: 'A-0-0' },
    sku: 'SKU1',
    units: 3,
    badges: ['alice', 'ghost'],
    alerts: [],
    title: '3 units of SKU1 left A-0-0 with no booking',
    status: 'open',
    ...over,
  };
}

describe('localTime', () => {
  it('writes wall-clock time in the zone with its offset, DST included', () => {
    expect(localTime(T0, 'America/Chicago')).toBe('2026-11-16 08:00:00 -06:00');
    expect(localTime(Date.UTC(2026, 6, 1, 12, 30, 15), 'America/Chicago')).toBe('2026-07-01 07:30:15 -05:00');
    expect(localTime(Date.UTC(2026, 0, 1, 0, 0), 'Asia/Kolkata')).toBe('2026-01-01 05:30:00 +05:30');
    expect(localTime(T0, 'UTC')).toBe('2026-11-16 14:00:00 +00:00');
  });
});

describe.each(STORE_ENGINES)('custodyOf on %s', (_name, open) => {
  const query = useFilledStore(open, layout, () => EVENTS);
  const q: Query = (sql) => query()(sql);

  it('lists who was in the room and who swiped around the window, marking the incident\'s own badges', async () => {
    const c = await custodyOf(q, layout, incident());
    expect(c.store).toBe('store-t1');
    expect(c.incident).toBe('inc-1');
    expect(c.who.map((p) => [p.badge, p.role, p.own])).toEqual([
      ['erin', 'associate', false],
      ['alice', 'manager', true],
      ['mallory', 'vendor', false],
      ['ghost', 'unknown', true],
    ]);
    const [erin, alice, mallory, ghost] = c.who;
    expect(erin).toEqual({ badge: 'erin', role: 'associate', own: false, presentAtFrom: { since: at(-60), sinceLocal: '2026-11-16 07:00:00 -06:00', door: 'D1' }, swipes: [] });
    // She came in at 8, before the window began: in the room at from, and her swipe in is listed too.
    expect(alice!.presentAtFrom).toEqual({ since: at(8), sinceLocal: '2026-11-16 08:08:00 -06:00', door: 'D1' });
    expect(mallory!.presentAtFrom).toBeNull();
    expect(alice!.swipes).toEqual([
      { ts: at(8), local: '2026-11-16 08:08:00 -06:00', door: 'D1', doorKind: 'staff', granted: true, role: 'manager', inWindow: false },
      { ts: at(10.5), local: '2026-11-16 08:10:30 -06:00', door: 'D2', doorKind: 'cage', granted: true, role: 'manager', inWindow: true },
    ]);
    expect(mallory!.swipes).toEqual([{ ts: at(11), local: '2026-11-16 08:11:00 -06:00', door: 'D2', doorKind: 'cage', granted: false, role: 'vendor', inWindow: true }]);
    expect(ghost).toEqual({ badge: 'ghost', role: 'unknown', own: true, presentAtFrom: null, swipes: [] });

    // A wider margin reaches Frank's and Bob's swipes; a zero margin only the window.
    const wide = await custodyOf(q, layout, incident(), { marginMs: 30 * MIN });
    expect(wide.who.map((p) => p.badge)).toEqual(['erin', 'frank', 'alice', 'mallory', 'bob', 'ghost']);
    const none = await custodyOf(q, layout, incident(), { marginMs: 0 });
    expect(none.who.map((p) => p.badge)).toEqual(['erin', 'alice', 'mallory', 'ghost']);
    expect(none.who[1]!.swipes.map((s) => s.door)).toEqual(['D2']);
  });

  it('says what, when and where', async () => {
    const c = await custodyOf(q, layout, incident());
    expect(c.what).toEqual({
      sku: 'SKU1', planned: false, name: 'Detergent 2L', highValue: false, units: 3,
      unitCost: 4, unitPrice: 9, valueAtCost: 12, valueAtPrice: 27,
    });
    expect(c.when).toEqual({
      from: at(10), to: at(12), detectedAt: at(12), durationMs: 2 * MIN, timezone: 'America/Chicago',
      fromLocal: '2026-11-16 08:10:00 -06:00', toLocal: '2026-11-16 08:12:00 -06:00', detectedLocal: '2026-11-16 08:12:00 -06:00',
      fromUtc: '2026-11-16T14:10:00.000Z', toUtc: '2026-11-16T14:12:00.000Z',
      searchedFrom: at(5), searchedTo: at(17),
    });
    expect(c.where).toMatchObject({
      slot: { id: 'A-0-0', level: 0, index: 0, plannedSku: 'SKU1' },
      shelf: { id: 'A' },
      zone: { id: 'z-rep', kind: 'replenishment', restricted: false, roles: [] },
      door: null,
      device: null,
      watched: 'slot',
    });
    // The front face of A-0-0: shelf A's front is at y = 0.7, the slot is 1 m wide and 1 m high.
    expect(c.where.point!.map((x) => +x.toFixed(9))).toEqual([4.5, 0.7, 0.5]);

    // No SKU on the incident: the slot's planned one, and no value without units.
    const planned = await custodyOf(q, layout, incident({ sku: undefined, units: undefined, place: { slot: 'A-0-1' } }));
    expect(planned.what).toEqual({ sku: 'SKU2', planned: true, name: 'Cereal', highValue: false, units: null, unitCost: 2, unitPrice: 4.5, valueAtCost: null, valueAtPrice: null });
    const hv = await custodyOf(q, layout, incident({ sku: 'SKU3', units: 7, place: { shelf: 'B' } }));
    expect(hv.what).toMatchObject({ highValue: true, valueAtCost: 420, valueAtPrice: 903 });
    expect(hv.where).toMatchObject({ slot: null, shelf: { id: 'B' }, zone: { id: 'z-cage', kind: 'high_value', restricted: true, roles: ['manager'] }, watched: 'shelf' });
  });

  it('names the cameras that see the place, bookmarked at the start, with the nearest detection', async () => {
    const c = await custodyOf(q, layout, incident());
    expect(c.cameras).toHaveLength(1);
    const cam = c.cameras[0]!;
    expect(cam).toMatchObject({ camera: 'C1', u: c1.u, v: c1.v, pixelsPerMetre: c1.pixelsPerMetre, occluded: false, bookmark: at(10), bookmarkLocal: '2026-11-16 08:10:00 -06:00', detections: 2 });
    expect(cam.nearestDetection).toEqual({ ts: at(9), local: '2026-11-16 08:09:00 -06:00', offsetMs: -MIN, label: 'person', score: 0.8, box: onTarget, atTarget: true });

    // With a zero margin only the detection at 11 is in the span, and it is not on the slot.
    const tight = await custodyOf(q, layout, incident(), { marginMs: 0 });
    expect(tight.cameras[0]!.nearestDetection).toMatchObject({ ts: at(11), offsetMs: MIN, atTarget: false });
    expect(tight.cameras[0]!.detections).toBe(1);

    // Nothing detected in the span: no detection, the camera still listed.
    const later = await custodyOf(q, layout, incident({ from: at(100), to: at(101), detectedAt: at(101) }));
    expect(later.cameras.map((x) => [x.camera, x.nearestDetection, x.detections])).toEqual([['C1', null, 0]]);
  });

  it('watches a door, and has no cameras for an incident with no place', async () => {
    const door = await custodyOf(q, layout, incident({ kind: 'cage_door', place: { door: 'D2' }, sku: undefined, units: undefined, badges: [] }));
    expect(door.where).toMatchObject({ door: { id: 'D2', kind: 'cage', zone: 'z-cage' }, zone: { id: 'z-cage' }, slot: null, watched: 'door', point: [8.5, 3, 1] });
    expect(door.cameras.map((x) => x.camera)).toEqual(camerasSeeing(layout, { door: 'D2' }).map((x) => x.camera));
    expect(door.what).toMatchObject({ sku: null, name: null, valueAtCost: null });

    const device = await custodyOf(q, layout, incident({ kind: 'device_fault', place: { device: 'A-1-0' }, sku: undefined }));
    expect(device.where).toMatchObject({ device: { id: 'A-1-0', kinds: ['slot'] }, slot: { id: 'A-1-0' }, shelf: { id: 'A' }, watched: 'slot' });

    const nowhere = await custodyOf(q, layout, incident({ place: {} }));
    expect(nowhere.where).toEqual({ slot: null, shelf: null, zone: null, door: null, device: null, watched: null, point: null });
    expect(nowhere.cameras).toEqual([]);
  });
});
