/**
 * A recoverable fault the user should see (a lost connection, rows the event store could
 * not save): data, not an exception (HOUSE.md, "Problems are data").
 */
export interface Problem {
  /** What kind of fault this is; stable, so a repeat replaces the earlier record instead of piling up. */
  readonly id: string;
  readonly severity: 'error' | 'warning' | 'info';
  /** What happened, in the user's words. */
  readonly message: string;
  /** What the user can do about it, where there is something. */
  readonly tip?: string;
}
