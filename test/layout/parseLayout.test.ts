/**
 * The layout validator against the contract's list of faults (../shared/contract/layout.md):
 * a small valid layout, broken one way per case. Every case checks the exact problem paths
 * (so a fault is reported where it is, and nothing else is blamed for it) and that the
 * layout is refused whole.
 */
import { describe, expect, it } from 'vitest';
import { parseLayout, parseLayoutText, type LayoutResult } from '../../src/layout/parseLayout';

/** Raw layout JSON: the cases break it on purpose, so it is typed loosely. */
type RawLayout = any;

const BASE: RawLayout = {
  version: 1,
  store: 'store-t2',
  name: 'Validator test room',
  timezone: 'Europe/London',
  hours: { open: '08:00', close: '20:00' },
  room: { outline: [[0, 0], [10, 0], [10, 8], [0, 8]], height: 3 },
  skus: [
    { id: 'tee', name: 'Crew tee, M', unitGrams: 170, unitCost: 3.4, unitPrice: 14.9 },
    { id: 'watch', name: 'Field watch', unitGrams: 290, unitCost: 58, unitPrice: 175, highValue: true },
  ],
  zones: [
    { id: 'stock', kind: 'replenishment', outline: [[0, 0], [7, 0], [7, 8], [0, 8]] },
    { id: 'cage', kind: 'high_value', outline: [[7, 4], [10, 4], [10, 8], [7, 8]], restricted: true, roles: ['manager'] },
  ],
  shelves: [
    {
      id: 'S1', zone: 'stock', position: [2, 1], yaw: 0, size: [1.2, 0.5, 2], levels: 2,
      slots: [
        { id: 'S1-0-0', level: 0, index: 0, sku: 'tee', capacity: 40 },
        { id: 'S1-0-1', level: 0, index: 1, sku: 'tee', capacity: 40 },
        { id: 'S1-1-0', level: 1, index: 0, sku: 'tee', capacity: 80 },
      ],
    },
    {
      id: 'S2', zone: 'stock', position: [4, 1], yaw: 0, size: [1.2, 0.5, 2], levels: 2,
      slots: [
        { id: 'S2-0-0', level: 0, index: 0, sku: 'tee', capacity: 80 },
        { id: 'S2-1-0', level: 1, index: 0, sku: 'tee', capacity: 80 },
      ],
    },
    {
      id: 'H1', zone: 'cage', position: [9.7, 6], yaw: 270, size: [1.2, 0.5, 2], levels: 1,
      slots: [{ id: 'H1-0-0', level: 0, index: 0, sku: 'watch', capacity: 12 }],
    },
  ],
  doors: [
    { id: 'staff', kind: 'staff', position: [0, 4], width: 1, zone: 'stock' },
    { id: 'sales', kind: 'sales_floor', position: [3, 0], width: 1.8, zone: 'stock' },
    { id: 'cage-door', kind: 'cage', position: [7, 6], width: 0.9, zone: 'cage' },
  ],
  rfid: [
    { id: 'reader-1', antennas: { '1': 'stock', '2': 'cage' } },
    { id: 'reader-2', zone: 'cage' },
  ],
  cameras: [{ id: 'cam-1', position: [0.3, 0.3, 2.8], yaw: 45, pitch: -30, hfov: 90, resolution: [1920, 1080] }],
  obstacles: [{ id: 'col-1', position: [5, 5], size: [0.4, 0.4, 3], yaw: 0 }],
};

/** Parses a broken copy of BASE through the text path, as a file would be. */
function parseBroken(breakIt: (l: RawLayout) => void): LayoutResult {
  const l = structuredClone(BASE);
  breakIt(l);
  return parseLayoutText(JSON.stringify(l));
}

/** The problem paths of a refused layout; fails the test if it was accepted or half-loaded. */
function refusedPaths(r: LayoutResult): string[] {
  expect(r.ok).toBe(false);
  expect(r).not.toHaveProperty('layout');
  return r.ok ? [] : r.problems.map((p) => p.path);
}

const bowtie = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y1], [x1, y0], [x0, y1]];

interface Case {
  name: string;
  breakIt: (l: RawLayout) => void;
  paths: string[];
}

