/**
 * The layout file a planner exports: the text they opened, with only the cameras changed.
 * Everything else is kept as written, fields this reader does not know included (the
 * contract lets files carry them), so the export diffs cleanly against the original.
 */
import type { Camera } from '../layout/Layout';

/**
 * `original` is the layout's JSON text; each camera of `cameras` replaces the fields the
 * planner edits (position, yaw, pitch, hfov, resolution) of the camera with its id, keeping
 * that camera's other fields. Cameras are matched by id; one the file lacks is appended.
 */
export function editedLayoutText(original: string, cameras: readonly Camera[]): string {
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
  return `${JSON.stringify({ ...json, cameras: out }, null, 2)}\n`;
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
export function plannedLayoutText(original: string, cameras: readonly Camera[], readers: readonly { id: string; zone: string }[]): string {
  const json = JSON.parse(editedLayoutText(original, cameras)) as Record<string, unknown>;
  const rfid = Array.isArray(json.rfid) ? (json.rfid as unknown[]) : [];
  return `${JSON.stringify({ ...json, rfid: [...rfid, ...readers.map((r) => ({ id: r.id, zone: r.zone }))] }, null, 2)}\n`;
}
