/**
 * Detection value against a room worked out by hand: a theft at a slot face a camera sees
 * at the fill grade is caught by camera, from behind the shelf it is not; a reader on the
 * slot's zone catches it by RFID; a misplacement within one zone escapes RFID; a delivery
 * record at the dock is caught by a camera on the dock door; records with no place are
 * counted and not judged; units and values at cost add up.
 */
import { describe, expect, it } from 'vitest';
import type { TruthRecord } from '../../sim/world/Truth';
import type { Camera } from '../../src/layout/Layout';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayout } from '../../src/layout/parseLayout';
import { coverageOf } from '../../src/planning/coverage';
import { CoverageModel } from '../../src/planning/coverage';
import { DetectionJudge, detectionValueOf } from '../../src/planning/detectionValue';

const cam = (id: string, position: [number, number, number], yaw: number, pitch = 0): Camera => ({
  id, position, yaw, pitch, hfov: 90, resolution: [1920, 1080],
});

/**
 * 12 x 10 m: zone `rack` is y < 7, zone `dock` (with dock door D at (6, 10)) above it. Shelf
 * T stands at (6.25, 4) with its front facing -x: slot T-0 (SKU K, cost 10) low, T-1 (SKU L,
 * cost 3) high. FRONT looks at its face from 5 m (192 px/m face-on), BEHIND at its back.
 */
