/**
 * A shelf the planner moved, shown in place without a GPU: the slot layer rewrites only that
 * shelf's level boxes (picking finds every slot where the moved layout puts it, the slots'
 * looks stay), the shelf frames rewrite only that shelf's vertices, and the heat map's faces
 * follow — no mesh replaced, no draw call added.
 */
import { readFileSync } from 'node:fs';
import { Matrix4, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import type { Layout } from '../../src/layout/Layout';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';
import { buildTargets } from '../../src/planning/targets';
import { CoverageLayer } from '../../src/render/layers/CoverageLayer';
import { ShelfLayer } from '../../src/render/layers/ShelfLayer';
import { SlotLayer } from '../../src/render/layers/SlotLayer';

function small(): LayoutIndex {
  const r = parseLayoutText(readFileSync('test/fixtures/small.layout.json', 'utf8'));
  if (!r.ok) throw new Error('fixture refused');
  return new LayoutIndex(r.layout);
}

/** The layout with one shelf put elsewhere. */
function moved(layout: LayoutIndex, id: string, position: readonly [number, number], yaw: number): LayoutIndex {
  const l: Layout = { ...layout.layout, shelves: layout.layout.shelves.map((s) => (s.id === id ? { ...s, position, yaw } : s)) };
  return new LayoutIndex(l);
}

describe('a moved shelf in the 3D view', () => {
  it('moves its slots’ level boxes only, keeps their looks, and picks them where they are now', () => {
    const before = small();
    const after = moved(before, 'CAGE1', [15, 4], 30);
    let frames = 0;
    const layer = new SlotLayer(() => frames++);
    layer.update(before);
    const mesh = layer.mesh!;
    const cageSlot = before.layout.shelves.find((s) => s.id === 'CAGE1')!.slots[0]!.id;
    layer.setFill(cageSlot, 0.25);
    const matrices = Array.from(mesh.instanceMatrix.array);
    layer.place(after.layout.shelves);
    expect(layer.mesh).toBe(mesh);
    expect(frames).toBeGreaterThan(1);
    // Only CAGE1's three levels changed.
    const changed = new Set<number>();
    const now = mesh.instanceMatrix.array;
    for (let k = 0; k < now.length; k++) if (now[k] !== matrices[k]) changed.add(Math.floor(k / 16));
    expect(changed.size).toBe(3);
    // Every slot of the moved layout is found at its centre there.
    const m = new Matrix4();
    for (const id of after.slots.keys()) {
      const c = new Vector3(...after.slotBox(id).center);
      let found: string | undefined;
      for (let i = 0; i < layer.levels && !found; i++) {
        mesh.getMatrixAt(i, m);
        const local = c.clone().applyMatrix4(m.clone().invert());
        if (Math.abs(local.x) <= 0.5 && Math.abs(local.y) <= 0.5 && Math.abs(local.z) <= 0.5) found = layer.slotAtHit(i, c);
      }
      expect(found).toBe(id);
    }
    expect(mesh.boundingBox!.containsPoint(new Vector3(...after.slotBox(cageSlot).center))).toBe(true);
  });

  it('rewrites the moved shelf’s frame vertices in the one batch', () => {
    const before = small();
    const after = moved(before, 'S1A', [1.5, 4.5], 0);
    const layer = new ShelfLayer();
    layer.update(before.layout);
    const lines = layer.lines!;
    const old = Array.from(lines.geometry.getAttribute('position').array);
    layer.place(after.layout.shelves);
    expect(layer.lines).toBe(lines);
    const now = lines.geometry.getAttribute('position').array;
    let changed = 0;
    for (let k = 0; k < now.length; k += 3) {
      if (now[k + 1] !== old[k + 1]) {
        changed++;
        expect(now[k + 1]! - old[k + 1]!).toBeCloseTo(-1.8, 5);
        expect(layer.shelfAtVertex(k / 3)).toBe('S1A');
      }
    }
    // Four uprights and five rectangles (floor, three boards, top): 48 vertices.
    expect(changed).toBe(48);
    const box = layer.box('S1A')!;
    expect(box.min.y).toBeCloseTo(4.2, 5);
    expect(box.max.y).toBeCloseTo(4.8, 5);
  });

  it('moves the heat map’s faces with it, colours kept', () => {
    const before = small();
    const after = moved(before, 'S1A', [1.5, 4.5], 0);
    const targets = buildTargets(before);
    const layer = new CoverageLayer();
    layer.build(before, targets.cells, targets.options.cellSize);
    const faces = layer.faces!;
    layer.placeShelves(after);
    expect(layer.faces).toBe(faces);
    const fresh = new CoverageLayer();
    fresh.build(after, buildTargets(after).cells, targets.options.cellSize);
    expect(Array.from(faces.instanceMatrix.array)).toEqual(Array.from(fresh.faces!.instanceMatrix.array));
  });
});
