/**
 * Rendered camera frames on a hand-made room: the shelf lands where the camera's projection
 * puts it, stock and SKUs show in a slot's box, a camera behind the shelf sees no slot, and
 * frames are seeded JPEGs of the asked size.
 */
import { describe, expect, it } from 'vitest';
import { project } from '../../../src/layout/cameraProjection';
import { frontFace } from '../../../src/layout/geometry';
import { LayoutIndex } from '../../../src/layout/LayoutIndex';
import { parseLayout } from '../../../src/layout/parseLayout';
import { decodeJpeg } from '../../../sim/render/decodeJpeg';
import { fillClass } from '../../../sim/render/frameTruth';
import { lightLevel } from '../../../sim/render/develop';
import { FrameRenderer, type FrameWorld } from '../../../sim/render/FrameRenderer';
import { skuLook } from '../../../sim/render/skuLook';

/**
 * 10 x 8 m, trading 07:00-22:00 UTC. Shelf S (2 m wide, 2 levels of 2 slots) stands at
 * (5, 5) facing -y. Camera FRONT at (5, 1.5, 1) looks at it along +y; BACK at (5, 7.5, 1.5)
 * looks along -y at its back; EDGE, narrow and to the left, has the left slots' centres just
 * inside its image and their right parts beyond its border.
 */
