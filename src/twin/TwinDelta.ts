/**
 * The twin as it changed since the last look: only the records that are not the same as
 * before, so a worker that keeps the twin can hand the page a few hundred records a frame
 * instead of the whole state or every event. `applyTwinDelta` on the receiving side rebuilds
 * an immutable TwinState that shares the records that did not change, as the Twin does.
 */
import type { BadgeState, CameraState, DeviceState, DoorState, SkuState, SlotState, TagState, TwinState } from './TwinState';

export interface TwinDelta {
  readonly store: string;
  readonly asOf: number | null;
  readonly version: number;
  readonly late: number;
  /** Records new or changed since the state the delta was taken against (all of them when there was none). */
  readonly slots: readonly SlotState[];
  readonly skus: readonly SkuState[];
  readonly doors: readonly DoorState[];
  readonly tags: readonly TagState[];
  readonly badges: readonly BadgeState[];
  readonly devices: readonly DeviceState[];
  readonly cameras: readonly CameraState[];
}

type Keyed = Pick<TwinState, 'slots' | 'skus' | 'doors' | 'tags' | 'badges' | 'devices' | 'cameras'>;
const KEYS = ['slots', 'skus', 'doors', 'tags', 'badges', 'devices', 'cameras'] as const;
/** The id field of each record kind. */
const ID = { slots: 'slot', skus: 'sku', doors: 'door', tags: 'epc', badges: 'badge', devices: 'device', cameras: 'camera' } as const;

/**
 * What changed from `prev` to `next` (everything when `prev` is undefined). The Twin keeps a
 * record's identity while it is unchanged, except badges, which it rebuilds as the clock
 * moves: those are compared field by field. The twin never drops a record, so a delta has
 * no removals.
 */
export function diffTwin(prev: TwinState | undefined, next: TwinState): TwinDelta {
  const out: Record<string, unknown[]> = {};
  for (const key of KEYS) {
    const before = prev?.[key] as ReadonlyMap<string, unknown> | undefined;
    const after = next[key] as ReadonlyMap<string, unknown>;
    const changed: unknown[] = [];
    if (before !== after) {
      for (const [id, v] of after) {
        const old = before?.get(id);
        if (old === v) continue;
        if (key === 'badges' && old && shallowEqual(old as object, v as object)) continue;
        changed.push(v);
      }
    }
    out[key] = changed;
  }
  return { store: next.store, asOf: next.asOf, version: next.version, late: next.late, ...(out as unknown as Pick<TwinDelta, (typeof KEYS)[number]>) };
}

/** `prev` with the delta's records put in by id; `prev` undefined starts from an empty twin. */
export function applyTwinDelta(prev: TwinState | undefined, d: TwinDelta): TwinState {
  const maps = {} as Record<(typeof KEYS)[number], Map<string, unknown>>;
  for (const key of KEYS) {
    const records = d[key] as unknown as readonly Record<string, unknown>[];
    const before = prev?.[key] as ReadonlyMap<string, unknown> | undefined;
    if (records.length === 0 && before) {
      maps[key] = before as Map<string, unknown>;
      continue;
    }
    const m = new Map(before ?? []);
    for (const r of records) m.set(r[ID[key]] as string, r);
    maps[key] = m;
  }
  return { store: d.store, asOf: d.asOf, version: d.version, late: d.late, ...(maps as unknown as Keyed) };
}

/** Whether a delta carries no record at all (only the clock may have moved). */
export function isEmptyDelta(d: TwinDelta): boolean {
  return KEYS.every((k) => d[k].length === 0);
}

function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}
