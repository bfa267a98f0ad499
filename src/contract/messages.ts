/**
 * The live telemetry contract (../shared/contract/mqtt.md) as types: a raw MQTT message as
 * it arrived, the typed event it becomes once valid, and the reasons a message is
 * quarantined instead.
 */

/** A message exactly as received from a broker or read from a recording line. */
export interface RawMessage {
  readonly topic: string;
  /** Text (from a recording's `payload`) or bytes (from MQTT, or a recording's `payload_b64`). */
  readonly payload: string | Uint8Array;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  /** MQTT 5 user properties, name to value. */
  readonly props?: Readonly<Record<string, string>>;
  /** Arrival time, epoch ms. */
  readonly received: number;
  /** 1-based line number when the message came from a recording file. */
  readonly line?: number;
}

interface Base {
  /** Event time, epoch ms (from the payload's `ts`, or for frames the `ts` property or arrival). */
  readonly ts: number;
  /** Arrival time, epoch ms. */
  readonly received: number;
  /** Per-topic counter when the device sent one; a repeat is a duplicate. */
  readonly seq?: number;
}

export interface WeightEvent extends Base {
  readonly type: 'weight';
  readonly shelf: string;
  readonly slot: string;
  /** Load-cell reading in grams (may be slightly negative around zero). */
  readonly grams: number;
}

export interface SlotEdgeEvent extends Base {
  readonly type: 'slot_event';
  readonly shelf: string;
  readonly slot: string;
  readonly kind: 'pick' | 'put';
  /** Positive whole units. */
  readonly units: number;
}

export interface RfidReadEvent extends Base {
  readonly type: 'rfid';
  readonly reader: string;
  readonly epc: string;
  /** Antenna number the read came in on, null when the message named none. */
  readonly antenna: number | null;
  readonly rssi?: number;
  /** The zone the layout maps this reader (and antenna) to; null when a reader of several antennas did not say which. */
  readonly zone: string | null;
}

export interface DoorStateEvent extends Base {
  readonly type: 'door_state';
  readonly door: string;
  readonly open: boolean;
}

export const BADGE_ROLES = ['associate', 'supervisor', 'manager', 'vendor', 'unknown'] as const;
export type BadgeRole = (typeof BADGE_ROLES)[number];

export interface BadgeEvent extends Base {
  readonly type: 'badge';
  readonly door: string;
  /** Opaque pseudonymous badge id. */
  readonly badge: string;
  readonly role: BadgeRole;
  readonly granted: boolean;
}

export interface FrameEvent extends Base {
  readonly type: 'frame';
  readonly camera: string;
  /** JPEG bytes. */
  readonly jpeg: Uint8Array;
  /** Where `ts` came from: the MQTT 5 `ts` user property, or arrival time. */
  readonly tsSource: 'property' | 'arrival';
}

export interface DetectionEvent extends Base {
  readonly type: 'detection';
  readonly camera: string;
  readonly label: string;
  readonly score: number;
  /** [x, y, w, h] in pixels. */
  readonly box: readonly [number, number, number, number];
}

export const BOOK_REASONS = [
  'receipt',
  'sale',
  'transfer_in',
  'transfer_out',
  'return',
  'adjustment',
  'count',
  'putaway',
  'replenish',
] as const;
export type BookReason = (typeof BOOK_REASONS)[number];

export interface BookEvent extends Base {
  readonly type: 'book';
  readonly sku: string;
  /** A change in units, except for `count`, where it is the counted quantity. */
  readonly delta: number;
  readonly reason: BookReason;
  readonly ref?: string;
  /** The back-room slot the movement was booked on, when the system knows it. */
  readonly slot?: string;
  /**
   * For a `receipt`: the units the purchase order (`ref`) asked for, when the inventory
   * system sends it (an optional field this reader adds to the contract's book message).
   */
  readonly ordered?: number;
}

export interface StatusEvent extends Base {
  readonly type: 'status';
  readonly device: string;
  readonly online: boolean;
}

/** A valid contract message, typed. */
export type TwinEvent =
  | WeightEvent
  | SlotEdgeEvent
  | RfidReadEvent
  | DoorStateEvent
  | BadgeEvent
  | FrameEvent
  | DetectionEvent
  | BookEvent
  | StatusEvent;

export type EventType = TwinEvent['type'];

/** Why a message was quarantined. Stable codes: they are counted, exported and tested. */
export const QUARANTINE_REASONS = {
  bad_line: 'recording line is not a JSON object with a topic and a payload',
  unknown_topic: 'topic is not one the contract names',
  wrong_store: "topic is for another store than the layout's",
  bad_json: 'payload is not a JSON object',
  missing_field: 'a required field is missing',
  bad_field: 'a field has the wrong type or value',
  bad_ts: 'ts is neither RFC 3339 with a zone nor epoch milliseconds',
  future_ts: 'ts is more than 24 h after the message arrived',
  unknown_id: 'an id the layout does not know',
  slot_shelf_mismatch: 'the slot belongs to another shelf than the topic says',
  bad_frame: 'frame payload is not a JPEG image',
} as const;
export type QuarantineReason = keyof typeof QUARANTINE_REASONS;

/** A message kept aside with why, so nothing is lost silently. */
export interface QuarantineEntry {
  readonly reason: QuarantineReason;
  /** Human-readable detail: which field, which id. */
  readonly detail: string;
  /** The message as it came (for a bad recording line: its raw text as `payload`, topic ''). */
  readonly message: RawMessage;
}
