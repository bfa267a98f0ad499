/**
 * The twin state as plain JSON (maps become objects keyed by id, times RFC 3339), for
 * `twin ingest --out` and for handing state across a worker boundary as text.
 */
import type { TwinState } from './TwinState';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function stateToJson(s: TwinState): Record<string, unknown> {
  const obj = <V, R>(m: ReadonlyMap<string, V>, f: (v: V) => R) => Object.fromEntries([...m].map(([k, v]) => [k, f(v)]));
  return {
    store: s.store,
    asOf: iso(s.asOf),
    late: s.late,
    slots: obj(s.slots, (v) => ({ ...v, readingTs: iso(v.readingTs), movements: v.movements.map((m) => ({ ...m, ts: iso(m.ts) })) })),
    skus: obj(s.skus, (v) => v),
    doors: obj(s.doors, (v) => ({ ...v, since: iso(v.since), ts: iso(v.ts) })),
    badges: obj(s.badges, (v) => ({ ...v, since: iso(v.since), lastTs: iso(v.lastTs) })),
    tags: obj(s.tags, (v) => ({ ...v, ts: iso(v.ts) })),
    devices: obj(s.devices, (v) => ({ ...v, ts: iso(v.ts) })),
    cameras: obj(s.cameras, (v) => ({ ...v, lastFrameTs: iso(v.lastFrameTs), lastDetection: v.lastDetection && { ...v.lastDetection, ts: iso(v.lastDetection.ts) } })),
  };
}
