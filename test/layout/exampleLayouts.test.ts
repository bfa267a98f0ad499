/**
 * The example layouts the product ships (scenarios/layouts/) and the stress generator: each
 * loads without a problem and has the shape its brief promises. The large one is generated,
 * so its file must equal what the generator returns today.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convexOverlap, distanceToOutline, footprint, polygonInside } from '../../src/layout/geometry';
import type { Layout, Vec2 } from '../../src/layout/Layout';
import { DOOR_TOLERANCE_M, parseLayout, parseLayoutText } from '../../src/layout/parseLayout';
import { formatLayoutJson } from '../../sim/layouts/formatLayoutJson';
import { generateGmLayout } from '../../sim/layouts/generateGmLayout';
import { generateStressLayout } from '../../sim/layouts/generateStressLayout';

const fileText = (name: string) => readFileSync(new URL(`../../scenarios/layouts/${name}`, import.meta.url), 'utf8');

function load(text: string): Layout {
  const r = parseLayoutText(text);
  expect(r.ok ? [] : r.problems).toEqual([]);
  if (!r.ok) throw new Error('layout refused');
  return r.layout;
}

const slotCount = (l: Layout) => l.shelves.reduce((n, s) => n + s.slots.length, 0);
const shelfFootprint = (s: { position: Vec2; size: readonly number[]; yaw: number }) => footprint(s.position, s.size[0]!, s.size[1]!, s.yaw);

function extents(l: Layout): [number, number] {
  const xs = l.room.outline.map((p) => p[0]);
  const ys = l.room.outline.map((p) => p[1]);
  return [Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)];
}

function doorsOf(l: Layout, kind: string) {
  return l.doors.filter((d) => d.kind === kind);
}

/** Zones any RFID antenna places a tag in. */
const readerZones = (l: Layout) => new Set(l.rfid.flatMap((r) => Object.values(r.antennas)));

/** What every planner-drawn layout should hold to, beyond what the validator demands. */
function expectTidy(l: Layout): void {
  const zones = new Map(l.zones.map((z) => [z.id, z]));
  for (const s of l.shelves) {
    expect(polygonInside(shelfFootprint(s), zones.get(s.zone)!.outline, 1e-6), `shelf ${s.id} inside zone ${s.zone}`).toBe(true);
  }
  for (const o of l.obstacles) {
    for (const s of l.shelves) {
      expect(convexOverlap(shelfFootprint(s), shelfFootprint(o)), `shelf ${s.id} clear of ${o.id}`).toBe(false);
    }
  }
  for (const c of l.cameras) {
    expect(c.pitch).toBeGreaterThanOrEqual(-45);
    expect(c.pitch).toBeLessThanOrEqual(-20);
    expect(c.hfov).toBeGreaterThanOrEqual(80);
    expect(c.hfov).toBeLessThanOrEqual(110);
  }
  // Slots in the high-value cage hold only high-value SKUs.
  const skus = new Map(l.skus.map((s) => [s.id, s]));
  for (const s of l.shelves.filter((sh) => zones.get(sh.zone)!.kind === 'high_value')) {
    for (const slot of s.slots) expect(skus.get(slot.sku)!.highValue, `${slot.id} holds ${slot.sku}`).toBe(true);
  }
}

/** The restricted high-value zone and its cage door, which sits on the zone's edge. */
function expectCage(l: Layout): string {
  const cages = l.zones.filter((z) => z.kind === 'high_value');
  expect(cages).toHaveLength(1);
  const cage = cages[0]!;
  expect(cage.restricted).toBe(true);
  expect(cage.roles.length).toBeGreaterThan(0);
  expect(cage.roles).not.toContain('associate');
  const doors = doorsOf(l, 'cage');
  expect(doors).toHaveLength(1);
  expect(doors[0]!.zone).toBe(cage.id);
  expect(distanceToOutline(doors[0]!.position, cage.outline)).toBeLessThanOrEqual(DOOR_TOLERANCE_M);
  return cage.id;
}

