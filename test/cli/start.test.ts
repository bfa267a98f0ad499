/**
 * `npm start` as a user runs it: one command brings up the embedded broker, the scenario
 * publisher and the workbench, tells the page where the broker is, and Ctrl-C ends it all.
 * Every run uses port 0 (any free port) and reads the addresses it prints.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { RawMessage } from '../../src/contract/messages';
import { localToUtc } from '../../src/core/zonedTime';
import { Ingest } from '../../src/ingest/Ingest';
import type { LayoutIndex } from '../../src/layout/LayoutIndex';
import { loadLayout } from '../../src/cli/files';
import { parseWorkbenchConfig } from '../../src/sources/WorkbenchConfig';
import { MINI_LAYOUT } from '../fixtures/miniLayout';
import { interrupt, portIsFree, runStart, type StartRun } from './runStart';

const ROOT = join(import.meta.dirname, '../..');
const FREE_PORTS = ['--port', '0', '--broker-port', '0', '--ws-port', '0'];

/** Subscribes to a store's topics and keeps every message as the page's live source would get it. */
async function subscribe(url: string, store: string) {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, clean: true });
  client.on('error', () => {});
  const got: RawMessage[] = [];
  client.on('message', (topic, payload, packet) => got.push({ topic, payload: new Uint8Array(payload), qos: packet.qos, retain: packet.retain, received: Date.now() }));
  await client.subscribeAsync(`backroom/v1/${store}/#`, { qos: 1 });
  const until = async (pred: () => boolean, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out with ${got.length} message(s)`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { client, got, until };
}

function ingest(layout: LayoutIndex, msgs: readonly RawMessage[]) {
  const i = new Ingest(layout);
  for (const m of msgs) i.push(m);
  return { totals: i.totals(), reasons: i.quarantine.entries.slice(0, 3) };
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return res.json();
}

/** Ctrl-C: exit 0 within a few seconds, and every port it held is free again. */
async function stopsCleanly(run: StartRun, ports: number[]): Promise<void> {
  const { code, ms } = await interrupt(run);
  expect(code, run.stderr()).toBe(0);
  expect(ms).toBeLessThan(5000);
  expect(run.stdout()).toContain('Stopping');
  for (const port of ports) expect(await portIsFree(port), `port ${port}`).toBe(true);
}

describe('npm start', () => {
  it('runs the broker, the publisher and the workbench; the page learns the broker; messages pass the contract; Ctrl-C ends it all', async () => {
    const run = runStart(...FREE_PORTS);
    try {
      await run.waitFor(/Ctrl-C to stop/);
      const out = run.stdout();
      const page = out.match(/^Workbench: (http:\/\/127\.0\.0\.1:(\d+)\/)$/m)!;
      const broker = out.match(/^Broker: (mqtt:\/\/127\.0\.0\.1:(\d+)) \(TCP\), (ws:\/\/127\.0\.0\.1:(\d+)) \(WebSocket: the page connects here\); embedded, MQTT 3\.1\.1, no authentication, store store-042; a session is kept 60 min after its client goes$/m)!;
      expect(page, out).toBeTruthy();
      expect(broker, out).toBeTruthy();
      expect(out).toMatch(/^Scenario: Baseline week, large general-merchandise back room \(scenarios\/baseline-gm\.scenario\.json\), 7 days, looping$/m);
      expect(out).toMatch(/^Speed: 60x \(a simulated hour a minute\)$/m);
      expect(out).toMatch(/^Loop 1: simulated \d{4}-\d\d-\d\d 00:00 to \d{4}-\d\d-\d\d 00:00 America\/Chicago$/m);
      expect(run.stderr()).toBe('');

      const config = await getJson(`${page[1]}api/config`);
      expect(config).toEqual({ broker: { url: broker[3], store: 'store-042', protocol: '3.1.1' }, scenario: 'Baseline week, large general-merchandise back room', speed: 60, layout: '/api/layout' });
      expect(parseWorkbenchConfig(config).ok).toBe(true);
      expect(await getJson(`${page[1]}api/layout`)).toMatchObject({ store: 'store-042' });

      // Over the WebSocket, as the page connects.
      const sub = await subscribe(broker[3]!, 'store-042');
      try {
        await sub.until(() => sub.got.length >= 300);
      } finally {
        await sub.client.endAsync();
      }
      const { totals, reasons } = ingest(loadLayout(join(ROOT, 'scenarios/layouts/gm-large.layout.json')), sub.got);
      expect(totals.quarantined, JSON.stringify(reasons)).toBe(0);
      expect(totals.accepted).toBeGreaterThanOrEqual(300);

      await stopsCleanly(run, [Number(page[2]), Number(broker[2]), Number(broker[4])]);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 90_000);

  it('loops: the next run of the scenario has later times and higher seqs on every topic, and the twin takes it all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twin-start-'));
    writeFileSync(join(dir, 'mini.layout.json'), JSON.stringify(MINI_LAYOUT));
    const scenario = join(dir, 'mini.scenario.json');
    writeFileSync(scenario, JSON.stringify({ version: 1, name: 'Mini day', layout: 'mini.layout.json', start: '2026-11-16', days: 1, seed: 5, workload: { unitsSoldPerDay: 40 } }));
    // A simulated day a second.
    const run = runStart(...FREE_PORTS, '--scenario', scenario, '--speed', '86400');
    try {
      await run.waitFor(/Ctrl-C to stop/);
      expect(run.stdout()).toMatch(/^Scenario: Mini day \(.*mini\.scenario\.json\), 1 day, looping$/m);
      expect(run.stdout()).toMatch(/^Speed: 86400x \(24 simulated hours a second\)$/m);
      const [, tcp] = run.stdout().match(/^Broker: (mqtt:\/\/\S+) \(TCP\)/m)!;
      const tz = MINI_LAYOUT.timezone;
      const loops = () =>
        [...run.stdout().matchAll(/^Loop (\d+): simulated (\S+) 00:00 to (\S+) 00:00 /gm)].map((m) => ({ loop: Number(m[1]), start: localToUtc(m[2]!, 0, tz), end: localToUtc(m[3]!, 0, tz) }));
      const tsOf = (m: RawMessage) => Date.parse((JSON.parse(new TextDecoder().decode(m.payload as Uint8Array)) as { ts: string }).ts);
      const loopOf = (m: RawMessage) => loops().find((l) => tsOf(m) >= l.start && tsOf(m) < l.end)?.loop ?? -1;

      const sub = await subscribe(tcp!, MINI_LAYOUT.store);
      try {
        // Messages from three runs: the one under way when we subscribed, and two whole ones.
        await sub.until(() => sub.got.length > 0 && loopOf(sub.got.at(-1)!) >= loopOf(sub.got[0]!) + 2, 20_000);
        // The line naming the newest message's loop came through the other pipe: wait for it too.
        const newest = Math.max(...sub.got.map(tsOf));
        await sub.until(() => loops().some((l) => newest < l.end), 5000);
      } finally {
        await sub.client.endAsync();
      }
      expect(loops().length).toBeGreaterThanOrEqual(3);
      const wrong: string[] = [];
      const last = new Map<string, { loop: number; seq: number; ts: number }>();
      let crossings = 0;
      for (const m of sub.got) {
        const cur = { loop: loopOf(m), seq: (JSON.parse(new TextDecoder().decode(m.payload as Uint8Array)) as { seq: number }).seq, ts: tsOf(m) };
        const prev = last.get(m.topic);
        last.set(m.topic, cur);
        if (cur.loop < 0) wrong.push(`${m.topic} at ${cur.ts} is in no loop printed`);
        if (!prev) continue;
        if (cur.seq <= prev.seq) wrong.push(`${m.topic}: seq ${prev.seq} then ${cur.seq}`);
        if (cur.loop !== prev.loop) {
          crossings++;
          if (cur.loop < prev.loop || cur.ts <= prev.ts) wrong.push(`${m.topic}: loop ${prev.loop} at ${prev.ts}, then loop ${cur.loop} at ${cur.ts}`);
        }
      }
      expect(wrong.slice(0, 5)).toEqual([]);
      expect(crossings).toBeGreaterThan(10);
      const { totals, reasons } = ingest(loadLayout(join(dir, 'mini.layout.json')), sub.got);
      expect(totals.quarantined, JSON.stringify(reasons)).toBe(0);
      expect(totals).toMatchObject({ duplicates: 0, late: 0 });
      await stopsCleanly(run, []);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 90_000);

  it('--no-broker: the workbench alone, and /api/config says there is no broker', async () => {
    const run = runStart('--no-broker', '--port', '0');
    try {
      await run.waitFor(/Ctrl-C to stop/);
      const [, url, port] = run.stdout().match(/^Workbench: (http:\/\/127\.0\.0\.1:(\d+)\/)$/m)!;
      expect(run.stdout()).toMatch(/^Broker: none \(--no-broker\)/m);
      expect(run.stdout()).not.toMatch(/^(Scenario|Speed|Loop)/m);
      expect(await getJson(`${url}api/config`)).toEqual({ broker: null, scenario: null, speed: null, layout: null });
      expect((await fetch(`${url}api/layout`)).status).toBe(404);
      await stopsCleanly(run, [Number(port)]);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 90_000);

  it('--broker ws://...: no embedded broker; the page is sent to that broker, for --store or the scenario\'s store', async () => {
    const run = runStart('--broker', 'ws://broker.example:9001', '--store', 'store-7', '--port', '0', '--host', '0.0.0.0');
    try {
      await run.waitFor(/Ctrl-C to stop/);
      // Bound to every interface: shown at 127.0.0.1, with a loud warning.
      const [, url, port] = run.stdout().match(/^Workbench: (http:\/\/127\.0\.0\.1:(\d+)\/)$/m)!;
      expect(run.stdout()).toMatch(/^Broker: ws:\/\/broker\.example:9001 \(yours; npm start publishes nothing\), MQTT 3\.1\.1, store store-7$/m);
      expect(run.stdout()).not.toMatch(/^(Scenario|Speed|Loop)/m);
      expect(run.stderr()).toMatch(/WARNING: --host 0\.0\.0\.0 is not a loopback address/);
      expect(await getJson(`${url}api/config`)).toEqual({ broker: { url: 'ws://broker.example:9001', store: 'store-7', protocol: '3.1.1' }, scenario: null, speed: null, layout: null });
      await stopsCleanly(run, [Number(port)]);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 90_000);

  it('a default broker port that is taken gives way to a free one; a port the user chose does not', async () => {
    // Held by us, or already by something else (a system Mosquitto): taken either way.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.once('error', () => resolve()).listen(1883, '127.0.0.1', () => resolve()));
    try {
      const run = runStart('--port', '0', '--ws-port', '0');
      try {
        await run.waitFor(/Ctrl-C to stop/);
        const [, port] = run.stdout().match(/^Broker: mqtt:\/\/127\.0\.0\.1:(\d+) \(TCP\).*\(1883 was taken\);/m) ?? [];
        expect(port, run.stdout()).toBeDefined();
        expect(Number(port)).not.toBe(1883);
        await stopsCleanly(run, [Number(port)]);
      } finally {
        run.child.kill('SIGKILL');
      }
      const explicit = runStart('--port', '0', '--broker-port', '1883', '--ws-port', '0');
      expect(await explicit.exited).toBe(1);
      expect(explicit.stderr()).toMatch(/^Could not start: port 1883 is in use \(another MQTT broker\?\): choose another with --broker-port N/m);
    } finally {
      blocker.close();
    }
  }, 90_000);

  it('a bad flag is one line on stderr and exit 2, before anything starts', async () => {
    const cases = [
      ['--speed', '0'],
      ['--broker', 'mqtt://127.0.0.1:1883'],
      ['--no-broker', '--broker', 'ws://127.0.0.1:9001'],
      ['--colour'],
      ['--port', '70000'],
      ['--scenario', 'no/such.scenario.json'],
    ];
    const runs = cases.map((args) => ({ args, run: runStart(...args) }));
    for (const { args, run } of runs) {
      const code = await run.exited;
      expect(code, args.join(' ')).toBe(2);
      expect(run.stdout(), args.join(' ')).toBe('');
      expect(run.stderr().trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr()).toMatch(/^npm start: /);
    }
  }, 90_000);
});
