/**
 * Fusion of the CNN's sightings with the load cells, on hand-made sequences: what holds over
 * several frames becomes a finding, what happens once or what a camera always says does not.
 */
import { describe, expect, it } from 'vitest';
import { loadLayout } from '../../models/shelfDataset';
import { CLEAR_RECORD, FILL_PROB, FROZEN_READINGS, Fusion, HEAVY_SHARE, HIDDEN_FRAMES, MOVE_CLASSES, VETO_MS, NEAR_FRAMES, overCapacity, PUT_GRACE_FRAMES, PUT_UNITS, SURE_PROB, type FusionEvent } from '../../src/inference/fusion';
import type { FillLabel } from '../../src/inference/shelfInput';
import type { SlotSighting } from '../../src/inference/VisionRunner';

const layout = loadLayout('apparel-compact');
const SLOT = [...layout.slots.values()].find((s) => s.capacity >= 10)!;
const CAP = SLOT.capacity;
const T0 = Date.parse('2026-11-16T08:00:00Z');
const MIN = 60_000;

/** A sighting, confident (FILL_PROB or more) but not sure (under SURE_PROB) unless `o` says so: the sure-run rules need it said. */
function sight(ts: number, fill: FillLabel, o: Partial<SlotSighting> = {}): FusionEvent {
  return {
    type: 'sighting',
    sighting: { slot: SLOT.id, camera: 'cam-a', ts, plannedSku: SLOT.sku, fill, fillProb: 0.8, match: true, matchProb: 0.97, crop: new Uint8Array(0), cropWidth: 64, ...o },
  };
}
const units = (ts: number, u: number, slot = SLOT.id): FusionEvent => ({ type: 'units', slot, ts, units: u });

/** Frames every 15 minutes from `from`, the cell publishing its count a minute before each. */
function frames(from: number, n: number, fill: FillLabel, cell: number, o: Partial<SlotSighting> = {}): FusionEvent[] {
  return Array.from({ length: n }, (_, i) => [units(from + i * 15 * MIN - MIN, cell), sight(from + i * 15 * MIN, fill, o)]).flat();
}

const ts = (e: FusionEvent) => (e.type === 'units' ? e.ts : e.sighting.ts);

function run(events: FusionEvent[]): Fusion {
  const f = new Fusion(layout);
  for (const e of events) f.add(e);
  return f;
}

