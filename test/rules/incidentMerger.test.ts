import { describe, expect, it } from 'vitest';
import type { Alert, Incident } from '../../src/rules/Incident';
import { IncidentMerger, writtenKey } from '../../src/rules/incidentMerger';
import { incidentsFromRows, INCIDENTS_TABLE } from '../../src/rules/incidentTables';
import { DEFAULT_RULES, type Rules } from '../../src/rules/Rules';

const MIN = 60_000;
const T = Date.parse('2026-11-16T18:00:00Z');

function alert(p: Partial<Alert> & Pick<Alert, 'rule' | 'from'>): Alert {
  return {
    id: `${p.rule}:${p.place?.slot ?? p.place?.door ?? '-'}:${p.from}`,
    store: 's',
    severity: 'warning',
    to: p.from,
    detectedAt: p.from + 20 * MIN,
    // Not in the order the store rebuilds a place in: the round trip must not look like a change.
    place: { zone: 'z', slot: 'A-0-0', shelf: 'A' },
    text: p.rule,
    ...p,
  };
}

/** Incidents as a reload reads them back: a row each, as incidentsSql selects it, folded with the workflow log. */
function roundTrip(incidents: readonly Incident[], actions: Record<string, unknown>[] = []): Incident[] {
  const rows = incidents.map((i) => {
    const cell = Object.fromEntries(INCIDENTS_TABLE.columns.map((c) => [c.name, c.get({ ...i, written: 0 }) ?? null]));
    const { from_ts, to_ts, detected_at, ...rest } = cell;
    return { ...rest, from: from_ts, to: to_ts, detected_at };
  });
  return incidentsFromRows(rows, actions, 's');
}

const withRules = (patch: (r: Rules) => Rules) => patch(DEFAULT_RULES);

