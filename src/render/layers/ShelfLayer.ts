/**
 * Shelf frames: the bay's outline with a board line at every level, as one LineSegments per
 * shelf. The stock itself is the SlotLayer's; a frame is built in the shelf's own frame and
 * placed by position and yaw, the same convention as src/layout/geometry.ts.
 */
import { LineBasicMaterial, LineSegments, type Object3D } from 'three';
import type { Layout, Shelf } from '../../layout/Layout';
import { SHELF_FRAME } from '../palette';
import { ObjectLayer } from './ObjectLayer';
import { segments } from './floorShapes';

const DEG = Math.PI / 180;

export class ShelfLayer extends ObjectLayer<Shelf> {
  constructor() {
    super('shelves');
  }

  update(layout: Layout): void {
    this.sync(layout.shelves.map((s) => [s.id, s] as const));
  }

  protected build(shelf: Shelf): Object3D {
    const frame = new LineSegments(segments(frameSegments(shelf)), new LineBasicMaterial({ color: SHELF_FRAME }));
    frame.position.set(shelf.position[0], shelf.position[1], 0);
    frame.rotation.z = shelf.yaw * DEG;
    return frame;
  }
}

type P = readonly [number, number, number];

/** Four uprights and a rectangle at the floor, every level board and the top, in shelf space. */
function frameSegments(shelf: Shelf): P[] {
  const [w, d, h] = shelf.size;
  const x = w / 2;
  const y = d / 2;
  const out: P[] = [];
  for (const [cx, cy] of [[-x, -y], [x, -y], [x, y], [-x, y]] as const) out.push([cx, cy, 0], [cx, cy, h]);
  for (let k = 0; k <= shelf.levels; k++) {
    const z = (h * k) / shelf.levels;
    out.push([-x, -y, z], [x, -y, z], [x, -y, z], [x, y, z], [x, y, z], [-x, y, z], [-x, y, z], [-x, -y, z]);
  }
  return out;
}
