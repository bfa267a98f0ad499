/**
 * What the cameras had stored at a moment, for the inspector: a camera's latest frame (the
 * JPEG of that one frame only: the newest row is picked by rowid first, so the scan that
 * reads JPEG bytes is narrowed to it) and a slot's latest verdict of the shelf CNN, with the
 * load cell's units at that verdict's time beside it. Pure SQL text and row reading.
 */
import { lit, num, numOrNull, sqlTime, type Query } from './historySql';
import type { SlotSightingRow } from '../tables';

/** A camera's frame as stored in `frames`. */
export interface StoredFrame {
  readonly camera: string;
  /** When it was taken (or arrived, see tsSource), epoch ms. */
  readonly ts: number;
  /** 'property' when the camera stamped it, 'arrival' when `ts` is when it arrived. */
  readonly tsSource: string;
  /** JPEG bytes. */
  readonly jpeg: Uint8Array;
}

/** A slot's verdict from `slot_sightings` (its row but the light), with what the load cell said then. */
export interface StoredSighting extends Omit<SlotSightingRow, 'light'> {
  /** The slot's units by its load cell at `ts` (its latest movement up to then); null: no reading yet. */
  readonly units: number | null;
}

/** The rows of one thing (`col` = `id`) up to `at`, columns prefixed with `p`. */
const rowsOf = (store: string, col: string, id: string, at: number | null, p = '') =>
  `${p}store = ${lit(store)} AND ${p}${col} = ${lit(id)}${at === null ? '' : ` AND ${p}ts <= ${sqlTime(at)}`}`;

/** The camera's newest frame up to `at` (null: the newest of all), its bytes included. */
export function latestFrameSql(store: string, camera: string, at: number | null): string {
  return `WITH pick AS (SELECT rowid AS r FROM frames WHERE ${rowsOf(store, 'camera', camera, at)} ORDER BY ts DESC, received DESC, rowid DESC LIMIT 1)
    SELECT f.camera, epoch_ms(f.ts) AS t, f.ts_source, f.jpeg FROM frames f JOIN pick ON f.rowid = pick.r WHERE ${rowsOf(store, 'camera', camera, at, 'f.')}`;
}

/** The slot's newest sighting up to `at` (null: the newest of all), with the load cell's units at its time. */
export function latestSightingSql(store: string, slot: string, at: number | null): string {
  return `WITH pick AS (SELECT rowid AS r FROM slot_sightings WHERE ${rowsOf(store, 'slot', slot, at)} ORDER BY ts DESC, rowid DESC LIMIT 1)
    SELECT s.slot, s.camera, epoch_ms(s.ts) AS t, s.planned_sku, s.fill, s.fill_prob, s."match" AS matched, s.match_prob, s.crop, s.crop_width,
      (SELECT arg_max(m.units_after, m.ts) FROM movements m WHERE m.store = ${lit(store)} AND m.slot = s.slot AND m.ts <= s.ts) AS units
    FROM slot_sightings s JOIN pick ON s.rowid = pick.r WHERE ${rowsOf(store, 'slot', slot, at, 's.')}`;
}

export async function latestFrame(q: Query, store: string, camera: string, at: number | null): Promise<StoredFrame | null> {
  const [r] = await q(latestFrameSql(store, camera, at));
  if (!r) return null;
  return { camera: String(r.camera), ts: num(r.t), tsSource: String(r.ts_source), jpeg: r.jpeg as Uint8Array };
}

export async function latestSighting(q: Query, store: string, slot: string, at: number | null): Promise<StoredSighting | null> {
  const [r] = await q(latestSightingSql(store, slot, at));
  if (!r) return null;
  return {
    slot: String(r.slot),
    camera: String(r.camera),
    ts: num(r.t),
    plannedSku: String(r.planned_sku),
    fill: String(r.fill),
    fillProb: num(r.fill_prob),
    match: Boolean(r.matched),
    matchProb: num(r.match_prob),
    crop: r.crop as Uint8Array,
    // Rows kept before crop_width hold square crops.
    cropWidth: r.crop_width === null || r.crop_width === undefined ? Math.round(Math.sqrt(((r.crop as Uint8Array | null)?.length ?? 0) / 4)) : num(r.crop_width),
    units: numOrNull(r.units),
  };
}
