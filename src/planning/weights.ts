/**
 * What matters to a store, as weights on what devices can cover: each slot's stock (knowing
 * how much is there) and the evidence at it (seeing who takes it), each door's passers-by,
 * each zone's floor (per m²) and tags (an RFID reader's reads). High-value SKUs and
 * restricted zones are weighted up; a weights file can add a multiplier per slot or zone,
 * for example where the analytics say movements and losses happen. Every problem in a bad
 * file is listed.
 */
import type { DoorKind } from '../layout/Layout';

export interface Weights {
  /** Knowing a slot's stock (a smart shelf weighs it, a camera judges its fill level). */
  readonly slotStock: number;
  /** Seeing who takes from a slot (cameras). */
  readonly slotEvidence: number;
  /** Multiplier for slots holding a high-value SKU. */
  readonly highValue: number;
  /** Seeing a person pass a door, by the door's kind. */
  readonly door: Readonly<Record<DoorKind, number>>;
  /** Seeing a zone's floor, per m². */
  readonly floorPerM2: number;
  /** Tag reads in a zone (an RFID antenna on it). */
  readonly zoneTags: number;
  /** Multiplier for a restricted zone (its floor, its tags, its slots). */
  readonly restricted: number;
  /** Extra multipliers by slot id and by zone id (a zone's multiplier applies to its slots, doors and floor). */
  readonly slots: Readonly<Record<string, number>>;
  readonly zones: Readonly<Record<string, number>>;
}

export const DEFAULT_WEIGHTS: Weights = {
  slotStock: 1,
  slotEvidence: 0.5,
  highValue: 3,
  door: { dock: 4, staff: 2, cage: 6, sales_floor: 3 },
  floorPerM2: 0.05,
  zoneTags: 2,
  restricted: 3,
  slots: {},
  zones: {},
};

export type WeightsResult = { ok: true; weights: Weights } | { ok: false; problems: { path: string; reason: string }[] };

export function parseWeights(json: unknown): WeightsResult {
  const problems: { path: string; reason: string }[] = [];
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, problems: [{ path: '', reason: 'a weights file is a JSON object' }] };
  const out: Record<string, unknown> = { ...DEFAULT_WEIGHTS };
  const weight = (path: string, v: unknown): v is number => {
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return true;
    problems.push({ path, reason: 'a weight, a number >= 0' });
    return false;
  };
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    if (k === 'door') {
      if (typeof v !== 'object' || v === null) {
        problems.push({ path: k, reason: 'an object of door kind to weight' });
        continue;
      }
      const door: Record<string, number> = { ...DEFAULT_WEIGHTS.door };
      for (const [kind, w] of Object.entries(v)) {
        if (!(kind in DEFAULT_WEIGHTS.door)) problems.push({ path: `door.${kind}`, reason: `unknown door kind; known: ${Object.keys(DEFAULT_WEIGHTS.door).join(', ')}` });
        else if (weight(`door.${kind}`, w)) door[kind] = w;
      }
      out[k] = door;
    } else if (k === 'slots' || k === 'zones') {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        problems.push({ path: k, reason: `an object of ${k === 'slots' ? 'slot' : 'zone'} id to multiplier` });
        continue;
      }
      const m: Record<string, number> = {};
      for (const [id, w] of Object.entries(v)) if (weight(`${k}.${id}`, w)) m[id] = w;
      out[k] = m;
    } else if (k in DEFAULT_WEIGHTS) {
      if (weight(k, v)) out[k] = v;
    } else {
      problems.push({ path: k, reason: `unknown field; known: ${Object.keys(DEFAULT_WEIGHTS).join(', ')}` });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, weights: out as unknown as Weights };
}
