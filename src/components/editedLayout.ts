/**
 * The layout file a planner exports: the text they opened, with only the cameras and the
 * shelves' places changed. Everything else is kept as written, fields this reader does not
 * know included (the contract lets files carry them), so the export diffs cleanly against
 * the original.
 */
import type { Camera, Shelf } from '../layout/Layout';

/**
 * `original` is the layout's JSON text; each camera of `cameras` replaces the fields the
 * planner edits (position, yaw, pitch, hfov, resolution) of the camera with its id, keeping
 * that camera's other fields. Cameras are matched by id; one the file lacks is appended.
 * Each shelf of `shelves` replaces only `position` and `yaw` of the shelf with its id (its
 * size, levels and slots stay as written); a shelf the file lacks is ignored, and a shelf
 * whose place is unchanged keeps its text as written.
 */
export function editedLayoutText(original: string, cameras: readonly Camera[], shelves: readonly Shelf[] = []): string {
  const json = JSON.parse(original) as Record<string, unknown>;
  const list = Array.isArray(json.cameras) ? (json.cameras as Record<string, unknown>[]) : [];
  const byId = new Map(cameras.map((c) => [c.id, c]));
  const out = list.map((raw) => {
    const c = typeof raw?.id === 'string' ? byId.get(raw.id) : undefined;
    if (!c) return raw;
    byId.delete(c.id);
    return { ...raw, ...cameraFields(c) };
  });
  for (const c of byId.values()) out.push({ id: c.id, ...cameraFields(c) });
  const edited: Record<string, unknown> = { ...json, cameras: out };
  if (shelves.length && Array.isArray(json.shelves)) {
    const shelfById = new Map(shelves.map((s) => [s.id, s]));
    edited.shelves = (json.shelves as Record<string, unknown>[]).map((raw) => {
      const s = typeof raw?.id === 'string' ? shelfById.get(raw.id) : undefined;
      if (!s || (samePlace(raw.position, s.position) && raw.yaw === s.yaw)) return raw;
      return { ...raw, position: [...s.position], yaw: s.yaw };
    });
  }
  return `${JSON.stringify(edited, null, 2)}\n`;
}

function samePlace(written: unknown, p: readonly number[]): boolean {
  return Array.isArray(written) && written.length === p.length && written.every((x, i) => x === p[i]);
}

function cameraFields(c: Camera) {
  return { position: [...c.position], yaw: c.yaw, pitch: c.pitch, hfov: c.hfov, resolution: [...c.resolution] };
}

/** A file name for the export: the opened name with `-edited` before `.layout.json`. */
export function editedLayoutName(source: string): string {
  const base = source.split(/[\\/]/).pop() || 'layout.json';
  const m = /^(.*?)((?:\.layout)?\.json)$/i.exec(base);
  return m ? `${m[1]}-edited${m[2]}` : `${base}-edited.layout.json`;
}

/**
 * The layout a placement plan makes: the opened text with the cameras as edited (a plan's
 * new cameras among them, appended) and the plan's RFID readers appended, one antenna each.
 */
export function plannedLayoutText(original: string, cameras: readonly Camera[], readers: readonly { id: string; zone: string }[], shelves: readonly Shelf[] = []): string {
  const json = JSON.parse(editedLayoutText(original, cameras, shelves)) as Record<string, unknown>;
  const rfid = Array.isArray(json.rfid) ? (json.rfid as unknown[]) : [];
  return `${JSON.stringify({ ...json, rfid: [...rfid, ...readers.map((r) => ({ id: r.id, zone: r.zone }))] }, null, 2)}\n`;
}