describe('stuck load cell', () => {
  it('is found when the cell reads one count while the camera, having agreed, sees the slot empty', () => {
    const f = run([...frames(T0, 4, 'full', CAP), ...frames(T0 + 60 * MIN, 4, 'empty', CAP)]);
    const found = f.findings();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'stuck_load_cell', slot: SLOT.id, cameras: ['cam-a'], firstTs: T0 + 60 * MIN, lastTs: T0 + 105 * MIN });
    expect(found[0]!.confidence).toBeGreaterThan(0.5);
    expect(found[0]!.evidence).toContain(`${CAP} units`);
  });

  it('is not found when the cell follows the stock, nor for one odd frame, nor for a neighbouring class called without being sure', () => {
    expect(run([...frames(T0, 4, 'full', CAP), ...frames(T0 + 60 * MIN, 4, 'empty', 0)]).findings()).toEqual([]);
    expect(run([...frames(T0, 4, 'full', CAP), ...frames(T0 + 60 * MIN, 1, 'empty', CAP), ...frames(T0 + 75 * MIN, 4, 'full', CAP)]).findings()).toEqual([]);
    expect(run([...frames(T0, 4, 'full', CAP), ...frames(T0 + 60 * MIN, 12, 'half', CAP, { fillProb: SURE_PROB - 0.1 })]).findings()).toEqual([]);
  });

  it('is found a class away when the camera, sure of the cell\'s class, is as sure of the next for NEAR_FRAMES frames', () => {
    const sure = { fillProb: SURE_PROB + 0.05 };
    const f = run([...frames(T0, 4, 'full', CAP, sure), ...frames(T0 + 60 * MIN, NEAR_FRAMES, 'half', CAP, sure)]);
    expect(f.findings()).toMatchObject([{ kind: 'stuck_load_cell', firstTs: T0 + 60 * MIN, lastTs: T0 + (60 + 15 * (NEAR_FRAMES - 1)) * MIN }]);
    expect(f.findings()[0]!.evidence).toContain(`${NEAR_FRAMES} frames in a row`);
    // One frame fewer, or a camera that was never sure of the cell's class, is not enough.
    expect(run([...frames(T0, 4, 'full', CAP, sure), ...frames(T0 + 60 * MIN, NEAR_FRAMES - 1, 'half', CAP, sure)]).findings()).toEqual([]);
    expect(run([...frames(T0, 4, 'full', CAP, { fillProb: SURE_PROB - 0.1 }), ...frames(T0 + 60 * MIN, 12, 'half', CAP, sure)]).findings()).toEqual([]);
    // A count that moved since the camera was sure of the cell's class needs it sure again.
    expect(run([...frames(T0, 4, 'full', CAP, sure), ...frames(T0 + 60 * MIN, 12, 'half', CAP - 1, sure)]).findings()).toEqual([]);
    // An unsure frame breaks the sure run: it starts again.
    const broken = [...frames(T0, 4, 'full', CAP, sure), ...frames(T0 + 60 * MIN, 3, 'half', CAP, sure), ...frames(T0 + 105 * MIN, 1, 'half', CAP, { fillProb: 0.7 }), ...frames(T0 + 120 * MIN, NEAR_FRAMES - 1, 'half', CAP, sure)];
    expect(run(broken).findings()).toEqual([]);
  });

  it("is found when a camera's sure call moves while the count stands still, though the camera read the slot a class off all along", () => {
    expect(MOVE_CLASSES).toBe(1);
    const sure = { fillProb: SURE_PROB + 0.05 };
    const half = Math.round(CAP * 0.5);
    // The cell reads half; the camera was sure of full (never agreeing), then is as sure of low.
    const f = run([...frames(T0, 4, 'full', half, sure), ...frames(T0 + 60 * MIN, NEAR_FRAMES, 'low', half, sure)]);
    expect(f.findings()).toMatchObject([{ kind: 'stuck_load_cell', cameras: ['cam-a'], firstTs: T0 + 60 * MIN }]);
    expect(f.findings()[0]!.evidence).toContain('sure of full at that count');
    // One class is a move too (full to half, the cell at low).
    const low = Math.round(CAP * 0.2);
    expect(run([...frames(T0, 4, 'full', low, sure), ...frames(T0 + 60 * MIN, NEAR_FRAMES, 'half', low, sure)]).findings()).toMatchObject([{ kind: 'stuck_load_cell' }]);
  });

  it("is not found from a moved sure call when the count moved since, when it is 0 (a drifted cell held at zero), or for one frame too few", () => {
    const sure = { fillProb: SURE_PROB + 0.05 };
    const half = Math.round(CAP * 0.5);
    const later = T0 + 60 * MIN;
    expect(run([...frames(T0, 4, 'full', half, sure), ...frames(later, NEAR_FRAMES - 1, 'low', half, sure)]).findings()).toEqual([]);
    expect(run([...frames(T0, 4, 'full', half, sure), ...frames(later, 12, 'low', half + 1, sure)]).findings()).toEqual([]);
    expect(run([...frames(T0, 4, 'low', 0, sure), ...frames(later, 12, 'full', 0, sure)]).findings().filter((x) => x.kind === 'stuck_load_cell')).toEqual([]);
    // Unsure calls of the new class are no move.
    expect(run([...frames(T0, 4, 'full', half, sure), ...frames(later, 12, 'low', half)]).findings()).toEqual([]);
  });

  describe('from a frozen reading (grams known)', () => {
    const sure = { fillProb: SURE_PROB + 0.05 };
    const half = Math.round(CAP * 0.5);
    /** Readings every 5 minutes from `from` to `to`: one value repeated (frozen) or moving with the noise. */
    const readings = (from: number, to: number, u: number, grams: number, moving = false): FusionEvent[] =>
      Array.from({ length: Math.floor((to - from) / (5 * MIN)) }, (_, i) => ({ type: 'units', slot: SLOT.id, ts: from + i * 5 * MIN, units: u, grams: moving ? grams + 0.5 + (i % 7) * 0.9 : grams }));
    /** The frames' own readings carry the same grams. */
    const weighed = (events: FusionEvent[], grams: number, moving = false) => events.map((e, i) => (e.type === 'units' ? { ...e, grams: moving ? grams + 0.5 + (i % 5) * 0.7 : grams } : e));
    const g = 733.1;
    // The camera read the slot as full (unsure) while the cell said half: it never agreed, and saw nothing move.
    const before = weighed(frames(T0, 4, 'full', half), g);
    const frozenHours = (FROZEN_READINGS * 5 * MIN) / (60 * MIN);
    const later = T0 + (frozenHours + 2) * 60 * MIN;

    it('is found when the cell repeated one reading FROZEN_READINGS times and a camera is then sure of another class for NEAR_FRAMES lit frames', () => {
      const events = [...before, ...readings(T0 + 60 * MIN, later, half, g), ...weighed(frames(later, NEAR_FRAMES, 'empty', half, sure), g)];
      const f = run(events);
      expect(f.findings()).toMatchObject([{ kind: 'stuck_load_cell', cameras: ['cam-a'], firstTs: later }]);
      expect(f.findings()[0]!.evidence).toContain(`repeated one reading (${g} g`);
      // One sure frame fewer: not yet.
      expect(run([...before, ...readings(T0 + 60 * MIN, later, half, g), ...weighed(frames(later, NEAR_FRAMES - 1, 'empty', half, sure), g)]).findings()).toEqual([]);
    });

    it('is not found for a live cell (its reading moves), for a reading repeated fewer times, nor for a camera sure of that class since before the reading froze', () => {
      const live = [...weighed(before, g, true), ...readings(T0 + 60 * MIN, later, half, g, true), ...weighed(frames(later, 12, 'empty', half, sure), g, true)];
      expect(run(live).findings().filter((x) => x.kind === 'stuck_load_cell')).toEqual([]);
      // Frozen for FROZEN_READINGS - 1 readings in all, the camera sure for NEAR_FRAMES frames (their readings count too).
      const short = T0 + 60 * MIN + (FROZEN_READINGS - 1 - NEAR_FRAMES) * 5 * MIN;
      const shortRun = [...weighed(before, g, true), ...readings(T0 + 60 * MIN, short, half, g), ...weighed(frames(short + MIN, NEAR_FRAMES, 'empty', half, sure), g)];
      expect(shortRun.filter((e) => e.type === 'units' && e.grams === g).length).toBeLessThan(FROZEN_READINGS);
      expect(run(shortRun).findings().filter((x) => x.kind === 'stuck_load_cell')).toEqual([]);
      // The camera was sure of empty while the cell still lived: its view is its own, not the fault's.
      const early = [...weighed(frames(T0, 4, 'empty', half, sure), g, true), ...readings(T0 + 60 * MIN, later, half, g), ...weighed(frames(later, 12, 'empty', half, sure), g)];
      expect(run(early).findings().filter((x) => x.kind === 'stuck_load_cell')).toEqual([]);
      // Nor when the cell's very first reading is the frozen one and the camera was sure of empty before it.
      const sights = (from: number, n: number) => Array.from({ length: n }, (_, i) => sight(from + i * 15 * MIN, 'empty', sure));
      const firstFrozen = [...sights(T0, 4), ...readings(T0 + 60 * MIN, later, half, g), ...weighed(frames(later, 12, 'empty', half, sure), g)];
      expect(run(firstFrozen).findings().filter((x) => x.kind === 'stuck_load_cell')).toEqual([]);
      // The same camera, sure only from after the first reading: found.
      const sureAfter = [...sights(T0, 4).map((e) => (e.type === 'sighting' ? { ...e, sighting: { ...e.sighting, fillProb: 0.7 } } : e)), ...readings(T0 + 60 * MIN, later, half, g), ...weighed(frames(later, NEAR_FRAMES, 'empty', half, sure), g)];
      expect(run(sureAfter).findings().map((x) => x.kind)).toEqual(['stuck_load_cell']);
    });

    it('compares readings to 0.1 g, as the device rule does (readings a hundredth of a gram apart repeat), and leaves out a cell clamped at 0 g', () => {
      const jitter = (events: FusionEvent[]) => events.map((e, i) => (e.type === 'units' ? { ...e, grams: g + (i % 2) * 0.01 } : e));
      const events = [...before, ...readings(T0 + 60 * MIN, later, half, g), ...weighed(frames(later, NEAR_FRAMES, 'empty', half, sure), g)];
      expect(run(jitter(events)).findings().map((x) => x.kind)).toEqual(['stuck_load_cell']);
      // A cell at 0 g while the camera is sure of stock: a clamped live cell reads exactly 0, so no frozen reading.
      const zero = [...weighed(frames(T0, 4, 'low', 0), 0), ...readings(T0 + 60 * MIN, later, 0, 0), ...weighed(frames(later, 12, 'half', 0, sure), 0)];
      expect(run(zero).findings().filter((x) => x.kind === 'stuck_load_cell')).toEqual([]);
    });
  });

  it('is not found for a cell that fell silent (dead, not stuck), nor for a camera that never agreed', () => {
    const silent = [...frames(T0, 4, 'full', CAP), sight(T0 + 120 * MIN, 'empty'), sight(T0 + 135 * MIN, 'empty'), sight(T0 + 150 * MIN, 'empty'), sight(T0 + 165 * MIN, 'empty')];
    expect(run(silent).findings()).toEqual([]);
    expect(run(frames(T0, 8, 'empty', CAP)).findings().filter((x) => x.kind === 'stuck_load_cell')).toEqual([]);
  });

  it('leaves out a camera\'s dim frames (lights off), where the CNN reads fill badly: they neither find a stuck cell nor break a run', () => {
    const lit = { light: 0.4 };
    const dark = { light: 0.13 };
    // Agreed in the light, then "empty" only in the dark: no finding.
    expect(run([...frames(T0, 4, 'full', CAP, lit), ...frames(T0 + 60 * MIN, 8, 'empty', CAP, dark)]).findings()).toEqual([]);
    // The same calls in the light: found.
    expect(run([...frames(T0, 4, 'full', CAP, lit), ...frames(T0 + 60 * MIN, 4, 'empty', CAP, lit)]).findings().map((x) => x.kind)).toEqual(['stuck_load_cell']);
    // A dark frame between lit ones does not break the run.
    const mixed = [...frames(T0, 4, 'full', CAP, lit), ...frames(T0 + 60 * MIN, 2, 'empty', CAP, lit), ...frames(T0 + 90 * MIN, 1, 'full', CAP, dark), ...frames(T0 + 105 * MIN, 1, 'empty', CAP, lit)];
    expect(run(mixed).findings().map((x) => x.kind)).toEqual(['stuck_load_cell']);
    // Before any lit frame, nothing is dim: a camera that has only seen the night still judges.
    expect(run([...frames(T0, 4, 'full', CAP, dark), ...frames(T0 + 60 * MIN, 4, 'empty', CAP, dark)]).findings().map((x) => x.kind)).toEqual(['stuck_load_cell']);
  });

  it('is not found while another camera steadily sees what the cell says', () => {
    const b = { camera: 'cam-b' };
    const events = [...frames(T0, 4, 'full', CAP), ...frames(T0 + 5 * MIN, 8, 'full', CAP, b), ...frames(T0 + 60 * MIN, 4, 'empty', CAP)].sort((x, y) => ts(x) - ts(y));
    expect(run(events).findings()).toEqual([]);
  });

  it('is found once the camera that saw what the cell says has sent nothing of the slot for VETO_MS (moved, offline)', () => {
    const b = { camera: 'cam-b' };
    // cam-b saw the slot full until T0 + 110 min, then stopped; cam-a sees it empty from T0 + 60 min on, a frame every 15 minutes.
    const until = (n: number) => [...frames(T0, 4, 'full', CAP), ...frames(T0 + 5 * MIN, 8, 'full', CAP, b), ...frames(T0 + 60 * MIN, n, 'empty', CAP)].sort((x, y) => ts(x) - ts(y));
    const vetoEnds = T0 + 110 * MIN + VETO_MS;
    const framesBefore = Math.floor((vetoEnds - (T0 + 60 * MIN)) / (15 * MIN));
    expect(run(until(framesBefore)).findings()).toEqual([]);
    expect(run(until(framesBefore + 2)).findings().map((x) => x.kind)).toEqual(['stuck_load_cell']);
  });

  it('closes when the count moves again', () => {
    const f = run([...frames(T0, 4, 'full', CAP), ...frames(T0 + 60 * MIN, 4, 'empty', CAP), ...frames(T0 + 120 * MIN, 2, 'empty', 0)]);
    expect(f.findings()).toHaveLength(1);
    expect(f.findings()[0]!.lastTs).toBe(T0 + 105 * MIN);
  });
});

