/**
 * MqttSubscription's own promises against the embedded broker: PUBACK only after ack(), in
 * arrival order; the session outlives stop(); a refusal is reported once and not retried;
 * an unreachable broker is retried with a doubling backoff until connectTimeoutMs.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embeddedBroker';
import type { RawMessage } from '../../src/contract/messages';
import { topics } from '../../src/contract/parseTopic';
import { MqttSubscription, type MqttSubscriptionOptions } from '../../src/sources/MqttSubscription';
import { STORE } from './liveFixtures';

let broker: EmbeddedBroker;
beforeAll(async () => {
  broker = await startEmbeddedBroker();
});
afterAll(() => broker?.close());

const TOPIC = topics.book(STORE);

async function publish(payloads: string[], opts: { retain?: boolean; topic?: string } = {}): Promise<void> {
  const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
  for (const p of payloads) await client.publishAsync(opts.topic ?? TOPIC, p, { qos: 1, retain: opts.retain ?? false });
  await client.endAsync();
}

interface Probe {
  readonly sub: MqttSubscription;
  readonly got: { msg: RawMessage; ack: () => void }[];
  readonly states: string[];
  until(n: number): Promise<void>;
}

function probe(options: Partial<MqttSubscriptionOptions>, autoAck: (text: string) => boolean = () => true): Probe {
  const got: Probe['got'] = [];
  const states: string[] = [];
  const sub = new MqttSubscription(
    { url: broker.url, store: STORE, protocol: '3.1.1', ...options },
    {
      onMessage(msg, ack) {
        got.push({ msg, ack });
        if (autoAck(new TextDecoder().decode(msg.payload as Uint8Array))) ack();
      },
      onState: (s, d) => states.push(`${s}: ${d ?? ''}`),
    },
    { random: () => 0.5 },
  );
  return {
    sub,
    got,
    states,
    async until(n) {
      const deadline = Date.now() + 10_000;
      while (got.length < n) {
        if (Date.now() > deadline) throw new Error(`got ${got.length} of ${n}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

const texts = (p: Probe) => p.got.map((g) => new TextDecoder().decode(g.msg.payload as Uint8Array));

describe('MqttSubscription', () => {
  it('hands over bytes, qos, retain and arrival time; retained status comes like any message', async () => {
    await publish([JSON.stringify({ ts: 1, online: true })], { retain: true, topic: topics.status(STORE, 'R9') });
    const p = probe({ clientId: 'sub-shape' }, () => true);
    const before = Date.now();
    await p.sub.start();
    await publish(['hello']);
    await p.until(2);
    const [status, hello] = p.got.map((g) => g.msg);
    expect(status).toMatchObject({ topic: topics.status(STORE, 'R9'), qos: 1, retain: true });
    expect(hello).toMatchObject({ topic: TOPIC, qos: 1, retain: false });
    expect(hello!.payload).toBeInstanceOf(Uint8Array);
    expect(hello!.props).toBeUndefined();
    expect(hello!.received).toBeGreaterThanOrEqual(before);
    expect(p.sub.stats).toEqual({ received: 2, acked: 2, reconnects: 0 });
    await p.sub.stop();
    expect(p.states.at(-1)).toBe('closed: stopped');
    await publish([''], { retain: true, topic: topics.status(STORE, 'R9') }); // clear the retained message
  });

  it('keeps what is not acknowledged with the broker: PUBACKs go in arrival order, only after ack()', async () => {
    // m3 is held; m4 and m5 are acked, but their PUBACKs wait behind m3's.
    const first = probe({ clientId: 'sub-held' }, (t) => t !== 'm3');
    await first.sub.start();
    await publish(['m1', 'm2', 'm3', 'm4', 'm5']);
    await first.until(5);
    expect(first.sub.stats).toMatchObject({ received: 5, acked: 4 });
    await first.sub.stop();

    // The broker gives back what it was never told was safe: m3, and m4 and m5 behind it.
    const again = probe({ clientId: 'sub-held' });
    await again.sub.start();
    await again.until(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(texts(again)).toEqual(['m3', 'm4', 'm5']);
    await again.sub.stop();

    // All acknowledged now: nothing comes a third time.
    const third = probe({ clientId: 'sub-held' });
    await third.sub.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(third.got).toEqual([]);
    await third.sub.stop();
  });

  it('holds the PUBACKs of a backlog that arrives right behind the CONNACK until ack()', async () => {
    const first = probe({ clientId: 'sub-backlog' });
    await first.sub.start();
    await first.sub.stop();
    const backlog = Array.from({ length: 200 }, (_, i) => `b${i}`);
    await publish(backlog);
    // Back, but acknowledging nothing: the whole backlog stays with the broker...
    const holding = probe({ clientId: 'sub-backlog' }, () => false);
    await holding.sub.start();
    await holding.until(200);
    expect(holding.sub.stats.acked).toBe(0);
    await holding.sub.stop();
    // ...and comes again, all of it.
    const again = probe({ clientId: 'sub-backlog' });
    await again.sub.start();
    await again.until(200);
    expect(texts(again)).toEqual(backlog);
    await again.sub.stop();
  });

  it('an ack() that comes late still releases the message; a second call does nothing', async () => {
    const p = probe({ clientId: 'sub-late' }, () => false);
    await p.sub.start();
    await publish(['a', 'b']);
    await p.until(2);
    await new Promise((r) => setTimeout(r, 100));
    p.got[1]!.ack();
    p.got[0]!.ack();
    p.got[0]!.ack();
    expect(p.sub.stats.acked).toBe(2);
    await p.sub.stop();
    const again = probe({ clientId: 'sub-late' });
    await again.sub.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(again.got).toEqual([]);
    await again.sub.stop();
  });

  it('keeps the session over stop(): what is published meanwhile comes at the next start', async () => {
    const first = probe({ clientId: 'sub-away' });
    await first.sub.start();
    await first.sub.stop();
    await publish(['while away 1', 'while away 2']);
    const back = probe({ clientId: 'sub-away' });
    await back.sub.start();
    await back.until(2);
    expect(texts(back)).toEqual(['while away 1', 'while away 2']);
    await back.sub.stop();
  });

  it('a refusal rejects start() once, with the reason, and is not retried', async () => {
    // aedes 1.x speaks MQTT 3.1.1 only.
    const p = probe({ protocol: '5' });
    await expect(p.sub.start()).rejects.toThrow(/refused the connection: Unacceptable protocol version/);
    await new Promise((r) => setTimeout(r, 700));
    expect(p.states.filter((s) => s.startsWith('connecting'))).toHaveLength(1);
    expect(p.states.at(-1)).toMatch(/^closed: .*refused/);
  });

  it('retries an unreachable broker with a doubling backoff, then gives up at connectTimeoutMs', async () => {
    const gone = await startEmbeddedBroker();
    await gone.close();
    const p = probe({ url: gone.url, connectTimeoutMs: 1500, reconnect: { minMs: 100, maxMs: 400 } });
    await expect(p.sub.start()).rejects.toThrow(/no connection to .* within 1\.5 s \(.*ECONNREFUSED/);
    const delays = p.states.map((s) => /next attempt in (\d+) ms/.exec(s)?.[1]).filter((d) => d !== undefined).map(Number);
    expect(delays.slice(0, 4)).toEqual([100, 200, 400, 400]);
    expect(p.states.at(-1)).toMatch(/^closed: no connection/);
  });

  it('start() rejects when stop() comes first, and stop() may be called twice', async () => {
    const gone = await startEmbeddedBroker();
    await gone.close();
    const p = probe({ url: gone.url, reconnect: { minMs: 50, maxMs: 50 } });
    const started = p.sub.start();
    await Promise.all([p.sub.stop(), p.sub.stop()]);
    await expect(started).rejects.toThrow(/stopped/);
  });
});
