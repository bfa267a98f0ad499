/**
 * Alerts into incidents, what a person works: an alert joins an incident when it is at
 * the same place (same slot, door, device, or shelf or zone when that is the most precise
 * place known; and the same SKU when both name one) or shares a badge with it, and starts
 * within the merge window after the start of the incident's last alert, or within its rule's
 * suppressMinutes for a repeat of the same rule (a repeat is suppressed into the incident
 * instead of opening another). The incident's kind, id, place and title are its most
 * severe alert's (the earliest among equals); its window covers all of its alerts; it was
 * detected when its first alert was.
 */
import type { Alert, Incident, RuleKind, Severity } from './Incident';
import { MIN, placeKey } from './RuleContext';
import { DEFAULT_RULES, type Rules } from './Rules';

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
/** Among alerts of one severity and time, the one that says most about what happened names the incident. */
const TELLS: RuleKind[] = ['after_hours_movement', 'restricted_pick', 'cage_door', 'exit_tag', 'unscanned_move', 'receiving_shortfall', 'repeated_adjustments', 'count_mismatch', 'shelf_vision', 'device_fault'];

interface Building {
  alerts: Alert[];
  to: number;
  /** The latest start of its alerts: what a new alert must follow within `mergeMinutes` (or its rule's suppression). */
  last: number;
  badges: Set<string>;
  sku?: string;
}

export function mergeIncidents(alerts: readonly Alert[], rules: Rules = DEFAULT_RULES): Incident[] {
  const sorted = [...alerts].sort((a, b) => a.from - b.from || a.id.localeCompare(b.id));
  const all: Building[] = [];
  const byPlace = new Map<string, Building[]>();
  const byBadge = new Map<string, Building>();
  const window = rules.mergeMinutes * MIN;
  for (const a of sorted) {
    // A device's faults are about the device, not the stock on it: they merge only with each other.
    const key = a.rule === 'device_fault' ? `device:${a.place.device ?? placeKey(a.place)}` : placeKey(a.place);
    const within = (b: Building) => {
      const same = b.alerts.some((x) => x.rule === a.rule);
      const w = Math.max(window, same ? rules.rules[a.rule].suppressMinutes * MIN : 0);
      // From the last alert's start, not the incident's end: a long window (a count mismatch
      // waits hours) must not draw in a later, unrelated theft at the same slot.
      return a.from <= b.last + w;
    };
    let into = byPlace.get(key)?.find((b) => within(b) && (!a.sku || !b.sku || a.sku === b.sku));
    if (!into) for (const badge of a.badges ?? []) {
      const b = byBadge.get(badge);
      if (b && within(b)) {
        into = b;
        break;
      }
    }
    if (!into) {
      into = { alerts: [], to: -Infinity, last: -Infinity, badges: new Set(), sku: a.sku };
      all.push(into);
    }
    into.alerts.push(a);
    into.to = Math.max(into.to, a.to);
    into.last = Math.max(into.last, a.from);
    into.sku ??= a.sku;
    for (const badge of a.badges ?? []) {
      into.badges.add(badge);
      byBadge.set(badge, into);
    }
    const list = byPlace.get(key) ?? [];
    if (!list.includes(into)) list.push(into);
    // Only the incidents still open at this place matter to later alerts.
    byPlace.set(key, list.filter((b) => b.to >= a.from - 2 * 24 * 60 * MIN));
  }
  return all.map(toIncident).sort((a, b) => a.from - b.from || a.id.localeCompare(b.id));
}

function toIncident(b: Building): Incident {
  const better = (a: Alert, m: Alert) =>
    RANK[a.severity] - RANK[m.severity] || m.from - a.from || TELLS.indexOf(m.rule) - TELLS.indexOf(a.rule);
  const first = b.alerts.reduce((m, a) => (better(a, m) > 0 ? a : m));
  const suspect = b.alerts.some((a) => a.suspect === 'theft') ? 'theft' : b.alerts.find((a) => a.suspect)?.suspect;
  // The id is the first-raised alert's (by detectedAt), not the most severe one's: live,
  // alerts come in the order raised, so an incident keeps its id (and the workflow logged
  // against it) when a more severe or earlier-dated alert joins it later.
  const firstRaised = b.alerts.reduce((m, a) => (a.detectedAt < m.detectedAt || (a.detectedAt === m.detectedAt && a.id < m.id) ? a : m));
  return {
    id: firstRaised.id,
    store: first.store,
    kind: first.rule,
    severity: first.severity,
    from: Math.min(...b.alerts.map((a) => a.from)),
    to: b.to,
    detectedAt: Math.min(...b.alerts.map((a) => a.detectedAt)),
    place: first.place,
    sku: first.sku ?? b.sku,
    units: first.units,
    badges: [...b.badges].sort(),
    alerts: b.alerts,
    suspect,
    title: first.text,
    status: 'open',
  };
}
