/**
 * What the camera's sensor makes of the scene: the light level of the hour, a vignette,
 * optional blur and seeded noise (stronger in the dark, as a sensor's gain rises), into
 * the RGBA bytes an encoder takes. Same input and seed, same bytes.
 */
import { hhmmToMinutes } from '../../src/core/zonedTime';

export interface DevelopOptions {
  /** Scene light, 0 to 1. */
  readonly light: number;
  /** Standard deviation of the sensor noise at full light, in 0-255 steps. */
  readonly noise: number;
  /** Box-blur radius in pixels (0: sharp). */
  readonly blur: number;
  /** Seeds the noise. */
  readonly seed: number;
}

/**
 * Light in the room at `minutes` after local midnight: full from an hour before opening to
 * an hour after closing (staff work then), night lighting otherwise, with half-hour ramps,
 * and a little daylight through the dock around midday. Trading hours may run past
 * midnight (close before open).
 */
export function lightLevel(minutes: number, hours: { open: string; close: string }): number {
  const day = 24 * 60;
  const open = hhmmToMinutes(hours.open);
  const close = hhmmToMinutes(hours.close);
  const length = (((close - open) % day) + day) % day || day;
  const span = Math.min(day, length + 120);
  const t = (((minutes - (open - 60)) % day) + day) % day;
  const RAMP = 30;
  const k = span >= day ? 1 : t < span ? Math.min(1, t / RAMP, (span - t) / RAMP) : 0;
  const level = 0.35 + 0.65 * k;
  const h = minutes / 60;
  const sun = h > 6 && h < 20 ? 0.08 * Math.sin((Math.PI * (h - 6)) / 14) : 0;
  return Math.round(Math.min(1, level * 0.92 + sun) * 1000) / 1000;
}

export function develop(rgb: Uint8ClampedArray, width: number, height: number, o: DevelopOptions): Uint8Array {
  const src = o.blur > 0 ? boxBlur(rgb, width, height, Math.round(o.blur)) : rgb;
  const out = new Uint8Array(width * height * 4);
  // xorshift32, one draw a pixel split into two 16-bit uniforms whose sum is close enough to a
  // bell: far cheaper than Box-Muller per pixel.
  let s = o.seed >>> 0 || 0x9e3779b9;
  const sd = o.noise / Math.sqrt(Math.max(0.1, o.light));
  const amp = (sd * Math.sqrt(6)) / 65536; // (u1 + u2 - 1) has sd 1/sqrt(6)
  const cx = width / 2;
  const cy = height / 2;
  const falloff = 0.3 / (cx * cx + cy * cy);
  for (let y = 0; y < height; y++) {
    const dy2 = (y - cy) * (y - cy);
    for (let x = 0; x < width; x++) {
      const dx = x - cx;
      const gain = o.light * (1 - falloff * (dx * dx + dy2));
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const grain = ((s & 0xffff) + ((s >>> 16) & 0xffff) - 65535) * amp;
      const i = y * width + x;
      const j = i * 4;
      const k = i * 3;
      out[j] = clamp(src[k]! * gain + grain);
      out[j + 1] = clamp(src[k + 1]! * gain + grain * 0.9);
      out[j + 2] = clamp(src[k + 2]! * gain + grain * 1.1);
      out[j + 3] = 255;
    }
  }
  return out;
}

const clamp = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** Separable box blur of radius r on RGB bytes (edges clamp). */
function boxBlur(rgb: Uint8ClampedArray, w: number, h: number, r: number): Uint8ClampedArray {
  const tmp = new Uint8ClampedArray(rgb.length);
  const out = new Uint8ClampedArray(rgb.length);
  const n = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    for (let c = 0; c < 3; c++) {
      for (let x = 0; x < w; x++) {
        let sum = 0;
        for (let k = -r; k <= r; k++) sum += rgb[(y * w + Math.min(w - 1, Math.max(0, x + k))) * 3 + c]!;
        tmp[(y * w + x) * 3 + c] = sum / n;
      }
    }
  }
  for (let x = 0; x < w; x++) {
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < h; y++) {
        let sum = 0;
        for (let k = -r; k <= r; k++) sum += tmp[(Math.min(h - 1, Math.max(0, y + k)) * w + x) * 3 + c]!;
        out[(y * w + x) * 3 + c] = sum / n;
      }
    }
  }
  return out;
}
