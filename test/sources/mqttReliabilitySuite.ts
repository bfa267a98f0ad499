/**
 * The live source's behaviour suite, run against every broker the project supports: the
 * embedded aedes in `npm test` (test/sources/mqttReliability.test.ts) and Mosquitto over
 * MQTT 3.1.1 and 5 in `npm run test:e2e` (test/e2e/mqttReliability.test.ts). Each case
 * feeds the live pipeline (MqttSubscription -> Ingest, ack once ingested) and checks that
 * every QoS 1 message the broker took is accepted exactly once.
 */
import { describe, expect, it } from 'vitest';
import type { RawMessage } from '../../src/contract/messages';
import { topics } from '../../src/contract/parseTopic';
import { STORE, keyOf, publishAll, publishTracked, recentT0, startLive, weightMessages } from './liveFixtures';
import { startTcpProxy } from './tcpProxy';

export interface TestBroker {
  readonly url: string;
  /** Stops the broker and starts it again on the same port with the state it kept (sessions, queued messages). */
  restart(): Promise<void>;
  close(): Promise<void>;
  /** What the broker logged, for a failing test's message. */
  log(): string;
}

export interface ReliabilityTarget {
  /** The broker's name in the test titles. */
  readonly broker: string;
  readonly protocol: '3.1.1' | '5';
  startBroker(): Promise<TestBroker>;
}

/** Messages in the full-speed run. */
const BULK = 100_000;
/** How long the client's network is down in the drop case (the 10 s). */
const DOWN_MS = 10_000;

