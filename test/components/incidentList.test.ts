import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER, filterIncidents, placeText, statusCounts } from '../../src/components/incidentList';
import type { Incident } from '../../src/rules/Incident';

const T = Date.UTC(2026, 10, 16, 22);
const inc = (id: string, over: Partial<Incident>): Incident => ({
  id, store: 's', kind: 'unscanned_move', severity: 'warning', from: T, to: T, detectedAt: T, place: { slot: 'A-0-0', shelf: 'A', zone: 'z' }, badges: [], alerts: [], title: id, status: 'open', ...over,
});

describe('the incident list', () => {
  const all = [
    inc('old-warning', { detectedAt: T - 60_000 }),
    inc('new-warning', { detectedAt: T }),
    inc('critical', { severity: 'critical', detectedAt: T - 3_600_000, kind: 'cage_door' }),
    inc('acked', { status: 'acknowledged', severity: 'critical' }),
    inc('done', { status: 'resolved', outcome: 'theft' }),
  ];

  it('shows what still needs a person first: open before acknowledged, critical first, newest first; resolved hidden', () => {
    expect(filterIncidents(all, DEFAULT_FILTER).map((i) => i.id)).toEqual(['critical', 'new-warning', 'old-warning', 'acked']);
  });

  it('filters by status, kind and severity', () => {
    expect(filterIncidents(all, { ...DEFAULT_FILTER, status: 'resolved' }).map((i) => i.id)).toEqual(['done']);
    expect(filterIncidents(all, { ...DEFAULT_FILTER, kind: 'cage_door' }).map((i) => i.id)).toEqual(['critical']);
    expect(filterIncidents(all, { status: 'all', kind: 'all', severity: 'critical' }).map((i) => i.id)).toEqual(['critical', 'acked']);
    expect(statusCounts(all)).toEqual({ open: 3, acknowledged: 1, resolved: 1, active: 4, all: 5 });
  });

  it('names the place as precisely as it is known', () => {
    expect(placeText({ slot: 'A-0-0', shelf: 'A', zone: 'z' })).toBe('slot A-0-0 (shelf A, zone z)');
    expect(placeText({ door: 'D2', zone: 'cage' })).toBe('door D2');
    expect(placeText({})).toBe('the room');
  });
});
