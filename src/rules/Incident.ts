/**
 * What the rules find (src/rules): an Alert is one rule firing on one piece of evidence; an
 * Incident is what a person works: related alerts merged (same place, people and time
 * window), with a severity, a status and, once resolved, an outcome and the time it took.
 * Plain data shared by the rule engine, the event store, the CLI and the workbench. No DOM.
 */

export type RuleKind =
  /** Stock moved (a load cell's units changed) outside trading hours. */
  | 'after_hours_movement'
  /** A pick in a restricted zone with no badge present in the room allowed there. */
  | 'restricted_pick'
  /** A slot's physical and book disagree beyond the tolerance for longer than the grace period. */
  | 'count_mismatch'
  /** Adjustments booked on one shelf again and again within `windowHours`. */
  | 'repeated_adjustments'
  /** A cage door opened with no granted badge before it, or held open too long. */
  | 'cage_door'
  /** A receipt booked for more units than reached the shelves (receiving shortfall). */
  | 'receiving_shortfall'
  /** Weight left a slot with no booked movement to explain it. */
  | 'unscanned_move'
  /** A tag read at the exit zone with no sale. */
  | 'exit_tag'
  /** A device went silent, or a load cell stuck on one reading. */
  | 'device_fault'
  /** A camera and a slot's load cell disagree (the shelf CNN fused with the load cells): a stuck or drifting load cell, a misplaced product, stock hidden from the cell. */
  | 'shelf_vision';

export type Severity = 'info' | 'warning' | 'critical';

/** Where something happened: the most precise place known (a slot implies its shelf and zone). */
export interface Place {
  readonly slot?: string;
  readonly shelf?: string;
  readonly zone?: string;
  readonly door?: string;
  readonly device?: string;
}

/** One rule firing. */
export interface Alert {
  /** Stable for the same evidence (rule, place, first event ts): re-running the rules gives the same ids. */
  readonly id: string;
  readonly store: string;
  readonly rule: RuleKind;
  readonly severity: Severity;
  /** When the evidence happened (epoch ms): from and to of its window (equal for one event). */
  readonly from: number;
  readonly to: number;
  /** When the rule could first know (epoch ms): to, or later for a rule that waits (a grace period). */
  readonly detectedAt: number;
  readonly place: Place;
  readonly sku?: string;
  /** Units involved (positive), when the rule knows them. */
  readonly units?: number;
  /** Badges involved (present in the room or swiping at the door), when the rule knows them. */
  readonly badges?: readonly string[];
  /** One line for a person: "5 units of snk-collab-11 left H3-L2-1 with no booking". */
  readonly text: string;
  /** The purchase order or reference, for receiving. */
  readonly ref?: string;
  /** What the rule suspects when its evidence tells (an unbooked pick carried out of a door: theft). */
  readonly suspect?: Outcome;
}

export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';
export type Outcome = 'theft' | 'misplacement' | 'process_error' | 'false_alarm';

export interface Incident {
  /** The id of its first-raised alert (by detectedAt): it stays as alerts join the incident. */
  readonly id: string;
  readonly store: string;
  /** The rule of its first (most severe, then earliest) alert: what the incident is about. */
  readonly kind: RuleKind;
  /** The highest of its alerts'. */
  readonly severity: Severity;
  /** The window its alerts cover. */
  readonly from: number;
  readonly to: number;
  readonly detectedAt: number;
  readonly place: Place;
  readonly sku?: string;
  readonly units?: number;
  readonly badges: readonly string[];
  readonly alerts: readonly Alert[];
  /** What its alerts suspect, the gravest first (theft over the rest); absent when none says. */
  readonly suspect?: Outcome;
  readonly title: string;
  readonly status: IncidentStatus;
  /** Who acknowledged or resolved it and when, with the note they left. */
  readonly acknowledgedAt?: number;
  readonly resolvedAt?: number;
  readonly outcome?: Outcome;
  readonly note?: string;
}
