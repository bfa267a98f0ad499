/**
 * Incidents in the event store: written, rewritten (the newest row wins), and worked through
 * acknowledge, resolve with an outcome, reopen; the status and the resolution time come
 * back the same after the store is reopened (a reload).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/analytics/EventStore';
import { openDuckDB } from '../../src/analytics/openDuckDB';
import type { Alert, Incident } from '../../src/rules/Incident';
import { resolutionMs, withActions } from '../../src/rules/incidentTables';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { miniLayout } from '../fixtures/miniLayout';

const T0 = Date.UTC(2026, 10, 16, 22, 10);
const MIN = 60_000;
const alert: Alert = {
  id: 'unscanned_move:A-0-0:1794866400000',
  store: 'store-t1',
  rule: 'unscanned_move',
  severity: 'warning',
  from: T0,
  to: T0 + MIN,
  detectedAt: T0 + 20 * MIN,
  place: { slot: 'A-0-0', shelf: 'A', zone: 'z-rep' },
  sku: 'SKU1',
  units: 3,
  badges: ['b7'],
  text: '3 units of SKU1 left A-0-0 with no booking',
};
const incident: Incident = {
  id: alert.id,
  store: 'store-t1',
  kind: 'unscanned_move',
  severity: 'warning',
  from: alert.from,
  to: alert.to,
  detectedAt: alert.detectedAt,
  place: alert.place,
  sku: 'SKU1',
  units: 3,
  badges: ['b7'],
  alerts: [alert],
  title: 'Unscanned move: 3 × SKU1 from A-0-0',
  status: 'open',
};

let duck: Awaited<ReturnType<typeof openDuckDB>>;
beforeAll(async () => {
  duck = await openDuckDB({ build: 'eh' });
});
afterAll(() => duck?.close());

describe('incidents in the event store', () => {
  it('keeps the newest write of an incident and folds its workflow into a status', async () => {
    const store = await EventStore.open(duck.connection, miniLayout());
    await store.appendIncidents([incident], T0 + 21 * MIN);
    // The rules see more evidence and write it again: one incident, the later version.
    const grown = { ...incident, suspect: 'theft' as const, units: 5, to: T0 + 3 * MIN, alerts: [alert, { ...alert, id: `${alert.id}:2`, units: 2 }] };
    await store.appendIncidents([grown], T0 + 25 * MIN);
    let [back] = await store.incidents();
    expect(back).toEqual(grown);

    await store.appendIncidentActions([{ incident: incident.id, at: T0 + 30 * MIN, action: 'acknowledge', note: 'looking at camera C1' }]);
    await store.appendIncidentActions([{ incident: incident.id, at: T0 + 50 * MIN, action: 'resolve', outcome: 'misplacement', note: 'found on A-0-1' }]);
    [back] = await (await EventStore.open(duck.connection, miniLayout())).incidents();
    expect(back).toMatchObject({ status: 'resolved', acknowledgedAt: T0 + 30 * MIN, resolvedAt: T0 + 50 * MIN, outcome: 'misplacement', note: 'found on A-0-1' });
    expect(resolutionMs(back!)).toBe(30 * MIN);
    expect((await store.query('SELECT DISTINCT store FROM incident_actions')).map((r) => r.store)).toEqual(['store-t1']);
  });

  it('stops listing an incident written again with no alerts (another absorbed it), and keeps its log', async () => {
    const store = await EventStore.open(duck.connection, new LayoutIndex({ ...miniLayout().layout, store: 'store-absorb' }));
    const other = { ...incident, id: 'other', store: 'store-absorb', alerts: [{ ...alert, id: 'other' }] };
    await store.appendIncidents([{ ...incident, store: 'store-absorb' }, other], T0 + 21 * MIN);
    await store.appendIncidentActions([{ incident: 'other', at: T0 + 22 * MIN, action: 'acknowledge' }]);
    expect((await store.incidents()).map((i) => i.id).sort()).toEqual([incident.id, 'other'].sort());
    await store.appendIncidents([{ ...other, alerts: [] }], T0 + 23 * MIN);
    expect((await store.incidents()).map((i) => i.id)).toEqual([incident.id]);
    const log = await store.query(`SELECT count(*)::INT AS n FROM incident_actions WHERE store = 'store-absorb' AND incident = 'other'`);
    expect(Number(log[0]!.n)).toBe(1);
  });
});

describe('the workflow', () => {
  it('acknowledges, resolves and reopens in order, ignoring steps that do not apply', () => {
    const at = (m: number) => T0 + m * MIN;
    const done = withActions(incident, [
      { incident: incident.id, at: at(1), action: 'resolve', outcome: 'false_alarm' }, // resolving an open one acknowledges it too
      { incident: incident.id, at: at(2), action: 'acknowledge' }, // already resolved: no change
    ]);
    expect(done).toMatchObject({ status: 'resolved', acknowledgedAt: at(1), resolvedAt: at(1), outcome: 'false_alarm' });
    const reopened = withActions(done, [{ incident: incident.id, at: at(3), action: 'reopen' }]);
    expect(reopened.status).toBe('open');
    expect(reopened.resolvedAt).toBeUndefined();
    expect(reopened.outcome).toBeUndefined();
    expect(resolutionMs(reopened)).toBeUndefined();
  });
});