function room(cameras: Camera[], rfid: unknown[] = []): LayoutIndex {
  const r = parseLayout({
    version: 1, store: 's-det', name: 'Detection room', timezone: 'UTC', hours: { open: '07:00', close: '22:00' },
    room: { outline: [[0, 0], [12, 0], [12, 10], [0, 10]], height: 4 },
    skus: [
      { id: 'K', name: 'Camera kit', unitGrams: 300, unitCost: 10, unitPrice: 25, highValue: true },
      { id: 'L', name: 'Cable', unitGrams: 50, unitCost: 3, unitPrice: 8 },
    ],
    zones: [
      { id: 'rack', kind: 'replenishment', outline: [[0, 0], [12, 0], [12, 7], [0, 7]] },
      { id: 'dock', kind: 'receiving', outline: [[0, 7], [12, 7], [12, 10], [0, 10]] },
    ],
    shelves: [{ id: 'T', zone: 'rack', position: [6.25, 4], yaw: -90, size: [1, 0.5, 2], levels: 2, slots: [
      { id: 'T-0', level: 0, index: 0, sku: 'K', capacity: 5 },
      { id: 'T-1', level: 1, index: 0, sku: 'L', capacity: 5 },
    ] }],
    doors: [{ id: 'D', kind: 'dock', position: [6, 10], width: 2, zone: 'dock' }],
    rfid, cameras, obstacles: [],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return new LayoutIndex(r.layout);
}

const FRONT = cam('FRONT', [1, 4, 1], 0);
const BEHIND = cam('BEHIND', [11, 4, 1], 180);
const DOOR = cam('DOOR', [6, 7.5, 2.5], 90, -15);
const ts = '2026-11-16T10:00:00.000Z';
const theft: TruthRecord = { kind: 'theft', subtype: 'after_hours', ts, sku: 'K', units: 2, slot: 'T-0', shelf: 'T', zone: 'rack' };
const judge = (layout: LayoutIndex, t: TruthRecord) => new DetectionJudge(new CoverageModel(layout)).judge(t);

describe('a concealment (stock behind a board)', () => {
  it('is caught only by a camera that sees the slot\'s fill (against its cell: hidden stock), never by a reader or the cell alone', () => {
    const hidden: TruthRecord = { ...theft, kind: 'concealment', subtype: undefined };
    expect(judge(room([FRONT], [{ id: 'R', zone: 'rack' }]), hidden).caught).toEqual({ camera: true, smartShelf: false, rfid: false, any: true });
    expect(judge(room([BEHIND], [{ id: 'R', zone: 'rack' }]), hidden).caught).toEqual({ camera: false, smartShelf: false, rfid: false, any: false });
  });
});

describe('a theft at a slot', () => {
  it('is caught by camera when a camera sees the face at the fill grade, and by the smart shelf', () => {
    const layout = room([FRONT]);
    expect(coverageOf(layout).slots.find((s) => s.slot === 'T-0')!.fill).toBe(true);
    const j = judge(layout, theft);
    expect(j.place).toBe('slot');
    expect(j.caught).toEqual({ camera: true, smartShelf: true, rfid: false, any: true });
    expect(j.value).toBe(20);
  });

  it('is not caught by a camera behind the shelf', () => {
    const layout = room([BEHIND]);
    expect(coverageOf(layout).slots.find((s) => s.slot === 'T-0')!.cameras).toHaveLength(0);
    expect(judge(layout, theft).caught.camera).toBe(false);
  });

  it('is caught by RFID when a reader antenna covers the shelf zone, not when it covers another', () => {
    expect(judge(room([], [{ id: 'R', zone: 'rack' }]), theft).caught.rfid).toBe(true);
    expect(judge(room([], [{ id: 'R', antennas: { '1': 'dock', '2': 'rack' } }]), theft).caught.rfid).toBe(true);
    const docked = judge(room([], [{ id: 'R', zone: 'dock' }]), theft);
    expect(docked.caught).toEqual({ camera: false, smartShelf: true, rfid: false, any: true });
  });

  it('a dock walk-out is caught by camera when a person is recognisable at a dock door, even with the slot unseen', () => {
    const layout = room([DOOR]);
    const cov = coverageOf(layout);
    expect(cov.doors[0]!.person).toBe(true);
    expect(cov.slots.find((s) => s.slot === 'T-0')!.fill).toBe(false);
    expect(judge(layout, { ...theft, subtype: 'dock_walkout' }).caught.camera).toBe(true);
    expect(judge(layout, theft).caught.camera).toBe(false);
  });
});

describe('other places and kinds', () => {
  it('a misplacement within one zone escapes RFID; the camera needs the product grade at the slot the stock went to', () => {
    const mis: TruthRecord = { kind: 'misplacement', ts, sku: 'K', units: 1, slot: 'T-1', shelf: 'T', zone: 'rack', intendedSlot: 'T-0' };
    const j = judge(room([FRONT], [{ id: 'R', zone: 'rack' }]), mis);
    expect(j.caught.rfid).toBe(false);
    expect(j.caught.smartShelf).toBe(true);
    expect(coverageOf(room([FRONT])).slots.find((s) => s.slot === 'T-1')!.product).toBe(true);
    expect(j.caught.camera).toBe(true);
    // 640 px across at 5 m: 64 px/m, enough for the fill level (60), not the product (120).
    const coarse = room([{ ...FRONT, resolution: [640, 360] }]);
    expect(judge(coarse, mis).caught.camera).toBe(false);
    expect(judge(coarse, { ...theft, slot: 'T-1', sku: 'L' }).caught.camera).toBe(true);
  });

  it('a delivery record at the dock zone is caught by a camera on its dock door and by a reader on the zone, never by a shelf', () => {
    const sweet: TruthRecord = { kind: 'theft', subtype: 'sweethearting', ts, sku: 'L', units: 4, zone: 'dock', ref: 'PO-1' };
    expect(judge(room([DOOR], [{ id: 'R', zone: 'dock' }]), sweet).caught).toEqual({ camera: true, smartShelf: false, rfid: true, any: true });
    expect(judge(room([FRONT]), sweet).caught).toEqual({ camera: false, smartShelf: false, rfid: false, any: false });
  });

  it('a sensor fault is not caught by its own smart shelf', () => {
    const fault: TruthRecord = { kind: 'sensor_fault', subtype: 'stuck', ts, slot: 'T-0', shelf: 'T', zone: 'rack' };
    expect(judge(room([FRONT]), fault).caught).toEqual({ camera: true, smartShelf: false, rfid: false, any: true });
  });
});

describe('the summary', () => {
  const truth: TruthRecord[] = [
    theft,
    { kind: 'theft', subtype: 'dock_walkout', ts, sku: 'L', units: 5, slot: 'T-1', shelf: 'T', zone: 'rack' },
    { kind: 'theft', subtype: 'sweethearting', ts, sku: 'K', units: 3, zone: 'dock', ref: 'PO-1' },
    { kind: 'bad_message', ts, topic: 'x/y', reason: 'not_json' },
    { kind: 'phantom_stock', ts, sku: 'L', units: 7 },
    { kind: 'receiving_error', ts, sku: 'L', units: -2, zone: 'dock', ref: 'PO-1' },
  ];

  it('counts records with no place without judging them', () => {
    const v = detectionValueOf(room([FRONT, DOOR], [{ id: 'R', zone: 'rack' }]), truth);
    const bad = v.kinds.find((k) => k.kind === 'bad_message')!;
    expect(bad).toMatchObject({ records: 1, noPlace: 1, caught: { camera: 0, smartShelf: 0, rfid: 0, any: 0 } });
    const phantom = v.kinds.find((k) => k.kind === 'phantom_stock')!;
    expect(phantom).toMatchObject({ records: 1, noPlace: 1, units: { total: 7 }, value: { total: 21 } });
    expect(phantom.caught.any).toBe(0);
    expect(v.total.noPlace).toBe(2);
  });

  it('adds up units and values at cost, caught and in all, per kind and subtype', () => {
    const v = detectionValueOf(room([FRONT, DOOR], [{ id: 'R', zone: 'rack' }]), truth);
    const t = v.kinds.find((k) => k.kind === 'theft')!;
    expect(t.records).toBe(3);
    // 2 K at 10 + 5 L at 3 + 3 K at 10.
    expect(t.units.total).toBe(10);
    expect(t.value.total).toBe(20 + 15 + 30);
    // Slot thefts: both on smart shelves, both on the reader's zone; the sweethearting at the dock door camera.
    expect(t.caught).toEqual({ camera: 3, smartShelf: 2, rfid: 2, any: 3 });
    expect(t.value.caught.smartShelf).toBe(35);
    expect(t.value.caught.any).toBe(65);
    expect(v.subtypes.map((s) => `${s.kind}/${s.subtype}`)).toEqual(['theft/after_hours', 'theft/dock_walkout', 'theft/sweethearting']);
    expect(v.subtypes.reduce((a, s) => a + s.value.total, 0)).toBe(t.value.total);
    // Receiving error: signed units count as a size.
    expect(v.kinds.find((k) => k.kind === 'receiving_error')!.units.total).toBe(2);
    expect(v.total.records).toBe(truth.length);
    expect(v.total.value.total).toBe(v.kinds.reduce((a, k) => a + k.value.total, 0));
    expect(v.total.value.caught.any).toBe(v.kinds.reduce((a, k) => a + k.value.caught.any, 0));
  });

  it('a layout without cameras or readers catches only what its shelves weigh', () => {
    const v = detectionValueOf(room([]), truth);
    expect(v.total.caught).toEqual({ camera: 0, smartShelf: 2, rfid: 0, any: 2 });
    expect(v.total.value.caught.any).toBe(35);
  });
});
