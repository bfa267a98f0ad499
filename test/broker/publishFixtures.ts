/**
 * Shared by the publisher's tests against aedes (test/broker) and Mosquitto (test/e2e):
 * generated recordings, a subscriber that keeps what it receives, and the real `twin` bin.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { topics } from '../../src/contract/parseTopic';

export const STORE = 'store-t1';
/** The fixture layout's four slots with their shelves (test/fixtures/miniLayout.ts). */
export const SLOTS = [
  ['A', 'A-0-0'],
  ['A', 'A-0-1'],
  ['A', 'A-1-0'],
  ['B', 'B-0-0'],
] as const;
export const T0 = Date.parse('2026-11-22T21:00:00.000Z');

/** `n` weight readings over the fixture's four slots, `stepMs` apart, each topic with seq 1, 2, ... */
export function weightLines(n: number, stepMs = 1, t0 = T0): string[] {
  const seq = new Map<string, number>();
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const [shelf, slot] = SLOTS[i % SLOTS.length]!;
    const topic = topics.weight(STORE, shelf, slot);
    const s = (seq.get(topic) ?? 0) + 1;
    seq.set(topic, s);
    const ts = new Date(t0 + i * stepMs).toISOString();
    lines.push(JSON.stringify({ topic, payload: JSON.stringify({ ts, grams: 1000 + (i % 97), seq: s }), qos: 1, received: ts }));
  }
  return lines;
}

/** A camera frame line as a recorder writes it: bytes as base64, QoS 0, `ts` as a user property. */
export function frameLine(camera: string, bytes: Uint8Array, tsMs: number): string {
  const ts = new Date(tsMs).toISOString();
  return JSON.stringify({ topic: topics.frame(STORE, camera), payload_b64: Buffer.from(bytes).toString('base64'), qos: 0, props: { ts }, received: ts });
}

export function statusLine(device: string, online: boolean, tsMs: number): string {
  const ts = new Date(tsMs).toISOString();
  return JSON.stringify({ topic: topics.status(STORE, device), payload: JSON.stringify({ ts, online }), qos: 1, retain: true, received: ts });
}

/** A tiny JPEG-looking payload: SOI marker, bytes that are not UTF-8, EOI marker. */
export function fakeJpeg(i: number): Uint8Array {
  return Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, i & 0xff, 0x00, 0x80, 0xfe, 0xff, 0xd9]);
}

export interface Received {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: number;
  readonly retain: boolean;
  readonly props?: Record<string, string | string[]>;
}

export interface Subscriber {
  readonly client: MqttClient;
  readonly got: Received[];
  /** Resolves once `pred` holds, or rejects after `ms` with what was received so far. */
  until(pred: (got: Received[]) => boolean, ms?: number): Promise<void>;
  end(): Promise<void>;
}

/** Subscribes to everything of the fixture store at QoS 1. */
export async function subscribe(url: string, protocolVersion: 4 | 5 = 4): Promise<Subscriber> {
  const client = await mqtt.connectAsync(url, { protocolVersion, reconnectPeriod: 0, clean: true });
  const got: Received[] = [];
  client.on('message', (topic, payload, packet) => {
    got.push({ topic, payload, qos: packet.qos, retain: packet.retain, ...(packet.properties?.userProperties ? { props: packet.properties.userProperties } : {}) });
  });
  await client.subscribeAsync(topics.all(STORE), { qos: 1 });
  return {
    client,
    got,
    async until(pred, ms = 15_000) {
      const deadline = Date.now() + ms;
      while (!pred(got)) {
        if (Date.now() > deadline) throw new Error(`timed out with ${got.length} message(s) received`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    end: () => client.endAsync(),
  };
}

/**
 * Per topic, how often each seq arrived. Every seq once is "every message, once";
 * QoS 1 is at least once, so a repeat is legal MQTT but would show the publisher resent.
 */
export function seqCounts(got: readonly Received[]): { messages: number; distinct: number; repeats: number } {
  const seen = new Set<string>();
  let messages = 0;
  let repeats = 0;
  for (const m of got) {
    if (!m.topic.endsWith('/weight')) continue;
    messages++;
    const key = `${m.topic}#${(JSON.parse(m.payload.toString('utf8')) as { seq: number }).seq}`;
    if (seen.has(key)) repeats++;
    seen.add(key);
  }
  return { messages, distinct: seen.size, repeats };
}

export { runTwin, twin, type TwinRun } from '../cli/runTwin';
