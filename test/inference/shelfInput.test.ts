/**
 * The shelf CNN's input, parts a user relies on without seeing them: the side reach the runner
 * hands the model (how far a slot's unit sides show across its face at the camera's angle),
 * and crops at the model's own size.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadLayout } from '../../models/shelfDataset';
import { cameraFrame } from '../../src/layout/cameraProjection';
import { frontNormal } from '../../src/layout/geometry';
import { Random } from '../../src/core/random';
import { CHANNELS, cutCrop, INPUT_SIZE, inputSize, SHELF_CROP, sideReach, skuReference, slotQuad, writeInput, type FrameImage } from '../../src/inference/shelfInput';

const layout = loadLayout('apparel-compact');
const slotId = [...layout.slots.keys()][0]!;
const box = layout.slotBox(slotId);
const [nx, ny] = frontNormal(box.yaw);
/** A camera `dist` m in front of the slot's centre and `side` m to its right (seen from the front), looking at it. */
function camera(side: number, dist: number) {
  // Seen from the front, the slot's right is the front normal turned clockwise.
  const rx = -ny;
  const ry = nx;
  const x = box.center[0] + nx * dist + rx * side;
  const y = box.center[1] + ny * dist + ry * side;
  const yaw = (Math.atan2(box.center[1] - y, box.center[0] - x) * 180) / Math.PI;
  return cameraFrame({ id: 'c', position: [x, y, box.center[2]], yaw, pitch: 0, hfov: 60, resolution: [1280, 720] });
}

describe('sideReach', () => {
  it('is the shift of the back of the slot\'s right edge across its face: a little inward head-on, positive from the right, negative from the left, growing with the angle', () => {
    const [w, d] = box.size;
    // Head-on, the front 3 - d/2 m away and the back 3 + d/2: perspective draws the back edge
    // half a width x (1 - front / back) inward.
    expect(sideReach(layout, camera(0, 3), slotId)).toBeCloseTo(-0.5 * (d / (3 + d / 2)), 6);
    const right = sideReach(layout, camera(3, 3), slotId);
    const left = sideReach(layout, camera(-3, 3), slotId);
    // At 45 degrees the back shifts by up to depth x tan(45) = d across the face, less with perspective.
    expect(right).toBeGreaterThan((0.5 * d) / w);
    expect(right).toBeLessThan(d / w);
    expect(left).toBeLessThan((-0.5 * d) / w);
    expect(sideReach(layout, camera(1, 3), slotId)).toBeGreaterThan(sideReach(layout, camera(0, 3), slotId));
    expect(sideReach(layout, camera(1, 3), slotId)).toBeLessThan(right);
  });
});

describe('crops at a model size', () => {
  it('cuts and writes a crop at the size asked, the reach at every pixel', () => {
    const frame: FrameImage = { width: 64, height: 64, rgba: new Uint8Array(64 * 64 * 4).fill(128) };
    const quad = slotQuad(layout, camera(0, 3), slotId)!;
    expect(cutCrop(frame, quad)).toHaveLength(SHELF_CROP.width * SHELF_CROP.height * 3);
    const square = { width: 32, height: 32 };
    const crop = cutCrop(frame, quad, square);
    expect(crop).toHaveLength(32 * 32 * 3);
    const out = new Float32Array(inputSize(square));
    writeInput(crop, new Float32Array(6).fill(0.5), out, 0, 0.4, square);
    for (let p = 0; p < 32 * 32; p++) expect(out[p * CHANNELS + CHANNELS - 1]).toBeCloseTo(0.4, 6);
  });
});

describe('writeInput', () => {
  it('writes, to the bit, the inputs the shipped model was trained and scored on (a change here needs the model retrained)', () => {
    // 24 crops of seeded noise, each against another SKU's reference and side reach: every
    // channel over the whole range of colours. The hash is of the inputs as the training wrote
    // them (before writeInput stopped calling Math.hypot, whose boxed numbers were a frame's garbage).
    const rnd = new Random(42);
    const n = 24;
    const out = new Float32Array(n * INPUT_SIZE);
    for (let i = 0; i < n; i++) {
      const crop = new Uint8Array(SHELF_CROP.width * SHELF_CROP.height * 3);
      for (let k = 0; k < crop.length; k++) crop[k] = rnd.int(0, 255);
      writeInput(crop, skuReference(`sku-${i}`), out, i * INPUT_SIZE, rnd.next() * 2 - 1);
    }
    expect(createHash('sha256').update(new Uint8Array(out.buffer)).digest('hex')).toBe('21cffd9b9ed7721856ae256025a175f19ed4658fc0660591cec81f84ba5a7020');
  });
});
