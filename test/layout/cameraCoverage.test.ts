/**
 * Camera coverage with occlusion: on the fixture (nothing between camera C1 and shelf A, so
 * it agrees with slotsSeenBy), on hand-made rooms where a shelf, an obstacle or a wall of an
 * L-shaped room stands between a camera and its target, and at the planner's scale (1,000
 * slots x 20 cameras).
 */
import { describe, expect, it } from 'vitest';
import { camerasSeeing, slotCoverage, targetPoint } from '../../src/layout/cameraCoverage';
import { cameraFrame, project } from '../../src/layout/cameraProjection';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayout } from '../../src/layout/parseLayout';
import { slotsSeenBy } from '../../src/layout/slotsSeenBy';
import { stressLayout } from '../../src/layout/stressLayout';
import { miniLayout } from '../fixtures/miniLayout';

function index(json: Record<string, unknown>): LayoutIndex {
  const r = parseLayout(json);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return new LayoutIndex(r.layout);
}

/**
 * 10 x 10 m. Shelf T at x = 8 faces -x (yaw -90) towards camera C1 at (1, 5, 2), which
 * looks along +x; shelf W (height `wallHeight`) stands across the line between them at x = 5.
 * C2 at (5, 1, 2) looks along +y and sees T past W's end. C3 at (9, 5, 2) is behind T.
 */
function blocked(wallHeight = 3, extra: Record<string, unknown> = {}): LayoutIndex {
  return index({
    version: 1,
    store: 's-occ',
    name: 'Occlusion room',
    timezone: 'UTC',
    hours: { open: '07:00', close: '22:00' },
    room: { outline: [[0, 0], [10, 0], [10, 10], [0, 10]], height: 4 },
    skus: [{ id: 'K', name: 'Thing', unitGrams: 100, unitCost: 1, unitPrice: 2 }],
    zones: [{ id: 'z', kind: 'replenishment', outline: [[0, 0], [10, 0], [10, 10], [0, 10]] }],
    shelves: [
      {
        id: 'T', zone: 'z', position: [8, 5], yaw: -90, size: [2, 0.6, 2], levels: 1,
        slots: [
          { id: 'T-0', level: 0, index: 0, sku: 'K', capacity: 5 },
          { id: 'T-1', level: 0, index: 1, sku: 'K', capacity: 5 },
        ],
      },
      { id: 'W', zone: 'z', position: [5, 5], yaw: 0, size: [2, 0.6, wallHeight], levels: 1, slots: [] },
    ],
    doors: [{ id: 'D', kind: 'staff', position: [0, 8], width: 1, zone: 'z' }],
    rfid: [],
    cameras: [
      { id: 'C1', position: [1, 5, 2], yaw: 0, pitch: 0, hfov: 90, resolution: [1920, 1080] },
      { id: 'C2', position: [5, 1, 2], yaw: 90, pitch: 0, hfov: 90, resolution: [1920, 1080] },
      { id: 'C3', position: [9.5, 5, 2], yaw: 180, pitch: 0, hfov: 90, resolution: [1920, 1080] },
    ],
    obstacles: [],
    ...extra,
  });
}

