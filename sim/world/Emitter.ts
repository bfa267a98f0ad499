/**
 * Turns what the simulated devices and systems say into recording lines, exactly as they
 * would reach the broker: contract topics, JSON payloads with `ts` and a per-topic `seq`,
 * QoS 1, retained status. Lines come out in arrival order because the engine runs its
 * agenda in time order and each line is written when it arrives.
 */
import { recordingLine } from '../../src/contract/recording';
import { isoTime } from './isoTime';

/** Network and broker delay between a device publishing and the reader receiving. */
const LATENCY_MS = 40;

export class Emitter {
  private readonly seqs = new Map<string, number>();
  /** Lines written, by the topic's kind (the part after the ids): for summary.json. */
  readonly byKind = new Map<string, number>();

  constructor(private readonly sink: (line: string) => void) {}

  /**
   * Publishes `body` (its `ts` is set from `ts`) on `topic`, arriving at `arrival` + latency.
   * `kind` names the topic family for the counts.
   */
  publish(kind: string, topic: string, body: Record<string, unknown>, ts: number, arrival = ts, retain = false): void {
    const seq = (this.seqs.get(topic) ?? 0) + 1;
    this.seqs.set(topic, seq);
    const payload = JSON.stringify({ ts: isoTime(ts), ...body, seq });
    this.sink(recordingLine({ topic, payload, qos: 1, retain, received: arrival + LATENCY_MS }));
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
  }

  /** A line written as given (the simulator's injected bad messages). */
  publishRaw(kind: string, topic: string, payload: string, arrival: number): void {
    this.sink(recordingLine({ topic, payload, qos: 1, retain: false, received: arrival + LATENCY_MS }));
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
  }

  private weightCount = 0;

  /**
   * The load-cell reading, most of all traffic, written straight to its line: the same
   * bytes `publish` would write (key order, escaping), without building objects.
   * `topic` holds only id characters and `counter` is the topic's own seq cell.
   */
  publishWeight(topic: string, counter: Int32Array, index: number, grams: number, ts: number): void {
    const seq = ++counter[index]!;
    this.weightCount++;
    this.sink(`{"topic":"${topic}","payload":"{\\"ts\\":\\"${isoTime(ts)}\\",\\"grams\\":${grams},\\"seq\\":${seq}}","qos":1,"received":"${isoTime(ts + LATENCY_MS)}"}`);
  }

  /** Lines written by topic family. */
  counts(): Record<string, number> {
    const out = Object.fromEntries(this.byKind);
    if (this.weightCount) out.weight = (out.weight ?? 0) + this.weightCount;
    return out;
  }
}
