/**
 * A store's daily measure over a pilot's periods, from an analysis's rows by local day: one
 * number a day, oldest first, a day the rows leave out counted as 0 (shrink.by_day lists
 * only days with a loss or a gain).
 */
import { addDays } from '../core/zonedTime';

/** Local dates, inclusive. */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** "2026-11-16..2026-11-29" (or one date) as a range; a reason when it is not one. */
export function parseDayRange(text: string): DayRange | string {
  const [from = '', to = from, ...rest] = text.split('..');
  if (rest.length || !DATE.test(from) || !DATE.test(to)) return `must be FROM..TO, local dates such as 2026-11-16..2026-11-29, not "${text}"`;
  if (to < from) return `ends (${to}) before it starts (${from})`;
  return { from, to };
}

/** Every local date of the range, oldest first. */
export function daysOf(r: DayRange): string[] {
  const out: string[] = [];
  for (let d = r.from; d <= r.to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The value on each day of the range; 0 where no row has the day. */
export function dailySeries(rows: readonly { readonly day: string; readonly value: number }[], r: DayRange): number[] {
  const byDay = new Map<string, number>();
  for (const row of rows) byDay.set(row.day, (byDay.get(row.day) ?? 0) + row.value);
  return daysOf(r).map((d) => byDay.get(d) ?? 0);
}
