/**
 * The baseline JPEG encoder against an independent decoder (jpeg-js): sizes that are not a
 * multiple of the 16-pixel block, fidelity that rises with quality, and the same bytes for
 * the same pixels.
 */
import { decode } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { JpegEncoder } from '../../../sim/render/JpegEncoder';

/** A test card: gradients, hard edges and seeded noise. */
function card(w: number, h: number): Uint8Array {
  const img = new Uint8Array(w * h * 4);
  let s = 12345;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const i = (y * w + x) * 4;
      const edge = x > w / 2 ? 200 : 40;
      img[i] = (x * 255) / w;
      img[i + 1] = (edge + (s >>> 28)) & 255;
      img[i + 2] = (y * 255) / h;
      img[i + 3] = 255;
    }
  }
  return img;
}

function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (i % 4 === 3) continue;
    se += (a[i]! - b[i]!) ** 2;
    n++;
  }
  return 10 * Math.log10((255 * 255) / (se / n));
}

describe('JpegEncoder', () => {
  it.each([[64, 48], [37, 23], [1, 1], [320, 180]])('encodes %i x %i so that another decoder reads it back closely', (w, h) => {
    const img = card(w, h);
    const jpeg = new JpegEncoder(90).encode(img, w, h);
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect([...jpeg.subarray(-2)]).toEqual([0xff, 0xd9]);
    const back = decode(jpeg, { useTArray: true, formatAsRGBA: true });
    expect([back.width, back.height]).toEqual([w, h]);
    // Colour is kept at half resolution (4:2:0, as cameras send it), so the card's steep colour ramps cost a few steps.
    expect(psnr(img, back.data)).toBeGreaterThan(26);
    const grey = img.map((v, i) => (i % 4 === 3 ? 255 : img[i - (i % 4) + 1]!));
    expect(psnr(grey, decode(new JpegEncoder(90).encode(grey, w, h), { useTArray: true, formatAsRGBA: true }).data)).toBeGreaterThan(34);
  });

  it('trades size for fidelity with quality, and gives the same bytes for the same pixels', () => {
    const img = card(160, 120);
    const low = new JpegEncoder(30).encode(img, 160, 120);
    const high = new JpegEncoder(95).encode(img, 160, 120);
    expect(low.length).toBeLessThan(high.length);
    const p = (j: Uint8Array) => psnr(img, decode(j, { useTArray: true, formatAsRGBA: true }).data);
    expect(p(low)).toBeLessThan(p(high));
    const e = new JpegEncoder(75);
    expect(Buffer.from(e.encode(img, 160, 120)).equals(Buffer.from(new JpegEncoder(75).encode(img, 160, 120)))).toBe(true);
  });
});
