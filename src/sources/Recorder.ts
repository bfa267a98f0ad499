/**
 * Keeps every message of a session as it came, as recording lines
 * (../shared/contract/recording.md): a live message as `recordingLine` writes it (text
 * payloads byte for byte, bytes as base64, user properties, arrival time), a line read from
 * a file or made by the simulator as it was. Bad messages are kept like good ones: replaying
 * the file gives the same twin, the same quarantine and the same analysis.
 */
import type { RawMessage } from '../contract/messages';
import { recordingLine } from '../contract/recording';

/** Lines are joined into chunks of this many, so a long session is a few thousand strings, not millions. */
const CHUNK = 4096;

export class Recorder {
  private chunks: string[] = [];
  private pending: string[] = [];
  private on = false;
  private count = 0;

  get recording(): boolean {
    return this.on;
  }

  /** Lines kept since start(). */
  get lines(): number {
    return this.count;
  }

  /** Starts a new recording (what an earlier one kept is dropped). */
  start(): void {
    this.chunks = [];
    this.pending = [];
    this.count = 0;
    this.on = true;
  }

  message(msg: RawMessage): void {
    if (this.on) this.add(recordingLine(msg));
  }

  line(text: string): void {
    if (this.on && text.trim() !== '') this.add(text);
  }

  /** Stops and returns the recording's text in chunks, each ending with a newline. */
  stop(): string[] {
    this.flush();
    const out = this.chunks;
    this.chunks = [];
    this.on = false;
    return out;
  }

  private add(line: string): void {
    this.pending.push(line);
    this.count++;
    if (this.pending.length >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.pending.length) this.chunks.push(this.pending.join('\n') + '\n');
    this.pending = [];
  }
}

/** A recording's chunks as a `.jsonl` file. */
export function recordingBlob(chunks: readonly string[]): Blob {
  return new Blob(chunks as string[], { type: 'application/x-ndjson' });
}
