/** Small builders for things drawn on or above the floor plane (z up), shared by the layers. */
import { BufferGeometry, Float32BufferAttribute, Shape, ShapeGeometry, Vector2 } from 'three';
import type { Vec2 } from '../../layout/Layout';

/** A filled polygon lying in the x-y plane at height z. ShapeGeometry already builds in x-y. */
export function floorPolygon(outline: readonly Vec2[], z: number): ShapeGeometry {
  const shape = new Shape(outline.map(([x, y]) => new Vector2(x, y)));
  const geometry = new ShapeGeometry(shape);
  geometry.translate(0, 0, z);
  return geometry;
}

/** The outline's points at height z, for a LineLoop (which closes it). */
export function outlineLoop(outline: readonly Vec2[], z: number): BufferGeometry {
  const positions = outline.flatMap(([x, y]) => [x, y, z]);
  return new BufferGeometry().setAttribute('position', new Float32BufferAttribute(positions, 3));
}

/** Line segments from a flat list of [x, y, z] pairs (two points a segment). */
export function segments(points: readonly (readonly [number, number, number])[]): BufferGeometry {
  return new BufferGeometry().setAttribute('position', new Float32BufferAttribute(points.flat(), 3));
}
