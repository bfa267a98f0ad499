/**
 * How big the side and bottom panels are: dragged with the splitters (or their arrow keys),
 * kept within bounds that leave the 3D view usable, and remembered in this browser.
 */

export interface PanelSizes {
  /** Side panel width, CSS px. */
  readonly side: number;
  /** Bottom panel height, CSS px. */
  readonly bottom: number;
}

export const DEFAULT_SIZES: PanelSizes = { side: 340, bottom: 300 };
export const SIZES_KEY = 'backroom-twin.panels';

const MIN = { side: 240, bottom: 120 };
/** At least this much of the window stays for the 3D view. */
const VIEW_MIN = { width: 320, height: 160 };

/** Sizes within bounds for a window of `width` x `height`. */
export function clampSizes(s: PanelSizes, width: number, height: number): PanelSizes {
  const clamp = (v: number, lo: number, hi: number) => Math.round(Math.max(lo, Math.min(Math.max(lo, hi), v)));
  return {
    side: clamp(Number.isFinite(s.side) ? s.side : DEFAULT_SIZES.side, MIN.side, width - VIEW_MIN.width),
    bottom: clamp(Number.isFinite(s.bottom) ? s.bottom : DEFAULT_SIZES.bottom, MIN.bottom, height - VIEW_MIN.height - 120),
  };
}

/** A splitter moved by `delta` px: the side panel grows leftwards, the bottom one upwards. */
export function resized(s: PanelSizes, panel: keyof PanelSizes, delta: number, width: number, height: number): PanelSizes {
  return clampSizes({ ...s, [panel]: s[panel] - delta }, width, height);
}

export function loadSizes(storage: Pick<Storage, 'getItem'> | undefined): PanelSizes {
  try {
    const v = JSON.parse(storage?.getItem(SIZES_KEY) ?? 'null') as Partial<PanelSizes> | null;
    return { side: typeof v?.side === 'number' ? v.side : DEFAULT_SIZES.side, bottom: typeof v?.bottom === 'number' ? v.bottom : DEFAULT_SIZES.bottom };
  } catch {
    return DEFAULT_SIZES;
  }
}

export function saveSizes(storage: Pick<Storage, 'setItem'> | undefined, s: PanelSizes): void {
  try {
    storage?.setItem(SIZES_KEY, JSON.stringify(s));
  } catch {
    // Storage full or refused (a private window): the sizes last for this page only.
  }
}
