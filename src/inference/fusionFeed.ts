/**
 * Fusion as the page runs it, beside ingest: load-cell readings arrive with each batch, the
 * CNN's verdicts a little later (the vision pool works behind ingest), so readings wait in
 * a queue and go into the fold (fusion.ts) up to each frame's time before its sightings do,
 * and each finding comes out once, as an alert of the `shelf_vision` rule that the incident
 * workflow merges like any other. Pure: no DOM, no tf.js.
 */
import type { TwinEvent } from '../contract/messages';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Alert } from '../rules/Incident';
import type { RuleParams } from '../rules/Rules';
import { unitsAfter } from '../twin/folds';
import { Fusion, type Finding } from './fusion';
import type { FrameResult } from './VisionRunner';

/** Load-cell noise the units count allows for, grams (the twin's default). */
const NOISE_GRAMS = 10;

const WORDS: Record<Finding['kind'], string> = {
  stuck_load_cell: 'Load cell looks stuck',
  drifting_load_cell: 'Load cell looks to be drifting',
  misplaced_product: 'Another product on the slot?',
  hidden_stock: 'Stock hidden from the cameras?',
};

export class FusionFeed {
  private readonly fusion: Fusion;
  private readonly units = new Map<string, number>();
  /** Readings' units not yet in the fold, oldest first (a batch is in time order; batches nearly so). */
  private queue: { slot: string; ts: number; units: number; grams: number }[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly layout: LayoutIndex) {
    this.fusion = new Fusion(layout);
  }

  /** A batch of accepted events: its load-cell readings, as units, wait for the frames of their time. */
  readings(events: readonly TwinEvent[]): void {
    const before = this.queue.length;
    for (const e of events) {
      if (e.type !== 'weight') continue;
      const slot = this.layout.slots.get(e.slot);
      const sku = slot && this.layout.skus.get(slot.sku);
      if (!sku) continue;
      const u = unitsAfter(this.units.get(e.slot) ?? null, e.grams, sku.unitGrams, NOISE_GRAMS);
      this.units.set(e.slot, u);
      this.queue.push({ slot: e.slot, ts: e.ts, units: u, grams: e.grams });
    }
    // Kept in time order: a batch older than the last one's newest reading is merged in.
    const q = this.queue;
    let sorted = true;
    for (let i = Math.max(1, before); i < q.length && sorted; i++) sorted = q[i - 1]!.ts <= q[i]!.ts;
    if (!sorted) q.sort((a, b) => a.ts - b.ts);
    // A source that sends readings and no frames must not grow the queue for ever: keep a day's worth behind the newest.
    if (this.queue.length > 100_000) this.queue = this.queue.slice(-50_000);
  }

  /** One frame's verdicts: the readings up to its time go in first. Returns the findings that are new since the last call. */
  result(r: FrameResult): Finding[] {
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.ts <= r.ts) n++;
    for (const q of this.queue.splice(0, n)) this.fusion.add({ type: 'units', ...q });
    for (const s of r.slots) this.fusion.add({ type: 'sighting', sighting: s });
    const fresh: Finding[] = [];
    for (const f of this.fusion.findings()) {
      const key = `${f.kind}|${f.slot}|${f.firstTs}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      fresh.push(f);
    }
    return fresh;
  }
}

/** A finding as the `shelf_vision` rule's alert, or undefined when the rule is off or the finding is less sure than it asks. */
export function findingAlert(layout: LayoutIndex, f: Finding, p: RuleParams['shelf_vision']): Alert | undefined {
  if (!p.enabled || f.confidence < p.minConfidence) return undefined;
  const slot = layout.slots.get(f.slot);
  const place = { slot: f.slot, ...(slot ? { shelf: slot.shelf, zone: layout.zoneOfSlot(f.slot) } : {}) };
  return {
    id: `shelf_vision:${f.kind}:${f.slot}:${f.firstTs}`,
    store: layout.store,
    rule: 'shelf_vision',
    severity: p.severity,
    from: f.firstTs,
    to: f.lastTs,
    detectedAt: f.lastTs,
    place,
    ...(slot ? { sku: slot.sku } : {}),
    text: `${WORDS[f.kind]} ${f.slot}: ${f.evidence} (cameras ${f.cameras.join(', ')}, ${f.frames} frames, ${Math.round(f.confidence * 100)} % sure)`,
    ...(f.kind === 'misplaced_product' ? { suspect: 'misplacement' as const } : {}),
  };
}
