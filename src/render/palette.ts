/**
 * Colours of the 3D view and its legend, as 0xRRGGBB numbers. Pure (no three.js, no DOM) so
 * the side panel, the layers and the tests share one answer to "what colour is this".
 * Mid-tone, moderately saturated colours read on both the dark and the light background.
 */
import type { DoorKind, ZoneKind } from '../layout/Layout';

export const ZONE_COLORS: Readonly<Record<ZoneKind, number>> = {
  receiving: 0x4f8fd6,
  staging: 0x49b0a6,
  replenishment: 0x6aa84f,
  high_value: 0xd4a72c,
  returns: 0xb07cc6,
  fixtures: 0x8a8f98,
  aisle: 0x7d8796,
  exit: 0xd9694f,
};

export const DOOR_COLORS: Readonly<Record<DoorKind, number>> = {
  // Darker or lighter than the zone of the same hue, so a door stands out on its zone's tint.
  dock: 0x2e5c9a,
  staff: 0xc9ced6,
  cage: 0xf0c24b,
  sales_floor: 0xe8734f,
};

/** Slots before the twin knows anything about them. */
export const NEUTRAL_SLOT = 0xb9c0c8;
export const SHELF_FRAME = 0xb4bcc6;
export const OBSTACLE = 0x7a6a58;
export const CAMERA = 0xf2f2f2;
export const FRUSTUM = 0x9fd3ff;
export const RFID = 0xc77dff;

/** 0xRRGGBB as a CSS colour, for the legend. */
export function cssHex(color: number): string {
  return `#${color.toString(16).padStart(6, '0')}`;
}

/** HSL (h in degrees, s and l in 0..1) to 0xRRGGBB. */
export function hsl(h: number, s: number, l: number): number {
  const hue = ((h % 360) + 360) % 360;
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    hue < 60 ? [c, x, 0] : hue < 120 ? [x, c, 0] : hue < 180 ? [0, c, x] : hue < 240 ? [0, x, c] : hue < 300 ? [x, 0, c] : [c, 0, x];
  const byte = (v: number) => Math.round((v + m) * 255);
  return (byte(r) << 16) | (byte(g) << 8) | byte(b);
}

/** FNV-1a: a stable 32-bit hash, so a SKU keeps its colour across sessions and layouts. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A SKU's colour: hue from its id, so neighbouring slots of different SKUs tell apart. */
export function skuColor(skuId: string): number {
  const h = hash(skuId);
  // Golden-angle steps spread consecutive hashes around the wheel better than h % 360.
  return hsl((h % 1024) * 137.508, 0.55, 0.56);
}

/**
 * How full a slot is, 0 (empty, red) through amber to 1 (full, green). Values outside 0..1
 * clamp; NaN (not known) is the neutral fill.
 */
export function fillColor(fraction: number): number {
  if (Number.isNaN(fraction)) return NEUTRAL_SLOT;
  const f = Math.min(1, Math.max(0, fraction));
  return hsl(120 * f, 0.62, 0.5);
}

/** A slot whose load cell and book disagree: its frame, striking on every fill colour. */
export const MISMATCH = 0xff2bd6;
/** The selected thing's outline. */
export const SELECTED = 0xffffff;
/** A device reporting offline: its marker. */
export const OFFLINE = 0xff3b30;

/** People in the room, by the role their badge carries. */
export const ROLE_COLORS: Readonly<Record<string, number>> = {
  associate: 0x3fa7ff,
  supervisor: 0x2ed3a0,
  manager: 0xffb020,
  vendor: 0xc48bff,
  unknown: 0xff5a5a,
};

export const ALERT_COLORS: Readonly<Record<'info' | 'warning' | 'critical', number>> = {
  info: 0x5ab4ff,
  warning: 0xffb020,
  critical: 0xff3b30,
};