const CASES: Case[] = [
  // Found by review: a shelf taller than the ceiling; a broken slot must not make its good neighbour's index look wrong
  { name: 'a shelf is taller than the room', breakIt: (l) => (l.shelves[0].size = [1.2, 0.5, 3.5]), paths: ['shelves[0].size'] },
  { name: 'one slot of a level misses its capacity', breakIt: (l) => delete l.shelves[0].slots[0].capacity, paths: ['shelves[0].slots[0].capacity'] },
  // Unknown references
  { name: 'a slot names an unknown SKU', breakIt: (l) => (l.shelves[0].slots[1].sku = 'hoodie'), paths: ['shelves[0].slots[1].sku'] },
  { name: 'a shelf names an unknown zone', breakIt: (l) => (l.shelves[1].zone = 'mezzanine'), paths: ['shelves[1].zone'] },
  { name: 'a door names an unknown zone', breakIt: (l) => (l.doors[0].zone = 'vault'), paths: ['doors[0].zone'] },
  { name: 'an RFID antenna names an unknown zone', breakIt: (l) => (l.rfid[0].antennas['2'] = 'vault'), paths: ['rfid[0].antennas.2'] },
  { name: 'a one-antenna reader names an unknown zone', breakIt: (l) => (l.rfid[1].zone = 'vault'), paths: ['rfid[1].zone'] },
  // Duplicate ids
  { name: 'two SKUs share an id', breakIt: (l) => l.skus.push({ ...l.skus[0], name: 'Other tee' }), paths: ['skus[2].id'] },
  { name: 'two zones share an id', breakIt: (l) => l.zones.push({ ...l.zones[0] }), paths: ['zones[2].id'] },
  { name: 'two shelves share an id', breakIt: (l) => (l.shelves[1].id = 'S1'), paths: ['shelves[1].id'] },
  { name: 'two slots of one shelf share an id', breakIt: (l) => (l.shelves[0].slots[1].id = 'S1-0-0'), paths: ['shelves[0].slots[1].id'] },
  { name: 'slots on two shelves share an id', breakIt: (l) => (l.shelves[1].slots[0].id = 'S1-0-0'), paths: ['shelves[1].slots[0].id'] },
  { name: 'two doors share an id', breakIt: (l) => (l.doors[1].id = 'staff'), paths: ['doors[1].id'] },
  { name: 'two cameras share an id', breakIt: (l) => l.cameras.push({ ...l.cameras[0], position: [5, 5, 2.8] }), paths: ['cameras[1].id'] },
  // Geometry
  { name: 'a shelf stands partly outside the room', breakIt: (l) => (l.shelves[0].position = [9.9, 1]), paths: ['shelves[0].position'] },
  { name: 'a turned shelf pokes through a wall', breakIt: (l) => Object.assign(l.shelves[0], { position: [0.2, 4], yaw: 90 }), paths: ['shelves[0].position'] },
  { name: 'a camera is outside the room on the plan', breakIt: (l) => (l.cameras[0].position = [11, 4, 2.8]), paths: ['cameras[0].position'] },
  { name: 'a camera is above the ceiling', breakIt: (l) => (l.cameras[0].position = [1, 1, 3.5]), paths: ['cameras[0].position'] },
  { name: 'two shelves overlap', breakIt: (l) => (l.shelves[1].position = [2.5, 1.2]), paths: ['shelves[1]'] },
  { name: 'a turned shelf overlaps another', breakIt: (l) => Object.assign(l.shelves[1], { position: [3.1, 1.3], yaw: 45 }), paths: ['shelves[1]'] },
  { name: 'the room outline crosses itself', breakIt: (l) => (l.room.outline = bowtie(0, 0, 10, 8)), paths: ['room.outline'] },
  { name: 'a zone outline crosses itself', breakIt: (l) => (l.zones[1].outline = bowtie(7, 4, 10, 8)), paths: ['zones[1].outline'] },
  { name: 'an outline has fewer than 3 points', breakIt: (l) => (l.zones[0].outline = [[0, 0], [7, 0]]), paths: ['zones[0].outline'] },
  { name: "a door is on neither the room's nor its zone's outline", breakIt: (l) => (l.doors[0].position = [1, 4]), paths: ['doors[0].position'] },
  // Missing fields
  { name: 'the store is missing', breakIt: (l) => delete l.store, paths: ['store'] },
  { name: 'the room is missing', breakIt: (l) => delete l.room, paths: ['room'] },
  { name: "a SKU's unitGrams is missing", breakIt: (l) => delete l.skus[0].unitGrams, paths: ['skus[0].unitGrams'] },
  { name: "a shelf's size is missing", breakIt: (l) => delete l.shelves[0].size, paths: ['shelves[0].size'] },
  { name: "a slot's capacity is missing", breakIt: (l) => delete l.shelves[0].slots[2].capacity, paths: ['shelves[0].slots[2].capacity'] },
  { name: "a shelf's slots are missing", breakIt: (l) => delete l.shelves[2].slots, paths: ['shelves[2].slots'] },
  { name: 'a reader has neither antennas nor zone', breakIt: (l) => delete l.rfid[1].zone, paths: ['rfid[1]'] },
  // Mistyped fields
  { name: "a SKU's unitGrams is a string", breakIt: (l) => (l.skus[0].unitGrams = '170'), paths: ['skus[0].unitGrams'] },
  { name: "a door's width is a string", breakIt: (l) => (l.doors[0].width = '1 m'), paths: ['doors[0].width'] },
  { name: "a zone's restricted flag is a string", breakIt: (l) => (l.zones[1].restricted = 'yes'), paths: ['zones[1].restricted'] },
  { name: "a zone's kind is not a kind", breakIt: (l) => (l.zones[0].kind = 'storage'), paths: ['zones[0].kind'] },
  { name: "a shelf's position has one number", breakIt: (l) => (l.shelves[0].position = [2]), paths: ['shelves[0].position'] },
  { name: "a camera's resolution is a string", breakIt: (l) => (l.cameras[0].resolution = '1080p'), paths: ['cameras[0].resolution'] },
  { name: 'an id has a space in it', breakIt: (l) => (l.shelves[0].id = 'S 1'), paths: ['shelves[0].id'] },
  { name: 'the version is 2', breakIt: (l) => (l.version = 2), paths: ['version'] },
  { name: 'the time zone is not IANA', breakIt: (l) => (l.timezone = 'Central Time'), paths: ['timezone'] },
  { name: 'the opening hour is not HH:MM', breakIt: (l) => (l.hours.open = '8am'), paths: ['hours.open'] },
  // Levels and slot places
  { name: 'levels is 0', breakIt: (l) => (l.shelves[0].levels = 0), paths: ['shelves[0].levels'] },
  { name: 'levels is negative', breakIt: (l) => (l.shelves[0].levels = -2), paths: ['shelves[0].levels'] },
  { name: 'levels is not a whole number', breakIt: (l) => (l.shelves[0].levels = 1.5), paths: ['shelves[0].levels'] },
  { name: 'levels is a string', breakIt: (l) => (l.shelves[0].levels = '2'), paths: ['shelves[0].levels'] },
  { name: "a slot's level equals the shelf's levels", breakIt: (l) => (l.shelves[0].slots[2].level = 2), paths: ['shelves[0].slots[2].level'] },
  { name: "a slot's level is above the shelf's levels", breakIt: (l) => (l.shelves[2].slots[0].level = 5), paths: ['shelves[2].slots[0].level'] },
  { name: 'two slots share a level and an index', breakIt: (l) => (l.shelves[0].slots[1].index = 0), paths: ['shelves[0].slots[1]'] },
];

