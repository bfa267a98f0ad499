/**
 * Which way a door's opening runs. The contract puts a door's centre on the room's outline or
 * on its zone's outline and says it spans `width` along that edge; the file does not name the
 * edge, so the nearest edge of either outline is taken.
 */
import type { Vec2 } from '../layout/Layout';

export interface DoorSpan {
  /** The two ends of the opening on the floor. */
  readonly a: Vec2;
  readonly b: Vec2;
  /** Direction of the edge in degrees, counter-clockwise from +x. */
  readonly angle: number;
}

export function doorSpan(position: Vec2, width: number, outlines: readonly (readonly Vec2[])[]): DoorSpan {
  let best = Infinity;
  let dir: Vec2 = [1, 0];
  for (const poly of outlines) {
    for (let i = 0; i < poly.length; i++) {
      const p = poly[i]!;
      const q = poly[(i + 1) % poly.length]!;
      const ex = q[0] - p[0];
      const ey = q[1] - p[1];
      const len2 = ex * ex + ey * ey;
      if (len2 === 0) continue;
      const t = Math.max(0, Math.min(1, ((position[0] - p[0]) * ex + (position[1] - p[1]) * ey) / len2));
      const dist = Math.hypot(position[0] - (p[0] + t * ex), position[1] - (p[1] + t * ey));
      if (dist < best) {
        best = dist;
        const len = Math.sqrt(len2);
        dir = [ex / len, ey / len];
      }
    }
  }
  const h = width / 2;
  return {
    a: [position[0] - dir[0] * h, position[1] - dir[1] * h],
    b: [position[0] + dir[0] * h, position[1] + dir[1] * h],
    angle: (Math.atan2(dir[1], dir[0]) * 180) / Math.PI,
  };
}
