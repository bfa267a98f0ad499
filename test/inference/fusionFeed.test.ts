/**
 * Fusion beside ingest (fusionFeed.ts): readings arrive in batches ahead of the CNN's
 * verdicts, yet each frame is judged against the load cell as it read at the frame's time;
 * each finding comes out once, as a shelf_vision alert the rules file can turn off or ask
 * to be surer.
 */
import { describe, expect, it } from 'vitest';
import { loadLayout } from '../../models/shelfDataset';
import type { TwinEvent } from '../../src/contract/messages';
import { FusionFeed, findingAlert } from '../../src/inference/fusionFeed';
import type { FillLabel } from '../../src/inference/shelfInput';
import type { FrameResult } from '../../src/inference/VisionRunner';
import { DEFAULT_RULES } from '../../src/rules/Rules';

const layout = loadLayout('apparel-compact');
const SLOT = [...layout.slots.values()].find((s) => s.capacity >= 10)!;
const UNIT = layout.skus.get(SLOT.sku)!.unitGrams;
const T0 = Date.parse('2026-11-16T08:00:00Z');
const MIN = 60_000;

const reading = (ts: number, units: number): TwinEvent =>
  ({ type: 'weight', store: layout.store, device: SLOT.id, ts, shelf: SLOT.shelf, slot: SLOT.id, grams: units * UNIT }) as unknown as TwinEvent;
const frame = (ts: number, fill: FillLabel): FrameResult => ({
  camera: 'cam-a', ts, width: 640, height: 360, ms: 1,
  slots: [{ slot: SLOT.id, camera: 'cam-a', ts, plannedSku: SLOT.sku, fill, fillProb: 0.9, match: true, matchProb: 0.97, crop: new Uint8Array(0), cropWidth: 64 }],
});

describe('FusionFeed', () => {
  it('judges each frame against the cell as it read then, though the readings came first, and says a finding once', () => {
    const feed = new FusionFeed(layout);
    // The whole morning's readings arrive before any verdict: full until 09:00, then the cell stuck at full too.
    feed.readings(Array.from({ length: 16 }, (_, i) => reading(T0 + i * 15 * MIN - MIN, SLOT.capacity)));
    const found = [];
    for (let i = 0; i < 4; i++) found.push(...feed.result(frame(T0 + i * 15 * MIN, 'full')));
    expect(found).toEqual([]);
    for (let i = 4; i < 10; i++) found.push(...feed.result(frame(T0 + i * 15 * MIN, 'empty')));
    expect(found.map((f) => [f.kind, f.slot])).toEqual([['stuck_load_cell', SLOT.id]]);
    // Later frames extend the finding; it is not said again.
    expect(feed.result(frame(T0 + 10 * 15 * MIN, 'empty'))).toEqual([]);
  });

  it('with a cell that follows the stock, finds nothing, even when the readings come in two batches out of order', () => {
    const feed = new FusionFeed(layout);
    const rs = Array.from({ length: 12 }, (_, i) => reading(T0 + i * 15 * MIN - MIN, i < 4 ? SLOT.capacity : 0));
    feed.readings(rs.slice(6));
    feed.readings(rs.slice(0, 6));
    const found = Array.from({ length: 12 }, (_, i) => feed.result(frame(T0 + i * 15 * MIN, i < 4 ? 'full' : 'empty'))).flat();
    expect(found).toEqual([]);
  });

  it('makes a shelf_vision alert at the slot, unless the rule is off or asks for more confidence', () => {
    const f = { kind: 'misplaced_product' as const, slot: SLOT.id, cameras: ['cam-a'], firstTs: T0, lastTs: T0 + 30 * MIN, frames: 3, evidence: 'match fell', confidence: 0.9 };
    const p = DEFAULT_RULES.rules.shelf_vision;
    const a = findingAlert(layout, f, p)!;
    expect(a).toMatchObject({ rule: 'shelf_vision', store: layout.store, severity: p.severity, from: T0, to: T0 + 30 * MIN, sku: SLOT.sku, suspect: 'misplacement', place: { slot: SLOT.id, shelf: SLOT.shelf } });
    expect(a.text).toMatch(/^Another product on the slot\? /);
    expect(findingAlert(layout, f, { ...p, enabled: false })).toBeUndefined();
    expect(findingAlert(layout, f, { ...p, minConfidence: 0.95 })).toBeUndefined();
  });
});
