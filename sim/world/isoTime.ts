/**
 * RFC 3339 UTC with milliseconds, as Date.toISOString writes it, but from a per-minute
 * cache: the simulator stamps millions of lines and toISOString was a fifth of its time.
 */
let cachedMinute = NaN;
let cachedPrefix = '';

export function isoTime(ms: number): string {
  const minute = Math.floor(ms / 60_000);
  if (minute !== cachedMinute) {
    cachedMinute = minute;
    cachedPrefix = new Date(minute * 60_000).toISOString().slice(0, 17); // YYYY-MM-DDTHH:MM:
  }
  const inMinute = ms - minute * 60_000;
  const sec = Math.floor(inMinute / 1000);
  const milli = Math.floor(inMinute - sec * 1000);
  return `${cachedPrefix}${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
