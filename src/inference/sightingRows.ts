/**
 * A frame's verdicts as rows of the event store's `slot_sightings` table: one row a judged
 * slot, the crop kept as the CNN saw it (RGBA; the shipped model's is 64 x 16, 4 KB). Pure; the vision pool's
 * `onResult` hands each FrameResult here and the rows go to `appendSightings`.
 */
import type { SlotSightingRow } from '../analytics/tables';
import type { FrameResult } from './VisionRunner';

export function sightingRows(result: FrameResult): SlotSightingRow[] {
  return result.slots.map((s) => ({
    camera: s.camera,
    slot: s.slot,
    ts: s.ts,
    plannedSku: s.plannedSku,
    fill: s.fill,
    fillProb: s.fillProb,
    match: s.match,
    matchProb: s.matchProb,
    light: s.light ?? result.light ?? null,
    crop: s.crop,
    cropWidth: s.cropWidth,
  }));
}
