/**
 * What devices cost, for the placement planner and the ROI: one price list, in the store's
 * currency, read from a prices file where a store has its own quotes. Every problem in a bad
 * file is listed. The defaults are planning figures (typical list prices for a 4 MP fixed
 * dome, a shelf's load-cell kit, a fixed UHF reader and antenna), not quotes.
 */

export interface Prices {
  readonly currency: string;
  /** One fixed camera (the planner's default model: `cameraModel`). */
  readonly camera: number;
  /** Installing one camera: cabling, mount, set-up. */
  readonly cameraInstall: number;
  /** Load cells for one slot of a shelf made smart. */
  readonly smartSlot: number;
  /** Installing load cells on one shelf (its controller and cabling). */
  readonly smartShelfInstall: number;
  /** One fixed RFID reader with its first antenna, installed. */
  readonly rfidReader: number;
  /** The camera the planner proposes: horizontal field of view (degrees) and resolution. */
  readonly cameraModel: { readonly hfov: number; readonly resolution: readonly [number, number] };
}

export const DEFAULT_PRICES: Prices = {
  currency: 'USD',
  camera: 450,
  cameraInstall: 250,
  smartSlot: 35,
  smartShelfInstall: 150,
  rfidReader: 1800,
  cameraModel: { hfov: 90, resolution: [2560, 1440] },
};

export interface PricesProblem {
  readonly path: string;
  readonly reason: string;
}

export type PricesResult = { ok: true; prices: Prices } | { ok: false; problems: PricesProblem[] };

/** A prices file: any of the fields above; the rest keep their defaults. */
export function parsePrices(json: unknown): PricesResult {
  const problems: PricesProblem[] = [];
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, problems: [{ path: '', reason: 'a prices file is a JSON object' }] };
  const o = json as Record<string, unknown>;
  const out: Record<string, unknown> = { ...DEFAULT_PRICES };
  for (const [k, v] of Object.entries(o)) {
    if (k === 'currency') {
      if (typeof v !== 'string' || !/^[A-Z]{3}$/.test(v)) problems.push({ path: k, reason: 'a three-letter currency code such as "USD"' });
      else out[k] = v;
    } else if (k === 'cameraModel') {
      const m = v as { hfov?: unknown; resolution?: unknown } | null;
      const hfov = m?.hfov;
      const res = m?.resolution;
      if (typeof hfov !== 'number' || !(hfov > 0 && hfov < 180)) problems.push({ path: 'cameraModel.hfov', reason: 'degrees, between 0 and 180' });
      if (!Array.isArray(res) || res.length !== 2 || !res.every((x) => Number.isInteger(x) && (x as number) > 0)) problems.push({ path: 'cameraModel.resolution', reason: '[width, height] in pixels, positive integers' });
      else if (typeof hfov === 'number' && hfov > 0 && hfov < 180) out[k] = { hfov, resolution: [res[0], res[1]] };
    } else if (k in DEFAULT_PRICES) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push({ path: k, reason: 'a price, a number >= 0' });
      else out[k] = v;
    } else {
      problems.push({ path: k, reason: `unknown field; known: ${Object.keys(DEFAULT_PRICES).join(', ')}` });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, prices: out as unknown as Prices };
}
