/**
 * The live source under a burst: 50,000 simulated messages published at full speed into the
 * embedded broker, read by the page over WebSocket (Debian's Chromium, headless, WebGL on
 * SwiftShader), and how the page's frames held up meanwhile. Chromium is driven over a bare
 * DevTools connection that enables nothing but Runtime: Playwright (what the e2e tests use)
 * turns on network tracking, which reports every WebSocket frame to the test process and
 * slows a burst of small MQTT packets several times over.
 *
 * Read the frame figures with the machine in mind: without a GPU, Chromium draws WebGL in
 * software (SwiftShader), where one redraw of the room costs 50-130 ms even when idle, and
 * the broker, the publisher and the browser share the same cores.
 *
 * Beside it, what each design would cost the page per batch of 1,000 events: applying them
 * to a twin in the page (the alternative) against applying the delta a twin in the worker
 * sends (what the workbench does).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { connectBroker } from '../src/broker/connectBroker';
import { startEmbeddedBroker } from '../src/broker/embeddedBroker';
import { publishMessages } from '../src/broker/publishMessages';
import { configEndpoint } from '../src/cli/configEndpoint';
import { startWorkbench } from '../src/cli/start';
import type { RawMessage, TwinEvent } from '../src/contract/messages';
import { Ingest } from '../src/ingest/Ingest';
import { Twin } from '../src/twin/Twin';
import { applyTwinDelta, diffTwin } from '../src/twin/TwinDelta';
import type { TwinState } from '../src/twin/TwinState';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/e2e/browser';
import { apparelLayout, LAYOUT_PATH, simulatedMessages, STORE } from '../test/e2e/livePageFixtures';
import type { Benchmark, Figure } from './harness';

const BURST = 50_000;
/** A headless window counts as hidden: without these its frames and timers are throttled (Playwright passes them too). */
const FOREGROUND = ['--disable-renderer-backgrounding', '--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows'];

export const liveBurstBench: Benchmark = {
  id: 'live',
  async run() {
    const messages = await simulatedMessages(BURST + 2000);
    return [...(await burstInPage(messages.slice(0, 2000), messages.slice(2000))), ...twinPlacement(messages)];
  },
};

/** One DevTools session on the page: `evaluate` runs an expression and returns its value. */
async function devtools(port: number): Promise<{ evaluate<T>(expr: string): Promise<T>; close(): void }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { type: string; webSocketDebuggerUrl: string }[];
  const ws = new WebSocket(targets.find((t) => t.type === 'page')!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const pending = new Map<number, (m: { result?: { result?: { value?: unknown }; exceptionDetails?: { text: string } }; error?: { message: string } }) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as { id?: number };
    if (m.id !== undefined) pending.get(m.id)?.(m as never);
  });
  return {
    evaluate: <T>(expression: string) =>
      new Promise<T>((resolve, reject) => {
        const n = ++id;
        pending.set(n, (m) => {
          pending.delete(n);
          if (m.error || m.result?.exceptionDetails) reject(new Error(m.error?.message ?? m.result!.exceptionDetails!.text));
          else resolve(m.result?.result?.value as T);
        });
        ws.send(JSON.stringify({ id: n, method: 'Runtime.evaluate', params: { expression, awaitPromise: true, returnByValue: true } }));
      }),
    close: () => ws.close(),
  };
}

