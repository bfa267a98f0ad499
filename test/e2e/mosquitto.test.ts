/**
 * `twin publish` against a real Mosquitto, over MQTT 5 and 3.1.1: every QoS 1 message once,
 * frames as bytes with their `ts` user property (MQTT 5 only), status retained.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../src/contract/parseTopic';
import { STORE, T0, fakeJpeg, frameLine, seqCounts, statusLine, subscribe, twin, weightLines } from '../broker/publishFixtures';
import { startMosquitto, type TestMosquitto } from './mosquitto';

let mosquitto: TestMosquitto;
let recording: string;
const WEIGHTS = 5000;
const FRAMES = 20;

beforeAll(async () => {
  mosquitto = await startMosquitto();
  const dir = mkdtempSync(join(tmpdir(), 'twin-e2e-publish-'));
  recording = join(dir, 'mixed.jsonl');
  const weights = weightLines(WEIGHTS);
  const lines = [statusLine('C1', true, T0)];
  // A frame every 250 weights, each with its own `ts` property.
  weights.forEach((w, i) => {
    lines.push(w);
    if (i % (WEIGHTS / FRAMES) === 0) lines.push(frameLine('C1', fakeJpeg(lines.length), T0 + i));
  });
  lines.push('not a recording line');
  writeFileSync(recording, lines.join('\n') + '\n');
});
afterAll(() => mosquitto?.stop());

describe.each([
  { protocol: '5', version: 5 as const },
  { protocol: '3.1.1', version: 4 as const },
])('twin publish to Mosquitto over MQTT $protocol', ({ protocol, version }) => {
  it('delivers every QoS 1 message once, frames as bytes, status retained', async () => {
    const sub = await subscribe(mosquitto.url, version);
    try {
      const r = await twin('publish', '--recording', recording, '--broker', mosquitto.url, '--protocol', protocol, '--speed', 'max', '--will-device', `gw-${version}`);
      expect(r.code, `${r.stderr}\n${mosquitto.log()}`).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ published: WEIGHTS + FRAMES + 1, skipped: 1, qos1Acked: WEIGHTS + 1 });

      await sub
        .until((got) => seqCounts(got).messages >= WEIGHTS && got.filter((m) => m.topic.endsWith('/frame')).length >= FRAMES)
        .catch((e: Error) => {
          throw new Error(`${e.message}; mosquitto says:\n${mosquitto.log()}`);
        });
      await new Promise((res) => setTimeout(res, 200));
      expect(seqCounts(sub.got)).toEqual({ messages: WEIGHTS, distinct: WEIGHTS, repeats: 0 });

      const frames = sub.got.filter((m) => m.topic === topics.frame(STORE, 'C1'));
      expect(frames).toHaveLength(FRAMES);
      expect(frames.every((m) => m.payload[0] === 0xff && m.payload[1] === 0xd8 && m.payload.at(-1) === 0xd9)).toBe(true);
      if (version === 5) {
        // The frame's time travels as the MQTT 5 user property `ts`, as recorded.
        expect(frames.every((m) => typeof m.props?.ts === 'string' && !Number.isNaN(Date.parse(m.props.ts as string)))).toBe(true);
        expect(new Set(frames.map((m) => m.props!.ts)).size).toBe(FRAMES);
      } else {
        expect(frames.every((m) => m.props === undefined)).toBe(true);
      }
    } finally {
      await sub.end();
    }

    const late = await subscribe(mosquitto.url, version);
    try {
      await late.until((got) => got.some((m) => m.topic === topics.status(STORE, `gw-${version}`)));
      await new Promise((res) => setTimeout(res, 100));
      expect(late.got.every((m) => m.retain && m.topic.includes('/status/'))).toBe(true);
      const gw = late.got.find((m) => m.topic === topics.status(STORE, `gw-${version}`))!;
      expect(JSON.parse(gw.payload.toString()).online).toBe(false);
      expect(late.got.some((m) => m.topic === topics.status(STORE, 'C1'))).toBe(true);
    } finally {
      await late.end();
    }
  });
});
