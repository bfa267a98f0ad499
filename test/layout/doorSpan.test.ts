import { describe, expect, it } from 'vitest';
import { doorSpan } from '../../src/layout/doorSpan';

const room = [[0, 0], [18, 0], [18, 12], [0, 12]] as const;

describe('doorSpan', () => {
  it('runs along the wall the door sits on', () => {
    expect(doorSpan([2, 0], 3, [room])).toEqual({ a: [0.5, 0], b: [3.5, 0], angle: 0 });
    const east = doorSpan([18, 5.5], 1, [room]);
    expect(east.angle).toBeCloseTo(90);
    expect(east.a[0]).toBeCloseTo(18);
    expect(east.b[1]).toBeCloseTo(6);
  });

  it("takes the zone's edge when the door stands inside the room", () => {
    const cage = [[13, 7], [18, 7], [18, 12], [13, 12]] as const;
    const span = doorSpan([13, 9.5], 1.2, [room, cage]);
    expect(Math.abs(span.angle)).toBeCloseTo(90);
    expect(span.a[0]).toBeCloseTo(13);
  });
});
