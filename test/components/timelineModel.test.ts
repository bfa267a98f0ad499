import { describe, expect, it } from 'vitest';
import {
  advance,
  bucketAt,
  clamp,
  DAY,
  dragStep,
  formatInstant,
  histogramMax,
  histogramPaths,
  HOUR,
  MINUTE,
  snap,
  stackOrder,
  stepTime,
  ticks,
  tickStep,
  timeToX,
  xToTime,
  zoneOffset,
} from '../../src/components/timelineModel';

const T0 = Date.UTC(2026, 10, 16, 6); // Mon 16 Nov 2026, 06:00 UTC
const span = { from: T0, to: T0 + 10 * HOUR };

describe('time and x', () => {
  it('maps the span onto the width and back, clamping outside it', () => {
    expect(timeToX(T0, span, 1000)).toBe(0);
    expect(timeToX(T0 + 5 * HOUR, span, 1000)).toBe(500);
    expect(timeToX(T0 + 20 * HOUR, span, 1000)).toBe(1000);
    expect(xToTime(250, span, 1000)).toBe(T0 + 2.5 * HOUR);
    expect(xToTime(-40, span, 1000)).toBe(T0);
    expect(xToTime(2000, span, 1000)).toBe(span.to);
    expect(clamp(T0 - 1, span)).toBe(T0);
  });

  it('puts everything at the right edge of a zero-length span', () => {
    expect(timeToX(T0, { from: T0, to: T0 }, 300)).toBe(300);
  });

  it('snaps to a step from an origin, and drags on round steps no finer than a pixel', () => {
    expect(snap(T0 + 7 * MINUTE + 40_000, MINUTE, T0)).toBe(T0 + 8 * MINUTE);
    expect(snap(T0 + 10, 0)).toBe(T0 + 10);
    // 10 h over 600 px: 60 s a pixel.
    expect(dragStep(span, 600)).toBe(MINUTE);
    expect(dragStep(span, 200)).toBe(5 * MINUTE);
  });
});

describe('playback', () => {
  it('moves by wall time times speed', () => {
    expect(advance(T0, 1000, 60, span)).toEqual({ at: T0 + MINUTE, ended: false });
  });

  it('stops at the end of the span', () => {
    expect(advance(span.to - 1000, 1000, 3600, span)).toEqual({ at: span.to, ended: true });
  });

  it('never runs backwards on a clock that went back', () => {
    expect(advance(T0 + HOUR, -500, 10, span).at).toBe(T0 + HOUR);
  });
});

describe('stepping', () => {
  const bucket = 15 * MINUTE;

  it('goes from inside a bucket to its edges, then edge to edge', () => {
    const mid = T0 + 2 * bucket + 5 * MINUTE;
    expect(stepTime(mid, 1, bucket, T0, span)).toBe(T0 + 3 * bucket);
    expect(stepTime(mid, -1, bucket, T0, span)).toBe(T0 + 2 * bucket);
    expect(stepTime(T0 + 2 * bucket, 1, bucket, T0, span)).toBe(T0 + 3 * bucket);
    expect(stepTime(T0 + 2 * bucket, -1, bucket, T0, span)).toBe(T0 + bucket);
  });

  it('treats live as the end and stays inside the span', () => {
    expect(stepTime(null, -1, HOUR, T0, span)).toBe(span.to - HOUR);
    expect(stepTime(span.to, 1, HOUR, T0, span)).toBe(span.to);
    expect(stepTime(T0, -1, HOUR, T0, span)).toBe(T0);
  });
});

describe('time zones and ticks', () => {
  it('finds the zone offset, DST included', () => {
    expect(zoneOffset(Date.UTC(2026, 0, 10), 'Europe/Berlin')).toBe(HOUR);
    expect(zoneOffset(Date.UTC(2026, 6, 10), 'Europe/Berlin')).toBe(2 * HOUR);
    expect(zoneOffset(Date.UTC(2026, 6, 10), 'Asia/Kolkata')).toBe(5.5 * HOUR);
    expect(zoneOffset(T0, 'Not/AZone')).toBe(0);
  });

  it('formats in the store zone, not the machine one', () => {
    expect(formatInstant(T0, 'UTC')).toBe('Mon 16 Nov, 06:00');
    expect(formatInstant(T0, 'America/New_York')).toBe('Mon 16 Nov, 01:00');
    expect(formatInstant(T0 + 7000, 'UTC', true)).toBe('Mon 16 Nov, 06:00:07');
  });

  it('picks hours for a shift and days for weeks', () => {
    expect(tickStep(span, 800)).toBe(HOUR);
    expect(tickStep({ from: T0, to: T0 + 7 * DAY }, 800)).toBe(DAY);
    expect(tickStep({ from: T0, to: T0 + 30 * MINUTE }, 800)).toBe(5 * MINUTE);
  });

  it('puts ticks on the zone round hours and labels midnight with the day', () => {
    const s = { from: Date.UTC(2026, 10, 16, 20, 10), to: Date.UTC(2026, 10, 17, 2, 50) };
    const kolkata = ticks(s, 600, 'Asia/Kolkata');
    // 5:30 ahead: local round hours fall on :30 UTC.
    expect(kolkata.every((t) => new Date(t.t).getUTCMinutes() === 30)).toBe(true);
    const utc = ticks(s, 600, 'UTC');
    const midnight = utc.find((t) => t.major)!;
    expect(midnight.t).toBe(Date.UTC(2026, 10, 17));
    expect(midnight.label).toBe('Tue 17');
    expect(utc.find((t) => !t.major)!.label).toMatch(/^\d\d:00$/);
  });

  it('labels day ticks with the month', () => {
    const week = ticks({ from: T0, to: T0 + 7 * DAY }, 800, 'UTC');
    expect(week[0]!.label).toBe('Tue 17 Nov');
    expect(week).toHaveLength(7);
  });
});

describe('histogram', () => {
  const h = {
    from: T0,
    bucketMs: HOUR,
    series: [
      { kind: 'alerts', counts: [1, 0, 2] },
      { kind: 'events', counts: [3, 0, 6] },
    ],
  };

  it('stacks alerts on top and scales to the tallest bar', () => {
    expect(stackOrder(h).map((s) => s.kind)).toEqual(['events', 'alerts']);
    expect(histogramMax(h)).toBe(8);
  });

  it('draws one path per kind, bars only where there are counts', () => {
    const paths = histogramPaths(h, span, 1000, 80);
    expect(paths.map((p) => p.kind)).toEqual(['events', 'alerts']);
    const [events, alerts] = paths;
    // Two bars each; the empty middle bucket draws nothing.
    expect(events!.d.match(/M/g)).toHaveLength(2);
    expect(alerts!.d.match(/M/g)).toHaveLength(2);
    // Square-root heights: the third bucket's 6 events of the tallest 8 reach sqrt(6/8) of
    // the height (69.3 of 80); its alerts sit on them up to the top.
    expect(events!.d).toContain('M200 80V10.7');
    expect(alerts!.d).toContain('M200 10.7V0');
    // The first bucket's 3 of 8: sqrt(3/8) = 0.61, so 49 of 80 rather than a linear 30.
    expect(events!.d).toContain('M0 80V31');
  });

  it('tells what is in the bucket under a time', () => {
    expect(bucketAt(h, T0 + 2.5 * HOUR)).toEqual({ from: T0 + 2 * HOUR, counts: [{ kind: 'events', count: 6 }, { kind: 'alerts', count: 2 }] });
    expect(bucketAt(h, T0 - 1)).toBeUndefined();
    expect(bucketAt(h, T0 + 3 * HOUR)).toBeUndefined();
  });
});
