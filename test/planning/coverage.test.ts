/**
 * Coverage of slot faces, doors and zones, against cases worked out by hand: the pinhole
 * density face-on and at an angle, a camera behind a shelf, a column hiding exactly the part
 * of a face behind it, a slot outside the frustum, an L-shaped room's other arm, the IEC
 * grades of both editions, and the one-camera update agreeing with a fresh computation.
 */
import { describe, expect, it } from 'vitest';
import type { Camera } from '../../src/layout/Layout';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayout } from '../../src/layout/parseLayout';
import { CoverageModel, coverageOf } from '../../src/planning/coverage';
import { gradeOf } from '../../src/planning/grades';

function index(json: Record<string, unknown>): LayoutIndex {
  const r = parseLayout(json);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return new LayoutIndex(r.layout);
}

const cam = (id: string, position: [number, number, number], yaw: number, extra: Partial<Camera> = {}): Camera => ({
  id, position, yaw, pitch: 0, hfov: 90, resolution: [1920, 1080], ...extra,
});

/**
 * 12 x 10 m. Shelf T's front (one slot, face 1 m wide along y from 4.5 to 5.5, 1 m high,
 * centre (6, 5, 1)) faces -x towards C1 at (1, 5, 1), which looks along +x: face-on at 5 m.
 */
function room(cameras: Camera[], obstacles: unknown[] = [], outline: number[][] = [[0, 0], [12, 0], [12, 10], [0, 10]]): LayoutIndex {
  return index({
    version: 1, store: 's-plan', name: 'Planning room', timezone: 'UTC', hours: { open: '07:00', close: '22:00' },
    room: { outline, height: 4 },
    skus: [{ id: 'K', name: 'Thing', unitGrams: 100, unitCost: 1, unitPrice: 2, highValue: true }],
    zones: [{ id: 'z', kind: 'replenishment', outline }],
    shelves: [{ id: 'T', zone: 'z', position: [6.25, 5], yaw: -90, size: [1, 0.5, 2], levels: 2, slots: [
      { id: 'T-0', level: 0, index: 0, sku: 'K', capacity: 5 },
      { id: 'T-1', level: 1, index: 0, sku: 'K', capacity: 5 },
    ] }],
    doors: [{ id: 'D', kind: 'staff', position: [0, 8], width: 1, zone: 'z' }],
    rfid: [], cameras, obstacles,
  });
}

const slotOf = (r: ReturnType<typeof coverageOf>, id: string) => r.slots.find((s) => s.slot === id)!;

