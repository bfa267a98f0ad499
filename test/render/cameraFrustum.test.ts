import { describe, expect, it } from 'vitest';
import type { Camera } from '../../src/layout/Layout';
import { cameraBasis, frustumCorners, halfTangents } from '../../src/render/cameraFrustum';

const cam = (over: Partial<Camera>): Camera => ({
  id: 'c',
  position: [5, 5, 2],
  yaw: 0,
  pitch: 0,
  hfov: 90,
  resolution: [1000, 1000],
  ...over,
});
const room = { outline: [[0, 0], [10, 0], [10, 10], [0, 10]] as const, height: 4 };

function expectVec(actual: readonly number[], expected: readonly number[]) {
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 9));
}

describe('cameraBasis', () => {
  it('looks along +x at yaw 0 and turns counter-clockwise seen from above', () => {
    expectVec(cameraBasis({ yaw: 0, pitch: 0 }).forward, [1, 0, 0]);
    expectVec(cameraBasis({ yaw: 90, pitch: 0 }).forward, [0, 1, 0]);
    expectVec(cameraBasis({ yaw: 0, pitch: 0 }).right, [0, -1, 0]);
    expectVec(cameraBasis({ yaw: 0, pitch: 0 }).up, [0, 0, 1]);
  });

  it('looks down for negative pitch', () => {
    const { forward, up } = cameraBasis({ yaw: 0, pitch: -30 });
    expectVec(forward, [Math.cos(Math.PI / 6), 0, -0.5]);
    expect(up[2]).toBeGreaterThan(0);
    expect(up[0]).toBeGreaterThan(0); // tilted down, the top of the picture leans forward
  });
});

describe('halfTangents', () => {
  it('derives the vertical field from the aspect', () => {
    const t = halfTangents({ hfov: 90, resolution: [1920, 1080] });
    expect(t.h).toBeCloseTo(1, 12);
    expect(t.v).toBeCloseTo(1080 / 1920, 12);
  });
});

describe('frustumCorners', () => {
  it('puts a straight-down camera footprint on the floor, as wide as it is high', () => {
    const corners = frustumCorners(cam({ pitch: -90, position: [5, 5, 3] }), 100);
    // Bottom-left, bottom-right, top-right, top-left as the camera sees them; up is +x here.
    expectVec(corners[0]!, [2, 8, 0]);
    expectVec(corners[1]!, [2, 2, 0]);
    expectVec(corners[2]!, [8, 2, 0]);
    expectVec(corners[3]!, [8, 8, 0]);
  });

  it('stops at the range when nothing is in the way', () => {
    // The lower rays fall 1 m per metre ahead and would reach the floor (2 m down) at 2 m.
    const corners = frustumCorners(cam({}), 1.5);
    for (const c of corners) expect(c[0]).toBeCloseTo(6.5, 9);
  });

  it('cuts a level camera at the floor and the ceiling', () => {
    const [bl, , tr] = frustumCorners(cam({}), 100, room);
    expectVec(bl!, [7, 7, 0]);
    expectVec(tr!, [7, 3, 4]);
  });

  it('cuts a narrow camera at the wall it faces', () => {
    const corners = frustumCorners(cam({ position: [1, 5, 2], hfov: 20 }), 100, room);
    for (const c of corners) expect(c[0]).toBeCloseTo(10, 9);
  });

  it('ignores the wall a camera is mounted on', () => {
    const corners = frustumCorners(cam({ position: [0, 5, 2], hfov: 20 }), 100, room);
    for (const c of corners) expect(c[0]).toBeCloseTo(10, 9);
  });
});
