/**
 * The twin's state: what is on every slot, where every tag was last read, which doors are
 * open, who is in the room, which devices are online, and book versus physical per SKU.
 * Immutable: a new TwinState is made after each batch of events, sharing the records that
 * did not change, so views compare records by identity.
 */
import type { BadgeRole } from '../contract/messages';

export interface Movement {
  /** When the stock moved (the reading that showed it, or the edge event's ts). */
  readonly ts: number;
  readonly slot: string;
  readonly shelf: string;
  /** The slot's planned SKU (what the load cell is assumed to weigh). */
  readonly sku: string;
  readonly kind: 'pick' | 'put';
  /** Positive whole units. */
  readonly units: number;
  /** Seen by the load cell's weight, by the edge `event` topic, or by both (matched, counted once). */
  readonly source: 'weight' | 'edge' | 'both';
}

export interface SlotState {
  readonly slot: string;
  readonly shelf: string;
  readonly sku: string;
  readonly capacity: number;
  /** Latest reading in grams, by ts; null before the first reading. */
  readonly grams: number | null;
  /** Units on the slot from the load cell (noise-robust), null before the first reading. */
  readonly units: number | null;
  /** ts of the latest reading. */
  readonly readingTs: number | null;
  /** Movements of the last reorder window before the slot's newest event, oldest first (the event store holds all of them). */
  readonly movements: readonly Movement[];
  /** Units the book puts on this slot (slot-level bookings), null when nothing was booked here. */
  readonly book: number | null;
}

export interface TagState {
  readonly epc: string;
  /** Zone of the latest read, by ts; null when that read could not be placed (no antenna named). */
  readonly zone: string | null;
  readonly reader: string;
  readonly antenna: number | null;
  readonly ts: number;
  readonly rssi?: number;
}

export interface DoorState {
  readonly door: string;
  readonly open: boolean;
  /** ts since which the door has been in this state (null before any state message). */
  readonly since: number | null;
  readonly ts: number | null;
}

export interface BadgeState {
  readonly badge: string;
  readonly role: BadgeRole;
  /** In the room: an odd number of granted swipes at room doors, the last within the presence timeout. */
  readonly present: boolean;
  /** When the current presence began (the granted swipe in), null when not present. */
  readonly since: number | null;
  readonly lastDoor: string;
  readonly lastTs: number;
  readonly lastGranted: boolean;
  /** Swipes refused so far (inside the reorder window and before it). */
  readonly refused: number;
}

export interface DeviceState {
  readonly device: string;
  readonly online: boolean;
  /** ts of the status message this comes from. */
  readonly ts: number;
}

export interface CameraState {
  readonly camera: string;
  readonly lastFrameTs: number | null;
  readonly frames: number;
  readonly lastDetection: { readonly ts: number; readonly label: string; readonly score: number } | null;
}

export interface SkuState {
  readonly sku: string;
  /** Store-level book on hand (back room and sales floor), from `inventory/book`. */
  readonly book: number;
  /** Sum of slot-level book over the back room's slots. */
  readonly bookBackroom: number;
  /** Units the load cells weigh on this SKU's planned slots (slots never read count 0). */
  readonly physical: number;
  /** Slots of this SKU that have reported a weight. */
  readonly slotsReporting: number;
}

export interface TwinState {
  readonly store: string;
  /** Newest event time seen (the twin's clock), null before any event. */
  readonly asOf: number | null;
  /** Increases by one with each batch that changed something. */
  readonly version: number;
  readonly slots: ReadonlyMap<string, SlotState>;
  readonly tags: ReadonlyMap<string, TagState>;
  readonly doors: ReadonlyMap<string, DoorState>;
  readonly badges: ReadonlyMap<string, BadgeState>;
  readonly devices: ReadonlyMap<string, DeviceState>;
  readonly cameras: ReadonlyMap<string, CameraState>;
  readonly skus: ReadonlyMap<string, SkuState>;
  /** Events that arrived behind the reorder window and could not change the state. */
  readonly late: number;
}

/** Badges in the room now. */
export function presentBadges(state: TwinState): BadgeState[] {
  return [...state.badges.values()].filter((b) => b.present);
}