describe('IncidentMerger', () => {
  it('writes an incident again with no alerts when a late alert bridges it into another', () => {
    const m = new IncidentMerger();
    const a1 = alert({ rule: 'unscanned_move', from: T, badges: ['X'] });
    const a2 = alert({ rule: 'unscanned_move', from: T + 10 * MIN, place: { zone: 'z', slot: 'B-0-0', shelf: 'B' } });
    m.add([a1, a2]);
    expect(m.changed().map((i) => i.id).sort()).toEqual([a1.id, a2.id].sort());
    // Raised late, dated between them: at B's slot with A's badge, it ties the two together.
    const a0 = alert({ rule: 'unscanned_move', from: T + 5 * MIN, badges: ['X'], place: { zone: 'z', slot: 'B-0-0', shelf: 'B' }, detectedAt: T + 40 * MIN });
    m.add([a0]);
    const next = m.changed();
    const grown = next.find((i) => i.id === a1.id)!;
    expect(grown.alerts.map((a) => a.id).sort()).toEqual([a0.id, a1.id, a2.id].sort());
    expect(next.find((i) => i.id === a2.id)?.alerts).toEqual([]);
    // Written once: nothing more to write until something changes.
    expect(m.changed()).toEqual([]);
    // A failed write comes back.
    m.unwritten(next);
    expect(m.changed().map((i) => [i.id, i.alerts.length]).sort()).toEqual([[a1.id, 3], [a2.id, 0]].sort());
  });

  it('after a reload, an alert at the same slot within the window joins the stored incident and keeps its id', () => {
    const first = new IncidentMerger();
    first.add([alert({ rule: 'unscanned_move', from: T, sku: 'S1', units: 2 })]);
    const saved = first.changed();
    expect(saved).toHaveLength(1);

    // The page reloads: a new merger, seeded from what the store gives back (acknowledged meanwhile).
    const stored = roundTrip(saved, [{ incident: saved[0]!.id, acted_at: T + 30 * MIN, action: 'acknowledge', outcome: null, note: null }]);
    expect(stored[0]!.status).toBe('acknowledged');
    const again = new IncidentMerger();
    again.seed(stored);
    // Nothing new: nothing to write, though the store rebuilt it in its own key order.
    expect(again.changed()).toEqual([]);

    again.add([alert({ rule: 'after_hours_movement', from: T + 10 * MIN, sku: 'S1', severity: 'critical', badges: ['b-1'] })]);
    const out = again.changed();
    expect(out).toHaveLength(1);
    expect(out[0]!.id).toBe(saved[0]!.id);
    expect(out[0]!.alerts.map((a) => a.rule).sort()).toEqual(['after_hours_movement', 'unscanned_move']);
    expect(out[0]).toMatchObject({ kind: 'after_hours_movement', severity: 'critical', badges: ['b-1'] });
  });

  it('joins by badge across a reload too', () => {
    const first = new IncidentMerger();
    first.add([alert({ rule: 'cage_door', from: T, place: { door: 'D1' }, badges: ['b-9'] })]);
    const stored = roundTrip(first.changed());
    const again = new IncidentMerger();
    again.seed(stored);
    again.add([alert({ rule: 'restricted_pick', from: T + 5 * MIN, place: { slot: 'C-1-1' }, badges: ['b-9'] })]);
    const out = again.changed();
    expect(out.map((i) => [i.id, i.alerts.length])).toEqual([[stored[0]!.id, 2]]);
  });

  it('writes nothing again when a source restarted from the beginning raises the same alerts', () => {
    const alerts = [alert({ rule: 'unscanned_move', from: T }), alert({ rule: 'count_mismatch', from: T + 2 * MIN })];
    const first = new IncidentMerger();
    first.add(alerts);
    const stored = roundTrip(first.changed());
    const again = new IncidentMerger();
    again.seed(stored);
    again.add(alerts);
    expect(again.changed()).toEqual([]);
    // Within one page too.
    first.add(alerts);
    expect(first.changed()).toEqual([]);
  });

  it('merges alerts that came before the stored incidents were read with them', () => {
    const first = new IncidentMerger();
    first.add([alert({ rule: 'unscanned_move', from: T })]);
    const stored = roundTrip(first.changed());
    const again = new IncidentMerger();
    again.add([alert({ rule: 'unscanned_move', from: T + 4 * MIN })]);
    again.seed(stored); // the reload finishes after the alert came
    const out = again.changed();
    expect(out).toHaveLength(1);
    expect(out[0]!.id).toBe(stored[0]!.id);
    expect(out[0]!.alerts).toHaveLength(2);
  });

  it('merges under the rules it is given: mergeMinutes and suppressMinutes', () => {
    const a = alert({ rule: 'unscanned_move', from: T });
    const b = alert({ rule: 'count_mismatch', from: T + 20 * MIN });
    const wide = new IncidentMerger();
    wide.add([a, b]);
    expect(wide.changed()).toHaveLength(1); // the default window is 30 minutes
    const narrow = new IncidentMerger(withRules((r) => ({ ...r, mergeMinutes: 10 })));
    narrow.add([a, b]);
    expect(narrow.changed()).toHaveLength(2);

    const place = { device: 'R1' };
    const faults = [alert({ rule: 'device_fault', from: T, place }), alert({ rule: 'device_fault', from: T + 5 * 60 * MIN, place })];
    const m = new IncidentMerger();
    m.useRules(withRules((r) => ({ ...r, rules: { ...r.rules, device_fault: { ...r.rules.device_fault, suppressMinutes: 60 } } })));
    m.add(faults);
    expect(m.changed()).toHaveLength(2);
  });

  it('returns an incident again after its write failed', () => {
    const m = new IncidentMerger();
    m.add([alert({ rule: 'unscanned_move', from: T })]);
    const out = m.changed();
    expect(m.changed()).toEqual([]);
    m.unwritten(out);
    expect(m.changed()).toEqual(out);
  });

  it('keys an incident the same from the merge and back from the store, whatever its workflow', () => {
    const m = new IncidentMerger();
    m.add([alert({ rule: 'unscanned_move', from: T, sku: 'S1', units: 3, badges: ['b-2', 'b-1'], suspect: 'theft', ref: 'PO-1' })]);
    const [i] = m.changed();
    const [back] = roundTrip([i!], [{ incident: i!.id, acted_at: T, action: 'resolve', outcome: 'theft', note: 'seen on camera' }]);
    expect(back!.status).toBe('resolved');
    expect(writtenKey(back!)).toBe(writtenKey(i!));
  });
});
