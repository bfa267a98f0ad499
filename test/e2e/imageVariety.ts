/**
 * How much is going on in an RGBA image: a blank or single-colour canvas scores near zero on
 * every measure, a drawn scene does not. Plain maths, so it runs on the Node side of a test.
 */
export interface ImageVariety {
  /** Distinct exact colours. */
  readonly colours: number;
  /** Share of pixels that have the most common colour (the background, in a scene). */
  readonly dominantShare: number;
  /** Standard deviation of luminance, 0..255. */
  readonly lumaStdDev: number;
}

export function imageVariety(rgba: Uint8Array | Uint8ClampedArray): ImageVariety {
  const counts = new Map<number, number>();
  let sum = 0;
  let sum2 = 0;
  const n = Math.floor(rgba.length / 4);
  for (let i = 0; i < n; i++) {
    const r = rgba[4 * i]!;
    const g = rgba[4 * i + 1]!;
    const b = rgba[4 * i + 2]!;
    const key = (r << 16) | (g << 8) | b;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    sum += y;
    sum2 += y * y;
  }
  if (n === 0) return { colours: 0, dominantShare: 1, lumaStdDev: 0 };
  const mean = sum / n;
  let dominant = 0;
  for (const c of counts.values()) dominant = Math.max(dominant, c); // no spread: may be 100k+ colours
  return {
    colours: counts.size,
    dominantShare: dominant / n,
    lumaStdDev: Math.sqrt(Math.max(0, sum2 / n - mean * mean)),
  };
}
