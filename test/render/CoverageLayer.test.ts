/**
 * The heat map's quads and the camera's own view, checked without a GPU: each slot face's tint
 * stands in front of its face and faces out of it, floor cells lie flat where the coverage
 * samples them, a repaint changes colours only; the inset camera sits at the layout camera's
 * pose and looks where the contract says, with the vertical field of its resolution.
 */
import { readFileSync } from 'node:fs';
import { Color, Matrix4, PerspectiveCamera, Quaternion, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { frontFace, frontNormal } from '../../src/layout/geometry';
import type { Camera, Vec3 } from '../../src/layout/Layout';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';
import { buildTargets } from '../../src/planning/targets';
import { insetRect, poseCamera } from '../../src/render/CameraInset';
import { cameraBasis } from '../../src/render/cameraFrustum';
import { CoverageLayer } from '../../src/render/layers/CoverageLayer';

function small(): LayoutIndex {
  const r = parseLayoutText(readFileSync('test/fixtures/small.layout.json', 'utf8'));
  if (!r.ok) throw new Error('fixture refused');
  return new LayoutIndex(r.layout);
}

describe('CoverageLayer', () => {
  it('puts one quad in front of every slot face, facing out, and one flat quad per floor cell', () => {
    const layout = small();
    const targets = buildTargets(layout);
    let frames = 0;
    const layer = new CoverageLayer(() => frames++);
    layer.build(layout, targets.cells, targets.options.cellSize);
    expect(layer.faces!.count).toBe(targets.slots.length);
    expect(layer.cells!.count).toBe(targets.cells.length);
    const m = new Matrix4();
    const pos = new Vector3();
    const q = new Quaternion();
    const scale = new Vector3();
    targets.slots.forEach((t, i) => {
      layer.faces!.getMatrixAt(i, m);
      m.decompose(pos, q, scale);
      const n = new Vector3(0, 0, 1).applyQuaternion(q);
      const want = frontNormal(layout.slotBox(t.id).yaw);
      expect(n.x).toBeCloseTo(want[0], 5);
      expect(n.y).toBeCloseTo(want[1], 5);
      expect(n.z).toBeCloseTo(0, 5);
      // Centred on the target's face, a little out from it.
      const [bl, br] = frontFace(layout.slotBox(t.id)) as Vec3[];
      expect(pos.distanceTo(new Vector3(...t.centre))).toBeLessThan(0.02);
      expect(scale.x).toBeCloseTo(Math.hypot(br![0] - bl![0], br![1] - bl![1]) * 0.9, 5);
    });
    layer.cells!.getMatrixAt(5, m);
    m.decompose(pos, q, scale);
    expect([pos.x, pos.y]).toEqual([targets.cells[5]!.point[0], targets.cells[5]!.point[1]]);
    expect(new Vector3(0, 0, 1).applyQuaternion(q).z).toBeCloseTo(1, 6);
    expect(layer.group.visible).toBe(false);

    const slots = new Uint32Array(targets.slots.length).fill(0x3fb36f);
    const cells = new Uint32Array(targets.cells.length).fill(0x6e737a);
    layer.paint({ slots, cells });
    expect(layer.group.visible).toBe(true);
    const c = new Color();
    layer.faces!.getColorAt(3, c);
    expect(c.getHex()).toBe(0x3fb36f);
    layer.cells!.getColorAt(0, c);
    expect(c.getHex()).toBe(0x6e737a);
    layer.paint(null);
    expect(layer.group.visible).toBe(false);
    expect(frames).toBe(3);

    layer.keepFor(layout);
    expect(layer.builtFor).toBe(layout);
    layer.keepFor(small());
    expect(layer.faces).toBeUndefined();
    layer.dispose();
  });
});

describe('the camera inset', () => {
  const cam: Camera = { id: 'c', position: [2, 3, 3.5], yaw: 120, pitch: -35, hfov: 90, resolution: [1920, 1080] };

  it('looks from the layout camera along its yaw and pitch, right level, with the vertical field of its aspect', () => {
    const three = new PerspectiveCamera();
    poseCamera(three, cam);
    const { forward, right } = cameraBasis(cam);
    const dir = three.getWorldDirection(new Vector3());
    expect(dir.distanceTo(new Vector3(...forward))).toBeLessThan(1e-6);
    const r = new Vector3(1, 0, 0).applyQuaternion(three.quaternion);
    expect(r.distanceTo(new Vector3(...right))).toBeLessThan(1e-6);
    expect(three.position.toArray()).toEqual([2, 3, 3.5]);
    // tan(vfov/2) = tan(45°) × 1080/1920.
    expect(Math.tan((three.fov * Math.PI) / 360)).toBeCloseTo(1080 / 1920, 6);
    expect(three.aspect).toBeCloseTo(16 / 9, 6);
    // A point straight ahead lands in the middle of the picture.
    const ahead = new Vector3(...cam.position).addScaledVector(new Vector3(...forward), 4).project(three);
    expect(Math.abs(ahead.x) + Math.abs(ahead.y)).toBeLessThan(1e-6);
  });

  it('fits the corner of the view with the camera’s aspect', () => {
    expect(insetRect(cam, 1000, 800)).toEqual({ x: 608, y: 12, w: 380, h: 214 });
    // A short view: the height limits it.
    const r = insetRect({ resolution: [1280, 960] }, 1200, 300);
    expect(r.h).toBe(135);
    expect(r.w).toBe(180);
  });
});
