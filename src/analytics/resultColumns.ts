/**
 * What a result column holds, read from its Arrow type as `EventStore.select` reports it
 * (`Timestamp<MICROSECOND>`, `Date32<DAY>`, `Int64`, `Float64`, `Utf8`...), and how its
 * instants are written out. Timestamps and dates arrive as epoch ms numbers: only the type
 * tells them from a count.
 */
import type { ResultColumn, Row } from './EventStore';

export type { ResultColumn };

/** Rows as the event store returns them, with the columns that describe them. */
export interface ResultTable {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly Row[];
}

/** 'timestamp' for instants, 'date' for calendar days (epoch ms at UTC midnight), else undefined. */
export function temporalKind(type: string): 'timestamp' | 'date' | undefined {
  if (/^Timestamp/i.test(type)) return 'timestamp';
  if (/^Date/i.test(type)) return 'date';
  return undefined;
}

/** Integers, floats and decimals: what a quantitative axis can take. */
export function isNumericType(type: string): boolean {
  return /^(U?Int|Float|Decimal)/i.test(type);
}

/**
 * An instant as ISO 8601 in UTC (`2026-11-16T08:00:00Z`, milliseconds only when there are
 * some), a day as `2026-11-16`; undefined for a value that is not a time.
 */
export function temporalText(value: unknown, kind: 'timestamp' | 'date'): string | undefined {
  const ms = typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return undefined;
  const iso = new Date(ms).toISOString();
  return kind === 'date' ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

/** A value as a table cell shows it: times as ISO text, null as '', bytes (BLOB, such as a frame's JPEG) by their first bytes and length, lists and structs as JSON. */
export function cellText(value: unknown, type: string): string {
  if (value === null || value === undefined) return '';
  const kind = temporalKind(type);
  if (kind) return temporalText(value, kind) ?? String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return bytesText(value);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
}

/** Bytes as their first 8 in hex and their length: `ffd8ffe000104a46… (12345 bytes)`; a JPEG written out in full helps nobody in a table. */
function bytesText(b: Uint8Array): string {
  const head = [...b.subarray(0, 8)].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${head}${b.length > 8 ? '…' : ''} (${b.length} byte${b.length === 1 ? '' : 's'})`;
}
