/**
 * One behaviour suite for every TelemetrySource: a scenario simulated in the source, a
 * recording file, and a live broker (the embedded aedes, over TCP here; the page uses
 * WebSocket). Each source runs its real feed behind a MessageChannel, as it would behind a
 * worker. What they must all do: push batches to one listener and never again before its
 * promise settles; deliver every accepted event and quarantine entry exactly once; hand over
 * twin deltas that rebuild the same twin as a plain ingest of the same messages; stop on
 * request with what was read still delivered; and send bad configuration back as a real error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectBroker } from '../../src/broker/connectBroker';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embeddedBroker';
import { publishMessages } from '../../src/broker/publishMessages';
import type { RawMessage } from '../../src/contract/messages';
import { parseRecordingLine } from '../../src/contract/recording';
import { Ingest } from '../../src/ingest/Ingest';
import { LiveFeed } from '../../src/sources/LiveFeed';
import { LiveSource } from '../../src/sources/LiveSource';
import { RecordingFeed } from '../../src/sources/RecordingFeed';
import { RecordingSource } from '../../src/sources/RecordingSource';
import { ScenarioFeed } from '../../src/sources/ScenarioFeed';
import { ScenarioSource } from '../../src/sources/ScenarioSource';
import type { SourceBatch, TelemetrySource } from '../../src/sources/TelemetrySource';
import { miniLayout } from '../fixtures/miniLayout';
import { channelEndpoint, collector, LAYOUT_TEXT, referenceIngest, SCENARIO_TEXT, scenarioLines, twinJson } from './sourceFixtures';

const MAX_EVENTS = 700;
const pump = { maxEvents: MAX_EVENTS };

interface Made {
  readonly source: TelemetrySource;
  /** What a plain ingest of the same messages gives. */
  readonly reference: () => Ingest;
  /** Runs beside start(): publishes to the broker for the live source, then stops it once all arrived. */
  readonly drive?: (batches: SourceBatch[]) => Promise<void>;
}

let broker: EmbeddedBroker | undefined;
afterEach(async () => {
  await broker?.close();
  broker = undefined;
});

