/**
 * Appends recording lines to a file and says when each is written (Node only): the
 * recorder acknowledges a message to the broker only then, so a crash loses nothing the
 * broker has let go of. Lines that come while a write is under way go together in the next
 * one (group commit): one system call per burst, not per message.
 */
import { close, fdatasync, fstatSync, open, read, write } from 'node:fs';
import { promisify } from 'node:util';

const openAsync = promisify(open);
const writeAsync = promisify(write);
const readAsync = promisify(read);
const syncAsync = promisify(fdatasync);
const closeAsync = promisify(close);

export interface RecordingFileWriterOptions {
  /** Also fdatasync before saying a batch is written: survives a power cut, not only a crash, at a cost per batch. */
  readonly sync?: boolean;
}

export class RecordingFileWriter {
  private lines: string[] = [];
  private callbacks: (() => void)[] = [];
  private writing: Promise<void> | undefined;
  private failure: Error | undefined;
  /** Bytes written by this writer. */
  bytes = 0;

  private constructor(
    private readonly fd: number,
    private readonly options: RecordingFileWriterOptions,
    /** Called once, with the first failed write: nothing after it is written or acknowledged. */
    private readonly onError: (e: Error) => void,
  ) {}

  /**
   * Opens `path` for appending (creating it). A file that does not end with a newline (a
   * writer killed mid-line) gets one first, so the next line starts on a line of its own.
   */
  static async open(path: string, onError: (e: Error) => void, options: RecordingFileWriterOptions = {}): Promise<RecordingFileWriter> {
    const fd = await openAsync(path, 'a+');
    const size = fstatSync(fd).size;
    const writer = new RecordingFileWriter(fd, options, onError);
    if (size > 0) {
      const last = Buffer.alloc(1);
      await readAsync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) await writer.writeAll(Buffer.from('\n'));
    }
    return writer;
  }

  /** Queues one line (no newline); `written` runs once it is in the file. */
  append(line: string, written: () => void): void {
    if (this.failure) return;
    this.lines.push(line);
    this.callbacks.push(written);
    this.writing ??= this.drain();
  }

  /** Resolves once everything appended so far is written (or writing failed). */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Flushes, then closes the file. */
  async close(): Promise<void> {
    await this.flushed();
    await closeAsync(this.fd);
  }

  private async drain(): Promise<void> {
    try {
      while (this.lines.length > 0 && !this.failure) {
        const lines = this.lines;
        const callbacks = this.callbacks;
        this.lines = [];
        this.callbacks = [];
        await this.writeAll(Buffer.from(lines.join('\n') + '\n', 'utf8'));
        if (this.options.sync) await syncAsync(this.fd);
        for (const cb of callbacks) cb();
      }
    } catch (e) {
      this.failure = e as Error;
      this.lines = [];
      this.callbacks = [];
      this.onError(this.failure);
    } finally {
      this.writing = undefined;
    }
  }

  private async writeAll(buf: Buffer): Promise<void> {
    // A write to a regular file may be partial (a full disk, a signal): write the rest.
    for (let off = 0; off < buf.length; ) {
      const { bytesWritten } = await writeAsync(this.fd, buf, off, buf.length - off, null);
      off += bytesWritten;
      this.bytes += bytesWritten;
    }
  }
}
