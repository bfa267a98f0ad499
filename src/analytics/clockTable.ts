/**
 * The store's wall clock as a table: one row per UTC quarter hour that has data, with the
 * local day, minute of day and weekday in the store's time zone. DuckDB-WASM has no time
 * zone database without downloading its ICU extension, so the zone arithmetic is done here
 * (Intl knows every zone and its DST rules) and the analyses join on the quarter:
 * `clock.quarter = time_bucket(INTERVAL 15 MINUTE, ts)`. Quarters suit every zone in use,
 * including those 30 and 45 minutes off the hour.
 */
import { zoneOffset } from '../core/zonedTime';
import type { TableSpec } from './tables';

export const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

export interface ClockRow {
  /** UTC start of the quarter hour. */
  readonly quarter: number;
  /** Local calendar day, as days since 1970-01-01. */
  readonly localDay: number;
  /** Local minutes after midnight at the quarter's start. */
  readonly localMinute: number;
  /** ISO weekday of the local day: 1 Monday ... 7 Sunday. */
  readonly weekday: number;
}

export const CLOCK_TABLE: TableSpec<ClockRow> = {
  name: 'clock',
  columns: [
    { name: 'quarter', type: 'TIMESTAMP_MS', get: (r) => r.quarter },
    { name: 'local_day', type: 'DATE', get: (r) => r.localDay },
    { name: 'local_minute', type: 'INTEGER', get: (r) => r.localMinute },
    { name: 'weekday', type: 'INTEGER', get: (r) => r.weekday },
  ],
};

/** The quarters of the UTC day that holds `ms`, on the wall clock of `timezone`. */
export function clockRowsForUtcDay(ms: number, timezone: string): ClockRow[] {
  const start = Math.floor(ms / DAY_MS) * DAY_MS;
  const rows: ClockRow[] = [];
  for (let q = start; q < start + DAY_MS; q += QUARTER_MS) {
    const local = q + zoneOffset(q, timezone);
    const localDay = Math.floor(local / DAY_MS);
    rows.push({ quarter: q, localDay, localMinute: Math.round((local - localDay * DAY_MS) / 60_000), weekday: ((localDay + 3) % 7 + 7) % 7 + 1 });
  }
  return rows;
}