describe('drifting load cell', () => {
  /** Frames every 15 minutes, the camera calling `fill`, the cell's count sliding from `from` units to `to`. */
  /** Frames every 15 minutes, the camera calling `fill`, the cell's count sliding from `from` units to `to` a unit at a time (a reading for each), as a drifting cell's does. */
  const sliding = (t: number, n: number, fill: FillLabel, from: number, to: number, o: Partial<SlotSighting> = {}) => {
    let u = from;
    return Array.from({ length: n }, (_, i) => {
      const target = Math.round(from + ((to - from) * i) / (n - 1));
      const steps: FusionEvent[] = [];
      while (u !== target) {
        u += Math.sign(target - u);
        steps.push(units(t + i * 15 * MIN - MIN + steps.length * 1000, u));
      }
      return [...(steps.length ? steps : [units(t + i * 15 * MIN - MIN, u)]), sight(t + i * 15 * MIN, fill, o)];
    }).flat();
  };

  it('is found when the count slides two classes away while the camera, having agreed, keeps seeing the same', () => {
    const f = run([...frames(T0, 4, 'full', CAP), ...sliding(T0 + 60 * MIN, 8, 'full', CAP, 0)]);
    const found = f.findings();
    expect(found.map((x) => x.kind)).toEqual(['drifting_load_cell']);
    // From the last frame the camera agreed at (still full), to a count two classes down.
    expect(found[0]!.evidence).toMatch(/went from \d+ units \(full\) to \d+ \((low|empty)\) since .* while the CNN kept seeing full/);
  });

  it('is not found when the camera sees the stock go too (a sale), nor for a slide of one class the camera is not sure of, nor for a stuck cell', () => {
    const sale = [...frames(T0, 4, 'full', CAP), ...frames(T0 + 60 * MIN, 4, 'half', Math.round(CAP / 2)), ...frames(T0 + 120 * MIN, 4, 'empty', 0)];
    expect(run(sale).findings()).toEqual([]);
    const unsure = { fillProb: SURE_PROB - 0.1 };
    expect(run([...frames(T0, 4, 'full', CAP), ...sliding(T0 + 60 * MIN, 12, 'full', CAP, Math.ceil(CAP * 0.6), unsure)]).findings()).toEqual([]);
    expect(run([...frames(T0, 4, 'full', CAP), ...frames(T0 + 60 * MIN, 4, 'empty', CAP)]).findings().map((x) => x.kind)).toEqual(['stuck_load_cell']);
  });

  describe('a class away', () => {
    const sure = { fillProb: SURE_PROB + 0.05 };
    const half = Math.floor(CAP * 0.6);
    const high = Math.ceil(CAP * 0.8);
    const drifts = (events: FusionEvent[]) => run(events).findings().filter((x) => x.kind === 'drifting_load_cell');
    /** Readings a unit apart from `from` to `to`, a second apart, ending a minute before `t`. */
    const steps = (t: number, from: number, to: number) => Array.from({ length: Math.abs(to - from) }, (_, i) => units(t - MIN - (Math.abs(to - from) - 1 - i) * 1000, from + Math.sign(to - from) * (i + 1)));
    // The camera surely agrees with the cell as its count slides within full, then the count slides on into half, a unit at a time.
    const slide = [...frames(T0, 4, 'full', CAP, sure), ...sliding(T0 + 60 * MIN, 4, 'full', CAP, high, sure), ...steps(T0 + 120 * MIN, high, half)];

    it('is found when the camera, sure of the cell\'s class, stays as sure of it for NEAR_FRAMES frames after the count slid out of it', () => {
      const found = drifts([...slide, ...frames(T0 + 120 * MIN, NEAR_FRAMES, 'full', half, sure)]);
      expect(found).toMatchObject([{ firstTs: T0 + 120 * MIN, frames: NEAR_FRAMES }]);
      expect(found[0]!.evidence).toMatch(new RegExp(`slid from ${high} units to ${half} \\(half\\) since .* sure of full; it is now as sure of full`));
      // Fewer frames, unsure calls, or the count there in one jump: no drift.
      expect(drifts([...slide, ...frames(T0 + 120 * MIN, NEAR_FRAMES - 1, 'full', half, sure)])).toEqual([]);
      expect(drifts([...slide, ...frames(T0 + 120 * MIN, 12, 'full', half, { fillProb: SURE_PROB - 0.1 })])).toEqual([]);
      expect(drifts([...frames(T0, 4, 'full', CAP, sure), ...frames(T0 + 60 * MIN, 12, 'full', half, sure)])).toEqual([]);
    });

    it('is found beside a sale: the camera moved too, but stays on the side of the class it was sure of', () => {
      const low = Math.floor(CAP * 0.2);
      expect(drifts([...slide, ...steps(T0 + 121 * MIN, half, low), ...frames(T0 + 121 * MIN, NEAR_FRAMES, 'half', low, sure)])).toHaveLength(1);
    });

    it('is not found when the camera agreed at the new count since, sees the far side of the cell, or the count never left its class', () => {
      // Agreed (not surely) at the slid count, then sure of full again: the slide's start is gone.
      expect(drifts([...slide, ...frames(T0 + 120 * MIN, 3, 'half', half, { fillProb: 0.75 }), ...frames(T0 + 165 * MIN, 12, 'full', half, sure)])).toEqual([]);
      // Sure of low while the count slid from full to half: the camera sees less than the cell, not what it was.
      expect(drifts([...slide, ...frames(T0 + 120 * MIN, 12, 'low', half, sure)])).toEqual([]);
      // The count slid 2 units but stayed full, the camera sure of half: the camera moved, not the cell.
      expect(drifts([...frames(T0, 4, 'full', CAP, sure), ...steps(T0 + 60 * MIN, CAP, CAP - 2), ...frames(T0 + 60 * MIN, 12, 'half', CAP - 2, sure)])).toEqual([]);
    });

    it('is never open beside a stuck cell on the same slot', () => {
      const low = Math.floor(CAP * 0.2);
      const mid = Math.floor(CAP * 0.6);
      const f = run([...frames(T0, 4, 'low', low, sure), ...steps(T0 + 60 * MIN, low, mid), ...frames(T0 + 60 * MIN, 3, 'half', mid, { fillProb: 0.8 }), ...frames(T0 + 105 * MIN, 12, 'empty', mid, sure)]);
      const kinds = f.findings().map((x) => x.kind).filter((k) => k === 'stuck_load_cell' || k === 'drifting_load_cell');
      expect(kinds.length).toBeLessThanOrEqual(1);
      expect(kinds).toEqual(['stuck_load_cell']);
    });
  });

  it('is not found when the count jumps: a put or a pick the camera did not see is no drift', () => {
    // The same slide, but in one step (a pick of the whole slot), and a put onto an empty slot.
    expect(run([...frames(T0, 4, 'full', CAP), ...frames(T0 + 60 * MIN, 8, 'full', 0)]).findings().filter((x) => x.kind === 'drifting_load_cell')).toEqual([]);
    expect(run([...frames(T0, 4, 'empty', 0), ...frames(T0 + 60 * MIN, 8, 'empty', CAP)]).findings().filter((x) => x.kind === 'drifting_load_cell')).toEqual([]);
    // One unit at a time, the same way up: a drift.
    expect(run([...frames(T0, 4, 'empty', 0), ...sliding(T0 + 60 * MIN, CAP + 1, 'empty', 0, CAP)]).findings().map((x) => x.kind)).toContain('drifting_load_cell');
  });

  it('closes when the camera agrees with the cell again', () => {
    const f = run([...frames(T0, 4, 'full', CAP), ...sliding(T0 + 60 * MIN, 8, 'full', CAP, 0), ...frames(T0 + 240 * MIN, 4, 'empty', 0)]);
    const [found] = f.findings();
    expect(found!.kind).toBe('drifting_load_cell');
    expect(found!.lastTs).toBeLessThan(T0 + 240 * MIN);
  });
});

