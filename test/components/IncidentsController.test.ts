/**
 * The controller's merge against a stand-in event store (the rest of the page is not
 * needed): alerts after a reload join the stored incidents, and the rules a source runs
 * decide what merges.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserEventStore } from '../../src/analytics/BrowserEventStore';
import type { LayoutIndex } from '../../src/layout/LayoutIndex';
import type { Alert, Incident } from '../../src/rules/Incident';
import { mergeIncidents } from '../../src/rules/mergeIncidents';
import { DEFAULT_RULES } from '../../src/rules/Rules';
import type { TimeController } from '../../src/components/TimeController';

// The panel is a custom element: Node has none, and the merge does not need it.
vi.mock('../../src/components/tw-incidents-panel', () => ({}));
const { IncidentsController } = await import('../../src/components/IncidentsController');
type Controller = InstanceType<typeof IncidentsController>;

const MIN = 60_000;
const T = Date.parse('2026-11-16T18:00:00Z');

function alert(p: Partial<Alert> & Pick<Alert, 'rule' | 'from'>): Alert {
  return { id: `${p.rule}:${p.from}`, store: 's', severity: 'warning', to: p.from, detectedAt: p.from + 20 * MIN, place: { slot: 'A-0-0', shelf: 'A', zone: 'z' }, text: p.rule, ...p };
}

/** An event store that keeps the newest write of each incident, as the incidents table does. */
class FakeStore {
  state: 'closed' | 'open' = 'open';
  rows = new Map<string, Incident>();
  writes: Incident[][] = [];
  status() {
    return { state: this.state, problems: [] };
  }
  async saveIncidents(incidents: readonly Incident[]): Promise<void> {
    this.state = 'open';
    this.writes.push([...incidents]);
    for (const i of incidents) this.rows.set(i.id, JSON.parse(JSON.stringify(i)) as Incident);
  }
  async incidents(): Promise<Incident[]> {
    this.state = 'open';
    return [...this.rows.values()].map((i) => ({ ...i, status: 'acknowledged' as const }));
  }
}

function controller(store: FakeStore): Controller {
  const host = { incident: null, renderRoot: {}, addController() {}, requestUpdate() {}, openIncident() {} };
  const time = { refreshAlerts() {}, seek() {} };
  return new IncidentsController(host as never, store as unknown as BrowserEventStore, time as unknown as TimeController);
}

const layout = {} as LayoutIndex;

describe('IncidentsController', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function settle(): Promise<void> {
    await vi.advanceTimersByTimeAsync(2000);
  }

  it('after a reload, merges a new alert into the stored incident at the same slot, under its id', async () => {
    const store = new FakeStore();
    const stored = mergeIncidents([alert({ rule: 'unscanned_move', from: T })]);
    await store.saveIncidents(stored);
    store.writes = [];

    const c = controller(store);
    c.useLayout(layout);
    await settle();
    expect(c.incidents.map((i) => i.id)).toEqual([stored[0]!.id]);
    expect(store.writes).toEqual([]); // the stored incidents are not written again just for being read

    c.addAlerts(layout, [alert({ rule: 'count_mismatch', from: T + 5 * MIN })]);
    await settle();
    expect(store.writes).toHaveLength(1);
    expect(store.writes[0]!.map((i) => [i.id, i.alerts.length])).toEqual([[stored[0]!.id, 2]]);
    expect([...store.rows.keys()]).toEqual([stored[0]!.id]);
  });

  it('reads the stored incidents before merging alerts that came while the store was still closed', async () => {
    const store = new FakeStore();
    const stored = mergeIncidents([alert({ rule: 'unscanned_move', from: T })]);
    await store.saveIncidents(stored);
    store.writes = [];
    store.state = 'closed'; // as after a reload, before the saved store has opened

    const c = controller(store);
    c.useLayout(layout);
    c.addAlerts(layout, [alert({ rule: 'count_mismatch', from: T + 5 * MIN })]);
    await settle();
    expect(store.writes.flat().map((i) => [i.id, i.alerts.length])).toEqual([[stored[0]!.id, 2]]);
  });

  it('does not write again what a source restarted from the beginning raises again', async () => {
    const store = new FakeStore();
    const alerts = [alert({ rule: 'unscanned_move', from: T }), alert({ rule: 'count_mismatch', from: T + 5 * MIN })];
    const c = controller(store);
    c.useLayout(layout);
    c.addAlerts(layout, alerts);
    await settle();
    expect(store.writes).toHaveLength(1);

    const again = controller(store);
    again.useLayout(layout);
    again.addAlerts(layout, alerts);
    await settle();
    expect(store.writes).toHaveLength(1);
  });

  it('merges under the rules of the source that raised the alerts', async () => {
    const alerts = [alert({ rule: 'unscanned_move', from: T }), alert({ rule: 'count_mismatch', from: T + 20 * MIN })];
    const shipped = new FakeStore();
    const c = controller(shipped);
    c.useLayout(layout);
    c.addAlerts(layout, alerts, DEFAULT_RULES);
    await settle();
    expect(shipped.rows.size).toBe(1); // 30 minutes merge by default

    const narrow = new FakeStore();
    const d = controller(narrow);
    d.useLayout(layout);
    d.addAlerts(layout, alerts, { ...DEFAULT_RULES, mergeMinutes: 10 });
    await settle();
    expect(narrow.rows.size).toBe(2);
  });

  it('another layout starts from its own store: alerts of the one before do not merge into it', async () => {
    const store = new FakeStore();
    const c = controller(store);
    c.useLayout(layout);
    c.addAlerts(layout, [alert({ rule: 'unscanned_move', from: T })]);
    await settle();
    // The other layout's store has nothing yet.
    const other = {} as LayoutIndex;
    store.rows = new Map();
    store.writes = [];
    c.useLayout(other);
    c.addAlerts(layout, [alert({ rule: 'count_mismatch', from: T + 5 * MIN })]); // from a source on the old layout: dropped
    c.addAlerts(other, [alert({ rule: 'count_mismatch', from: T + 6 * MIN })]);
    await settle();
    expect(store.writes.flat().map((i) => i.alerts.map((a) => a.id))).toEqual([[`count_mismatch:${T + 6 * MIN}`]]);
  });
});
