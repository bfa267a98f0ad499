/**
 * `twin record --broker URL --layout FILE --out FILE.jsonl [...]`: records a store's live
 * telemetry into a recording file (../shared/contract/recording.md). Every message is one
 * line, as received; its PUBACK goes to the broker only once the line is in the file, and
 * the session is persistent, so a recorder that crashes and starts again with the same
 * --client-id misses nothing (a message may then be in both files: a repeated `seq`, which
 * readers store once). Each message also goes through the contract, to count what it would
 * accept and quarantine. Stops on Ctrl-C (SIGINT), SIGTERM or after --for, and prints totals
 * as one JSON line.
 */
import { existsSync, rmSync } from 'node:fs';
import { ContractReader } from '../contract/ContractReader';
import type { RawMessage } from '../contract/messages';
import { recordingLine } from '../contract/recording';
import { MqttSubscription, type ConnectionState } from '../sources/MqttSubscription';
import { BROKER_OPTIONS, readBrokerOptions } from './brokerOptions';
import { CliError } from './CliError';
import { loadLayout } from './files';
import { parseOptions } from './parseOptions';
import { RecordingFileWriter } from './RecordingFileWriter';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export async function recordCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    ...BROKER_OPTIONS,
    layout: { type: 'string' },
    out: { type: 'string' },
    'client-id': { type: 'string' },
    for: { type: 'string' },
    fsync: { type: 'boolean' },
  });
  const { url: brokerUrl, protocol, connectTimeoutS: timeoutS } = readBrokerOptions(values);
  if (!values.layout) throw new CliError('--layout FILE is required (it names the store to record)');
  if (!values.out) throw new CliError('--out FILE.jsonl is required');
  if (/\.gz$/i.test(values.out)) throw new CliError('--out must be a plain .jsonl file (a recorder appends line by line; gzip it afterwards)');
  const forMs = values.for === undefined ? undefined : parseDuration(values.for);
  const clientId = values['client-id'];
  if (clientId !== undefined && (clientId.length === 0 || clientId.length > 256)) throw new CliError('--client-id must be 1 to 256 characters');
  const layout = loadLayout(values.layout);

  // Ctrl-C, SIGTERM, --for, a lost cause (refused on reconnect, session taken over) or a
  // failed write: whichever comes first stops the recording.
  let stop: (why: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  let writeError: Error | undefined;
  let writer: RecordingFileWriter;
  const existed = existsSync(values.out);
  try {
    writer = await RecordingFileWriter.open(
      values.out,
      (e) => {
        writeError = e;
        stop('write failed');
      },
      { sync: values.fsync === true },
    );
  } catch (e) {
    throw new CliError(`cannot write ${values.out}: ${(e as Error).message}`);
  }

  const counts = new Counts(new ContractReader(layout));
  let fatal: string | undefined;
  let everConnected = false;
  const sub = new MqttSubscription(
    {
      url: brokerUrl,
      store: layout.store,
      protocol,
      ...(clientId !== undefined ? { clientId } : {}),
      ...(values.username !== undefined ? { username: values.username } : {}),
      ...(values.password !== undefined ? { password: values.password } : {}),
      connectTimeoutMs: timeoutS * 1000,
    },
    {
      onMessage(msg, ack) {
        counts.add(msg);
        writer.append(recordingLine(msg), ack);
      },
      onState(state: ConnectionState, detail?: string) {
        if (state === 'connected') {
          if (everConnected) note(`connected again: ${detail}`);
          everConnected = true;
        } else if (state === 'offline') note(`connection lost: ${detail}`);
        else if (state === 'closed' && everConnected && detail !== 'stopped') {
          fatal = detail;
          stop('closed');
        }
      },
    },
  );

  const started = performance.now();
  try {
    await sub.start();
  } catch (e) {
    await writer.close();
    // Leave no empty file behind for a recording that never started.
    if (!existed && writer.bytes === 0) rmSync(values.out, { force: true });
    console.error(`twin record: ${(e as Error).message}`);
    return 1;
  }
  if (process.stderr.isTTY) note(`recording store ${layout.store} from ${brokerUrl} into ${values.out}${forMs ? ` for ${values.for}` : ''}; Ctrl-C stops`);

  const timer = forMs === undefined ? undefined : setTimeout(() => stop('time'), forMs);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await stopped;
  clearTimeout(timer);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);

  // Write what came, so its PUBACKs go before the goodbye; then disconnect (the session
  // stays) and write what arrived in between (those are acknowledged next time: a repeat).
  await writer.flushed();
  await sub.stop();
  await writer.close();
  const totals = { store: layout.store, ...counts.totals(), reconnects: sub.stats.reconnects, seconds: Math.round(performance.now() - started) / 1000, bytes: writer.bytes };
  console.log(JSON.stringify(totals));
  if (writeError) {
    console.error(`twin record: writing ${values.out} failed: ${writeError.message}`);
    return 1;
  }
  if (fatal) {
    console.error(`twin record: ${fatal}`);
    return 1;
  }
  return 0;
}

/** What the contract makes of the messages: the same totals `twin ingest` prints for the file. */
class Counts {
  private messages = 0;
  private accepted = 0;
  private duplicates = 0;
  private readonly reasons = new Map<string, number>();
  constructor(private readonly reader: ContractReader) {}

  add(msg: RawMessage): void {
    this.messages++;
    const out = this.reader.read(msg);
    if (out.status === 'accepted') this.accepted++;
    else if (out.status === 'duplicate') this.duplicates++;
    else this.reasons.set(out.entry.reason, (this.reasons.get(out.entry.reason) ?? 0) + 1);
  }

  totals() {
    const reasons = Object.fromEntries([...this.reasons].sort(([a], [b]) => a.localeCompare(b)));
    const quarantined = [...this.reasons.values()].reduce((a, b) => a + b, 0);
    return { messages: this.messages, accepted: this.accepted, duplicates: this.duplicates, quarantined, reasons };
  }
}

function note(text: string): void {
  console.error(`twin record: ${text}`);
}

/** `30s`, `10m`, `2h`, `1d`, `500ms`, `1.5h`. */
export function parseDuration(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(raw.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
  if (!(ms > 0) || ms > 2 ** 31 - 1) throw new CliError(`--for must be a duration like 30s, 10m or 2h (up to 24d), not ${JSON.stringify(raw)}`);
  return ms;
}
