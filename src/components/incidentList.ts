/**
 * The incident list's logic: filters (status, kind, severity), the order (open first, then
 * by severity, newest first), counts for the filter chips, and the words for kinds,
 * outcomes and places. Pure, so it is tested without a page.
 */
import type { Incident, IncidentStatus, Outcome, Place, RuleKind, Severity } from '../rules/Incident';

export interface IncidentFilter {
  /** 'active': open or acknowledged (the default: what still needs a person). */
  readonly status: IncidentStatus | 'active' | 'all';
  readonly kind: RuleKind | 'all';
  readonly severity: Severity | 'all';
}

export const DEFAULT_FILTER: IncidentFilter = { status: 'active', kind: 'all', severity: 'all' };

export const KIND_WORDS: Record<RuleKind, string> = {
  after_hours_movement: 'After-hours movement',
  restricted_pick: 'Pick in a restricted zone',
  count_mismatch: 'Count mismatch',
  repeated_adjustments: 'Repeated adjustments',
  cage_door: 'Cage door',
  receiving_shortfall: 'Receiving shortfall',
  unscanned_move: 'Unscanned move',
  exit_tag: 'Tag at the exit',
  shelf_vision: 'Camera and shelf disagree',
  device_fault: 'Device fault',
};

export const OUTCOME_WORDS: Record<Outcome, string> = {
  theft: 'Theft',
  misplacement: 'Misplacement',
  process_error: 'Process error',
  false_alarm: 'False alarm',
};

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const STATUS_RANK: Record<IncidentStatus, number> = { open: 0, acknowledged: 1, resolved: 2 };

export function matches(i: Incident, f: IncidentFilter): boolean {
  const status = f.status === 'all' || (f.status === 'active' ? i.status !== 'resolved' : i.status === f.status);
  return status && (f.kind === 'all' || i.kind === f.kind) && (f.severity === 'all' || i.severity === f.severity);
}

/** The incidents a filter keeps, in the order a person works them. */
export function filterIncidents(all: readonly Incident[], f: IncidentFilter): Incident[] {
  return all
    .filter((i) => matches(i, f))
    .sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.detectedAt - a.detectedAt || (a.id < b.id ? -1 : 1));
}

/** How many incidents each status has, and how many are active. */
export function statusCounts(all: readonly Incident[]): Record<IncidentStatus | 'active' | 'all', number> {
  const c = { open: 0, acknowledged: 0, resolved: 0, active: 0, all: all.length };
  for (const i of all) {
    c[i.status]++;
    if (i.status !== 'resolved') c.active++;
  }
  return c;
}

/** The most precise place, in words: "slot A-03-2 (shelf A, zone z-rep)". */
export function placeText(p: Place): string {
  if (p.slot) return `slot ${p.slot}${p.shelf ? ` (shelf ${p.shelf}${p.zone ? `, zone ${p.zone}` : ''})` : ''}`;
  if (p.shelf) return `shelf ${p.shelf}${p.zone ? ` (zone ${p.zone})` : ''}`;
  if (p.door) return `door ${p.door}`;
  if (p.device) return `device ${p.device}`;
  if (p.zone) return `zone ${p.zone}`;
  return 'the room';
}