describe('slot faces', () => {
  it('face-on, the density is the pinhole formula resolution / (2 d tan(hfov / 2)) and the whole face is seen', () => {
    const r = coverageOf(room([cam('C1', [1, 5, 0.5], 0)]));
    const v = slotOf(r, 'T-0').cameras;
    expect(v).toHaveLength(1);
    expect(v[0]!.camera).toBe('C1');
    expect(v[0]!.fraction).toBe(1);
    expect(v[0]!.angle).toBeCloseTo(0, 5);
    expect(v[0]!.pxPerM).toBeCloseTo(1920 / (2 * 5 * Math.tan(Math.PI / 4)), 1); // 192 px/m
    expect(v[0]!.grade).toBe('recognise');
    expect(slotOf(r, 'T-0').fill && slotOf(r, 'T-0').product).toBe(true);
  });

  it('seen at 60 degrees from its normal, a face gets focal / distance * sqrt(cos 60)', () => {
    // Camera at 60 degrees off the face's normal, 4 m from its centre, aimed at it.
    const a = (60 * Math.PI) / 180;
    const d = 4;
    const p: [number, number, number] = [6 - d * Math.cos(a), 5 + d * Math.sin(a), 0.5];
    const yaw = (Math.atan2(5 - p[1], 6 - p[0]) * 180) / Math.PI;
    const v = slotOf(coverageOf(room([cam('C', p, yaw)])), 'T-0').cameras[0]!;
    expect(v.angle).toBeCloseTo(60, 1);
    expect(v.pxPerM).toBeCloseTo((960 / d) * Math.sqrt(0.5), 1);
  });

  it('a camera behind the shelf sees none of its slot faces', () => {
    const r = coverageOf(room([cam('B', [11, 5, 1], 180)]));
    expect(slotOf(r, 'T-0').cameras).toEqual([]);
    expect(slotOf(r, 'T-1').cameras).toEqual([]);
    expect(r.totals.slotsSeen).toBe(0);
    expect(r.totals.slotsByGrade).toEqual({ none: 2 });
  });

  it('a slot outside the frustum is not seen', () => {
    // Looking along +y from (1, 5): the shelf is 90 degrees off the axis, outside a 90-degree field.
    expect(slotOf(coverageOf(room([cam('S', [1, 5, 1], 90)])), 'T-0').cameras).toEqual([]);
  });

  it('a column between camera and face hides the part behind it, and only that part', () => {
    // Column across y 5.15..5.35 at x = 3.5, halfway to the face: sight lines from (1, 5)
    // through it reach the face at y 5.3..5.7, so the face (y 4.5..5.5) loses 5.3..5.5: 20 %.
    const column = { id: 'col', position: [3.5, 5.25], size: [0.2, 0.2, 4], yaw: 0 };
    const layout = room([cam('C1', [1, 5, 0.5], 0)], [column]);
    const fine = coverageOf(layout, { slotSamples: 10 });
    expect(slotOf(fine, 'T-0').cameras[0]!.fraction).toBeCloseTo(0.8, 5);
    expect(slotOf(fine, 'T-1').cameras[0]!.fraction).toBeCloseTo(0.8, 5);
    // Moved clear of every sight line, the column hides nothing.
    const clear = coverageOf(room([cam('C1', [1, 5, 0.5], 0)], [{ ...column, position: [3.5, 6.5] }]), { slotSamples: 10 });
    expect(slotOf(clear, 'T-0').cameras[0]!.fraction).toBe(1);
  });

  it('a low obstacle hides the lower slot and not the upper one', () => {
    // 0.9 m high, just in front of the face: sight lines from 0.5 m up to the lower slot (0..1 m) pass through it.
    const crate = { id: 'crate', position: [5.5, 5], size: [0.4, 2, 0.9], yaw: 0 };
    const r = coverageOf(room([cam('C1', [1, 5, 0.5], 0)], [crate]), { slotSamples: 4 });
    const lower = slotOf(r, 'T-0').cameras[0]?.fraction ?? 0;
    const upper = slotOf(r, 'T-1').cameras[0]?.fraction ?? 0;
    expect(lower).toBeLessThan(0.3);
    expect(upper).toBe(1);
  });
});

describe('walls, doors and zones', () => {
  // An L: the arm x 8..12, y 6..10 is cut away, so (10, 8) is outside; the room's other arm
  // (x 0..8, y 6..10) is hidden from a camera in the lower right behind the corner.
  const L = [[0, 0], [12, 0], [12, 6], [8, 6], [8, 10], [0, 10]];

  it('the wall of an L-shaped room hides its other arm', () => {
    const r = coverageOf(room([cam('R', [11.5, 5.5, 1.5], 160, { hfov: 100 })], [], L));
    const z = r.zones[0]!;
    expect(z.seen).toBeGreaterThan(0.2);
    expect(z.seen).toBeLessThan(0.95);
    const model = new CoverageModel(room([cam('R', [11.5, 5.5, 1.5], 160, { hfov: 100 })], [], L));
    const v = model.cameraViews().get('R')!;
    let behind = 0;
    model.targets.cells.forEach((c, i) => {
      const [x, y] = c.point;
      // Beyond the line from the camera through the corner (8, 6), the wall is in the way.
      const side = (8 - 11.5) * (y - 5.5) - (6 - 5.5) * (x - 11.5);
      if (side < -0.5) {
        behind++;
        expect(v.cells[i], `cell ${x},${y}`).toBe(0);
      }
    });
    // In a plain rectangle most of those cells are in this camera's picture (145 of 170); here there are 106, all hidden.
    expect(behind).toBeGreaterThan(100);
  });

  it('a door is seen from either side, and a camera facing it at 3 m can recognise a person', () => {
    const r = coverageOf(room([cam('DC', [3, 8, 1], 180)]));
    const d = r.doors[0]!;
    expect(d.cameras[0]!.camera).toBe('DC');
    expect(d.cameras[0]!.fraction).toBe(1);
    expect(d.cameras[0]!.pxPerM).toBeCloseTo(960 / 3, 0);
    expect(d.person).toBe(true);
    // 11.5 m away with 1280 px across: 640 / 11.5 = 56 px/m, too few to recognise.
    const far = coverageOf(room([cam('DC', [11.5, 8, 1], 180, { resolution: [1280, 720] })]));
    expect(far.doors[0]!.person).toBe(false);
  });

  it('zones report their sampled floor area, and a camera seeing all of it', () => {
    const r = coverageOf(room([cam('Top', [6, 5, 3.9], 0, { pitch: -89.9, hfov: 170 })]));
    const z = r.zones[0]!;
    // 12 x 10 minus the shelf's 0.5 x 1 footprint, in 0.5 m cells.
    expect(z.area).toBeCloseTo(120 - 0.5, 1);
    expect(z.seen).toBeGreaterThan(0.9);
    expect(r.totals.floorArea).toBe(z.area);
  });
});

