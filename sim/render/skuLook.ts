/**
 * How a SKU's units look on a shelf, from its id alone: a colour, a pattern in a second
 * colour and the size of one box. Deterministic (a hash of the id, no seed), so the same SKU
 * looks the same in every scenario and every frame, and a unit on the wrong slot shows.
 */
import type { Pattern, Rgb } from './Rasteriser';

export interface SkuLook {
  readonly colour: Rgb;
  readonly pattern: Pattern;
  /** One box: [width, height], metres; its depth is the slot's. */
  readonly box: readonly [number, number];
}

/** FNV-1a, 32 bits. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final mix so that ids differing in the last character spread over all bits.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/** HSL (h in [0, 1)) to 0-255 RGB. */
export function hsl(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h * 12) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))));
  return [f(0), f(8), f(4)];
}

const PATTERNS: Pattern['kind'][] = ['stripes_h', 'stripes_v', 'dots', 'checker', 'band'];

export function skuLook(sku: string): SkuLook {
  const h = hash32(sku);
  const h2 = hash32(sku, h);
  const hue = (h & 0xffff) / 0x10000;
  const sat = 0.45 + ((h >>> 16) & 0xff) / 255 * 0.45;
  const light = 0.35 + ((h >>> 24) & 0xff) / 255 * 0.3;
  // The pattern colour sits across the hue circle and at the other end of lightness, so it reads at low resolution.
  const colour = hsl(hue, sat, light);
  const second = hsl((hue + 0.33 + ((h2 & 0xff) / 255) * 0.34) % 1, 0.6, light > 0.5 ? 0.2 : 0.85);
  const kind = PATTERNS[(h2 >>> 8) % PATTERNS.length]!;
  const period = 0.04 + (((h2 >>> 12) & 0xff) / 255) * 0.08;
  const width = 0.1 + (((h2 >>> 20) & 0x3f) / 63) * 0.3;
  const height = 0.1 + (((h2 >>> 26) & 0x3f) / 63) * 0.25;
  return { colour, pattern: { kind, colour: second, period }, box: [width, height] };
}