describe('misplaced product', () => {
  const drop = { match: false, matchProb: 0.3 };
  it('is found when, after a put, a camera\'s match probability for the slot drops from its record for 3 frames', () => {
    // Two units put (CAP - 2 to CAP, full either way), then the drop.
    const f = run([...frames(T0, 8, 'full', CAP - 2), ...frames(T0 + 120 * MIN, 3, 'full', CAP, drop), ...frames(T0 + 165 * MIN, 1, 'full', CAP)]);
    const found = f.findings();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'misplaced_product', slot: SLOT.id, firstTs: T0 + 120 * MIN, lastTs: T0 + 150 * MIN, frames: 3 });
  });

  it('is not found when nothing was put since the camera last saw the slot right: the drop is the view\'s own (the hour\'s light, a person) and joins its record', () => {
    const evening = [...frames(T0, 8, 'full', CAP), ...frames(T0 + 120 * MIN, 6, 'full', CAP, drop)];
    expect(run(evening).findings()).toEqual([]);
    // Having joined the record, the same dip is no drop the next evening either, after a put.
    expect(run([...evening, ...frames(T0 + 240 * MIN, 8, 'full', CAP), ...frames(T0 + 360 * MIN, 1, 'full', CAP - 2), ...frames(T0 + 375 * MIN, 4, 'full', CAP, drop)]).findings()).toEqual([]);
    // A camera that sees the slot fuller after a put the cell missed (its count never rose) still finds it; an unsure fuller call does not count.
    const floor = { match: false, matchProb: 0.01 };
    const misplaced = (events: FusionEvent[]) => run(events).findings().filter((x) => x.kind === 'misplaced_product');
    expect(misplaced([...frames(T0, 8, 'half', 0), ...frames(T0 + 120 * MIN, 3, 'full', 0, floor)])).toHaveLength(1);
    expect(misplaced([...frames(T0, 8, 'half', 0), ...frames(T0 + 120 * MIN, 3, 'full', 0, { ...floor, fillProb: FILL_PROB - 0.1 })])).toEqual([]);
    // A count that flickers down a unit and back is no put.
    expect(misplaced([...frames(T0, 8, 'full', CAP), units(T0 + 118 * MIN, CAP - 1), ...frames(T0 + 120 * MIN, 4, 'full', CAP, drop)])).toEqual([]);
    // A camera's first frames have nothing to compare with: the fold started in the evening's light.
    expect(misplaced(frames(T0, 6, 'full', CAP, floor))).toEqual([]);
  });

  it('needs no put for a fall under the floor from a record that calls the slot a clear match (a light SKU the cell barely weighed, a stuck cell)', () => {
    const floor = { match: false, matchProb: 0.01 };
    expect(run([...frames(T0, 8, 'full', CAP), ...frames(T0 + 120 * MIN, 3, 'full', CAP, floor)]).findings()).toMatchObject([{ kind: 'misplaced_product', firstTs: T0 + 120 * MIN }]);
    // From a record that was never clear (the view's own doubt), it is the view's again.
    const unclear = { match: false, matchProb: CLEAR_RECORD - 0.2 };
    expect(run([...frames(T0, 8, 'full', CAP, unclear), ...frames(T0 + 120 * MIN, 3, 'full', CAP, floor)]).findings()).toEqual([]);
  });

  it('counts a drop as the put\'s for PUT_GRACE_FRAMES frames after it, though the camera saw the slot without one first', () => {
    const after = (n: number) => run([...frames(T0, 8, 'full', CAP - 2), ...frames(T0 + 120 * MIN, n, 'full', CAP), ...frames(T0 + (120 + 15 * n) * MIN, 4, 'full', CAP, drop)]).findings();
    expect(after(PUT_GRACE_FRAMES - 1)).toMatchObject([{ kind: 'misplaced_product' }]);
    expect(after(PUT_GRACE_FRAMES)).toEqual([]);
  });

  it('is not found for one odd frame, before the camera has a record, or for a slot a camera always calls a mismatch', () => {
    // Each after a put, so that only the rule under test stands between the drops and a finding.
    expect(run([...frames(T0, 8, 'full', CAP - 2), ...frames(T0 + 120 * MIN, 1, 'full', CAP, drop), ...frames(T0 + 135 * MIN, 4, 'full', CAP)]).findings()).toEqual([]);
    const put = units(T0 - 2 * MIN, CAP - PUT_UNITS);
    expect(run([put, ...frames(T0, 4, 'full', CAP, drop)]).findings()).toEqual([]);
    expect(run([put, ...frames(T0, 20, 'full', CAP, drop)]).findings()).toEqual([]);
  });

  it('is confirmed by two cameras in two frames each', () => {
    const b = { camera: 'cam-b' };
    const events = [
      ...frames(T0, 8, 'full', CAP - 2), ...frames(T0 + 5 * MIN, 8, 'full', CAP - 2, b),
      ...frames(T0 + 120 * MIN, 2, 'full', CAP, drop), ...frames(T0 + 125 * MIN, 2, 'full', CAP, { ...drop, ...b }),
    ];
    const found = run(events).findings();
    expect(found).toHaveLength(1);
    expect(found[0]!.cameras).toEqual(['cam-a', 'cam-b']);
    expect(found[0]!.frames).toBe(4);
  });

  it('compares a slot with how the camera saw it in like light: the lights coming on are no drop', () => {
    const night = { light: 0.1 };
    const day = { light: 0.5 };
    expect(run([...frames(T0, 8, 'full', CAP - 2, night), ...frames(T0 + 120 * MIN, 4, 'full', CAP, { ...drop, ...day })]).findings()).toEqual([]);
    const f = run([...frames(T0, 8, 'full', CAP - 2, day), ...frames(T0 + 120 * MIN, 8, 'full', CAP - 2, { ...drop, ...night }), ...frames(T0 + 240 * MIN, 3, 'full', CAP, { ...drop, ...day })]);
    expect(f.findings()).toMatchObject([{ kind: 'misplaced_product', firstTs: T0 + 240 * MIN }]);
  });

  it('compares a slot with how the camera saw it at the same fill: a drop as the slot empties to half is no finding', () => {
    expect(run([...frames(T0, 8, 'full', CAP - 2), ...frames(T0 + 120 * MIN, 4, 'half', CAP, drop)]).findings()).toEqual([]);
  });

  it('finds another SKU put on a slot the camera only saw empty: a match under the floor needs no record', () => {
    const floor = { match: false, matchProb: 0.01 };
    const f = run([...frames(T0, 8, 'empty', 0), ...frames(T0 + 120 * MIN, 3, 'half', Math.ceil(CAP / 2), floor)]);
    expect(f.findings()).toMatchObject([{ kind: 'misplaced_product', firstTs: T0 + 120 * MIN, frames: 3 }]);
    expect(f.findings()[0]!.evidence).toContain('no record yet');
    // A weaker drop without a record is no finding (the model's match moves with the fill), nor is one frame under the floor.
    expect(run([...frames(T0, 8, 'empty', 0), ...frames(T0 + 120 * MIN, 4, 'half', Math.ceil(CAP / 2), drop)]).findings()).toEqual([]);
    expect(run([...frames(T0, 8, 'full', CAP), ...frames(T0 + 120 * MIN, 1, 'full', CAP, floor), ...frames(T0 + 135 * MIN, 4, 'full', CAP)]).findings()).toEqual([]);
  });

  it('ends a finding when the slot is seen empty: the next wrong put is a finding of its own', () => {
    const floor = { match: false, matchProb: 0.01 };
    const f = run([
      units(T0 - 2 * MIN, 0), ...frames(T0, 3, 'half', CAP / 2, floor), ...frames(T0 + 60 * MIN, 2, 'empty', 0),
      ...frames(T0 + 120 * MIN, 3, 'full', CAP, floor),
    ]);
    expect(f.findings().map((x) => [x.firstTs, x.lastTs])).toEqual([[T0, T0 + 30 * MIN], [T0 + 120 * MIN, T0 + 150 * MIN]]);
    // An unsure empty call, or one in a dim frame, is not enough: the finding goes on.
    for (const odd of [{ fillProb: 0.4 }, { light: 0.1 }]) {
      const g = run([
        units(T0 - 2 * MIN, 0), ...frames(T0, 3, 'half', CAP / 2, { ...floor, light: 0.5 }), ...frames(T0 + 45 * MIN, 1, 'empty', CAP / 2, odd),
        ...frames(T0 + 60 * MIN, 2, 'half', CAP / 2, { ...floor, light: 0.5 }),
      ]);
      expect(g.findings().map((x) => [x.firstTs, x.lastTs])).toEqual([[T0, T0 + 75 * MIN]]);
    }
  });

  it('closes a finding at a put onto the slot: fresh frames judge what the put brought', () => {
    const floor = { match: false, matchProb: 0.01 };
    const half = Math.ceil(CAP / 2);
    // Flagged at half; PUT_UNITS more units arrive and the frames still drop: a second finding, from the put on.
    const f = run([units(T0 - 2 * MIN, 0), ...frames(T0, 4, 'half', half, floor), ...frames(T0 + 60 * MIN, 4, 'full', half + PUT_UNITS, floor)]);
    expect(f.findings().map((x) => [x.firstTs, x.lastTs])).toEqual([[T0, T0 + 45 * MIN], [T0 + 60 * MIN, T0 + 105 * MIN]]);
    // A count that flickers by less than a put leaves the finding whole.
    const g = run([units(T0 - 2 * MIN, 0), ...frames(T0, 4, 'half', half, floor), ...frames(T0 + 60 * MIN, 4, 'half', half + PUT_UNITS - 1, floor)]);
    expect(g.findings().map((x) => [x.firstTs, x.lastTs])).toEqual([[T0, T0 + 105 * MIN]]);
  });

  it('finds a put that weighs more than the slot holds of its SKU while a camera sees stock there, whatever the match head says', () => {
    // The count is the weight over the planned SKU's unit weight: a heavier product put there reads over capacity.
    const over = Math.ceil(CAP * HEAVY_SHARE) + PUT_UNITS;
    const limit = Math.floor(Math.max(CAP * HEAVY_SHARE, CAP + PUT_UNITS));
    expect(overCapacity(limit, CAP)).toBe(false);
    expect(overCapacity(limit + 1, CAP)).toBe(true);
    const f = run([...frames(T0, 4, 'half', Math.floor(CAP / 2)), ...frames(T0 + 60 * MIN, 4, 'full', over)]);
    expect(f.findings()).toMatchObject([{ kind: 'misplaced_product', firstTs: T0 + 60 * MIN, lastTs: T0 + 105 * MIN, frames: 4 }]);
    expect(f.findings()[0]!.evidence).toContain(`reads ${over} units of ${SLOT.sku} on a slot that holds ${CAP}`);
    // It stays open while the count stays over, though the match head sees nothing amiss, and closes when the count comes back.
    const span = (events: FusionEvent[]) => run(events).findings().map((x) => [x.firstTs, x.lastTs]);
    const heavy = [...frames(T0, 4, 'half', Math.floor(CAP / 2)), ...frames(T0 + 60 * MIN, 8, 'full', over)];
    expect(span(heavy)).toEqual([[T0 + 60 * MIN, T0 + 165 * MIN]]);
    const closed = (f: Fusion) => f.findings().filter((x) => x.kind === 'misplaced_product').length === 1 && !f.openOn(SLOT.id).includes('misplaced_product');
    // The count back within the slot closes it at once, lit frame or not.
    expect(closed(run([...heavy, units(T0 + 179 * MIN, CAP)]))).toBe(true);
    expect(closed(run(heavy))).toBe(false);
    // So does a camera seeing the slot empty, the count still over.
    expect(closed(run([...heavy, ...frames(T0 + 180 * MIN, 1, 'empty', over)]))).toBe(true);
    // A second put, the count still over: the first finding closes and the second is judged afresh.
    expect(span([...heavy, ...frames(T0 + 180 * MIN, 4, 'full', over + PUT_UNITS)])).toEqual([[T0 + 60 * MIN, T0 + 165 * MIN], [T0 + 180 * MIN, T0 + 225 * MIN]]);
    // Frames that both rules see (the weight and a match under the floor) count once.
    const both = run([...frames(T0, 4, 'half', Math.floor(CAP / 2)), ...frames(T0 + 60 * MIN, 4, 'full', over, { match: false, matchProb: 0.01 })]);
    expect(both.findings()).toMatchObject([{ kind: 'misplaced_product', frames: 4 }]);
    // No finding: a count over capacity that came without a put (it crept there), a camera that sees the slot empty, or too few frames.
    const creep = Array.from({ length: over - CAP + 1 }, (_, i) => units(T0 + 50 * MIN + i * 10_000, CAP + i));
    expect(run([...frames(T0, 4, 'full', CAP), ...creep, ...frames(T0 + 60 * MIN, 6, 'full', over)]).findings()).toEqual([]);
    expect(run([...frames(T0, 4, 'half', Math.floor(CAP / 2)), ...frames(T0 + 60 * MIN, 6, 'empty', over)]).findings().filter((x) => x.kind === 'misplaced_product')).toEqual([]);
    expect(run([...frames(T0, 4, 'half', Math.floor(CAP / 2)), ...frames(T0 + 60 * MIN, 2, 'full', over)]).findings()).toEqual([]);
  });

  it('ignores a slot the CNN calls empty', () => {
    expect(run([...frames(T0, 8, 'full', CAP - 2), ...frames(T0 + 120 * MIN, 4, 'empty', CAP, drop)]).findings()).toEqual([]);
  });
});