export function mqttReliabilitySuite(target: ReliabilityTarget): void {
  const { protocol } = target;

  /** Runs `body` with a fresh broker (nothing retained or queued from another case), closed after. */
  async function withBroker(body: (broker: TestBroker) => Promise<void>): Promise<void> {
    const broker = await target.startBroker();
    try {
      await body(broker);
    } catch (e) {
      (e as Error).message += `\nbroker log:\n${broker.log().slice(-3000)}`;
      throw e;
    } finally {
      await broker.close();
    }
  }

  function expectEveryOnce(live: Awaited<ReturnType<typeof startLive>>, msgs: readonly RawMessage[]): void {
    const missing = msgs.map(keyOf).filter((k) => !live.accepted.has(k));
    expect(missing.slice(0, 10), `${missing.length} missing; ${live.describe()}`).toEqual([]);
    expect(live.twice().slice(0, 10), 'accepted twice').toEqual([]);
    expect(live.accepted.size).toBe(msgs.length);
    const t = live.ingest.totals();
    expect(t.accepted).toBe(msgs.length);
    expect(t.quarantined).toBe(0);
  }

  describe(`MqttSubscription on ${target.broker} over MQTT ${protocol}`, () => {
    it(`ingests ${BULK.toLocaleString('en-US')} QoS 1 readings published at full speed, each once`, async () => {
      await withBroker(async (broker) => {
        const live = await startLive(broker.url, protocol);
        try {
          const msgs = weightMessages(BULK);
          const started = performance.now();
          await publishAll(broker.url, protocol, msgs);
          await live.until(() => live.accepted.size >= BULK, 60_000, `all ${BULK} readings`);
          const seconds = (performance.now() - started) / 1000;
          await new Promise((r) => setTimeout(r, 100)); // room for a stray redelivery to show
          expectEveryOnce(live, msgs);
          expect(live.ingest.totals().duplicates).toBe(0);
          expect(live.sub.stats).toMatchObject({ received: BULK, acked: BULK, reconnects: 0 });
          console.log(`${target.broker} MQTT ${protocol}: ${BULK} readings published and ingested in ${seconds.toFixed(2)} s`);
        } finally {
          await live.sub.stop();
        }
      });
    }, 120_000);

    it('loses nothing and counts nothing twice when the broker restarts mid-stream', async () => {
      await withBroker(async (broker) => {
        // 4,000 readings a slot: a redelivery is recognised as a duplicate within the newest
        // 4,096 seqs of its topic (SeqWindow), an hour and more of a real load cell. A broker
        // may redeliver a resumed session's unacknowledged messages behind thousands of newer
        // ones (aedes does), which at this test's rate is most of a topic's seqs.
        const N = 16_000;
        const live = await startLive(broker.url, protocol);
        try {
          const msgs = weightMessages(N);
          // Restart once the subscriber is a third of the way in, while the publisher is busy.
          let restarted: Promise<void> | undefined;
          let receivedAtRestart = 0;
          const trigger = live.until(() => live.sub.stats.received >= N / 3, 60_000, 'a third of the stream').then(() => {
            receivedAtRestart = live.sub.stats.received;
            restarted = broker.restart();
          });
          const first = await publishTracked(broker.url, protocol, msgs);
          await trigger;
          await restarted;
          // The publisher resends what the broker had not acknowledged when it went down.
          const second = await publishTracked(broker.url, protocol, first.unacked);
          expect(second.unacked).toEqual([]);
          await live.until(() => live.accepted.size >= N, 60_000, `all ${N} readings after the restart`);
          await new Promise((r) => setTimeout(r, 200));
          expectEveryOnce(live, msgs);
          expect(live.sub.stats.reconnects).toBeGreaterThanOrEqual(1);
          expect(live.states.some((s) => s.startsWith('offline'))).toBe(true);
          console.log(
            `${target.broker} MQTT ${protocol} restart: at ${receivedAtRestart} of ${N} received; the publisher resent ${first.unacked.length} unacknowledged; ` +
              `${live.ingest.totals().duplicates} redelivered duplicate(s) stored once; ${live.sub.stats.reconnects} reconnect(s)`,
          );
        } finally {
          await live.sub.stop();
        }
      });
    }, 120_000);

    it(`loses nothing when the client's connection is down for ${DOWN_MS / 1000} s while the publisher goes on`, async () => {
      await withBroker(async (broker) => {
        const proxy = await startTcpProxy(broker.url);
        const live = await startLive(proxy.url, protocol, { reconnect: { minMs: 100, maxMs: 1000 } });
        try {
          // 16,000 readings 0.8 ms apart: the publisher runs about 13 s, around the outage.
          const N = 16_000;
          const msgs = weightMessages(N, 0.8);
          const publishing = publishAll(broker.url, protocol, msgs, 1);
          await live.until(() => live.sub.stats.received > 0, 10_000, 'the first readings');
          await new Promise((r) => setTimeout(r, 500));
          const before = live.sub.stats.received;
          await proxy.down(DOWN_MS);
          await publishing;
          await live.until(() => live.accepted.size >= N, 60_000, `all ${N} readings after the outage`);
          await new Promise((r) => setTimeout(r, 200));
          expectEveryOnce(live, msgs);
          expect(before).toBeLessThan(N / 2);
          // One reconnection, or a few: aedes 1.2 drops a resumed session when a message it
          // queued while we were away also went out live ("no such packet"); nothing is lost.
          expect(live.sub.stats.reconnects).toBeGreaterThanOrEqual(1);
          expect(live.states.filter((s) => s.startsWith('offline')).length).toBeGreaterThanOrEqual(1);
          expect(live.states.at(-1)).toMatch(/^connected: .*session resumed/);
        } finally {
          await live.sub.stop();
          await proxy.close();
        }
      });
    }, 120_000);

    it('keeps valid messages, stores a repeated seq once, quarantines bad ones with their reason', async () => {
      await withBroker(async (broker) => {
        const live = await startLive(broker.url, protocol);
        try {
          const t0 = recentT0();
          const iso = (ms: number) => new Date(ms).toISOString();
          const w = (slot: string, shelf: string, seq: number, ts: number): RawMessage => ({
            topic: topics.weight(STORE, shelf, slot),
            payload: JSON.stringify({ ts: iso(ts), grams: 2000 + seq, seq }),
            qos: 1,
            retain: false,
            received: ts,
          });
          const raw = (topic: string, payload: string | Uint8Array): RawMessage => ({ topic, payload, qos: 1, retain: false, received: t0 });
          const msgs: RawMessage[] = [
            w('A-0-0', 'A', 1, t0),
            w('A-0-0', 'A', 2, t0 + 2000),
            w('A-0-0', 'A', 3, t0 + 1000), // older ts than seq 2: out of order, still valid
            w('A-0-0', 'A', 2, t0 + 2000), // a repeated seq: stored once
            raw(topics.weight(STORE, 'A', 'A-0-1'), '{"ts": '), // bad JSON
            raw(topics.weight(STORE, 'A', 'A-0-1'), Uint8Array.from([0xc3, 0x28, 0x7b])), // not UTF-8
            raw(topics.weight(STORE, 'A', 'A-0-1'), JSON.stringify({ ts: iso(t0) })), // grams missing
            raw(topics.weight(STORE, 'A', 'A-0-1'), JSON.stringify({ ts: iso(t0), grams: 'heavy' })),
            raw(topics.weight(STORE, 'A', 'A-0-1'), JSON.stringify({ ts: 'yesterday', grams: 1 })),
            raw(topics.weight(STORE, 'A', 'A-0-1'), JSON.stringify({ ts: iso(Date.now() + 3 * 86_400_000), grams: 1 })),
            raw(topics.weight(STORE, 'Z', 'Z-0-0'), JSON.stringify({ ts: iso(t0), grams: 1 })), // unknown shelf
            raw(topics.weight(STORE, 'B', 'A-0-1'), JSON.stringify({ ts: iso(t0), grams: 1 })), // slot on another shelf
            raw(`backroom/v1/${STORE}/shelf/A/temperature`, '{}'), // not a contract topic
            raw(topics.frame(STORE, 'C1'), Uint8Array.from([0x89, 0x50, 0x4e, 0x47])), // a PNG, not a JPEG
            w('B-0-0', 'B', 7, t0 + 500),
            raw(topics.doorState(STORE, 'D1'), JSON.stringify({ ts: iso(t0), open: true })),
          ];
          await publishAll(broker.url, protocol, msgs);
          await live.until(() => live.ingest.totals().messages >= msgs.length, 20_000, 'every message');
          await new Promise((r) => setTimeout(r, 200));
          expect(live.ingest.totals()).toMatchObject({
            messages: msgs.length,
            accepted: 5,
            duplicates: 1,
            quarantined: 10,
            reasons: { bad_json: 2, missing_field: 1, bad_field: 1, bad_ts: 1, future_ts: 1, unknown_id: 1, slot_shelf_mismatch: 1, unknown_topic: 1, bad_frame: 1 },
          });
          expect([...live.accepted.keys()].sort()).toEqual(['A-0-0#1', 'A-0-0#2', 'A-0-0#3', 'B-0-0#7']);
          // The twin reads the slot by ts: the newest reading (seq 2) stands, not the last to arrive.
          expect(live.ingest.twin.state.slots.get('A-0-0')?.grams).toBe(2002);
          expect(live.ingest.quarantine.entries.every((e) => e.detail.length > 0)).toBe(true);
          expect(live.sub.stats).toMatchObject({ received: msgs.length, acked: msgs.length });
        } finally {
          await live.sub.stop();
        }
      });
    }, 120_000);
  });
}
