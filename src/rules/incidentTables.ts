/**
 * Incidents in the event store, so they survive a reload and a fleet can read them later
 * (Parquet, by store): `incidents` holds what the rules found, one row each time an incident
 * is (re)written, the newest row of an id winning; `incident_actions` is the workflow's log
 * (acknowledge, resolve with an outcome and a note, reopen), never rewritten: the audit
 * trail and, folded, each incident's status. Pure: table specs, SQL and the fold.
 */
import type { TableSpec } from '../analytics/tables';
import type { Alert, Incident, IncidentStatus, Outcome, RuleKind, Severity } from './Incident';

/** One step of the workflow, as the user took it. */
export interface IncidentAction {
  readonly incident: string;
  /** When the user took it (wall clock, epoch ms). */
  readonly at: number;
  readonly action: 'acknowledge' | 'resolve' | 'reopen';
  readonly outcome?: Outcome;
  readonly note?: string;
}

export const INCIDENTS_TABLE: TableSpec<Incident & { written: number }> = {
  name: 'incidents',
  columns: [
    { name: 'id', type: 'VARCHAR', get: (i) => i.id },
    { name: 'written', type: 'TIMESTAMP_MS', get: (i) => i.written },
    { name: 'kind', type: 'VARCHAR', get: (i) => i.kind },
    { name: 'severity', type: 'VARCHAR', get: (i) => i.severity },
    { name: 'from_ts', type: 'TIMESTAMP_MS', get: (i) => i.from },
    { name: 'to_ts', type: 'TIMESTAMP_MS', get: (i) => i.to },
    { name: 'detected_at', type: 'TIMESTAMP_MS', get: (i) => i.detectedAt },
    { name: 'slot', type: 'VARCHAR', get: (i) => i.place.slot },
    { name: 'shelf', type: 'VARCHAR', get: (i) => i.place.shelf },
    { name: 'zone', type: 'VARCHAR', get: (i) => i.place.zone },
    { name: 'door', type: 'VARCHAR', get: (i) => i.place.door },
    { name: 'device', type: 'VARCHAR', get: (i) => i.place.device },
    { name: 'sku', type: 'VARCHAR', get: (i) => i.sku },
    { name: 'units', type: 'DOUBLE', get: (i) => i.units },
    { name: 'badges', type: 'VARCHAR', get: (i) => i.badges.join(' ') },
    { name: 'title', type: 'VARCHAR', get: (i) => i.title },
    { name: 'suspect', type: 'VARCHAR', get: (i) => i.suspect },
    // The evidence, as JSON: a case file rebuilds the incident from its row alone.
    { name: 'alerts', type: 'VARCHAR', get: (i) => JSON.stringify(i.alerts) },
  ],
};

export const INCIDENT_ACTIONS_TABLE: TableSpec<IncidentAction> = {
  name: 'incident_actions',
  columns: [
    { name: 'incident', type: 'VARCHAR', get: (a) => a.incident },
    { name: 'acted_at', type: 'TIMESTAMP_MS', get: (a) => a.at },
    { name: 'action', type: 'VARCHAR', get: (a) => a.action },
    { name: 'outcome', type: 'VARCHAR', get: (a) => a.outcome },
    { name: 'note', type: 'VARCHAR', get: (a) => a.note },
  ],
};

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Each incident of a store as last written, newest first; one last written with no alerts was absorbed by another and is not listed. */
export function incidentsSql(store: string): string {
  return `SELECT id, kind, severity, epoch_ms(from_ts) AS "from", epoch_ms(to_ts) AS "to", epoch_ms(detected_at) AS detected_at,
      slot, shelf, zone, door, device, sku, units, badges, title, suspect, alerts
    FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY written DESC) AS n FROM incidents WHERE store = ${lit(store)})
    WHERE n = 1 AND alerts <> '[]' ORDER BY detected_at DESC, id`;
}

export function incidentActionsSql(store: string): string {
  return `SELECT incident, epoch_ms(acted_at) AS acted_at, action, outcome, note FROM incident_actions WHERE store = ${lit(store)} ORDER BY acted_at, incident`;
}

/** Incidents from their rows, with the status their actions give them. */
export function incidentsFromRows(rows: readonly Record<string, unknown>[], actions: readonly Record<string, unknown>[], store: string): Incident[] {
  const log = new Map<string, IncidentAction[]>();
  for (const a of actions) {
    const id = String(a.incident);
    const list = log.get(id) ?? [];
    list.push({ incident: id, at: Number(a.acted_at), action: a.action as IncidentAction['action'], ...(a.outcome ? { outcome: a.outcome as Outcome } : {}), ...(a.note ? { note: String(a.note) } : {}) });
    log.set(id, list);
  }
  return rows.map((r) => {
    const place = Object.fromEntries((['slot', 'shelf', 'zone', 'door', 'device'] as const).filter((k) => r[k] !== null && r[k] !== undefined).map((k) => [k, String(r[k])]));
    const base: Incident = {
      id: String(r.id),
      store,
      kind: r.kind as RuleKind,
      severity: r.severity as Severity,
      from: Number(r.from),
      to: Number(r.to),
      detectedAt: Number(r.detected_at),
      place,
      ...(r.sku !== null && r.sku !== undefined ? { sku: String(r.sku) } : {}),
      ...(r.units !== null && r.units !== undefined ? { units: Number(r.units) } : {}),
      badges: r.badges ? String(r.badges).split(' ').filter(Boolean) : [],
      alerts: JSON.parse(String(r.alerts ?? '[]')) as Alert[],
      title: String(r.title),
      ...(r.suspect !== null && r.suspect !== undefined ? { suspect: r.suspect as Outcome } : {}),
      status: 'open',
    };
    return withActions(base, log.get(base.id) ?? []);
  });
}

/** An incident after its workflow actions, in the order taken. */
export function withActions(incident: Incident, actions: readonly IncidentAction[]): Incident {
  let i: Incident = incident;
  for (const a of actions) {
    const { acknowledgedAt: _a, resolvedAt: _r, outcome: _o, note: _n, ...open } = i;
    if (a.action === 'acknowledge' && i.status === 'open') i = { ...i, status: 'acknowledged', acknowledgedAt: a.at, ...(a.note ? { note: a.note } : {}) };
    else if (a.action === 'resolve' && i.status !== 'resolved') i = { ...i, status: 'resolved', resolvedAt: a.at, ...(a.outcome ? { outcome: a.outcome } : {}), ...(a.note ? { note: a.note } : {}), acknowledgedAt: i.acknowledgedAt ?? a.at };
    else if (a.action === 'reopen' && i.status !== 'open') i = { ...open, status: 'open' as IncidentStatus };
  }
  return i;
}

/** How long an incident took to resolve, from when the rules found it (a pilot's ROI figure); undefined while not resolved. */
export function resolutionMs(i: Incident): number | undefined {
  return i.resolvedAt === undefined ? undefined : Math.max(0, i.resolvedAt - i.detectedAt);
}
