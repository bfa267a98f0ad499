/**
 * The truth of what happened, one record per thing the twin is meant to find: written
 * beside a simulated recording (`truth.jsonl`), never read by the live pipeline.
 */
export type TruthKind =
  | 'theft'
  | 'misplacement'
  | 'short_shipment'
  | 'receiving_error'
  | 'unscanned_move'
  | 'phantom_receipt'
  | 'sensor_fault'
  | 'bad_message'
  /**
   * Stock on a slot hidden from the cameras (a grey board set across the slot's face, so that
   * it looks empty: staging to take it later) while its load cell still weighs it; `units` on
   * the slot when hidden. Scenario incidents `concealmentPerWeek`.
   */
  | 'concealment'
  /** At the end of the run, the SKU's back-room book says `units` while none of its slots holds any. */
  | 'phantom_stock';

export interface TruthRecord {
  readonly kind: TruthKind;
  /** A finer kind: theft `after_hours`, `dock_walkout`, `cage_access`, `sweethearting`; sensor fault `dead`, `stuck`, `drift`. */
  readonly subtype?: string;
  /** When it happened (RFC 3339 UTC). */
  readonly ts: string;
  readonly sku?: string;
  /** Units involved (for a receiving error: counted minus arrived, signed). */
  readonly units?: number;
  readonly slot?: string;
  readonly shelf?: string;
  readonly zone?: string;
  /** The slot the stock should have gone to (misplacement). */
  readonly intendedSlot?: string;
  /** Badge of the person who did it, with role. */
  readonly actor?: string;
  readonly role?: string;
  /** Purchase order, for deliveries. */
  readonly ref?: string;
  /** For a bad message: the topic it went out on and the quarantine reason it should get. */
  readonly topic?: string;
  readonly reason?: string;
}
