/**
 * `twin record` from a real Mosquitto over MQTT 5: a camera frame is written as bytes
 * (payload_b64) with its `ts` user property, and the file replays to the same totals.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { topics } from '../../src/contract/parseTopic';
import { fakeJpeg } from '../broker/publishFixtures';
import { runTwin, twin } from '../cli/runTwin';
import { MINI_LAYOUT } from '../fixtures/miniLayout';
import { STORE, publishAll, recentT0, weightMessages } from '../sources/liveFixtures';
import { startMosquitto, type TestMosquitto } from './mosquitto';

let mosquitto: TestMosquitto;
let dir: string;
beforeAll(async () => {
  mosquitto = await startMosquitto();
  dir = mkdtempSync(join(tmpdir(), 'twin-e2e-record-'));
});
afterAll(() => mosquitto?.stop());

it('records MQTT 5 frames with their ts property, as bytes, and the file replays to the same totals', async () => {
  const layout = join(dir, 'mini.layout.json');
  writeFileSync(layout, JSON.stringify(MINI_LAYOUT));
  const out = join(dir, 'live.jsonl');
  const t0 = recentT0();
  const status = { topic: topics.status(STORE, 'C1'), payload: JSON.stringify({ ts: new Date(t0).toISOString(), online: true }), qos: 1 as const, retain: true, received: t0 };
  await publishAll(mosquitto.url, '5', [status]);
  const run = runTwin('record', '--broker', mosquitto.url, '--protocol', '5', '--layout', layout, '--out', out, '--client-id', 'e2e-rec', '--for', '4s');
  // Subscribed once the retained status is in the file.
  const deadline = Date.now() + 20_000;
  while (!readText(out).includes('/status/C1')) {
    if (Date.now() > deadline) throw new Error(`the recorder never subscribed: ${mosquitto.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const frameTs = new Date(t0 + 500).toISOString();
  await publishAll(mosquitto.url, '5', [
    ...weightMessages(2000),
    { topic: topics.frame(STORE, 'C1'), payload: fakeJpeg(3), qos: 1, retain: false, received: t0 + 500, props: { ts: frameTs } },
  ]);
  const r = await run.done;
  expect(r.code, `${r.stderr}\n${mosquitto.log()}`).toBe(0);
  const totals = JSON.parse(r.stdout);
  expect(totals).toMatchObject({ messages: 2002, accepted: 2002, duplicates: 0, quarantined: 0 });

  const lines = readText(out).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const frame = lines.find((l) => l.topic === topics.frame(STORE, 'C1'))!;
  expect(frame).toMatchObject({ payload_b64: Buffer.from(fakeJpeg(3)).toString('base64'), qos: 1, props: { ts: frameTs } });

  const replay = await twin('ingest', '--layout', layout, '--recording', out);
  expect(JSON.parse(replay.stdout)).toMatchObject({ messages: 2002, accepted: 2002, quarantined: 0, byType: { weight: 2000, frame: 1, status: 1 } });
}, 60_000);

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
