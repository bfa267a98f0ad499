import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Vector3 } from 'three';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayout } from '../../src/layout/parseLayout';
import { stressLayout } from '../../src/layout/stressLayout';
import { SlotLayer } from '../../src/render/layers/SlotLayer';
import { ShelfLayer } from '../../src/render/layers/ShelfLayer';
import { miniLayout } from '../fixtures/miniLayout';

function stress(slots: number, shelves?: number): LayoutIndex {
  const r = parseLayout(stressLayout({ slots, shelves }));
  if (!r.ok) throw new Error('stress layout refused');
  return new LayoutIndex(r.layout);
}

/** Finds the level instance whose box holds a slot's centre, the way a ray hit would land. */
function hitSlot(layer: SlotLayer, layout: LayoutIndex, id: string): string | undefined {
  const c = new Vector3(...layout.slotBox(id).center);
  for (let i = 0; i < layer.levels; i++) {
    const found = layer.slotAtHit(i, c);
    const slot = found && layout.slots.get(found);
    if (slot && slot.shelf === layout.slots.get(id)!.shelf && slot.level === layout.slots.get(id)!.level) return found;
  }
  return undefined;
}

describe('SlotLayer', () => {
  it('draws one box per shelf level, so its size tracks levels, not slots', () => {
    const full = new SlotLayer(() => {});
    full.update(stress(5000));
    const half = new SlotLayer(() => {});
    half.update(stress(2500, 100));
    expect(full.count).toBe(5000);
    expect(half.count).toBe(2500);
    expect(full.levels).toBe(500);
    expect(half.levels).toBe(full.levels);
    expect(full.mesh!.count).toBe(500);
  });

  it('maps a point on a level back to the slot LayoutIndex.slotBox puts there', () => {
    const layout = miniLayout();
    const layer = new SlotLayer(() => {});
    layer.update(layout);
    for (const id of layout.slots.keys()) expect(hitSlot(layer, layout, id)).toBe(id);
  });

  it('maps every slot of the large layout, turned shelves included', () => {
    const r = parseLayout(JSON.parse(readFileSync('scenarios/layouts/gm-large.layout.json', 'utf8')));
    if (!r.ok) throw new Error('gm-large refused');
    const layout = new LayoutIndex(r.layout);
    expect(new Set(r.layout.shelves.map((s) => s.yaw)).size).toBeGreaterThan(1);
    const layer = new SlotLayer(() => {});
    layer.update(layout);
    for (const id of layout.slots.keys()) expect(hitSlot(layer, layout, id)).toBe(id);
  });

  it('refuses unknown slots and asks for a frame on a change', () => {
    let frames = 0;
    const layer = new SlotLayer(() => frames++);
    layer.update(miniLayout());
    expect(layer.setFill('nope', 0.5)).toBe(false);
    expect(layer.setFill('A-0-0', 0.5)).toBe(true);
    expect(frames).toBe(1);
    layer.dispose();
  });
});

describe('ShelfLayer', () => {
  it('batches every frame into one line object and maps vertices back to shelves', () => {
    const layout = miniLayout();
    const layer = new ShelfLayer();
    layer.update(layout.layout);
    expect(layer.group.children).toHaveLength(1);
    const count = layer.lines!.geometry.getAttribute('position').count;
    expect(layer.shelfAtVertex(0)).toBe('A');
    expect(layer.shelfAtVertex(count - 1)).toBe('B');
    expect(layer.shelfAtVertex(count)).toBeUndefined();
    expect(layer.box('A')!.max.z).toBeCloseTo(2);
  });
});
