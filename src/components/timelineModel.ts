/**
 * The timeline's arithmetic, apart from the element so it is tested on Node: time to pixel
 * and back, clamping and snapping, which ticks to label for a span (aligned to the store's
 * time zone, not the browser's), a playback step, stepping by bucket or hour, and the
 * stacked histogram as one SVG path per kind (hundreds of buckets stay one element each).
 * Times are epoch ms throughout.
 */

/** The stretch of time the timeline covers; `from <= to`. */
export interface TimeSpan {
  readonly from: number;
  readonly to: number;
}

/** Counts per bucket: bucket i covers [from + i·bucketMs, from + (i+1)·bucketMs). */
export interface Histogram {
  readonly from: number;
  /** > 0. */
  readonly bucketMs: number;
  /** One row per kind; 'alerts' is drawn on top whatever its place here. */
  readonly series: readonly { readonly kind: string; readonly counts: readonly number[] }[];
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The playback speeds offered, in simulated ms per wall ms, with their labels. */
export const SPEEDS: readonly { readonly speed: number; readonly label: string }[] = [
  { speed: 1, label: '1×' },
  { speed: 10, label: '10×' },
  { speed: 60, label: '1 min/s' },
  { speed: 600, label: '10 min/s' },
  { speed: 3600, label: '1 h/s' },
];

export function clamp(t: number, span: TimeSpan): number {
  return Math.min(span.to, Math.max(span.from, t));
}

/** The x (0…width) of `t`; a zero-length span puts everything at the right edge. */
export function timeToX(t: number, span: TimeSpan, width: number): number {
  const len = span.to - span.from;
  if (len <= 0) return width;
  return ((clamp(t, span) - span.from) / len) * width;
}

/** The time at `x`, clamped to the span. */
export function xToTime(x: number, span: TimeSpan, width: number): number {
  if (width <= 0) return span.to;
  return clamp(span.from + (x / width) * (span.to - span.from), span);
}

/** `t` rounded to the nearest multiple of `step` counted from `origin`. */
export function snap(t: number, step: number, origin = 0): number {
  if (step <= 0) return t;
  return origin + Math.round((t - origin) / step) * step;
}

const NICE_STEPS = [SECOND, 5 * SECOND, 15 * SECOND, MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 6 * HOUR, DAY];

/**
 * The step a drag snaps to: the smallest round step no finer than a pixel, so a drag lands
 * on whole minutes (or hours) instead of odd milliseconds, yet can reach every pixel.
 */
export function dragStep(span: TimeSpan, width: number): number {
  const perPx = (span.to - span.from) / Math.max(1, width);
  return NICE_STEPS.find((s) => s >= perPx) ?? DAY;
}

/** Where playback is after `elapsedWallMs` of wall time at `speed`; it stops at the span's end. */
export function advance(at: number, elapsedWallMs: number, speed: number, span: TimeSpan): { at: number; ended: boolean } {
  const next = clamp(at + Math.max(0, elapsedWallMs) * speed, span);
  return { at: next, ended: next >= span.to };
}

/**
 * The next multiple of `step` from `origin` strictly after (dir 1) or before (dir -1) `at`,
 * clamped to the span: from a bucket's middle one press lands on its edge, the next on the
 * next edge. `at` null (live) counts as the span's end.
 */
export function stepTime(at: number | null, dir: 1 | -1, step: number, origin: number, span: TimeSpan): number {
  const t = at ?? span.to;
  if (step <= 0) return clamp(t, span);
  const k = (t - origin) / step;
  // A hair of tolerance, so float error on an edge does not make a press stand still.
  const n = dir > 0 ? Math.floor(k + 1e-9) + 1 : Math.ceil(k - 1e-9) - 1;
  return clamp(origin + n * step, span);
}

// ---- time zones ----

const formats = new Map<string, Intl.DateTimeFormat>();

/** A formatter for `timeZone`, falling back to UTC for a zone Intl does not know. */
function formatter(timeZone: string, key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${timeZone}|${key}`;
  let f = formats.get(id);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' });
    }
    formats.set(id, f);
  }
  return f;
}

/** The zone's offset from UTC at `t` (ms; positive east of Greenwich). */
export function zoneOffset(t: number, timeZone: string): number {
  const f = formatter(timeZone, 'parts', { hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const whole = Math.floor(t / 1000) * 1000;
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - whole;
}

/** The instant whose wall-clock reading in the zone is `local` (ms as if UTC). */
function fromLocal(local: number, timeZone: string): number {
  // Two rounds settle the offset, DST edges included.
  const guess = local - zoneOffset(local, timeZone);
  return local - zoneOffset(guess, timeZone);
}

/** "Mon 16 Nov, 14:05" (with ":07" seconds when asked) in the zone. */
export function formatInstant(t: number, timeZone: string, seconds = false): string {
  const f = formatter(timeZone, seconds ? 'instant-s' : 'instant', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  });
  return f.format(new Date(t));
}

/** "14:05" (or "14:05:07") in the zone. */
export function formatClock(t: number, timeZone: string, seconds = false): string {
  const f = formatter(timeZone, seconds ? 'clock-s' : 'clock', { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hourCycle: 'h23' });
  return f.format(new Date(t));
}

// ---- ticks ----

const TICK_STEPS = [10 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY];

export interface Tick {
  readonly t: number;
  readonly label: string;
  /** A day's first tick (local midnight): labelled with the day, drawn stronger. */
  readonly major: boolean;
}

/** The tick step for a span drawn `width` px wide: the finest that leaves `minPx` between labels. */
export function tickStep(span: TimeSpan, width: number, minPx = 72): number {
  const len = Math.max(1, span.to - span.from);
  return TICK_STEPS.find((s) => (len / s) * minPx <= width) ?? TICK_STEPS[TICK_STEPS.length - 1]!;
}

/** Ticks for the span at the step `tickStep` picks, on the zone's round hours and midnights. */
export function ticks(span: TimeSpan, width: number, timeZone: string, minPx = 72): Tick[] {
  const step = tickStep(span, width, minPx);
  const out: Tick[] = [];
  const startLocal = span.from + zoneOffset(span.from, timeZone);
  const endLocal = span.to + zoneOffset(span.to, timeZone);
  for (let l = Math.ceil(startLocal / step) * step; l <= endLocal && out.length < 500; l += step) {
    const t = fromLocal(l, timeZone);
    if (t < span.from || t > span.to || (out.length > 0 && out[out.length - 1]!.t === t)) continue;
    const midnight = l % DAY === 0;
    const day = formatter(timeZone, step >= DAY ? 'day-month' : 'day', { weekday: 'short', day: 'numeric', ...(step >= DAY ? { month: 'short' } : {}) }).format(new Date(t));
    const label = step >= DAY || midnight ? day : formatClock(t, timeZone, step < MINUTE);
    out.push({ t, label, major: midnight });
  }
  return out;
}

// ---- histogram ----

/** The kind drawn on top, in the warning colour. */
export const ALERTS = 'alerts';

/** The series in drawing order, bottom first: as given, alerts last. */
export function stackOrder(h: Histogram): Histogram['series'] {
  return [...h.series.filter((s) => s.kind !== ALERTS), ...h.series.filter((s) => s.kind === ALERTS)];
}

/** The tallest stack. */
export function histogramMax(h: Histogram): number {
  const n = Math.max(0, ...h.series.map((s) => s.counts.length));
  let max = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const s of h.series) sum += Math.max(0, s.counts[i] ?? 0);
    max = Math.max(max, sum);
  }
  return max;
}

/**
 * One SVG path per kind (bottom first) drawing the stacked bars in a `width`×`height` box
 * whose x follows the span; buckets outside the span and empty segments draw nothing.
 * Heights are on a square-root scale: one spike (the opening counts at midnight, a delivery)
 * would otherwise flatten every other hour of the day into the baseline.
 */
export function histogramPaths(h: Histogram, span: TimeSpan, width: number, height: number): { kind: string; d: string }[] {
  const max = histogramMax(h);
  const order = stackOrder(h);
  const n = Math.max(0, ...order.map((s) => s.counts.length));
  const base = new Float64Array(n);
  const gap = width / Math.max(1, (span.to - span.from) / h.bucketMs) > 3 ? 1 : 0;
  return order.map((s) => {
    let d = '';
    for (let i = 0; i < n; i++) {
      const c = Math.max(0, s.counts[i] ?? 0);
      if (c === 0 || max === 0) continue;
      const t0 = h.from + i * h.bucketMs;
      const t1 = t0 + h.bucketMs;
      if (t1 <= span.from || t0 >= span.to) continue;
      const x0 = timeToX(t0, span, width);
      const w = Math.max(0.5, timeToX(t1, span, width) - x0 - gap);
      const y1 = height - scale(base[i]! / max) * height;
      const y0 = height - scale((base[i]! + c) / max) * height;
      base[i] = base[i]! + c;
      d += `M${r(x0)} ${r(y1)}V${r(y0)}h${r(w)}V${r(y1)}Z`;
    }
    return { kind: s.kind, d };
  });
}

const r = (v: number) => Math.round(v * 10) / 10;
const scale = (share: number) => Math.sqrt(share);

/** The bucket under `t`, with its counts per kind; undefined outside the histogram. */
export function bucketAt(h: Histogram, t: number): { from: number; counts: { kind: string; count: number }[] } | undefined {
  const i = Math.floor((t - h.from) / h.bucketMs);
  const n = Math.max(0, ...h.series.map((s) => s.counts.length));
  if (i < 0 || i >= n) return undefined;
  return { from: h.from + i * h.bucketMs, counts: stackOrder(h).map((s) => ({ kind: s.kind, count: s.counts[i] ?? 0 })) };
}
