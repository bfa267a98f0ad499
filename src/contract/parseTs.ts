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

/** Two ASCII digits at i as a number, or NaN. */
function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/** Midnight UTC of each date seen, by its "YYYY-MM-DD": timestamps of one stream share few dates. */
const dayCache = new Map<string, number>();

/**
 * The shape devices send nearly always, `YYYY-MM-DDTHH:MM:SS[.fff]Z`, read by char codes
 * (the ingest hot path); anything else, or anything odd, goes to the general reader.
 */
function fastUtc(s: string): number {
  const n = s.length;
  if (n < 20 || (s.charCodeAt(n - 1) | 32) !== 122 /* z */ || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const date = s.slice(0, 10);
  let day = dayCache.get(date);
  if (day === undefined) {
    day = parseRfc3339General(`${date}T00:00:00Z`);
    if (Number.isNaN(day)) return NaN;
    if (dayCache.size > 4096) dayCache.clear();
    dayCache.set(date, day);
  }
  const h = d2(s, 11);
  const m = d2(s, 14);
  const sec = d2(s, 17);
  if (!(h <= 23 && m <= 59 && sec <= 59)) return NaN;
  let frac = 0;
  if (n > 20) {
    if (s.charCodeAt(19) !== 46 || n === 21) return NaN;
    let scale = 100;
    for (let i = 20; i < n - 1; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      frac += c * scale;
      scale /= 10;
    }
  }
  return day + h * 3600_000 + m * 60_000 + sec * 1000 + frac;
}

export function parseRfc3339(s: string): number {
  const fast = fastUtc(s);
  return Number.isNaN(fast) ? parseRfc3339General(s) : fast;
}

function parseRfc3339General(s: string): number {
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
