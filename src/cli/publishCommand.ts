/**
 * `twin publish (--recording FILE | --scenario FILE) --broker URL [...]`: replays a
 * recording, or a scenario simulated on the fly, onto an MQTT broker as the store's devices
 * would have published it (../shared/contract/mqtt.md), paced in recording time. Totals go
 * to stdout as one JSON line; progress to stderr on a terminal.
 */
import type { IClientOptions, MqttClient } from 'mqtt';
import { BrokerRefused, BrokerUnreachable, connectBroker } from '../broker/connectBroker';
import { publishMessages, type PublishProgress } from '../broker/publishMessages';
import type { RawMessage } from '../contract/messages';
import { parseTopic, topics } from '../contract/parseTopic';
import { formatTs } from '../contract/parseTs';
import { parseRecordingLine } from '../contract/recording';
import { BROKER_OPTIONS, readBrokerOptions } from './brokerOptions';
import { CliError } from './CliError';
import { loadLayout, recordingLines } from './files';
import { parseOptions } from './parseOptions';
import { scenarioMessages } from '../broker/scenarioMessages';
import { loadScenario } from './loadScenario';


export async function publishCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    recording: { type: 'string' },
    scenario: { type: 'string' },
    ...BROKER_OPTIONS,
    speed: { type: 'string' },
    layout: { type: 'string' },
    'will-device': { type: 'string' },
  });
  if (!values.recording === !values.scenario) throw new CliError('give one of --recording FILE or --scenario FILE');
  const { url: brokerUrl, protocol, connectTimeoutS: timeoutS } = readBrokerOptions(values);
  const protocolVersion = protocol === '5' ? 5 : 4;
  const speed = parseSpeed(values.speed ?? '1');
  const scenario = values.scenario ? loadScenario(values.scenario) : undefined;
  const layout = scenario?.layout ?? (values.layout ? loadLayout(values.layout) : undefined);

  // Read the first message before connecting: a missing or empty file fails before any
  // network traffic, and the recording names the store when no layout does.
  const counts = { skipped: 0 };
  const source = (scenario ? toAsync(scenarioMessages(scenario.layout, scenario.run, counts)) : readRecording(values.recording!, counts))[Symbol.asyncIterator]();
  const first = await source.next();
  const store = layout?.layout.store ?? (first.done ? undefined : storeOf(first.value.topic));
  const willDevice = values['will-device'];
  const statusTopic = willDevice === undefined ? undefined : willTopic(store, willDevice);
  if (willDevice !== undefined && layout && !layout.deviceIds().includes(willDevice)) {
    console.error(`twin publish: note: ${willDevice} is not a device of layout ${values.layout}; readers will quarantine its status as unknown_id`);
  }

  const options: IClientOptions = {
    protocolVersion,
    clean: true,
    ...(values.username !== undefined ? { username: values.username } : {}),
    ...(values.password !== undefined ? { password: values.password } : {}),
    // The Last Will's ts is fixed at connect time: the broker sends it as it was given.
    ...(statusTopic ? { will: { topic: statusTopic, payload: Buffer.from(status(false)), qos: 1 as const, retain: true } } : {}),
  };
  const bar = process.stderr.isTTY && values.recording ? new ProgressLine(await countLines(values.recording)) : undefined;
  let client: MqttClient;
  let maxInFlight: number | undefined;
  try {
    const connected = await connectBroker(brokerUrl, options, timeoutS * 1000);
    client = connected.client;
    // An MQTT 5 broker says how many unacknowledged QoS 1 messages it takes; more is a protocol error.
    maxInFlight = connected.connack.properties?.receiveMaximum;
  } catch (e) {
    await source.return?.(undefined);
    if (e instanceof BrokerRefused) throw new CliError(`broker ${brokerUrl} refused the connection: ${e.message}`);
    if (e instanceof BrokerUnreachable) throw new CliError(`cannot reach broker ${brokerUrl}: ${e.message}`);
    throw new CliError(`cannot connect to broker ${brokerUrl}: ${(e as Error).message}`);
  }
  // Errors while publishing reach publishMessages, which reports them; this listener only
  // keeps a late one (after the last ack) from being thrown as an unhandled 'error' event.
  client.on('error', () => {});

  try {
    if (statusTopic) await client.publishAsync(statusTopic, status(true), { qos: 1, retain: true });
    const result = await publishMessages(client, withFirst(first, source), {
      speed,
      ...(maxInFlight ? { maxInFlight: Math.min(maxInFlight, 1000) } : {}),
      ...(bar ? { onProgress: (p: PublishProgress) => bar.show(p, counts.skipped) } : {}),
    });
    // Finishing is a clean goodbye, so the broker will not send the will: say offline ourselves.
    if (statusTopic) await client.publishAsync(statusTopic, status(false), { qos: 1, retain: true });
    await client.endAsync();
    bar?.clear();
    console.log(JSON.stringify({ published: result.published, skipped: counts.skipped, qos1Acked: result.qos1Acked, seconds: Math.round(result.seconds * 1000) / 1000 }));
    return 0;
  } catch (e) {
    bar?.clear();
    // Dropping the connection without DISCONNECT makes the broker publish the will (offline).
    client.end(true);
    if (e instanceof CliError) throw e;
    throw new CliError(`publishing to ${brokerUrl} failed: ${(e as Error).message}`);
  }
}

