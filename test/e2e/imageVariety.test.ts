import { describe, expect, it } from 'vitest';
import { imageVariety } from './imageVariety';

describe('imageVariety', () => {
  it('scores a single-colour image as blank', () => {
    const rgba = new Uint8Array(4 * 100).fill(200);
    expect(imageVariety(rgba)).toEqual({ colours: 1, dominantShare: 1, lumaStdDev: 0 });
  });

  it('sees a half black, half white image as two colours with high contrast', () => {
    const rgba = new Uint8Array(4 * 100);
    rgba.fill(255, 0, 4 * 50);
    const v = imageVariety(rgba);
    expect(v.colours).toBe(2);
    expect(v.dominantShare).toBe(0.5);
    expect(v.lumaStdDev).toBeCloseTo(127.5, 0);
  });
});