describe('hidden stock', () => {
  it('is found when a camera that agreed with the cell sees the slot empty while the live cell says it is full', () => {
    // The count moves (CAP to CAP - 1, still full), so the cell is alive and not stuck.
    const f = run([...frames(T0, 4, 'full', CAP), ...frames(T0 + 60 * MIN, 6, 'empty', CAP - 1)]);
    const found = f.findings();
    expect(found.map((x) => x.kind)).toEqual(['hidden_stock']);
    expect(found[0]).toMatchObject({ slot: SLOT.id, firstTs: T0 + 60 * MIN, frames: 6 });
    // One frame fewer than HIDDEN_FRAMES is not enough.
    expect(run([...frames(T0, 4, 'full', CAP), ...frames(T0 + 60 * MIN, HIDDEN_FRAMES - 1, 'empty', CAP - 1)]).findings()).toEqual([]);
  });

  it('is not found for a camera that never agreed with the cell', () => {
    expect(run(frames(T0, 10, 'empty', CAP)).findings()).toEqual([]);
  });

  it("is not found when the camera's view changed with a jump of the count (a pick it saw; a drifting cell's count), though the reading arrives after the frame", () => {
    const agreed = frames(T0, 4, 'full', CAP);
    const later = T0 + 60 * MIN;
    // The count falls from CAP to 60 % of it (still half) just after the first empty frame.
    const half = Math.ceil(CAP * 0.6);
    const pickAfterFrame: FusionEvent[] = [sight(later, 'empty'), units(later + 10_000, half), ...frames(later + 15 * MIN, 8, 'empty', half)];
    expect(run([...agreed, ...pickAfterFrame]).findings().filter((x) => x.kind === 'hidden_stock')).toEqual([]);
    // And before it.
    expect(run([...agreed, units(later - MIN, half), ...frames(later, 8, 'empty', half)]).findings().filter((x) => x.kind === 'hidden_stock')).toEqual([]);
    // A pick well into the run (from behind the board) did not change the view: hidden stock.
    const live = (events: FusionEvent[]) => events.map((e, i) => (e.type === 'units' ? { ...e, grams: 500 + e.units * 20 + (i % 5) * 0.7 } : e));
    const pickLater = [...agreed, ...frames(later, 2, 'empty', CAP), units(later + 31 * MIN, half), ...frames(later + 45 * MIN, 6, 'empty', half)];
    expect(run(live(pickLater)).findings().map((x) => x.kind)).toEqual(['hidden_stock']);
    // A count that only wobbles by a unit is no jump: hidden stock.
    expect(run([...agreed, ...frames(later, HIDDEN_FRAMES, 'empty', CAP - 1)]).findings().map((x) => x.kind)).toEqual(['hidden_stock']);
  });

  it('judges a jump against the camera\'s last agreement, however its empty run was broken since: an old put is no reason', () => {
    // A put long before, agreement at the new count, the board: 3 empty frames, one unsure (a person in front), then more.
    const events = [units(T0 - 600 * MIN, CAP - 6), units(T0 - 300 * MIN, CAP), ...frames(T0, 4, 'full', CAP), ...frames(T0 + 60 * MIN, 3, 'empty', CAP), ...frames(T0 + 105 * MIN, 1, 'empty', CAP, { fillProb: 0.4 }), ...frames(T0 + 120 * MIN, 12, 'empty', CAP)];
    // A live cell (its grams move with the noise), so no stuck cell either.
    const live = events.map((e, i) => (e.type === 'units' ? { ...e, grams: 300 + e.units * 20 + (i % 5) * 0.7 } : e));
    expect(run(live).findings().map((x) => x.kind)).toEqual(['hidden_stock']);
  });

  it("is told from a stuck cell by the readings' grams: a live cell's noise moves them, a stuck cell repeats one", () => {
    const g = 412.5;
    /** The frames' readings in grams: moving (noise) or one repeated (stuck). */
    const weighed = (events: FusionEvent[], moving: boolean) => events.map((e, i) => (e.type === 'units' ? { ...e, grams: moving ? g + (i % 7) * 0.9 : g } : e));
    const agreed = frames(T0, 4, 'full', CAP);
    const empty = frames(T0 + 60 * MIN, 6, 'empty', CAP);
    // A live cell at one count while the camera sees the slot empty: hidden stock, never stuck.
    expect(run([...weighed(agreed, true), ...weighed(empty, true)]).findings().map((x) => x.kind)).toEqual(['hidden_stock']);
    // A cell repeating one reading: stuck, as without grams.
    expect(run([...weighed(agreed, true), ...weighed(empty, false)]).findings().map((x) => x.kind)).toEqual(['stuck_load_cell']);
    expect(run([...agreed, ...empty]).findings().map((x) => x.kind)).toEqual(['stuck_load_cell']);
  });

  it('closes a stuck finding when its reading moves again', () => {
    const g = 412.5;
    const stuck = [...frames(T0, 4, 'full', CAP), ...frames(T0 + 60 * MIN, 4, 'empty', CAP)].map((e) => (e.type === 'units' ? { ...e, grams: g } : e));
    const f = run([...stuck, { ...units(T0 + 130 * MIN, CAP), grams: g + 3.1 } as FusionEvent]);
    expect(f.findings()).toMatchObject([{ kind: 'stuck_load_cell', lastTs: T0 + 105 * MIN }]);
    expect(f.openOn(SLOT.id)).toEqual([]);
  });
});

describe('the slot record', () => {
  it('counts how often the camera agrees with the cell, and ignores slots the layout lacks', () => {
    const f = run([...frames(T0, 3, 'full', CAP), ...frames(T0 + 45 * MIN, 1, 'half', CAP), units(T0, 5, 'no-such-slot')]);
    const [s] = f.slots();
    expect(f.slots()).toHaveLength(1);
    expect(s).toMatchObject({ slot: SLOT.id, compared: 4, agreed: 3, agreement: 0.75, units: CAP });
  });
});
