/**
 * Which way a door's opening runs. The contract puts a door's centre on the room's outline or
 * on its zone's outline and says it spans `width` along that edge; the file does not name the
 * edge, so the nearest edge of either outline is taken.
 */
import { nearestEdge } from './geometry';
import type { Vec2 } from './Layout';

export interface DoorSpan {
  /** The two ends of the opening on the floor. */
  readonly a: Vec2;
  readonly b: Vec2;
  /** Direction of the edge in degrees, counter-clockwise from +x. */
  readonly angle: number;
}

export function doorSpan(position: Vec2, width: number, outlines: readonly (readonly Vec2[])[]): DoorSpan {
  let best = { distance: Infinity, direction: [1, 0] as Vec2 };
  for (const poly of outlines) {
    const e = nearestEdge(position, poly);
    if (e.distance < best.distance) best = e;
  }
  const [dx, dy] = best.direction;
  const h = width / 2;
  return {
    a: [position[0] - dx * h, position[1] - dy * h],
    b: [position[0] + dx * h, position[1] + dy * h],
    angle: (Math.atan2(dy, dx) * 180) / Math.PI,
  };
}