describe('apparel-compact.layout.json', () => {
  const layout = load(fileText('apparel-compact.layout.json'));

  it('is a compact apparel back room of 60 to 120 slots', () => {
    const [w, d] = extents(layout);
    expect(w).toBeCloseTo(12, 0);
    expect(d).toBeCloseTo(8, 0);
    expect(slotCount(layout)).toBeGreaterThanOrEqual(60);
    expect(slotCount(layout)).toBeLessThanOrEqual(120);
    expect(layout.skus.some((s) => s.highValue)).toBe(true);
  });

  it('has one staff door, one sales-floor door and a locked cage', () => {
    expect(doorsOf(layout, 'staff')).toHaveLength(1);
    expect(doorsOf(layout, 'sales_floor')).toHaveLength(1);
    expect(doorsOf(layout, 'dock')).toHaveLength(0);
    const cage = expectCage(layout);
    expect(readerZones(layout)).toContain(cage);
    expect(readerZones(layout)).toContain(doorsOf(layout, 'sales_floor')[0]!.zone);
    for (const kind of ['returns', 'receiving', 'aisle'] as const) expect(layout.zones.some((z) => z.kind === kind), kind).toBe(true);
  });

  it('has 2 to 4 cameras mounted near the ceiling', () => {
    expect(layout.cameras.length).toBeGreaterThanOrEqual(2);
    expect(layout.cameras.length).toBeLessThanOrEqual(4);
    for (const c of layout.cameras) expect(c.position[2]).toBeCloseTo(2.8, 1);
  });

  it('is laid out tidily', () => expectTidy(layout));
});

describe('gm-large.layout.json', () => {
  const text = fileText('gm-large.layout.json');
  const layout = load(text);

  it('equals what generateGmLayout writes (regenerate: npm run layouts)', () => {
    expect(text, 'the file differs from its generator: run npm run layouts').toBe(formatLayoutJson(generateGmLayout()));
    expect(text.length).toBeLessThan(300 * 1024);
  });

  it('is a large back room of 600 to 1000 slots and 60 to 150 SKUs', () => {
    const [w, d] = extents(layout);
    expect(w).toBeCloseTo(30, 0);
    expect(d).toBeCloseTo(20, 0);
    expect(slotCount(layout)).toBeGreaterThanOrEqual(600);
    expect(slotCount(layout)).toBeLessThanOrEqual(1000);
    expect(layout.skus.length).toBeGreaterThanOrEqual(60);
    expect(layout.skus.length).toBeLessThanOrEqual(150);
    expect(layout.skus.some((s) => s.highValue)).toBe(true);
    for (const kind of ['receiving', 'staging', 'replenishment', 'aisle', 'returns'] as const) {
      expect(layout.zones.some((z) => z.kind === kind), kind).toBe(true);
    }
  });

  it('has a dock, a staff door, a sales-floor door and a locked cage', () => {
    const docks = doorsOf(layout, 'dock');
    expect(docks.length).toBeGreaterThanOrEqual(1);
    for (const d of docks) expect(layout.zones.find((z) => z.id === d.zone)!.kind).toBe('receiving');
    expect(doorsOf(layout, 'staff')).toHaveLength(1);
    expect(doorsOf(layout, 'sales_floor')).toHaveLength(1);
    expectCage(layout);
  });

  it('has RFID readers at the dock, the cage and the sales-floor door', () => {
    const zones = readerZones(layout);
    expect(zones).toContain(doorsOf(layout, 'dock')[0]!.zone);
    expect(zones).toContain(doorsOf(layout, 'cage')[0]!.zone);
    expect(zones).toContain(doorsOf(layout, 'sales_floor')[0]!.zone);
    expect(layout.rfid.some((r) => Object.keys(r.antennas).length >= 2)).toBe(true);
  });

  it('has 6 to 10 cameras and full-height columns that no shelf overlaps', () => {
    expect(layout.cameras.length).toBeGreaterThanOrEqual(6);
    expect(layout.cameras.length).toBeLessThanOrEqual(10);
    const columns = layout.obstacles.filter((o) => o.id.startsWith('col-'));
    expect(columns.length).toBeGreaterThanOrEqual(4);
    for (const c of columns) expect(c.size[2]).toBe(layout.room.height);
    expectTidy(layout);
  });
});

describe('generateStressLayout', () => {
  it('builds a valid layout of exactly 5000 slots', () => {
    const r = parseLayout(generateStressLayout(5000));
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (r.ok) {
      expect(slotCount(r.layout)).toBe(5000);
      expectTidy(r.layout);
    }
  });

  it.each([1, 19, 21, 999])('builds exactly %i slots', (n) => {
    const r = parseLayout(generateStressLayout(n));
    expect(r.ok ? slotCount(r.layout) : r.problems).toBe(n);
  });

  it('is deterministic', () => {
    expect(generateStressLayout(1234)).toEqual(generateStressLayout(1234));
  });

  it('refuses a slot count that is not a positive integer', () => {
    expect(() => generateStressLayout(0)).toThrow(RangeError);
    expect(() => generateStressLayout(2.5)).toThrow(RangeError);
  });
});