describe('parseLayout', () => {
  it('accepts the valid base layout and fills in the defaults', () => {
    const r = parseLayout(structuredClone(BASE));
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (!r.ok) return;
    expect(r.layout.skus.map((s) => s.highValue)).toEqual([false, true]);
    expect(r.layout.zones.map((z) => z.restricted)).toEqual([false, true]);
    expect(r.layout.rfid[1]!.antennas).toEqual({ '1': 'cage' });
    expect(r.layout.shelves[1]!.slots.map((s) => s.shelf)).toEqual(['S2', 'S2']);
  });

  it.each(CASES)('refuses a layout where $name', ({ breakIt, paths }) => {
    expect(refusedPaths(parseBroken(breakIt))).toEqual(paths);
  });

  it('refuses text that is not JSON, with the parser’s reason', () => {
    const r = parseLayoutText('{"version": 1, "store": ');
    expect(refusedPaths(r)).toEqual(['']);
    expect(r.ok ? '' : r.problems[0]!.reason).toMatch(/not valid JSON/);
  });

  it('refuses JSON that is not an object', () => {
    expect(refusedPaths(parseLayoutText('[1, 2, 3]'))).toEqual(['']);
  });

  it('reports every fault of a layout with several at once', () => {
    const r = parseBroken((l) => {
      l.timezone = 'Mars/Olympus';
      delete l.skus[1].name;
      l.shelves[0].slots[0].sku = 'hoodie';
      l.shelves[1].slots[1].id = 'S1-1-0';
      l.shelves[1].levels = 0;
      l.shelves[2].position = [10.2, 6];
      l.shelves.push({ ...structuredClone(l.shelves[0]), id: 'S3', position: [2.3, 1], slots: [] });
      l.doors[2].position = [8, 6];
      l.cameras[0].position = [-1, 1, 2.8];
      l.obstacles[0].size = [0.4, 0.4];
    });
    const paths = refusedPaths(r);
    const expected = [
      'timezone',
      'skus[1].name',
      'shelves[0].slots[0].sku',
      'shelves[1].slots[1].id',
      'shelves[1].levels',
      'shelves[2].position',
      'shelves[3]',
      'doors[2].position',
      'cameras[0].position',
      'obstacles[0].size',
    ];
    for (const path of expected) expect(paths, `expected a problem at ${path}`).toContain(path);
    expect(paths).toHaveLength(expected.length);
  });

  it('does not blame references to a part that is broken elsewhere', () => {
    // The SKU and the zone exist but are broken: only they are reported, not what names them.
    const r = parseBroken((l) => {
      l.skus[0].unitGrams = -1;
      l.zones[1].roles = ['wizard'];
    });
    expect(refusedPaths(r)).toEqual(['skus[0].unitGrams', 'zones[1].roles[0]']);
  });
});
