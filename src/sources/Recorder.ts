/**
 * Keeps every message of a session as it came, as recording lines
 * (../shared/contract/recording.md): a live message as `recordingLine` writes it (text
 * payloads byte for byte, bytes as base64, user properties, arrival time), a line read from
 * a file or made by the simulator as it was. Bad messages are kept like good ones: replaying
 * the file gives the same twin, the same quarantine and the same analysis.
 */
import type { RawMessage } from '../contract/messages';
import { recordingLine } from '../contract/recording';
import type { Problem } from '../core/Problem';

/** Lines are joined into chunks of this many, so a long session is a few thousand strings, not millions. */
const CHUNK = 4096;
/** What a recording may hold (UTF-16 code units, about bytes for this JSON): a tab's memory, not a disk. */
export const DEFAULT_RECORDING_LIMIT = 256 * 1024 * 1024;

export class Recorder {
  private chunks: string[] = [];
  private pending: string[] = [];
  private on = false;
  private count = 0;
  private size = 0;
  private dropped = 0;

  /**
   * `limit`: the most text a recording keeps; the messages after it are counted, not kept.
   * `onFull` is told once, when the first message does not fit.
   */
  constructor(
    private readonly onFull: (kept: number) => void = () => {},
    private readonly limit = DEFAULT_RECORDING_LIMIT,
  ) {}

  /** The recording reached its limit: later messages are not in it (see `notKept`). */
  get full(): boolean {
    return this.dropped > 0;
  }

  /** Messages that came after the recording was full. */
  get notKept(): number {
    return this.dropped;
  }

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
    this.size = 0;
    this.dropped = 0;
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
    // Full: keep none rather than some of what follows, so the file is a gapless prefix.
    if (this.dropped || this.size + line.length + 1 > this.limit) {
      if (this.dropped++ === 0) this.onFull(this.count);
      return;
    }
    this.size += line.length + 1;
    this.pending.push(line);
    this.count++;
    if (this.pending.length >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.pending.length) this.chunks.push(this.pending.join('\n') + '\n');
    this.pending = [];
  }
}

export const RECORDING_FULL = 'recording-full';

/** What the status bar says once a recording is full. */
export function recordingFullProblem(kept: number): Problem {
  return {
    id: RECORDING_FULL,
    severity: 'warning',
    message: `The recording is full (${kept.toLocaleString('en-US')} messages, ${DEFAULT_RECORDING_LIMIT / 1024 / 1024} MB): what came after is not in it.`,
    tip: 'Download it, then Record again for the next part; the event store keeps everything either way. For long captures use twin record, which writes to disk.',
  };
}

/** What a feed's pump offers the recording controls: the status line to update. */
interface StatusLine {
  clearProblem(id: string): void;
  touch(): void;
}

/** Record: a new recording, any "full" warning of the last one cleared, the status bar told. */
export function startRecording(recorder: Recorder, pump: StatusLine | undefined): void {
  recorder.start();
  pump?.clearProblem(RECORDING_FULL);
  pump?.touch();
}

/** Download recording: the recording as a `.jsonl` file, the status bar told it ended. */
export function stopRecording(recorder: Recorder, pump: StatusLine | undefined): Blob {
  const blob = recordingBlob(recorder.stop());
  pump?.clearProblem(RECORDING_FULL);
  pump?.touch();
  return blob;
}

/** A recording's chunks as a `.jsonl` file. */
export function recordingBlob(chunks: readonly string[]): Blob {
  return new Blob(chunks as string[], { type: 'application/x-ndjson' });
}