describe('camerasSeeing', () => {
  it('agrees with slotsSeenBy on the fixture, where nothing stands between C1 and shelf A', () => {
    const layout = miniLayout();
    const seen = slotsSeenBy(layout, 'C1');
    expect(seen.length).toBeGreaterThan(0);
    expect(slotCoverage(layout, 'C1').map((s) => [s.slot, s.u, s.v, s.depth])).toEqual(seen.map((s) => [s.slot, s.u, s.v, s.depth]));
    for (const s of seen) {
      const [c] = camerasSeeing(layout, { slot: s.slot });
      expect(c).toMatchObject({ camera: 'C1', u: s.u, v: s.v, depth: s.depth, occluded: false });
      expect(c!.pixelsPerMetre).toBeCloseTo(cameraFrame(layout.cameras.get('C1')!).focalPx / s.depth, 9);
      expect(c!.distance).toBeGreaterThanOrEqual(s.depth);
    }
    // Shelf B faces away from C1 (yaw 180): its slot is not seen.
    expect(camerasSeeing(layout, { slot: 'B-0-0' })).toEqual([]);
    expect(camerasSeeing(layout, { slot: 'nope' })).toEqual([]);
    expect(camerasSeeing(layout, { door: 'nope' })).toEqual([]);
  });

  it('flags a shelf standing between the camera and the slot, and names it', () => {
    const layout = blocked();
    const seen = camerasSeeing(layout, { slot: 'T-0' });
    // C2 sees it past W's end, C1 only through W; C3 stands behind the shelf.
    expect(seen.map((s) => [s.camera, s.occluded, s.occluder])).toEqual([
      ['C2', false, undefined],
      ['C1', true, 'shelf:W'],
    ]);
    expect(camerasSeeing(layout, { slot: 'T-0' }, { includeOccluded: false }).map((s) => s.camera)).toEqual(['C2']);
    expect(slotCoverage(layout, 'C1')).toEqual([]);
    expect(slotCoverage(layout, 'C2').map((s) => s.slot).sort()).toEqual(['T-0', 'T-1']);
    expect(slotCoverage(layout, 'C3')).toEqual([]);
    expect(slotCoverage(layout, 'nope')).toEqual([]);
  });

  it('lets the sight line pass over a low shelf, and never counts the slot\'s own shelf', () => {
    // C1 at 2 m looks down to T's face centre at 1 m: over W at 1.2 m the line is at about 1.4 m.
    const layout = blocked(1.2);
    expect(camerasSeeing(layout, { slot: 'T-0' }).map((s) => [s.camera, s.occluded])).toEqual([
      ['C2', false],
      ['C1', false],
    ]);
    expect(slotCoverage(layout, 'C1').map((s) => s.slot).sort()).toEqual(['T-0', 'T-1']);
  });

  it('flags an obstacle and a wall, and watches a point or a door', () => {
    const layout = blocked(1.2, {
      // Turned 45°, on C1's line to T-0's face (7.7, 5.5, 1), which passes (3, 5.15); the line to T-1 (y 4.5) passes it by.
      obstacles: [{ id: 'COL', position: [3, 5.15], size: [0.3, 0.3, 4], yaw: 45 }],
    });
    expect(targetPoint(layout, { slot: 'T-0' })!.map((x) => +x.toFixed(9))).toEqual([7.7, 5.5, 1]);
    expect(camerasSeeing(layout, { slot: 'T-0' }).find((s) => s.camera === 'C1')).toMatchObject({ occluded: true, occluder: 'obstacle:COL' });
    expect(camerasSeeing(layout, { slot: 'T-1' }).find((s) => s.camera === 'C1')).toMatchObject({ occluded: false });

    const point = camerasSeeing(layout, { point: [6, 2, 1] });
    expect(point.map((s) => s.camera)).toContain('C1');
    const f = cameraFrame(layout.cameras.get('C1')!);
    const pr = project(f, [6, 2, 1])!;
    expect(point.find((s) => s.camera === 'C1')).toMatchObject({ u: pr.u, v: pr.v, distance: Math.hypot(5, 3, 1), occluded: false });

    // The door at (0, 8), watched 1 m up: behind C1; C2 sees it clear; C3 looks at it through shelf T.
    expect(targetPoint(layout, { door: 'D' })).toEqual([0, 8, 1]);
    expect(camerasSeeing(layout, { door: 'D' }).map((s) => [s.camera, s.occluder ?? null])).toEqual([['C2', null], ['C3', 'shelf:T']]);
    expect(camerasSeeing(layout, { door: 'D' }, { doorHeight: 2.5 }).map((s) => [s.camera, s.occluder ?? null])).toEqual([['C2', null], ['C3', null]]);
  });

  it('counts the walls of an L-shaped room', () => {
    const layout = index({
      version: 1,
      store: 's-l',
      name: 'L room',
      timezone: 'UTC',
      hours: { open: '07:00', close: '22:00' },
      room: { outline: [[0, 0], [10, 0], [10, 10], [6, 10], [6, 4], [0, 4]], height: 4 },
      skus: [],
      zones: [{ id: 'z', kind: 'aisle', outline: [[0, 0], [10, 0], [10, 4], [0, 4]] }],
      shelves: [],
      doors: [{ id: 'D', kind: 'dock', position: [8, 10], width: 2, zone: 'z' }],
      rfid: [],
      cameras: [
        { id: 'C', position: [1, 2, 2], yaw: 45, pitch: -10, hfov: 120, resolution: [1920, 1080] },
        { id: 'N', position: [8, 2, 3], yaw: 90, pitch: -10, hfov: 90, resolution: [1920, 1080] },
      ],
      obstacles: [],
    });
    expect(camerasSeeing(layout, { point: [8, 9, 1] }).map((s) => [s.camera, s.occluded, s.occluder])).toEqual([
      ['N', false, undefined],
      ['C', true, 'wall'],
    ]);
    // A door on the outline only touches it: no wall in N's way; C looks at it across the inner corner.
    expect(camerasSeeing(layout, { door: 'D' }).map((s) => [s.camera, s.occluder ?? null])).toEqual([['N', null], ['C', 'wall']]);
  });

  it('covers 1,000 slots x 20 cameras, rows of shelves hiding each other (its speed is npm run bench coverage\'s)', () => {
    const json = stressLayout({ slots: 1000 }) as { cameras: Record<string, unknown>[]; room: { outline: number[][] } };
    const [w, d] = [Math.max(...json.room.outline.map((p) => p[0]!)), Math.max(...json.room.outline.map((p) => p[1]!))];
    for (let i = json.cameras.length; i < 20; i++) {
      json.cameras.push({ id: `cam-${i}`, position: [0.5 + ((w - 1) * (i % 5)) / 4, i < 12 ? 0.5 : d - 0.5, 4], yaw: i < 12 ? 90 : -90, pitch: -35, hfov: 100, resolution: [1920, 1080] });
    }
    const layout = index(json as unknown as Record<string, unknown>);
    expect(layout.slotCount).toBe(1000);
    expect(layout.cameras.size).toBe(20);
    let total = 0;
    for (const id of layout.cameras.keys()) total += slotCoverage(layout, id).length;
    expect(total).toBeGreaterThan(0);
    // Rows of shelves hide each other: fewer slots are clear than in the image.
    let inImage = 0;
    for (const id of layout.cameras.keys()) inImage += slotsSeenBy(layout, id).length;
    expect(total).toBeLessThan(inImage);
  });
});