/** The recording's valid messages, in file order; bad lines are counted in `counts.skipped`. */
async function* readRecording(path: string, counts: { skipped: number }): AsyncGenerator<RawMessage> {
  let lineNo = 0;
  for await (const line of recordingLines(path)) {
    lineNo++;
    if (line.trim() === '') continue;
    // NaN as "now": a line without `received` keeps NaN, which the pacing reads as "no time".
    const r = parseRecordingLine(line, lineNo, NaN);
    if (r.ok) yield r.message;
    else counts.skipped++;
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

async function* withFirst<T>(first: IteratorResult<T>, rest: AsyncIterator<T>): AsyncGenerator<T> {
  try {
    if (first.done) return;
    yield first.value;
    for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
  } finally {
    // Stopped early (a lost connection): close the file too.
    await rest.return?.(undefined);
  }
}

function status(online: boolean): string {
  return JSON.stringify({ ts: formatTs(Date.now()), online });
}

function storeOf(topic: string): string | undefined {
  return parseTopic(topic)?.store;
}

function willTopic(store: string | undefined, device: string): string {
  if (!store) throw new CliError('--will-device needs --layout FILE to name the store (the recording does not)');
  const topic = topics.status(store, device);
  if (parseTopic(topic)?.kind !== 'status') throw new CliError(`--will-device ${JSON.stringify(device)} is not a valid device id ([A-Za-z0-9_-]{1,64})`);
  return topic;
}

function parseSpeed(raw: string): number {
  if (raw === 'max') return Infinity;
  const speed = Number(raw);
  if (!Number.isFinite(speed) || speed <= 0) throw new CliError(`--speed must be a number > 0 or max, not ${JSON.stringify(raw)}`);
  return speed;
}

/** Lines in the file, for the progress bar's 100 % (terminal only: it reads the file twice). */
async function countLines(path: string): Promise<number> {
  let n = 0;
  for await (const line of recordingLines(path)) if (line.trim() !== '') n++;
  return n;
}

/** One self-overwriting line on stderr: a bar over recording lines, and acknowledgements. */
class ProgressLine {
  constructor(private readonly totalLines: number) {}
  show(p: PublishProgress, skipped: number): void {
    const done = p.published + skipped;
    const frac = this.totalLines > 0 ? Math.min(1, done / this.totalLines) : 1;
    const bar = '#'.repeat(Math.round(frac * 30)).padEnd(30, '-');
    process.stderr.write(`\r[${bar}] ${(frac * 100).toFixed(0).padStart(3)}%  ${p.published} published, ${p.qos1Acked} acked, ${skipped} skipped\x1b[K`);
  }
  clear(): void {
    process.stderr.write('\r\x1b[K');
  }
}
