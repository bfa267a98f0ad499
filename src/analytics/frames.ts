/**
 * Camera frames in the event store: the `frames` table (the JPEG as it came, as a BLOB) and
 * the byte budget that keeps it from filling the disk. Frames are kept so that an incident's
 * chain of custody can show what a camera saw then (src/rules/custody.ts); nothing in the
 * analytics counts them (they are in no histogram, analysis or union of event tables).
 *
 * The budget rule, per store: past `budgetBytes` of JPEG, the oldest frames (by event time)
 * go first until the rest fit, so the frames nearest the present are always kept; the
 * newest frame is kept even when it alone is larger than the budget. What was dropped is
 * counted, and reported as a problem record.
 */
import type { FrameEvent } from '../contract/messages';
import type { Problem } from '../core/Problem';
import { lit } from './history/historySql';
import type { TableSpec } from './tables';

/** Default JPEG bytes kept per store: 256 MiB. */
export const DEFAULT_FRAME_BUDGET_BYTES = 256 * 1024 * 1024;

/** Most JPEG bytes in one appended Arrow batch: a large batch of frames goes as several. */
export const FRAME_CHUNK_BYTES = 32 * 1024 * 1024;

/** One row per accepted frame. `size` is the JPEG's length in bytes (what the budget counts). */
export const FRAMES_TABLE: TableSpec<FrameEvent> = {
  name: 'frames',
  columns: [
    { name: 'camera', type: 'VARCHAR', get: (f) => f.camera },
    { name: 'ts', type: 'TIMESTAMP_MS', get: (f) => f.ts },
    { name: 'received', type: 'TIMESTAMP_MS', get: (f) => f.received },
    /** 'property' when the camera stamped it (MQTT 5 user property `ts`), 'arrival' when `ts` is the arrival time. */
    { name: 'ts_source', type: 'VARCHAR', get: (f) => f.tsSource },
    { name: 'size', type: 'INTEGER', get: (f) => f.jpeg.length },
    { name: 'jpeg', type: 'BLOB', get: (f) => f.jpeg },
  ],
};

/** What the store holds of a store's frames and what the budget has dropped since it was opened. */
export interface FrameTotals {
  /** JPEG bytes kept for this store. */
  readonly bytes: number;
  readonly budgetBytes: number;
  /** Frames dropped to keep to the budget (also those of a batch larger than the budget, never inserted). */
  readonly dropped: number;
  readonly droppedBytes: number;
}

/** Newest first (event time, then arrival): the order the budget keeps frames in. */
function newestFirst(a: FrameEvent, b: FrameEvent): number {
  return b.ts - a.ts || b.received - a.received;
}

/**
 * The budget applied to one batch before it is inserted, so a batch larger than the whole
 * budget is never written only to be deleted: the frames kept (in batch order) and those dropped.
 */
export function keepNewest(frames: readonly FrameEvent[], budgetBytes: number): { kept: FrameEvent[]; dropped: FrameEvent[] } {
  let total = 0;
  for (const f of frames) total += f.jpeg.length;
  if (total <= budgetBytes) return { kept: [...frames], dropped: [] };
  const keep = new Set<FrameEvent>();
  let sum = 0;
  for (const f of [...frames].sort(newestFirst)) {
    sum += f.jpeg.length;
    if (sum > budgetBytes && keep.size > 0) break;
    keep.add(f);
  }
  return { kept: frames.filter((f) => keep.has(f)), dropped: frames.filter((f) => !keep.has(f)) };
}

/** Frames in batches of at most FRAME_CHUNK_BYTES of JPEG (a frame larger than that alone). */
export function frameChunks(frames: readonly FrameEvent[], chunkBytes = FRAME_CHUNK_BYTES): FrameEvent[][] {
  const chunks: FrameEvent[][] = [];
  let chunk: FrameEvent[] = [];
  let bytes = 0;
  for (const f of frames) {
    if (chunk.length && bytes + f.jpeg.length > chunkBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(f);
    bytes += f.jpeg.length;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

/** The JPEG bytes a store keeps. */
export function frameBytesSql(store: string): string {
  return `SELECT coalesce(sum(size), 0)::BIGINT AS bytes FROM frames WHERE store = ${lit(store)}`;
}

/**
 * Deletes the store's oldest frames beyond the budget and returns the size of each: a frame
 * goes when it and every newer frame add up to more than the budget, unless it is the newest.
 */
export function thinFramesSql(store: string, budgetBytes: number): string {
  return `DELETE FROM frames WHERE rowid IN (
      SELECT r FROM (
        SELECT rowid AS r, size,
          sum(size) OVER (ORDER BY ts DESC, received DESC, rowid DESC ROWS UNBOUNDED PRECEDING) AS c
        FROM frames WHERE store = ${lit(store)})
      WHERE c > ${Math.trunc(budgetBytes)} AND c > size)
    RETURNING size`;
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;

/** The problem record for frames dropped to the budget; undefined when none were. */
export function framesThinnedProblem(t: FrameTotals): Problem | undefined {
  if (t.dropped === 0) return undefined;
  return {
    id: 'event-store-frames-thinned',
    severity: 'info',
    message: `${t.dropped.toLocaleString('en-US')} older camera frames (${mb(t.droppedBytes)}) were dropped to keep the stored frames within ${mb(t.budgetBytes)}; the newest are kept.`,
    tip: 'Incidents from before the oldest kept frame show their camera bookmarks without a frame.',
  };
}
