/**
 * The rules a store runs, with the parameters it sets in a rules file
 * (scenarios/rules/default.rules.json is the default that ships; parseRules reads one).
 * Every rule has `enabled`, a `severity` and `suppressMinutes` (a repeat of the same rule at
 * the same place within that time joins the incident already open instead of a new one);
 * the rest are the rule's own tolerances, grace periods and windows. Times are in the unit
 * their name ends with. No DOM.
 */
import type { DoorKind, ZoneKind } from '../layout/Layout';
import type { RuleKind, Severity } from './Incident';

interface Common {
  readonly enabled: boolean;
  readonly severity: Severity;
  /** Repeats of this rule at one place within this many minutes merge into one incident. */
  readonly suppressMinutes: number;
}

export interface RuleParams {
  readonly after_hours_movement: Common & {
    /** Minutes after close and before open still counted as trading (staff finishing up). */
    readonly marginMinutes: number;
  };
  readonly restricted_pick: Common & {
    /** A badge swiped at the zone's door this many minutes before a pick is taken to be the picker's. */
    readonly badgeWindowMinutes: number;
    /** Also alert when nobody whose role the zone allows is in the room at the pick. */
    readonly requireAllowedPresent: boolean;
  };
  readonly count_mismatch: Common & {
    /** Units physical and book may differ by without an alert. */
    readonly toleranceUnits: number;
    /** How long they must disagree (book postings lag the shelves) before it is an alert. */
    readonly graceMinutes: number;
  };
  readonly repeated_adjustments: Common & {
    /** This many adjustments booked on one shelf within windowHours is an alert. */
    readonly count: number;
    readonly windowHours: number;
  };
  readonly cage_door: Common & {
    /** A cage door opening needs a granted badge at it within this many seconds before. */
    readonly badgeWindowSeconds: number;
    /** A cage door open longer than this is held open. */
    readonly heldOpenSeconds: number;
  };
  readonly receiving_shortfall: Common & {
    /** Units booked received beyond what was put away, allowed without an alert. */
    readonly toleranceUnits: number;
    /** After a putaway of the SKU, wait this long for the rest of the putaway run. */
    readonly settleMinutes: number;
    /** A receipt with no putaway of its SKU after this many hours is settled as it stands. */
    readonly waitHours: number;
  };
  readonly unscanned_move: Common & {
    /** Units that must leave a slot unbooked before it is an alert. */
    readonly minUnits: number;
    /** A booked movement on the slot within this many minutes (by event time) explains a change. */
    readonly matchMinutes: number;
    /** Doors through which stock can leave the room: a badge out through one soon after is escalated to theft. */
    readonly exitDoorKinds: readonly DoorKind[];
    /** The exit must follow the unbooked pick within this many minutes. */
    readonly exitWithinMinutes: number;
    /** ... and the door stay open at least this long (a person carrying stock out); 0: any exit. */
    readonly exitHeldSeconds: number;
  };
  readonly exit_tag: Common & {
    /** Zone kinds that are the exit. */
    readonly zoneKinds: readonly ZoneKind[];
    /** A sale booked within this many minutes of the read explains it. */
    readonly saleWindowMinutes: number;
  };
  readonly device_fault: Common & {
    /** A load cell with no reading for this long is silent. */
    readonly silentMinutes: number;
    /** A load cell repeating one reading (to 0.1 g) this many times is stuck. */
    readonly stuckRepeats: number;
  };
  readonly shelf_vision: Common & {
    /** A finding of the cameras and the load cells (src/inference/fusion.ts) at least this sure (0 to 1) is an alert. */
    readonly minConfidence: number;
  };
}

export interface Rules {
  readonly version: 1;
  /** Events are evaluated in event-time order once this many minutes of arrivals have passed them (book postings lag). */
  readonly reorderMinutes: number;
  /** Load-cell noise around a unit boundary (grams), as the twin uses. */
  readonly noiseGrams: number;
  /** A slot's count changing by one unit is taken once this many readings in a row give it (1: at once); a bigger change at once. */
  readonly confirmReadings: number;
  /** Alerts at the same place, or with the same badges, within this many minutes merge into one incident. */
  readonly mergeMinutes: number;
  readonly rules: RuleParams;
}

export const RULE_KINDS: readonly RuleKind[] = [
  'after_hours_movement',
  'restricted_pick',
  'count_mismatch',
  'repeated_adjustments',
  'cage_door',
  'receiving_shortfall',
  'unscanned_move',
  'exit_tag',
  'device_fault',
  'shelf_vision',
];

/** The defaults: what parseRules fills in for anything a rules file leaves out. */
export const DEFAULT_RULES: Rules = {
  version: 1,
  reorderMinutes: 15,
  noiseGrams: 10,
  confirmReadings: 2,
  mergeMinutes: 30,
  rules: {
    after_hours_movement: { enabled: true, severity: 'critical', suppressMinutes: 60, marginMinutes: 15 },
    restricted_pick: { enabled: true, severity: 'critical', suppressMinutes: 30, badgeWindowMinutes: 10, requireAllowedPresent: true },
    count_mismatch: { enabled: true, severity: 'warning', suppressMinutes: 1440, toleranceUnits: 1, graceMinutes: 240 },
    repeated_adjustments: { enabled: true, severity: 'warning', suppressMinutes: 1440, count: 3, windowHours: 24 },
    cage_door: { enabled: true, severity: 'critical', suppressMinutes: 10, badgeWindowSeconds: 30, heldOpenSeconds: 120 },
    receiving_shortfall: { enabled: true, severity: 'warning', suppressMinutes: 0, toleranceUnits: 0, settleMinutes: 10, waitHours: 4 },
    unscanned_move: {
      enabled: true,
      severity: 'warning',
      suppressMinutes: 30,
      minUnits: 1,
      matchMinutes: 5,
      exitDoorKinds: ['dock', 'staff'],
      exitWithinMinutes: 5,
      exitHeldSeconds: 60,
    },
    exit_tag: { enabled: true, severity: 'critical', suppressMinutes: 10, zoneKinds: ['exit'], saleWindowMinutes: 30 },
    device_fault: { enabled: true, severity: 'info', suppressMinutes: 1440, silentMinutes: 10, stuckRepeats: 30 },
    shelf_vision: { enabled: true, severity: 'warning', suppressMinutes: 240, minConfidence: 0.8 },
  },
};
