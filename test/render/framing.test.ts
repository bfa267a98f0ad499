import { describe, expect, it } from 'vitest';
import { frameRoom } from '../../src/render/framing';

/** Projects p for an eye at `eye` looking at `target` with z up; returns screen x, y in [-1, 1] when in view. */
function project(eye: readonly number[], target: readonly number[], p: readonly number[], vfov: number, aspect: number) {
  const f = norm(sub(target, eye));
  const r = norm(cross(f, [0, 0, 1]));
  const u = cross(r, f);
  const rel = sub(p, eye);
  const depth = dot(rel, f);
  const t = Math.tan((vfov * Math.PI) / 360);
  return { x: dot(rel, r) / (depth * t * aspect), y: dot(rel, u) / (depth * t), depth };
}
const sub = (a: readonly number[], b: readonly number[]) => a.map((v, i) => v - b[i]!);
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const cross = (a: readonly number[], b: readonly number[]) => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
const norm = (a: readonly number[]) => a.map((v) => v / Math.hypot(...a));

describe('frameRoom', () => {
  const outline = [[0, 0], [18, 0], [18, 12], [0, 12]] as const;

  for (const aspect of [0.6, 1, 1.6, 3]) {
    it(`keeps every corner of the room in view and one of them near the edge (aspect ${aspect})`, () => {
      const f = frameRoom(outline, 4.2, 45, aspect);
      let edge = 0;
      for (const [x, y] of outline) {
        for (const z of [0, 4.2]) {
          const s = project(f.position, f.target, [x, y, z], 45, aspect);
          expect(s.depth).toBeGreaterThan(0);
          expect(Math.abs(s.x)).toBeLessThanOrEqual(1);
          expect(Math.abs(s.y)).toBeLessThanOrEqual(1);
          edge = Math.max(edge, Math.abs(s.x), Math.abs(s.y));
        }
      }
      expect(edge).toBeGreaterThan(0.9); // not zoomed out further than needed
    });
  }

  it('looks from the front-left and from above', () => {
    const f = frameRoom(outline, 4.2, 45, 1.5);
    expect(f.position[0]).toBeLessThan(f.target[0]);
    expect(f.position[1]).toBeLessThan(f.target[1]);
    expect(f.position[2]).toBeGreaterThan(4.2);
  });
});