function room(withShelf = true): LayoutIndex {
  const r = parseLayout({
    version: 1,
    store: 's-frames',
    name: 'Frame room',
    timezone: 'UTC',
    hours: { open: '07:00', close: '22:00' },
    room: { outline: [[0, 0], [10, 0], [10, 8], [0, 8]], height: 3 },
    skus: [
      { id: 'RED', name: 'Red box', unitGrams: 100, unitCost: 1, unitPrice: 2 },
      { id: 'TEAL', name: 'Teal box', unitGrams: 100, unitCost: 1, unitPrice: 2 },
    ],
    zones: [{ id: 'z', kind: 'replenishment', outline: [[0, 0], [10, 0], [10, 8], [0, 8]] }],
    shelves: withShelf
      ? [
          {
            id: 'S', zone: 'z', position: [5, 5], yaw: 0, size: [2, 0.5, 2], levels: 2,
            slots: [
              { id: 'S-00', level: 0, index: 0, sku: 'RED', capacity: 20 },
              { id: 'S-01', level: 0, index: 1, sku: 'TEAL', capacity: 20 },
              { id: 'S-10', level: 1, index: 0, sku: 'RED', capacity: 20 },
              { id: 'S-11', level: 1, index: 1, sku: 'TEAL', capacity: 20 },
            ],
          },
        ]
      : [],
    doors: [],
    rfid: [],
    cameras: [
      { id: 'FRONT', position: [5, 1.5, 1], yaw: 90, pitch: 0, hfov: 90, resolution: [1280, 960] },
      { id: 'BACK', position: [5, 7.5, 1.5], yaw: -90, pitch: -10, hfov: 90, resolution: [1280, 960] },
      { id: 'EDGE', position: [3.4, 1.5, 1], yaw: 90, pitch: 0, hfov: 40, resolution: [1280, 960] },
    ],
    obstacles: [],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return new LayoutIndex(r.layout);
}

const NOON = Date.parse('2026-11-17T12:00:00Z');
const CLEAN = { width: 320, noise: 0, blur: 0 };
const stockOf = (o: Record<string, Record<string, number>>) => new Map(Object.entries(o).map(([k, v]) => [k, new Map(Object.entries(v))]));
const world = (stock: Record<string, Record<string, number>>, over: Partial<FrameWorld> = {}): FrameWorld => ({ ts: NOON, stock: stockOf(stock), people: [], ...over });
const FULL = { 'S-00': { RED: 20 }, 'S-01': { TEAL: 20 }, 'S-10': { RED: 20 }, 'S-11': { TEAL: 20 } };

/** Whether two RGBA images differ at pixel (x, y). */
function differs(a: Uint8Array, b: Uint8Array, w: number, x: number, y: number): boolean {
  const i = (y * w + x) * 4;
  return a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2];
}
/** Mean RGB over a box [x, y, w, h]. */
function meanColour(img: Uint8Array, w: number, box: readonly number[]): [number, number, number] {
  const [x0, y0, bw, bh] = box as [number, number, number, number];
  const s = [0, 0, 0];
  for (let y = y0; y < y0 + bh; y++) for (let x = x0; x < x0 + bw; x++) for (let c = 0; c < 3; c++) s[c]! += img[(y * w + x) * 4 + c]!;
  return s.map((v) => v / (bw * bh)) as [number, number, number];
}
const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

describe('the frame rasteriser', () => {
  const L = room();
  const R = new FrameRenderer(L);

  it('draws the shelf where the camera projection puts its front face, and nothing else changes', () => {
    const empty = new FrameRenderer(room(false)).render('FRONT', world({}), CLEAN);
    const shelf = R.render('FRONT', world(FULL), CLEAN);
    expect([shelf.width, shelf.height]).toEqual([320, 240]);
    const f = R.frame('FRONT', 320);
    const face = frontFace({ center: [5, 5, 1], size: [2, 0.5, 2], yaw: 0 }).map((p) => project(f, p)!);
    const [u0, u1] = [Math.min(...face.map((p) => p.u)), Math.max(...face.map((p) => p.u))];
    const [v0, v1] = [Math.min(...face.map((p) => p.v)), Math.max(...face.map((p) => p.v))];
    expect(u1 - u0).toBeGreaterThan(60); // about 80 px wide at 3.25 m
    let inside = 0, insideDiff = 0, outside = 0, outsideDiff = 0;
    for (let y = 0; y < shelf.height; y++) {
      for (let x = 0; x < shelf.width; x++) {
        const d = differs(empty.rgba, shelf.rgba, shelf.width, x, y);
        if (x > u0 + 2 && x < u1 - 3 && y > v0 + 2 && y < v1 - 3) {
          inside++;
          insideDiff += Number(d);
        } else if (x < u0 - 2 || x > u1 + 2 || y < v0 - 2 || y > v1 + 2) {
          outside++;
          outsideDiff += Number(d);
        }
      }
    }
    expect(insideDiff / inside).toBeGreaterThan(0.97);
    expect(outsideDiff / outside).toBe(0);
  });

  it('lists the slots in view with their box, fill and SKUs; a full and an empty slot differ in its box', () => {
    const full = R.render('FRONT', world(FULL), CLEAN);
    const oneEmpty = R.render('FRONT', world({ ...FULL, 'S-01': {} }), CLEAN);
    expect(full.truth.slots.map((s) => s.slot).sort()).toEqual(['S-00', 'S-01', 'S-10', 'S-11']);
    const s01 = oneEmpty.truth.slots.find((s) => s.slot === 'S-01')!;
    expect(s01).toMatchObject({ units: 0, capacity: 20, fill: 'empty', plannedSku: 'TEAL', actualSku: null, misplaced: false, skus: {} });
    expect(full.truth.slots.find((s) => s.slot === 'S-01')).toMatchObject({ units: 20, fill: 'full', actualSku: 'TEAL', visible: 1, inFrame: 1 });
    // Seen from the front, index 0 is on the left.
    const s00 = full.truth.slots.find((s) => s.slot === 'S-00')!;
    expect(s00.box[0]).toBeLessThan(s01.box[0]);
    // The box holds the face: about 40 px square here.
    expect(s01.box[2]).toBeGreaterThan(30);
    expect(s01.box[3]).toBeGreaterThan(30);
    expect(distance(meanColour(full.rgba, 320, s01.box), meanColour(oneEmpty.rgba, 320, s01.box))).toBeGreaterThan(20);
    expect(meanColour(full.rgba, 320, s00.box)).toEqual(meanColour(oneEmpty.rgba, 320, s00.box));
  });

  it('gives each SKU its own look, so a unit on the wrong slot shows, and says so in the truth', () => {
    const a = skuLook('RED');
    const b = skuLook('TEAL');
    expect(distance(a.colour, b.colour) + distance(a.pattern.colour, b.pattern.colour) + Number(a.pattern.kind !== b.pattern.kind) * 100).toBeGreaterThan(40);
    expect(skuLook('RED')).toEqual(a); // from the id alone
    const right = R.render('FRONT', world(FULL), CLEAN);
    const wrong = R.render('FRONT', world({ ...FULL, 'S-01': { RED: 20 } }), CLEAN);
    const box = right.truth.slots.find((s) => s.slot === 'S-01')!.box;
    expect(distance(meanColour(right.rgba, 320, box), meanColour(wrong.rgba, 320, box))).toBeGreaterThan(10);
    expect(wrong.truth.slots.find((s) => s.slot === 'S-01')).toMatchObject({ plannedSku: 'TEAL', actualSku: 'RED', misplaced: true, skus: { RED: 20 } });
    const mixed = R.render('FRONT', world({ ...FULL, 'S-01': { TEAL: 6, RED: 3 } }), CLEAN);
    expect(mixed.truth.slots.find((s) => s.slot === 'S-01')).toMatchObject({ units: 9, fill: 'half', actualSku: 'TEAL', misplaced: true, skus: { RED: 3, TEAL: 6 } });
  });

  it('says how much of a slot the image border cuts off', () => {
    const edge = R.render('EDGE', world(FULL), CLEAN);
    expect(edge.truth.slots.map((s) => s.slot).sort()).toEqual(['S-00', 'S-10']);
    for (const s of edge.truth.slots) {
      expect(s.inFrame).toBeGreaterThan(0.5);
      expect(s.inFrame).toBeLessThan(0.65);
      expect(s.box[0] + s.box[2]).toBe(320);
    }
  });

  it('sees no slot from behind the shelf', () => {
    const back = R.render('BACK', world(FULL), CLEAN);
    expect(back.truth.slots).toEqual([]);
  });

  it('counts a slot hidden by a person standing in front of it as partly visible', () => {
    const clear = R.render('FRONT', world(FULL), CLEAN);
    const hidden = R.render('FRONT', world(FULL, { people: [{ x: 4.5, y: 4, key: 'p' }] }), CLEAN);
    const v = (f: typeof clear, id: string) => f.truth.slots.find((s) => s.slot === id)?.visible ?? 0;
    expect(v(clear, 'S-00')).toBe(1);
    expect(v(hidden, 'S-00')).toBeLessThan(0.5);
    expect(v(hidden, 'S-11')).toBe(1);
    expect(hidden.truth.people).toBe(1);
  });

  it('is darker at night than in trading hours', () => {
    const mean = (img: Uint8Array) => img.reduce((a, v, i) => (i % 4 === 3 ? a : a + v), 0) / ((img.length / 4) * 3);
    const day = R.render('FRONT', world(FULL), CLEAN);
    const night = R.render('FRONT', world(FULL, { ts: Date.parse('2026-11-17T02:00:00Z') }), CLEAN);
    expect(mean(night.rgba)).toBeLessThan(mean(day.rgba) * 0.6);
    expect(lightLevel(2 * 60, { open: '07:00', close: '22:00' })).toBeLessThan(0.4);
    expect(lightLevel(12 * 60, { open: '07:00', close: '22:00' })).toBeGreaterThan(0.95);
    // Hours past midnight: open at night, closed at noon.
    expect(lightLevel(1 * 60, { open: '20:00', close: '04:00' })).toBeGreaterThan(0.9);
    expect(lightLevel(12 * 60, { open: '20:00', close: '04:00' })).toBeLessThan(0.5);
  });

  it('encodes a seeded JPEG of the asked size: same seed, same bytes', () => {
    const opts = { width: 256, noise: 4, blur: 1, seed: 7 };
    const a = R.jpeg('FRONT', world(FULL), opts);
    const b = new FrameRenderer(room()).jpeg('FRONT', world(FULL), opts);
    expect(Buffer.from(a.jpeg).equals(Buffer.from(b.jpeg))).toBe(true);
    expect(Buffer.from(R.jpeg('FRONT', world(FULL), { ...opts, seed: 8 }).jpeg).equals(Buffer.from(a.jpeg))).toBe(false);
    expect([...a.jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const img = decodeJpeg(a.jpeg);
    expect([img.width, img.height]).toEqual([256, 192]);
    expect(a.truth).toMatchObject({ camera: 'FRONT', width: 256, height: 192, ts: '2026-11-17T12:00:00.000Z' });
  });

  it('classes fill: empty, low under 35 %, half under 75 %, full from 75 %', () => {
    expect([0, 1, 6, 7, 14, 15, 20].map((u) => fillClass(u, 20))).toEqual(['empty', 'low', 'low', 'half', 'half', 'full', 'full']);
  });
});
