/**
 * `twin publish` and publishMessages against the embedded aedes broker (MQTT 3.1.1), with a
 * real mqtt.js subscriber: every message arrives once, status is retained, pacing follows
 * recording time, bad lines are skipped and counted, the Last Will fires.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embeddedBroker';
import { publishMessages, type Clock } from '../../src/broker/publishMessages';
import type { RawMessage } from '../../src/contract/messages';
import { topics } from '../../src/contract/parseTopic';
import { P } from '../fixtures/miniLayout';
import { STORE, T0, fakeJpeg, frameLine, runTwin, seqCounts, statusLine, subscribe, twin, weightLines } from './publishFixtures';

let broker: EmbeddedBroker;
let dir: string;
beforeAll(async () => {
  broker = await startEmbeddedBroker();
  dir = mkdtempSync(join(tmpdir(), 'twin-publish-'));
});
afterAll(() => broker?.close());

function recording(name: string, lines: string[]): string {
  const f = join(dir, name);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

const parse = (b: Buffer) => JSON.parse(b.toString('utf8')) as Record<string, unknown>;

describe('twin publish', () => {
  it('publishes 20,000 QoS 1 messages at --speed max, each once; skips and counts bad lines; retains status', async () => {
    const N = 20_000;
    const weights = weightLines(N);
    // Bad lines among the good ones, a blank line (not a message, not counted), a retained status.
    const lines = [statusLine('R1', true, T0), ...weights.slice(0, 5), '{{ not json', ...weights.slice(5, 100), '', '{"payload":"no topic"}', ...weights.slice(100), '[1,2]'];
    const file = recording('big.jsonl', lines);
    const sub = await subscribe(broker.url);
    try {
      const r = await twin('publish', '--recording', file, '--broker', broker.url, '--speed', 'max', '--will-device', 'gw-1');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      const totals = JSON.parse(r.stdout);
      expect(totals).toMatchObject({ published: N + 1, skipped: 3, qos1Acked: N + 1 });
      expect(totals.seconds).toBeGreaterThan(0);

      await sub.until((got) => seqCounts(got).messages >= N);
      await new Promise((res) => setTimeout(res, 200)); // room for a stray duplicate to show
      expect(seqCounts(sub.got)).toEqual({ messages: N, distinct: N, repeats: 0 });
      expect(sub.got.filter((m) => m.topic.endsWith('/weight')).every((m) => m.qos === 1 && !m.retain)).toBe(true);
      // The gateway said online at connect and offline at a clean finish.
      const gw = sub.got.filter((m) => m.topic === topics.status(STORE, 'gw-1')).map((m) => parse(m.payload).online);
      expect(gw).toEqual([true, false]);
    } finally {
      await sub.end();
    }

    // A subscriber that comes later gets the retained status messages, and nothing else.
    const late = await subscribe(broker.url);
    try {
      await late.until((got) => got.length >= 2);
      await new Promise((res) => setTimeout(res, 100));
      const byTopic = Object.fromEntries(late.got.map((m) => [m.topic, { retain: m.retain, online: parse(m.payload).online }]));
      expect(byTopic).toEqual({
        [`${P}status/R1`]: { retain: true, online: true },
        [`${P}status/gw-1`]: { retain: true, online: false },
      });
    } finally {
      await late.end();
    }
  }, 120_000);

  it('paces by recording time: 2 s of recording at --speed 4 takes about 0.5 s', async () => {
    const file = recording('paced.jsonl', weightLines(21, 100, T0 + 3_600_000));
    const r = await twin('publish', '--recording', file, '--broker', broker.url, '--speed', '4');
    expect(r.code, r.stderr).toBe(0);
    const { published, seconds } = JSON.parse(r.stdout);
    expect(published).toBe(21);
    // Loose on purpose: shared machines are noisy. Too fast would mean no pacing at all.
    expect(seconds).toBeGreaterThanOrEqual(0.4);
    expect(seconds).toBeLessThan(5);
  });

  it('sends frames as bytes, at the QoS they were recorded with', async () => {
    const file = recording('frames.jsonl', [frameLine('C1', fakeJpeg(1), T0), ...weightLines(2), frameLine('C1', fakeJpeg(2), T0 + 5)]);
    const sub = await subscribe(broker.url);
    try {
      const r = await twin('publish', '--recording', file, '--broker', broker.url, '--speed', 'max');
      expect(JSON.parse(r.stdout)).toMatchObject({ published: 4, skipped: 0, qos1Acked: 2 });
      await sub.until((got) => got.length >= 4);
      const frames = sub.got.filter((m) => m.topic.endsWith('/frame'));
      expect(frames.map((m) => [...m.payload])).toEqual([[...fakeJpeg(1)], [...fakeJpeg(2)]]);
      expect(frames.every((m) => m.qos === 0)).toBe(true);
    } finally {
      await sub.end();
    }
  });

  it('publishes the Last Will (offline, retained) when the publisher dies mid-recording', async () => {
    const file = recording('slow.jsonl', weightLines(2, 60_000, T0 + 7_200_000));
    const sub = await subscribe(broker.url);
    const statusOf = (online: boolean) => (got: typeof sub.got) => got.some((m) => m.topic === topics.status(STORE, 'gw-die') && parse(m.payload).online === online);
    const run = runTwin('publish', '--recording', file, '--broker', broker.url, '--speed', '1', '--will-device', 'gw-die');
    try {
      await sub.until(statusOf(true), 15_000);
      run.child.kill('SIGKILL');
      await sub.until(statusOf(false), 15_000);
      const will = sub.got.find((m) => m.topic === topics.status(STORE, 'gw-die') && parse(m.payload).online === false)!;
      expect(parse(will.payload).ts).toEqual(expect.any(String));
    } finally {
      run.child.kill('SIGKILL');
      await run.done;
      await sub.end();
    }
  });

  it('exits 2 with one clear line for a broker it cannot reach, a bad URL, a missing file, bad options', async () => {
    const file = recording('one.jsonl', weightLines(1));
    const gone = await startEmbeddedBroker();
    await gone.close(); // a port that was just free: nothing listens there now
    const cases: [string[], RegExp][] = [
      [['--recording', file, '--broker', gone.url, '--connect-timeout', '0.5'], /cannot reach broker .*within 0\.5 s/],
      [['--recording', file, '--broker', 'localhost:1883'], /--broker .*must be mqtt:\/\//],
      [['--recording', file, '--broker', 'not a url'], /not a URL/],
      [['--recording', join(dir, 'missing.jsonl'), '--broker', broker.url], /recording .*missing\.jsonl does not exist/],
      [['--recording', file, '--broker', broker.url, '--speed', '0'], /--speed must be/],
      [['--recording', file, '--broker', broker.url, '--protocol', '4'], /--protocol must be 3\.1\.1 or 5/],
      [['--recording', file], /--broker .* is required/],
      [['--recording', file, '--broker', broker.url, '--will-device', 'a/b'], /not a valid device id/],
      // aedes 1.x speaks MQTT 3.1.1 only: an MQTT 5 connection is refused, and said so.
      [['--recording', file, '--broker', broker.url, '--protocol', '5'], /refused the connection/],
    ];
    for (const [args, re] of cases) {
      const r = await twin('publish', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(/^twin publish: /);
      expect(r.stderr, args.join(' ')).toMatch(re);
    }
  }, 120_000);
});

describe('publishMessages', () => {
  const msg = (i: number, received: number): RawMessage => ({
    topic: topics.weight(STORE, 'A', 'A-0-0'),
    payload: JSON.stringify({ ts: received, grams: i, seq: i + 1 }),
    qos: 1,
    retain: false,
    received,
  });
  /** A clock whose sleeps pass instantly and are added up: pacing without waiting for it. */
  const virtualClock = () => {
    let t = 0;
    const clock: Clock & { slept: number } = { slept: 0, now: () => t, sleep: async (ms) => void ((t += ms), (clock.slept += ms)) };
    return clock;
  };

  it('sleeps (received - first) / speed in all, and not at all for lines without a time', async () => {
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    try {
      const clock = virtualClock();
      const timed = Array.from({ length: 21 }, (_, i) => msg(i, T0 + i * 100));
      const r = await publishMessages(client, timed, { speed: 4, clock });
      expect(r).toMatchObject({ published: 21, qos1Acked: 21 });
      expect(clock.slept).toBeCloseTo(500, 0);
      expect(r.seconds).toBeCloseTo(0.5, 2);

      const untimed = virtualClock();
      await publishMessages(client, Array.from({ length: 5 }, (_, i) => msg(i, NaN)), { speed: 1, clock: untimed });
      expect(untimed.slept).toBe(0);
    } finally {
      await client.endAsync();
    }
  });

  it('takes an async source and keeps at most maxInFlight unacknowledged', async () => {
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    let maxSeen = 0;
    async function* source() {
      for (let i = 0; i < 500; i++) yield msg(i, T0 + i);
    }
    try {
      const r = await publishMessages(client, source(), { speed: Infinity, maxInFlight: 7, progressEveryMs: 0, onProgress: (p) => (maxSeen = Math.max(maxSeen, p.inFlight)) });
      expect(r).toMatchObject({ published: 500, qos1Acked: 500 });
      expect(maxSeen).toBeLessThanOrEqual(7);
      expect(maxSeen).toBeGreaterThan(1);
    } finally {
      await client.endAsync();
    }
  });

  it('stops at once when its signal aborts, also in the middle of a long pause', async () => {
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    try {
      const abort = new AbortController();
      // The second message is an hour of recording time after the first: a real hour's sleep at speed 1.
      const running = publishMessages(client, [msg(0, T0), msg(1, T0 + 3_600_000)], { speed: 1, signal: abort.signal });
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      abort.abort(new Error('stopped by the test'));
      await expect(running).rejects.toThrow('stopped by the test');
      // Not the hour's sleep: loose, as shared machines are noisy.
      expect(Date.now() - t0).toBeLessThan(5000);
      // A signal aborted before the start: it rejects at once.
      await expect(publishMessages(client, [msg(2, T0)], { speed: 1, signal: AbortSignal.abort(new Error('never')) })).rejects.toThrow('never');
    } finally {
      await client.endAsync();
    }
  });

  it('rejects when the connection drops before every message is acknowledged', async () => {
    const own = await startEmbeddedBroker();
    const client = await mqtt.connectAsync(own.url, { reconnectPeriod: 0 });
    client.on('error', () => {});
    async function* source() {
      for (let i = 0; i < 100_000; i++) {
        if (i === 50) void own.close();
        yield msg(i, T0 + i);
      }
    }
    try {
      await expect(publishMessages(client, source(), { speed: Infinity })).rejects.toThrow(/closed|disconnect|EPIPE|ECONNRESET/i);
    } finally {
      client.end(true);
      await own.close();
    }
  });
});