describe('grades and updates', () => {
  it('grades on the 2014/15 levels and on the 2025 revision', () => {
    expect(gradeOf(12, '2015')).toBeNull();
    expect(gradeOf(12.5, '2015')).toBe('monitor');
    expect(gradeOf(70, '2015')).toBe('observe');
    expect(gradeOf(70, '2025')).toBe('detect');
    expect(gradeOf(999, '2015')).toBe('identify');
    expect(gradeOf(1000, '2015')).toBe('inspect');
    expect(gradeOf(600, '2025')).toBe('inspect');
    expect(gradeOf(1500, '2025')).toBe('inspect-detail');
    const r = coverageOf(room([cam('C1', [1, 5, 0.5], 0, { resolution: [1400, 788] })]), { standard: '2025' });
    // 700 / 5 = 140 px/m: recognise in both editions.
    expect(slotOf(r, 'T-0').cameras[0]!.grade).toBe('recognise');
    expect(r.levels.at(-1)).toEqual({ grade: 'inspect-detail', pxPerM: 1500 });
  });

  it('moving one camera in the model gives what a fresh computation of the moved layout gives', () => {
    const before = room([cam('C1', [1, 5, 0.5], 0), cam('C2', [3, 2, 2], 45, { pitch: -10 })]);
    const model = new CoverageModel(before);
    const moved = cam('C1', [11, 5, 1], 180);
    model.setCamera(moved);
    const fresh = coverageOf(room([moved, cam('C2', [3, 2, 2], 45, { pitch: -10 })]));
    expect(model.report()).toEqual(fresh);
    expect(slotOf(model.report(), 'T-0').cameras.map((c) => c.camera)).toEqual(['C2']);
  });

  it('lists every slot, door and zone of the large example layout, with the store id', async () => {
    const { readFileSync } = await import('node:fs');
    const large = index(JSON.parse(readFileSync('scenarios/layouts/gm-large.layout.json', 'utf8')));
    const r = coverageOf(large);
    expect(r.store).toBe(large.store);
    expect(r.slots).toHaveLength(large.slots.size);
    expect(r.doors).toHaveLength(large.doors.size);
    expect(r.zones).toHaveLength(large.zones.size);
    expect(r.cameras.map((c) => c.camera).sort()).toEqual([...large.cameras.keys()].sort());
    // Every listed view is a real one, and unseen slots have an empty list.
    for (const s of r.slots) for (const c of s.cameras) expect(c.fraction).toBeGreaterThan(0);
    expect(r.totals.slotsSeen).toBe(r.slots.filter((s) => s.cameras.length > 0).length);
    expect(r.totals.slotsSeen).toBeLessThan(r.totals.slots);
  });
});
