import { describe, expect, it } from 'vitest';
import type { TruthRecord } from '../../sim/world/Truth';
import type { Incident, RuleKind } from '../../src/rules/Incident';
import { incidentClass, score, truthClass } from '../../src/rules/score';

const MIN = 60_000;
const T = Date.parse('2026-11-16T18:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function incident(kind: RuleKind, from: number, p: Partial<Incident> = {}): Incident {
  return { id: `${kind}:${from}`, store: 's', kind, severity: 'warning', from, to: from, detectedAt: from + 20 * MIN, place: { slot: 'A' }, badges: [], alerts: [], title: kind, status: 'open', ...p };
}

describe('score', () => {
  it('puts truth records and incidents in scored classes', () => {
    expect(truthClass({ kind: 'theft', subtype: 'dock_walkout', ts: '' })).toBe('theft');
    expect(truthClass({ kind: 'theft', subtype: 'sweethearting', ts: '' })).toBe('receiving_shortfall');
    expect(truthClass({ kind: 'receiving_error', units: -2, ts: '' })).toBeUndefined();
    expect(truthClass({ kind: 'receiving_error', units: 2, ts: '' })).toBe('receiving_shortfall');
    expect(truthClass({ kind: 'short_shipment', ts: '' })).toBeUndefined();
    expect(incidentClass(incident('unscanned_move', T, { suspect: 'theft' }))).toBe('theft');
    expect(incidentClass(incident('unscanned_move', T))).toBe('unscanned_move');
    expect(incidentClass(incident('count_mismatch', T))).toBeUndefined();
  });

  it('counts TP, FP, FN, precision, recall and the median time to detect per class', () => {
    const truth: TruthRecord[] = [
      { kind: 'unscanned_move', ts: iso(T), slot: 'A', sku: 'S' },
      { kind: 'unscanned_move', ts: iso(T + 60 * MIN), slot: 'A', sku: 'S' },
      { kind: 'unscanned_move', ts: iso(T + 120 * MIN), slot: 'B', sku: 'S' },
      { kind: 'theft', subtype: 'after_hours', ts: iso(T), slot: 'C' },
    ];
    const incidents = [
      incident('unscanned_move', T, { sku: 'S' }),
      incident('unscanned_move', T + 60 * MIN, { sku: 'S', detectedAt: T + 100 * MIN }),
      incident('unscanned_move', T + 120 * MIN, { place: { slot: 'X' } }),
      incident('after_hours_movement', T, { place: { slot: 'C' } }),
    ];
    const s = Object.fromEntries(score(incidents, truth).map((x) => [x.kind, x]));
    expect(s.unscanned_move).toMatchObject({ tp: 2, fp: 1, fn: 1, precision: 2 / 3, recall: 2 / 3, medianDetectMinutes: 30 });
    expect(s.theft).toMatchObject({ tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 });
    expect(Number.isNaN(s.receiving_shortfall!.precision)).toBe(true);
  });

  it('matches receiving by SKU and purchase order within hours; counts records on failed cells as blind', () => {
    const truth: TruthRecord[] = [
      { kind: 'phantom_receipt', ts: iso(T), sku: 'S', ref: 'PO-1' },
      { kind: 'sensor_fault', subtype: 'dead', ts: iso(T - 60 * MIN), slot: 'D' },
      { kind: 'theft', subtype: 'dock_walkout', ts: iso(T), slot: 'D' },
    ];
    const alerts = [{ ref: 'PO-1', from: T + 150 * MIN }] as unknown as Incident['alerts'];
    const s = Object.fromEntries(score([incident('receiving_shortfall', T + 150 * MIN, { sku: 'S', place: { zone: 'dock' }, alerts })], truth).map((x) => [x.kind, x]));
    expect(s.receiving_shortfall).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(s.theft).toMatchObject({ tp: 0, fn: 0, blind: 1 });
    expect(s.device_fault).toMatchObject({ fn: 1 });
  });
});
