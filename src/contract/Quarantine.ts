/**
 * Where bad input goes: every quarantined message is kept with its reason, counted by
 * reason, and exportable as a recording file. Replaying that file gives the same
 * quarantine again (each line keeps the message as it came, plus why it was set aside).
 */
import { QUARANTINE_REASONS, type QuarantineEntry, type QuarantineReason } from './messages';
import { recordingLine } from './recording';

export class Quarantine {
  private readonly items: QuarantineEntry[] = [];
  private readonly counts = new Map<QuarantineReason, number>();

  add(entry: QuarantineEntry): void {
    this.items.push(entry);
    this.counts.set(entry.reason, (this.counts.get(entry.reason) ?? 0) + 1);
  }

  get size(): number {
    return this.items.length;
  }

  get entries(): readonly QuarantineEntry[] {
    return this.items;
  }

  /** Count per reason, only reasons that occurred, in the contract's order. */
  byReason(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of Object.keys(QUARANTINE_REASONS) as QuarantineReason[]) {
      const n = this.counts.get(r);
      if (n) out[r] = n;
    }
    return out;
  }

  /** The quarantine as recording lines (no newlines), in arrival order. */
  *lines(): Generator<string> {
    for (const e of this.items) yield quarantineLine(e);
  }
}

/**
 * A quarantined message as a recording line with an extra `quarantine` field (readers
 * ignore fields they do not know). A bad recording line has no topic: it is written with
 * its raw text under `raw`, so that replaying it quarantines it again.
 */
export function quarantineLine(e: QuarantineEntry): string {
  const why: Record<string, unknown> = { reason: e.reason, detail: e.detail };
  if (e.message.line !== undefined) why.line = e.message.line;
  if (e.reason === 'bad_line') {
    return JSON.stringify({ quarantine: why, raw: e.message.payload, received: new Date(e.message.received).toISOString() });
  }
  return recordingLine(e.message, { quarantine: why });
}