async function waitFor(pred: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lines as the broker would deliver them: every valid recording line, received now. */
function asReceived(lines: readonly string[], received: number): RawMessage[] {
  return lines.flatMap((l, i) => {
    const r = parseRecordingLine(l, i + 1, received);
    return r.ok ? [{ ...r.message, received, line: undefined }] : [];
  });
}

const kinds: { name: string; capabilities: string[]; realtime: boolean; make: (lines: string[], layoutText?: string) => Promise<Made> }[] = [
  {
    name: 'ScenarioSource',
    capabilities: ['stop', 'record'],
    realtime: false,
    make: async (lines, layoutText = LAYOUT_TEXT) => ({
      source: new ScenarioSource({ layoutText, scenarioText: SCENARIO_TEXT, lineBatch: 500, pump }, 'Mini day', () => channelEndpoint(new ScenarioFeed())),
      // The simulator's lines carry their own arrival time.
      reference: () => referenceIngest(lines),
    }),
  },
  {
    name: 'RecordingSource',
    capabilities: ['stop'],
    realtime: false,
    make: async (lines, layoutText = LAYOUT_TEXT) => {
      const withBad = [...lines.slice(0, 100), 'not json', '{"topic":"x"}', ...lines.slice(100)];
      const file = new Blob([withBad.join('\n') + '\n']);
      return {
        source: new RecordingSource({ layoutText, file, name: 'mini.jsonl', pump }, () => channelEndpoint(new RecordingFeed())),
        reference: () => referenceIngest(withBad),
      };
    },
  },
  {
    name: 'LiveSource',
    capabilities: ['stop', 'record'],
    realtime: true,
    make: async (lines, layoutText = LAYOUT_TEXT) => {
      broker = await startEmbeddedBroker();
      const url = broker.url;
      const source = new LiveSource(
        { layoutText, connection: { url, store: 'store-t1', protocol: '3.1.1', clientId: `suite-${Date.now()}` }, pump },
        () => channelEndpoint(new LiveFeed()),
      );
      const messages = asReceived(lines, Date.now());
      return {
        source,
        reference: () => {
          const ingest = new Ingest(miniLayout());
          for (const m of messages) ingest.push(m);
          return ingest;
        },
        drive: async (batches) => {
          await waitFor(() => batches.some((b) => b.status.phase === 'connected'));
          const { client } = await connectBroker(url, { protocolVersion: 4 }, 5000);
          try {
            await publishMessages(client, messages, { speed: Infinity });
          } finally {
            await client.endAsync();
          }
          await waitFor(() => (batches.at(-1)?.totals.messages ?? 0) >= messages.length);
          await source.stop();
        },
      };
    },
  },
];

describe.each(kinds)('$name', ({ capabilities, realtime, make }) => {
  it('declares what it can do', async () => {
    const { source } = await make(await scenarioLines());
    expect([...source.capabilities].sort()).toEqual([...capabilities].sort());
    expect(source.realtime).toBe(realtime);
    expect(typeof source.startRecording === 'function').toBe(capabilities.includes('record'));
  });

  it('delivers every event and quarantine entry once, one batch at a time, and the same twin as a plain ingest', async () => {
    const lines = await scenarioLines();
    const { source, reference, drive } = await make(lines);
    const { taken, listener } = collector(1);
    source.setListener(listener);
    const [end] = await Promise.all([source.start(), drive?.(taken.batches)]);
    const ref = reference();
    const totals = taken.batches.at(-1)!.totals;

    expect(taken.overlapped).toBe(false);
    expect(taken.batches.every((b) => b.events.length + b.quarantine.length <= MAX_EVENTS)).toBe(true);
    expect(end).toEqual({ phase: drive ? 'stopped' : 'ended', messages: ref.totals().messages });
    expect(totals).toMatchObject(ref.totals());
    expect(taken.events).toBe(ref.totals().accepted);
    expect(taken.quarantined).toBe(ref.totals().quarantined);
    expect(taken.quarantined).toBeGreaterThan(0);
    expect(taken.batches.at(-1)!.backlog).toBe(0);
    expect(taken.batches.at(-1)!.status.phase).toBe(end.phase);
    expect(twinJson(taken.twin)).toEqual(twinJson(ref.twin.state));
    expect(totals.newestTs).toBe(ref.twin.state.asOf);
  });

  it('stops on request and still delivers what it had read', async () => {
    const { source, drive } = await make(await scenarioLines());
    const { taken, listener } = collector(5);
    source.setListener(async (b) => {
      await listener(b);
      if (taken.batches.length === 3 && !drive) void source.stop();
    });
    const [end] = await Promise.all([source.start(), drive?.(taken.batches)]);
    expect(end.phase).toBe('stopped');
    const last = taken.batches.at(-1)!;
    expect(last.status.phase).toBe('stopped');
    expect(taken.events).toBe(last.totals.accepted);
    expect(taken.quarantined).toBe(last.totals.quarantined);
    if (!drive) expect(end.messages).toBeLessThan((await scenarioLines()).length);
  });

  it('refuses a bad layout with a real error from the other side of the boundary', async () => {
    const { source: bad } = await make(await scenarioLines(), '{"version":1}');
    bad.setListener(async () => {});
    const err = await bad.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/layout is not valid/);
  });
});