async function until(evaluate: (e: string) => Promise<unknown>, expr: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await evaluate(expr).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function burstInPage(warmup: RawMessage[], burst: RawMessage[]): Promise<Figure[]> {
  const broker = await startEmbeddedBroker({ wsPort: 0 });
  const server = await startWorkbench(0, undefined, [configEndpoint({ config: () => ({ broker: { url: broker.wsUrl!, store: STORE, protocol: '3.1.1' }, scenario: null, speed: null, layout: null }) })]);
  const profile = mkdtempSync(join(tmpdir(), 'twin-bench-'));
  const chromium = spawn(CHROMIUM, [...CHROMIUM_ARGS, ...FOREGROUND, '--headless=new', '--remote-debugging-port=0', `--user-data-dir=${profile}`, '--window-size=1280,800', `${server.url}?layout=/${LAYOUT_PATH}&source=none`], { stdio: 'ignore' });
  try {
    let port = 0;
    for (let i = 0; i < 100 && !port; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        port = Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
      } catch {
        port = 0;
      }
    }
    const page = await devtools(port);
    const ev = page.evaluate;
    await until(ev, 'window.__twin?.ready === true', 60_000);
    await until(ev, `!!document.querySelector('tw-app').shadowRoot.querySelector('tw-connect-panel')`, 10_000);
    await ev(`document.querySelector('tw-app').shadowRoot.querySelector('tw-connect-panel').connect({ url: ${JSON.stringify(broker.wsUrl)}, store: '${STORE}', protocol: '3.1.1', username: '', password: '', remember: false })`);
    await until(ev, `window.__twin.source()?.status.phase === 'connected'`, 20_000);
    const { client } = await connectBroker(broker.url, { protocolVersion: 4 }, 5000);
    try {
      // Warm up (workers compiled, the event store open), then the measured burst.
      await publishMessages(client, warmup, { speed: Infinity });
      await until(ev, `window.__twin.source().totals?.messages >= ${warmup.length}`, 60_000);
      await ev(`(() => {
        const w = window; w.__frames = []; w.__long = [];
        const tick = (t) => { w.__frames.push(t); requestAnimationFrame(tick); }; requestAnimationFrame(tick);
        new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__long.push(e.duration); }).observe({ type: 'longtask' });
        w.__batches0 = window.__twin.source().batches;
      })()`);
      const t0 = performance.now();
      await publishMessages(client, burst, { speed: Infinity });
      await until(ev, `window.__twin.source().totals?.messages >= ${warmup.length + burst.length} && window.__twin.source().backlog === 0`, 120_000);
      const seconds = (performance.now() - t0) / 1000;
      const r = await ev<{ frames: number[]; long: number[]; batches: number }>(`({ frames: window.__frames, long: window.__long, batches: window.__twin.source().batches - window.__batches0 })`);
      const gaps = r.frames.slice(1).map((t, i) => t - r.frames[i]!).sort((a, b) => a - b);
      const q = (p: number) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))] ?? NaN;
      const note = `${burst.length} messages, apparel-compact, embedded broker over WebSocket`;
      return [
        { name: 'burst into the page', value: burst.length / seconds, unit: 'msg/s', note },
        { name: 'batches the page took for it', value: r.batches, unit: 'batches' },
        { name: 'frames during the burst', value: r.frames.length / seconds, unit: 'frames/s' },
        { name: 'frame gap, median', value: q(0.5), unit: 'ms' },
        { name: 'frame gap, 95th percentile', value: q(0.95), unit: 'ms' },
        { name: 'frame gap, longest', value: gaps.at(-1) ?? NaN, unit: 'ms' },
        { name: 'main-thread long tasks (> 50 ms)', value: r.long.length, unit: 'tasks' },
        { name: 'longest main-thread task', value: Math.max(0, ...r.long), unit: 'ms' },
      ];
    } finally {
      await client.endAsync();
      page.close();
    }
  } finally {
    chromium.kill();
    await new Promise((r) => chromium.once('exit', r));
    rmSync(profile, { recursive: true, force: true });
    await server.stop();
    await broker.close();
  }
}

/** Page time per 1,000 events: folding them into a twin in the page, or applying the worker twin's delta. */
function twinPlacement(messages: readonly RawMessage[]): Figure[] {
  const events: TwinEvent[] = [];
  const ingest = new Ingest(apparelLayout(), { onEvent: (e) => events.push(e) });
  for (const m of messages) ingest.push(m);
  const BATCH = 1000;
  const batches = Math.floor(events.length / BATCH);
  // In the page: every event applied, and the state rebuilt for the view, each batch.
  const inPage = new Twin(apparelLayout());
  let t = performance.now();
  for (let b = 0; b < batches; b++) {
    inPage.applyAll(events.slice(b * BATCH, (b + 1) * BATCH));
    void inPage.state;
  }
  const pageTwin = (performance.now() - t) / batches;
  // In the worker: the same, plus a delta; the page only applies the delta (and receives it, cloned).
  const inWorker = new Twin(apparelLayout());
  let shown: TwinState | undefined;
  const deltas = [];
  for (let b = 0; b < batches; b++) {
    inWorker.applyAll(events.slice(b * BATCH, (b + 1) * BATCH));
    deltas.push(diffTwin(shown, inWorker.state));
    shown = inWorker.state;
  }
  let mirror: TwinState | undefined;
  t = performance.now();
  for (const d of deltas) mirror = applyTwinDelta(mirror, structuredClone(d));
  const pageDelta = (performance.now() - t) / deltas.length;
  t = performance.now();
  for (let b = 0; b < batches; b++) structuredClone(events.slice(b * BATCH, (b + 1) * BATCH));
  const cloneEvents = (performance.now() - t) / batches;
  const note = `${events.length} events of the apparel room in batches of ${BATCH}, Node (the same V8 as the page)`;
  return [
    { name: 'page ms a batch: twin in the page (apply + state)', value: pageTwin, unit: 'ms', note },
    { name: 'page ms a batch: twin in the worker (clone + apply delta)', value: pageDelta, unit: 'ms' },
    { name: 'page ms a batch: events cloned for the event store', value: cloneEvents, unit: 'ms' },
  ];
}
