/**
 * The page's merge state for one store: every alert known by id, with the rules they merge
 * under, and each incident as it was last written. The alerts are those the stored
 * incidents carry (so after a reload a new alert at the same place or badge still joins the
 * incident it belongs to, keeping its id and so its workflow log) and those the rules raised
 * since; `changed` returns only the incidents that differ from what the store has, so a
 * reload or a source run again from the beginning does not rewrite what is already there.
 * Pure: the controller that reads and writes the store is src/components/IncidentsController.
 */
import type { Alert, Incident } from './Incident';
import { mergeIncidents } from './mergeIncidents';
import { DEFAULT_RULES, type Rules } from './Rules';

export class IncidentMerger {
  private readonly alerts = new Map<string, Alert>();
  /** Incident id to `writtenKey` of it as last written (or as the store last returned it). */
  private readonly written = new Map<string, string>();
  /** The incidents as last written with their alerts, by id: to write one again, emptied, when another absorbs it. */
  private readonly last = new Map<string, Incident>();
  /** Ids written emptied (absorbed by another incident). */
  private readonly absorbed = new Set<string>();
  private rules: Rules;

  constructor(rules: Rules = DEFAULT_RULES) {
    this.rules = rules;
  }

  /** The rules the alerts merge under from now on: the ones the source raising them runs with (its mergeMinutes and suppressMinutes). */
  useRules(rules: Rules): void {
    this.rules = rules;
  }

  /** Alerts the rules raised. Ids are stable for the same evidence, so one raised again (a source restarted from the beginning) replaces itself. */
  add(alerts: readonly Alert[]): void {
    for (const a of alerts) this.alerts.set(a.id, a);
  }

  /**
   * Incidents as the store holds them: their alerts join the merge (an alert already known
   * stays as raised here) and each counts as written as it stands, so it is written again
   * only when the merge makes it different.
   */
  seed(stored: readonly Incident[]): void {
    for (const i of stored) {
      for (const a of i.alerts) if (!this.alerts.has(a.id)) this.alerts.set(a.id, a);
      this.written.set(i.id, writtenKey(i));
      this.last.set(i.id, i);
    }
  }

  /**
   * The incidents the known alerts make now that differ from what was written; each counts
   * as written from here on. An incident written before whose alerts have all joined
   * another (a late alert bridged the two) comes back with no alerts: the store then no
   * longer lists it, and its workflow log stays for the audit.
   */
  changed(): Incident[] {
    if (!this.alerts.size) return [];
    const merged = mergeIncidents([...this.alerts.values()], this.rules);
    const out = merged.filter((i) => {
      const key = writtenKey(i);
      if (this.written.get(i.id) === key) return false;
      this.written.set(i.id, key);
      this.last.set(i.id, i);
      return true;
    });
    const now = new Set(merged.map((i) => i.id));
    for (const [id, i] of this.last) {
      if (now.has(id)) {
        this.absorbed.delete(id);
        continue;
      }
      if (this.absorbed.has(id)) continue;
      this.absorbed.add(id);
      const emptied: Incident = { ...i, alerts: [] };
      this.written.set(id, writtenKey(emptied));
      out.push(emptied);
    }
    return out;
  }

  /** A write of these failed: they count as unwritten, so the next `changed` returns them again. */
  unwritten(incidents: readonly Incident[]): void {
    for (const i of incidents) {
      this.written.delete(i.id);
      this.absorbed.delete(i.id);
    }
  }
}

/**
 * What the merge decides about an incident, in a form that is the same whether it comes
 * from mergeIncidents or back from the store: keys sorted (the store rebuilds places and
 * alerts in its own key order), undefined left out (the store has no such thing), and the
 * workflow's fields (status, notes) left out, since they live in the action log, not the row.
 */
export function writtenKey(i: Incident): string {
  const { id, kind, severity, from, to, detectedAt, place, sku, units, badges, alerts, suspect, title } = i;
  return JSON.stringify({ id, kind, severity, from, to, detectedAt, place, sku, units, badges, alerts, suspect, title }, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
