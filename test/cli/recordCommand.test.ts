/**
 * `twin record` through the real bin against the embedded broker: what it writes replays
 * through `twin ingest` to the same totals, and it acknowledges a message only once the
 * line is in the file: a recorder killed mid-stream and started again with the same
 * --client-id misses nothing.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embeddedBroker';
import type { RawMessage } from '../../src/contract/messages';
import { topics } from '../../src/contract/parseTopic';
import { MINI_LAYOUT } from '../fixtures/miniLayout';
import { STORE, keyOf, publishAll, recentT0, weightMessages } from '../sources/liveFixtures';
import { runTwin, twin } from './runTwin';

let broker: EmbeddedBroker;
let dir: string;
let layout: string;
beforeAll(async () => {
  broker = await startEmbeddedBroker();
  dir = mkdtempSync(join(tmpdir(), 'twin-record-'));
  layout = join(dir, 'mini.layout.json');
  writeFileSync(layout, JSON.stringify(MINI_LAYOUT));
  // A retained status: every recorder's first line, as soon as it is subscribed.
  const t0 = recentT0();
  await publishAll(broker.url, '3.1.1', [{ topic: topics.status(STORE, 'R1'), payload: JSON.stringify({ ts: new Date(t0).toISOString(), online: true }), qos: 1, retain: true, received: t0 }]);
});
afterAll(() => broker?.close());

/**
 * The recording's whole lines, parsed (a missing file has none). A last line without its
 * newline was torn by a kill mid-write: its messages were not acknowledged, so the broker
 * redelivers them; readers quarantine such a line as bad_line.
 */