describe('LiveSource connection problems', () => {
  it('reports a broker that is not there as a problem, not an exception', async () => {
    const dead = await startEmbeddedBroker();
    const url = dead.url;
    await dead.close();
    const source = new LiveSource(
      { layoutText: LAYOUT_TEXT, connection: { url, store: 'store-t1', protocol: '3.1.1', connectTimeoutMs: 800, reconnect: { minMs: 100, maxMs: 200 } } },
      () => channelEndpoint(new LiveFeed()),
    );
    const { taken, listener } = collector();
    source.setListener(listener);
    const end = await source.start();
    expect(end.phase).toBe('failed');
    const last = taken.batches.at(-1)!.status;
    expect(last.phase).toBe('failed');
    expect(last.problems).toEqual([expect.objectContaining({ id: 'broker-connection', severity: 'error', message: expect.stringMatching(/no connection to mqtt:\/\/127\.0\.0\.1:\d+ within (800 ms|0\.8 s)/) })]);
    // It said it was retrying before it gave up.
    expect(taken.batches.some((b) => b.status.problems.some((p) => p.severity === 'warning' && /Cannot reach/.test(p.message)))).toBe(true);
  });

  it('refuses to start on a layout for another store', async () => {
    const source = new LiveSource({ layoutText: LAYOUT_TEXT, connection: { url: 'mqtt://127.0.0.1:1', store: 'store-other', protocol: '5' } }, () => channelEndpoint(new LiveFeed()));
    await expect(source.start()).rejects.toThrow(/layout is for store store-t1, not store-other/);
  });

  it('records the session as it came, and the recording replays to the same totals and twin', async () => {
    broker = await startEmbeddedBroker();
    const url = broker.url;
    const lines = (await scenarioLines()).slice(0, 3000);
    const messages = asReceived(lines, Date.now());
    const live = new LiveSource({ layoutText: LAYOUT_TEXT, connection: { url, store: 'store-t1', protocol: '3.1.1' }, pump }, () => channelEndpoint(new LiveFeed()));
    const a = collector();
    live.setListener(a.listener);
    const running = live.start();
    await waitFor(() => a.taken.batches.some((b) => b.status.phase === 'connected'));
    await live.startRecording!();
    const { client } = await connectBroker(url, { protocolVersion: 4 }, 5000);
    await publishMessages(client, messages, { speed: Infinity });
    // A message no store knows about is recorded too, and quarantined on replay as it was live.
    await client.publishAsync('backroom/v1/store-t1/shelf/A/slot/ghost/weight', '{"ts":1,"grams":1}', { qos: 1 });
    await client.endAsync();
    await waitFor(() => (a.taken.batches.at(-1)?.totals.messages ?? 0) >= messages.length + 1);
    await waitFor(() => a.taken.batches.at(-1)?.status.recorded === messages.length + 1);
    const file = await live.stopRecording!();
    await live.stop();
    await running;
    const liveTotals = a.taken.batches.at(-1)!.totals;
    expect(liveTotals.quarantined).toBeGreaterThan(0);

    const text = await file.text();
    expect(text.trim().split('\n')).toHaveLength(messages.length + 1);
    const replay = new RecordingSource({ layoutText: LAYOUT_TEXT, file, name: 'session.jsonl', pump }, () => channelEndpoint(new RecordingFeed()));
    const b = collector();
    replay.setListener(b.listener);
    expect((await replay.start()).phase).toBe('ended');
    expect(b.taken.batches.at(-1)!.totals).toEqual(liveTotals);
    expect(twinJson(b.taken.twin)).toEqual(twinJson(a.taken.twin));
  });
});

describe('WorkerSource', () => {
  it('runs once', async () => {
    const source = new ScenarioSource({ layoutText: LAYOUT_TEXT, scenarioText: SCENARIO_TEXT, days: 1 }, 'x', () => channelEndpoint(new ScenarioFeed()));
    source.setListener(async () => void (await source.stop()));
    await source.start();
    await expect(source.start()).rejects.toThrow(/runs once/);
  });

  it('keeps a recording still being made when the source ends', async () => {
    const source = new ScenarioSource({ layoutText: LAYOUT_TEXT, scenarioText: SCENARIO_TEXT, lineBatch: 200, pump }, 'x', () => channelEndpoint(new ScenarioFeed()));
    let n = 0;
    source.setListener(async () => {
      if (++n === 2) await source.startRecording!();
    });
    await source.start();
    const lines = (await (await source.stopRecording!()).text()).trim().split('\n');
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines.every((l) => l.startsWith('{'))).toBe(true);
    await expect(source.stopRecording!()).rejects.toThrow(/no recording/);
  });
});
