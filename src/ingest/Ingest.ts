/**
 * The one pipeline every source feeds: raw message -> contract reader -> twin, with
 * duplicates counted and bad input quarantined. The CLI, the page and workers use it alike.
 */
import { ContractReader, type ReadOutcome } from '../contract/ContractReader';
import type { EventType, RawMessage, TwinEvent } from '../contract/messages';
import { Quarantine } from '../contract/Quarantine';
import { parseRecordingLine } from '../contract/recording';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { Twin, type TwinOptions } from '../twin/Twin';

export interface IngestTotals {
  /** Messages read (recording lines included), = accepted + duplicates + quarantined. */
  readonly messages: number;
  readonly accepted: number;
  /** Valid messages whose `seq` had been seen on their topic: stored once. */
  readonly duplicates: number;
  readonly quarantined: number;
  /** Quarantined messages by reason. */
  readonly reasons: Record<string, number>;
  /** Accepted events by type. */
  readonly byType: Partial<Record<EventType, number>>;
  /** Accepted events that arrived behind the twin's reorder window (kept for analysis, not in the live state). */
  readonly late: number;
}

export interface IngestOptions {
  twin?: TwinOptions;
  /** Called with each accepted event, in arrival order (the event store's feed). */
  onEvent?: (e: TwinEvent) => void;
}

export class Ingest {
  readonly reader: ContractReader;
  readonly quarantine = new Quarantine();
  readonly twin: Twin;
  private accepted = 0;
  private duplicates = 0;
  private readonly byType: Partial<Record<EventType, number>> = {};

  constructor(
    readonly layout: LayoutIndex,
    private readonly options: IngestOptions = {},
  ) {
    this.reader = new ContractReader(layout);
    this.twin = new Twin(layout, options.twin);
  }

  push(msg: RawMessage): ReadOutcome {
    const out = this.reader.read(msg);
    if (out.status === 'accepted') {
      this.accepted++;
      this.byType[out.event.type] = (this.byType[out.event.type] ?? 0) + 1;
      this.twin.apply(out.event);
      this.options.onEvent?.(out.event);
    } else if (out.status === 'duplicate') this.duplicates++;
    else this.quarantine.add(out.entry);
    return out;
  }

  /** One line of a recording file; blank lines are skipped, bad ones quarantined. */
  pushLine(line: string, lineNo: number, now: number): void {
    if (line.trim() === '') return;
    const r = parseRecordingLine(line, lineNo, now);
    if (r.ok) this.push(r.message);
    else this.quarantine.add(r.entry);
  }

  totals(): IngestTotals {
    const quarantined = this.quarantine.size;
    return {
      messages: this.accepted + this.duplicates + quarantined,
      accepted: this.accepted,
      duplicates: this.duplicates,
      quarantined,
      reasons: this.quarantine.byReason(),
      byType: { ...this.byType },
      late: this.twin.state.late,
    };
  }
}