function lines(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  const whole = readFileSync(file, 'utf8').split('\n').slice(0, -1);
  return whole.filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** slot#seq of every weight line in the files. */
function weightKeys(...files: string[]): Set<string> {
  const keys = new Set<string>();
  for (const f of files)
    for (const l of lines(f)) if (typeof l.payload === 'string' && String(l.topic).endsWith('/weight')) keys.add(keyOf(l as unknown as RawMessage));
  return keys;
}

async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the recorder is subscribed (the broker keeps its messages from then on). */
async function recording(file: string): Promise<void> {
  // The first line (the retained status) says the subscription is in place.
  await until(() => lines(file).length > 0, 20_000, `${file} to get its first line`);
}

describe('twin record', () => {
  it('records while a publisher runs; the file replays through twin ingest to the same totals', async () => {
    const out = join(dir, 'mixed.jsonl');
    const t0 = recentT0();
    const run = runTwin('record', '--broker', broker.url, '--layout', layout, '--out', out, '--client-id', 'rec-mixed', '--for', '4s');
    await recording(out);
    const bad = (topic: string, payload: string | Uint8Array): RawMessage => ({ topic, payload, qos: 1, retain: false, received: t0 });
    const weights = weightMessages(3000);
    const msgs = [
      ...weights.slice(0, 1000),
      weights[10]!, // a repeated seq
      bad(topics.weight(STORE, 'A', 'A-0-0'), '{"ts": oops'),
      bad(topics.weight(STORE, 'A', 'A-0-0'), Uint8Array.from([0xff, 0xfe, 0x00, 0x7b])), // not UTF-8: goes as payload_b64
      bad(topics.weight(STORE, 'Z', 'Z-1'), JSON.stringify({ ts: t0, grams: 5 })),
      bad(`backroom/v1/${STORE}/nothing/here`, '{}'),
      ...weights.slice(1000),
    ];
    await publishAll(broker.url, '3.1.1', msgs);
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const totals = JSON.parse(r.stdout);
    expect(totals).toMatchObject({
      store: STORE,
      messages: msgs.length + 1,
      accepted: 3001,
      duplicates: 1,
      quarantined: 4,
      reasons: { bad_json: 2, unknown_id: 1, unknown_topic: 1 },
      reconnects: 0,
    });

    const written = lines(out);
    expect(written).toHaveLength(msgs.length + 1);
    expect(written[0]).toMatchObject({ topic: topics.status(STORE, 'R1'), qos: 1, retain: true });
    expect(written.filter((l) => 'payload_b64' in l)).toEqual([expect.objectContaining({ payload_b64: Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString('base64') })]);
    expect(written.every((l) => typeof l.received === 'string')).toBe(true);

    const replay = await twin('ingest', '--layout', layout, '--recording', out);
    expect(replay.code, replay.stderr).toBe(0);
    const { messages, accepted, duplicates, quarantined, reasons } = JSON.parse(replay.stdout);
    expect({ messages, accepted, duplicates, quarantined, reasons }).toEqual({
      messages: totals.messages,
      accepted: totals.accepted,
      duplicates: totals.duplicates,
      quarantined: totals.quarantined,
      reasons: totals.reasons,
    });
  }, 120_000);

  it('acknowledges only what is written: killed mid-stream and started again with the same --client-id, it misses nothing', async () => {
    // The first recorder writes into a pipe the test stops reading after the first line: a
    // disk that takes nothing more. A recorder that acknowledged before writing would let the
    // broker forget every message it got from then on, and they would die with it.
    const first = join(dir, 'stalled.fifo');
    execFileSync('mkfifo', [first]);
    const second = join(dir, 'resumed.jsonl');
    const N = 20_000;
    const msgs = weightMessages(N);
    const a = runTwin('record', '--broker', broker.url, '--layout', layout, '--out', first, '--client-id', 'rec-kill');
    const pipe = createReadStream(first, { highWaterMark: 1024 });
    let firstText = '';
    let stalled = true;
    pipe.on('data', (d) => {
      firstText += d.toString();
      if (stalled) pipe.pause();
    });
    const firstEnded = new Promise<void>((resolve) => pipe.on('close', () => resolve()));
    await until(() => firstText.length > 0, 20_000, 'the first recorder to be subscribed');
    const publishing = publishAll(broker.url, '3.1.1', msgs);
    await new Promise((r) => setTimeout(r, 1500));
    a.child.kill('SIGKILL');
    expect((await a.done).code).toBe(null);
    // What it did write is kept (a file's page cache would keep it too): read it all.
    stalled = false;
    pipe.resume();
    await firstEnded;
    writeFileSync(join(dir, 'stalled.jsonl'), firstText);
    const firstFile = join(dir, 'stalled.jsonl');

    const b = runTwin('record', '--broker', broker.url, '--layout', layout, '--out', second, '--client-id', 'rec-kill');
    try {
      await publishing;
      const want = msgs.map(keyOf);
      await until(() => {
        const got = weightKeys(firstFile, second);
        return want.every((k) => got.has(k));
      }, 60_000, 'every published reading in one of the two files').catch((e: Error) => {
        const got = weightKeys(firstFile, second);
        throw new Error(`${e.message}: ${want.filter((k) => !got.has(k)).length} missing; first file ${lines(firstFile).length} lines, second ${lines(second).length}`);
      });
      // Mid-stream: the first file has some of the readings, the second the rest.
      expect(weightKeys(firstFile).size).toBeGreaterThan(0);
      expect(weightKeys(firstFile).size).toBeLessThan(N / 2);
    } finally {
      b.child.kill('SIGINT');
    }
    const r = await b.done;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).messages).toBe(lines(second).length);
  }, 120_000);

  it('says in one line why it cannot start: exit 2 for options, 1 for a broker it cannot reach or that refuses', async () => {
    const out = join(dir, 'never.jsonl');
    const gone = await startEmbeddedBroker();
    await gone.close();
    const cases: [string[], number, RegExp][] = [
      [['--layout', layout, '--out', out], 2, /--broker .* is required/],
      [['--broker', broker.url, '--out', out], 2, /--layout FILE is required/],
      [['--broker', broker.url, '--layout', layout], 2, /--out FILE\.jsonl is required/],
      [['--broker', 'localhost:1883', '--layout', layout, '--out', out], 2, /must be mqtt:\/\//],
      [['--broker', broker.url, '--layout', layout, '--out', out, '--protocol', '4'], 2, /--protocol must be 3\.1\.1 or 5/],
      [['--broker', broker.url, '--layout', layout, '--out', out, '--for', '10 minutes'], 2, /--for must be a duration like 30s/],
      [['--broker', broker.url, '--layout', layout, '--out', out, '--password', 'p'], 2, /--password needs --username/],
      [['--broker', broker.url, '--layout', join(dir, 'missing.json'), '--out', out], 2, /layout .*missing\.json does not exist/],
      [['--broker', broker.url, '--layout', layout, '--out', out, '--bogus'], 2, /bogus/],
      [['--broker', gone.url, '--layout', layout, '--out', out, '--connect-timeout', '0.5'], 1, /no connection to .* within 0\.5 s \(.*ECONNREFUSED/],
      // aedes speaks MQTT 3.1.1 only: an MQTT 5 connection is refused, and not retried.
      [['--broker', broker.url, '--layout', layout, '--out', out, '--protocol', '5'], 1, /refused the connection: Unacceptable protocol version/],
    ];
    for (const [args, code, re] of cases) {
      const r = await twin('record', ...args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(/^twin record: /);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  }, 120_000);
});
