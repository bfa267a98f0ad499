import { describe, expect, it } from 'vitest';
import { cameraFrame, pixelsPerMetre, project } from '../../src/layout/cameraProjection';
import type { Camera } from '../../src/layout/Layout';

const cam = (over: Partial<Camera> = {}): Camera => ({ id: 'C', position: [0, 0, 2], yaw: 0, pitch: 0, hfov: 90, resolution: [1920, 1080], ...over });

describe('camera projection', () => {
  it('puts a point straight ahead at the image centre', () => {
    const p = project(cameraFrame(cam()), [5, 0, 2])!;
    expect(p.u).toBeCloseTo(960);
    expect(p.v).toBeCloseTo(540);
    expect(p.depth).toBeCloseTo(5);
    expect(p.inImage).toBe(true);
  });

  it('follows the contract frame: yaw 90 looks along +y, right of the image is -y at yaw 0, negative pitch looks down', () => {
    expect(project(cameraFrame(cam({ yaw: 90 })), [0, 4, 2])!.u).toBeCloseTo(960);
    expect(project(cameraFrame(cam()), [5, -1, 2])!.u).toBeGreaterThan(960);
    expect(project(cameraFrame(cam()), [5, 0, 1])!.v).toBeGreaterThan(540);
    const down = project(cameraFrame(cam({ pitch: -45 })), [2, 0, 0])!;
    expect(down.u).toBeCloseTo(960);
    expect(down.v).toBeCloseTo(540);
  });

  it('puts the edge of the horizontal field of view at the image edge, and nothing behind', () => {
    // hfov 90: a point 45 degrees to the left lands on column 0.
    expect(project(cameraFrame(cam()), [5, 5, 2])!.u).toBeCloseTo(0);
    expect(project(cameraFrame(cam()), [5, 5.1, 2])!.inImage).toBe(false);
    expect(project(cameraFrame(cam()), [-1, 0, 2])).toBeUndefined();
  });

  it('matches the pinhole density formula: resolution / (2 d tan(hfov / 2))', () => {
    const f = cameraFrame(cam({ hfov: 60, resolution: [2560, 1440] }));
    expect(pixelsPerMetre(f, 10)).toBeCloseTo(2560 / (2 * 10 * Math.tan(Math.PI / 6)));
  });
});
