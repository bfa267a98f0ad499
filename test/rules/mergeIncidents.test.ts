import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/rules/Incident';
import { mergeIncidents } from '../../src/rules/mergeIncidents';

const MIN = 60_000;
const T = Date.parse('2026-11-16T18:00:00Z');

function alert(p: Partial<Alert> & Pick<Alert, 'rule' | 'from'>): Alert {
  return {
    id: `${p.rule}:${p.place?.slot ?? p.place?.door ?? '-'}:${p.from}`,
    store: 's',
    severity: 'warning',
    to: p.from,
    detectedAt: p.from + 20 * MIN,
    place: { slot: 'A-0-0', shelf: 'A', zone: 'z' },
    text: p.rule,
    ...p,
  };
}

describe('mergeIncidents', () => {
  it('merges alerts at one place within the window; the most severe names the incident', () => {
    const out = mergeIncidents([
      alert({ rule: 'unscanned_move', from: T, sku: 'S1', units: 2 }),
      alert({ rule: 'count_mismatch', from: T, sku: 'S1', detectedAt: T + 240 * MIN }),
      alert({ rule: 'after_hours_movement', from: T + 5 * MIN, severity: 'critical', suspect: 'theft', badges: ['b-1'], sku: 'S1' }),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'after_hours_movement', severity: 'critical', from: T, to: T + 5 * MIN, detectedAt: T + 20 * MIN, badges: ['b-1'], suspect: 'theft', status: 'open' });
    // The most severe alert names it; its id is the first-raised alert's, so it does not change as alerts join.
    expect(out[0]!.id).toBe(out[0]!.alerts.find((a) => a.rule === 'unscanned_move')!.id);
    const before = mergeIncidents([alert({ rule: 'unscanned_move', from: T, sku: 'S1', units: 2 })]);
    expect(before[0]!.id).toBe(out[0]!.id);
    expect(out[0]!.alerts).toHaveLength(3);
  });

  it('among equal severity and time, prefers the alert that tells what happened over a count mismatch', () => {
    const out = mergeIncidents([alert({ rule: 'count_mismatch', from: T }), alert({ rule: 'unscanned_move', from: T })]);
    expect(out.map((i) => i.kind)).toEqual(['unscanned_move']);
  });

  it('keeps apart alerts at other places, other SKUs, or beyond the window', () => {
    const out = mergeIncidents([
      alert({ rule: 'unscanned_move', from: T }),
      alert({ rule: 'unscanned_move', from: T, place: { slot: 'B-0-0' } }),
      alert({ rule: 'receiving_shortfall', from: T, place: { zone: 'dock' }, sku: 'S1' }),
      alert({ rule: 'receiving_shortfall', from: T, place: { zone: 'dock' }, sku: 'S2' }),
      alert({ rule: 'count_mismatch', from: T + 3 * 60 * MIN }),
    ]);
    expect(out).toHaveLength(5);
  });

  it('suppresses repeats of a rule at one place within its suppression window', () => {
    // device_fault suppresses for a day by default; the merge window alone is 30 minutes.
    const place = { device: 'R1' };
    const out = mergeIncidents([alert({ rule: 'device_fault', from: T, place }), alert({ rule: 'device_fault', from: T + 5 * 60 * MIN, place })]);
    expect(out).toHaveLength(1);
    expect(out[0]!.alerts).toHaveLength(2);
  });

  it('merges by a shared badge across places, and keeps device faults apart from stock', () => {
    const out = mergeIncidents([
      alert({ rule: 'restricted_pick', from: T, badges: ['b-9'], severity: 'critical' }),
      alert({ rule: 'cage_door', from: T + 2 * MIN, place: { door: 'D2' }, badges: ['b-9'], severity: 'critical' }),
      alert({ rule: 'device_fault', from: T, place: { device: 'A-0-0', slot: 'A-0-0' }, severity: 'info' }),
    ]);
    expect(out.map((i) => [i.kind, i.alerts.length])).toEqual([
      ['device_fault', 1],
      ['restricted_pick', 2],
    ]);
  });
});
