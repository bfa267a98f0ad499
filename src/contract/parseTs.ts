/**
 * Contract times: an RFC 3339 date-time with a zone (`2026-11-22T21:14:03.120Z`,
 * `2026-11-22T15:14:03-06:00`) or epoch milliseconds. Returns epoch ms, or NaN when the
 * value is neither. Strict on purpose: `Date.parse` accepts local times and loose formats
 * that would silently shift a reading by the reader's zone.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function parseTs(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : NaN;
  if (typeof v !== 'string') return NaN;
  return parseRfc3339(v);
}

export function parseRfc3339(s: string): number {
  const m = RFC3339.exec(s);
  if (!m) return NaN;
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = +m[4]!;
  const minute = +m[5]!;
  const second = +m[6]!;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month < 1 || month > 12) return NaN;
  if (day < 1 || day > (month === 2 && leap ? 29 : DAYS[month - 1]!)) return NaN;
  // RFC 3339 allows a leap second (60); it lands on the next second's first instant.
  if (hour > 23 || minute > 59 || second > 60) return NaN;
  let offsetMin = 0;
  if (m[9]) {
    const oh = +m[10]!;
    const om = +m[11]!;
    if (oh > 23 || om > 59) return NaN;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const frac = m[7] ? Number(m[7]) * 1000 : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second) + frac - offsetMin * 60_000;
}

/** Formats epoch ms as RFC 3339 UTC with milliseconds, the form the project writes. */
export function formatTs(ms: number): string {
  return new Date(ms).toISOString();
}
