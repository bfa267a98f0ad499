/**
 * The room: its floor, a 1 m grid, and faint walls. Wall faces point into the room and are
 * drawn one-sided, so from any outside viewpoint the near walls vanish and the far ones stay
 * ("doll's house" view) without sorting or per-frame work.
 */
import {
  BufferGeometry,
  DoubleSide,
  Float32BufferAttribute,
  FrontSide,
  LineBasicMaterial,
  LineLoop,
  LineSegments,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  type Object3D,
  Group,
} from 'three';
import { signedArea2 } from '../../layout/geometry';
import type { Layout, Vec2 } from '../../layout/Layout';
import { ObjectLayer } from './ObjectLayer';
import { floorPolygon, outlineLoop, segments } from './floorShapes';

type Room = Layout['room'];

const FLOOR = 0x59616b;
const WALL = 0xaab4c0;
const GRID = 0x8a939e;

export class RoomLayer extends ObjectLayer<Room> {
  constructor() {
    super('room');
  }

  update(layout: Layout): void {
    this.sync([['room', layout.room]]);
  }

  protected build(room: Room): Object3D {
    const group = new Group();
    const floor = new Mesh(floorPolygon(room.outline, 0), new MeshLambertMaterial({ color: FLOOR, side: DoubleSide }));
    group.add(floor);
    group.add(grid(room.outline));
    const walls = new Mesh(
      wallGeometry(room.outline, room.height),
      new MeshBasicMaterial({ color: WALL, transparent: true, opacity: 0.12, side: FrontSide, depthWrite: false }),
    );
    group.add(walls);
    const base = new LineLoop(outlineLoop(room.outline, 0.01), new LineBasicMaterial({ color: WALL }));
    const top = new LineLoop(outlineLoop(room.outline, room.height), new LineBasicMaterial({ color: WALL, transparent: true, opacity: 0.35 }));
    group.add(base, top);
    return group;
  }
}

/** A metre grid over the room's bounding box, lying on the floor. */
function grid(outline: readonly Vec2[]): Object3D {
  const xs = outline.map((p) => p[0]);
  const ys = outline.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const z = 0.002;
  const points: [number, number, number][] = [];
  // Lines on whole metres from the room's origin, so grid squares line up with coordinates.
  for (let x = Math.ceil(x0); x <= x1; x++) points.push([x, y0, z], [x, y1, z]);
  for (let y = Math.ceil(y0); y <= y1; y++) points.push([x0, y, z], [x1, y, z]);
  return new LineSegments(segments(points), new LineBasicMaterial({ color: GRID, transparent: true, opacity: 0.35 }));
}

/** One quad per outline edge, wound so its front face looks into the room. */
function wallGeometry(outline: readonly Vec2[], height: number): BufferGeometry {
  // Inward winding below assumes a counter-clockwise outline; the contract allows either.
  const ring = signedArea2(outline) >= 0 ? outline : [...outline].reverse();
  const positions: number[] = [];
  for (let i = 0; i < ring.length; i++) {
    const [px, py] = ring[i]!;
    const [qx, qy] = ring[(i + 1) % ring.length]!;
    positions.push(px, py, 0, qx, qy, height, qx, qy, 0);
    positions.push(px, py, 0, px, py, height, qx, qy, height);
  }
  return new BufferGeometry().setAttribute('position', new Float32BufferAttribute(positions, 3));
}
