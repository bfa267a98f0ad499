import { describe, expect, it } from 'vitest';
import { alertRing, anchorOf, badgeSpot, PULSE_MS } from '../../src/render/placement';
import { miniLayout } from '../fixtures/miniLayout';

describe('placement', () => {
  it('stands people in rows inside the door, never on one spot', () => {
    const spots = Array.from({ length: 9 }, (_, k) => badgeSpot([0, 3], [0, 1], [1, 0], k));
    expect(new Set(spots.map((s) => s.join())).size).toBe(9);
    for (const [x] of spots) expect(x).toBeGreaterThan(0.5); // inside the room (x > 0 here)
    for (let i = 0; i < spots.length; i++)
      for (let j = i + 1; j < spots.length; j++) expect(Math.hypot(spots[i]![0] - spots[j]![0], spots[i]![1] - spots[j]![1])).toBeGreaterThanOrEqual(0.5);
  });

  it('pulses an alert for its first ten seconds, then holds a steady ring', () => {
    expect(alertRing(0).pulsing).toBe(true);
    expect(alertRing(600).radius).toBeGreaterThan(alertRing(0).radius);
    expect(alertRing(PULSE_MS)).toEqual({ radius: 0.6, pulsing: false });
    expect(alertRing(PULSE_MS * 5).pulsing).toBe(false);
  });

  it('anchors parts and device ids', () => {
    const layout = miniLayout();
    expect(anchorOf(layout, { kind: 'slot', id: 'A-0-0' })).toEqual(layout.slotBox('A-0-0').center);
    expect(anchorOf(layout, 'D1')).toEqual([0, 3, 1.2]);
    expect(anchorOf(layout, 'C1')).toEqual([0.2, 0.2, 3]);
    expect(anchorOf(layout, { kind: 'rfid', id: 'R2' })).toEqual([8.5, 4.5, 0.1]);
    expect(anchorOf(layout, 'nope')).toBeUndefined();
  });
});
