/**
 * For the live-source tests against aedes (test/sources) and Mosquitto (test/e2e): generated
 * device messages, a live pipeline (MqttSubscription -> Ingest, ack after ingest) that counts
 * what it accepted by seq, and publishers.
 */
import type { MqttClient } from 'mqtt';
import { connectBroker } from '../../src/broker/connectBroker';
import { publishMessages } from '../../src/broker/publishMessages';
import type { ReadOutcome } from '../../src/contract/ContractReader';
import type { RawMessage } from '../../src/contract/messages';
import { topics } from '../../src/contract/parseTopic';
import { Ingest } from '../../src/ingest/Ingest';
import { MqttSubscription, type MqttSubscriptionOptions } from '../../src/sources/MqttSubscription';
import { miniLayout } from '../fixtures/miniLayout';

import { SLOTS, STORE } from '../broker/publishFixtures';

export { STORE };

/** An hour ago on a whole second: recent enough that no reading is "from the future". */
export const recentT0 = () => Math.floor(Date.now() / 1000) * 1000 - 3600_000;

/**
 * `n` weight readings over the fixture's four slots, each topic with seq 1, 2, ...; `ts` and
 * `received` `stepMs` apart (the publisher paces by `received`).
 */
export function weightMessages(n: number, stepMs = 1, t0 = recentT0()): RawMessage[] {
  const seq = new Map<string, number>();
  const out: RawMessage[] = [];
  for (let i = 0; i < n; i++) {
    const [shelf, slot] = SLOTS[i % SLOTS.length]!;
    const topic = topics.weight(STORE, shelf, slot);
    const s = (seq.get(topic) ?? 0) + 1;
    seq.set(topic, s);
    const ts = t0 + i * stepMs;
    out.push({ topic, payload: JSON.stringify({ ts: new Date(ts).toISOString(), grams: 1000 + (i % 97), seq: s }), qos: 1, retain: false, received: ts });
  }
  return out;
}

/** The key a weight message is counted under: slot and seq. */
export const keyOf = (m: RawMessage): string => {
  const slot = m.topic.split('/')[6];
  const text = typeof m.payload === 'string' ? m.payload : new TextDecoder().decode(m.payload);
  return `${slot}#${(JSON.parse(text) as { seq: number }).seq}`;
};

export interface Live {
  readonly sub: MqttSubscription;
  readonly ingest: Ingest;
  /** Accepted weight events by slot#seq: how often each was accepted. */
  readonly accepted: Map<string, number>;
  /** Every state change, `state: detail`. */
  readonly states: string[];
  /** Polls `pred` every 20 ms; rejects after `ms` with what the pipeline has seen. */
  until(pred: () => boolean, ms: number, what: string): Promise<void>;
  /** Keys accepted more than once. */
  twice(): string[];
  describe(): string;
}

/** The live pipeline as the workbench runs it: every message into Ingest, acked once ingested. */
export async function startLive(
  url: string,
  protocol: '3.1.1' | '5',
  options: Partial<MqttSubscriptionOptions> = {},
  /** Sees each message as the subscription handed it over, and what Ingest made of it. */
  observe?: (msg: RawMessage, outcome: ReadOutcome) => void,
): Promise<Live> {
  const accepted = new Map<string, number>();
  const states: string[] = [];
  const ingest = new Ingest(miniLayout(), {
    onEvent: (e) => {
      if (e.type !== 'weight') return;
      const key = `${e.slot}#${e.seq}`;
      accepted.set(key, (accepted.get(key) ?? 0) + 1);
    },
  });
  const sub = new MqttSubscription(
    { url, store: STORE, protocol, clientId: `test-${Math.random().toString(16).slice(2, 10)}`, reconnect: { minMs: 50, maxMs: 1000 }, connectTimeoutMs: 10_000, ...options },
    {
      onMessage(msg, ack) {
        const outcome = ingest.push(msg);
        observe?.(msg, outcome);
        ack();
      },
      onState(state, detail) {
        states.push(`${state}: ${detail ?? ''}`);
      },
    },
  );
  await sub.start();
  const live: Live = {
    sub,
    ingest,
    accepted,
    states,
    async until(pred, ms, what) {
      const deadline = Date.now() + ms;
      while (!pred()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${live.describe()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    twice: () => [...accepted].filter(([, n]) => n > 1).map(([k]) => k),
    describe: () => `${accepted.size} distinct accepted, stats ${JSON.stringify(sub.stats)}, totals ${JSON.stringify(ingest.totals())}, states:\n  ${states.join('\n  ')}`,
  };
  return live;
}

/** A publishing client for `publishMessages` (the project's publisher), in the broker's Receive Maximum. */
export async function publisher(url: string, protocol: '3.1.1' | '5'): Promise<{ client: MqttClient; maxInFlight: number }> {
  const { client, connack } = await connectBroker(url, { protocolVersion: protocol === '5' ? 5 : 4, clean: true }, 10_000);
  client.on('error', () => {});
  return { client, maxInFlight: Math.min(connack.properties?.receiveMaximum ?? 1000, 1000) };
}

/** Publishes every message at full speed with the project's publisher and disconnects. */
export async function publishAll(url: string, protocol: '3.1.1' | '5', msgs: RawMessage[], speed = Infinity): Promise<void> {
  const { client, maxInFlight } = await publisher(url, protocol);
  try {
    await publishMessages(client, msgs, { speed, maxInFlight });
  } finally {
    await client.endAsync();
  }
}

/**
 * Publishes at full speed as a device would through a broker restart: each message's PUBACK
 * is tracked, and when the connection goes, the messages the broker did not acknowledge come
 * back (the device keeps and resends those; the broker owns the rest).
 */
export async function publishTracked(url: string, protocol: '3.1.1' | '5', msgs: readonly RawMessage[], maxInFlight = 1000): Promise<{ unacked: RawMessage[] }> {
  const { client } = await publisher(url, protocol);
  const acked = new Uint8Array(msgs.length);
  let inFlight = 0;
  let closed = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  client.on('close', () => {
    closed = true;
    poke();
  });
  for (let i = 0; i < msgs.length && !closed; i++) {
    while (inFlight >= maxInFlight && !closed) await new Promise<void>((r) => (wake = r));
    if (closed) break;
    const m = msgs[i]!;
    inFlight++;
    client.publish(m.topic, m.payload as string, { qos: 1 }, (err) => {
      inFlight--;
      if (!err) acked[i] = 1;
      poke();
    });
  }
  while (inFlight > 0 && !closed) await new Promise<void>((r) => (wake = r));
  // Whatever was still waiting for its PUBACK when the connection went counts as not acknowledged.
  client.end(true);
  return { unacked: msgs.filter((_, i) => !acked[i]) };
}
