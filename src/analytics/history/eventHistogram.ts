/**
 * The timeline's data: how far a store's history reaches (timeSpan) and how many events of
 * each kind fall in each slice of a range (eventHistogram), one query each.
 */
import { lit, num, sqlTime, type Query } from './historySql';

/** The kinds the histogram counts, in the order a timeline stacks them. */
export const HISTOGRAM_KINDS = ['readings', 'movements', 'book', 'doors', 'badges', 'rfid', 'detections', 'alerts', 'quarantine'] as const;
export type HistogramKind = (typeof HISTOGRAM_KINDS)[number];

/**
 * Per kind: the table, its time column, and which rows count. Movements count changes only
 * (not a slot's opening units); alerts are devices reporting offline and incidents the rules
 * found (each once, at the start of its window).
 */
const SOURCES: Record<HistogramKind, { table: string; ts: string; where?: string }> = {
  readings: { table: 'readings', ts: 'ts' },
  movements: { table: 'movements', ts: 'ts', where: 'delta IS NOT NULL' },
  book: { table: 'book', ts: 'ts' },
  doors: { table: 'door_states', ts: 'ts' },
  badges: { table: 'badges', ts: 'ts' },
  rfid: { table: 'rfid_reads', ts: 'ts' },
  detections: { table: 'detections', ts: 'ts' },
  alerts: {
    table: `(SELECT store, ts FROM device_status WHERE NOT online
      UNION ALL SELECT store, min(from_ts) AS ts FROM incidents GROUP BY store, id)`,
    ts: 'ts',
  },
  quarantine: { table: 'quarantine', ts: 'received' },
};

export interface TimeSpan {
  /** Epoch ms of the store's first and last event (quarantined messages by arrival). */
  readonly from: number;
  readonly to: number;
}

export function timeSpanSql(store: string): string {
  const parts = HISTOGRAM_KINDS.filter((k) => k !== 'movements' && k !== 'alerts').map((k) => {
    const s = SOURCES[k];
    return `SELECT min(${s.ts}) AS lo, max(${s.ts}) AS hi FROM ${s.table} WHERE store = ${lit(store)}`;
  });
  // device_status in full (online too), which the alerts kind filters.
  parts.push(`SELECT min(ts), max(ts) FROM device_status WHERE store = ${lit(store)}`);
  return `SELECT epoch_ms(min(lo)) AS lo, epoch_ms(max(hi)) AS hi FROM (${parts.join(' UNION ALL ')})`;
}

/** The store's first and last event times; null when it has none. */
export async function timeSpan(q: Query, store: string): Promise<TimeSpan | null> {
  const [r] = await q(timeSpanSql(store));
  if (!r || r.lo === null || r.lo === undefined) return null;
  return { from: num(r.lo), to: num(r.hi) };
}

export interface Histogram {
  readonly from: number;
  readonly to: number;
  /** Width of a bucket in ms, (to - from) / buckets; bucket i covers [from + i*width, from + (i+1)*width). */
  readonly width: number;
  /** Per kind, the count in each bucket (length `buckets`). */
  readonly counts: Record<HistogramKind, number[]>;
}

/** Counts per kind and bucket of [from, to) split in `buckets`. */
export function eventHistogramSql(store: string, from: number, to: number, buckets: number): string {
  const span = Math.trunc(to) - Math.trunc(from);
  const parts = HISTOGRAM_KINDS.map((k) => {
    const s = SOURCES[k];
    return `SELECT ${lit(k)} AS kind, epoch_ms(${s.ts}) AS t FROM ${s.table}
      WHERE store = ${lit(store)} AND ${s.ts} >= ${sqlTime(from)} AND ${s.ts} < ${sqlTime(to)}${s.where ? ` AND ${s.where}` : ''}`;
  });
  return `SELECT kind, ((t - ${Math.trunc(from)}) * ${buckets}) // ${span} AS b, count(*)::BIGINT AS n
    FROM (${parts.join('\n    UNION ALL ')}) GROUP BY ALL`;
}

export async function eventHistogram(q: Query, store: string, from: number, to: number, buckets: number): Promise<Histogram> {
  if (!(Number.isInteger(buckets) && buckets > 0)) throw new RangeError(`buckets must be a positive integer, not ${buckets}`);
  if (!(to > from)) throw new RangeError(`empty range ${from} .. ${to}`);
  const counts = Object.fromEntries(HISTOGRAM_KINDS.map((k) => [k, new Array<number>(buckets).fill(0)])) as Record<HistogramKind, number[]>;
  for (const r of await q(eventHistogramSql(store, from, to, buckets))) {
    const b = Math.min(buckets - 1, Math.max(0, num(r.b)));
    counts[r.kind as HistogramKind][b]! += num(r.n);
  }
  return { from, to, width: (to - from) / buckets, counts };
}
