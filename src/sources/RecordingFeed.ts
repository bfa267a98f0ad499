/**
 * A recording file (`.jsonl`, or `.jsonl.gz`) chosen by the user, as a source: read in the
 * worker a chunk at a time, line by line through the ingest pipeline, as fast as the page
 * takes the batches (it waits in `room()` while the page is behind). A line that is not a
 * recording line is quarantined with its number and reading goes on. Plain class:
 * workers/recording.worker.ts exposes it.
 */
import { LineSplitter } from '../contract/recording';
import { BatchPump, type BatchPumpOptions } from './BatchPump';
import { layoutFromText } from './layoutFromText';
import type { SourceEnd, SourceFeed, SourceListener } from './TelemetrySource';

export interface RecordingArgs {
  readonly layoutText: string;
  /** The file (a File in the page: it crosses to the worker without being read there). */
  readonly file: Blob;
  /** Its name: `.gz` means gzip. */
  readonly name: string;
  readonly pump?: BatchPumpOptions;
}

/** Lines handed to the pump between waits for room. */
const LINES_AT_A_TIME = 1000;

export class RecordingFeed implements SourceFeed<RecordingArgs> {
  private stopped = false;

  /** `now` is the arrival time given to lines without a `received` (hand-written files). */
  constructor(private readonly now: () => number = Date.now) {}

  async run(args: RecordingArgs, listener: SourceListener): Promise<SourceEnd> {
    this.stopped = false;
    const pump = new BatchPump(layoutFromText(args.layoutText), args.pump);
    pump.setListener(listener);
    pump.setStatus({ phase: 'playing', progress: 0 });
    const size = args.file.size;
    let read = 0;
    // Bytes are counted as they leave the file, before any gunzip, so progress is of the file.
    const counted = args.file.stream().pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          read += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    );
    const bytes = /\.gz$/i.test(args.name) ? counted.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>) : counted;
    const reader = bytes.getReader();
    const decoder = new TextDecoder();
    const splitter = new LineSplitter();
    let lineNo = 0;
    let lines: string[] = [];
    const collect = (line: string) => void lines.push(line);
    // A chunk may be the whole file (Node hands an in-memory Blob over in one piece): lines
    // go to the pump a slice at a time, waiting for room between slices.
    const feed = async () => {
      const taken = lines;
      lines = [];
      for (let i = 0; i < taken.length && !this.stopped; i += LINES_AT_A_TIME) {
        const now = this.now();
        for (const line of taken.slice(i, i + LINES_AT_A_TIME)) pump.pushLine(line, ++lineNo, now);
        await pump.room();
      }
    };
    let fault: Error | undefined;
    try {
      for (;;) {
        if (this.stopped) break;
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (e) {
          fault = e instanceof Error ? e : new Error(String(e));
          break;
        }
        if (chunk.done) {
          splitter.push(decoder.decode(), collect);
          splitter.end(collect);
          await feed();
          break;
        }
        splitter.push(decoder.decode(chunk.value, { stream: true }), collect);
        await feed();
        pump.setStatus({ progress: size ? Math.min(1, read / size) : 1 });
      }
    } finally {
      if (this.stopped || fault) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
    if (fault) {
      // A file that cannot be read to the end (a truncated .gz): what was read stays, the fault is shown.
      pump.setProblem({ id: 'recording-read', severity: 'error', message: `${args.name} could not be read to the end: ${fault.message}`, tip: 'What was read before the fault is kept.' });
      pump.setStatus({ phase: 'failed', detail: fault.message });
      await pump.drained();
      return { phase: 'failed', messages: pump.ingest.totals().messages };
    }
    const phase = this.stopped ? 'stopped' : 'ended';
    pump.setStatus({ phase, ...(phase === 'ended' ? { progress: 1 } : {}) });
    await pump.drained();
    return { phase, messages: pump.ingest.totals().messages };
  }

  stop(): void {
    this.stopped = true;
  }
}
