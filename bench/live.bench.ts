/**
 * Live telemetry end to end: messages a second from a publisher through the embedded broker
 * (QoS 1) to rows in DuckDB, through the whole pipeline the workbench runs (MqttSubscription
 * with its persistent session and manual acks -> Ingest -> EventStore appends in batches, on
 * DuckDB-WASM), beside a bare mqtt.js subscriber on the same kind of session that only
 * counts. Broker and publisher run in a process of their own (bench/liveFeeder.ts), a fresh
 * one for each run, so each subscriber is measured against the same feed; the two kinds take
 * turns and each keeps its best run. The ratio is the figure to read.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import mqtt from 'mqtt';
import { EventStore } from '../src/analytics/EventStore';
import { openDuckDB } from '../src/analytics/openDuckDB';
import { StoreWriter } from '../src/analytics/StoreWriter';
import type { TwinEvent } from '../src/contract/messages';
import { topics } from '../src/contract/parseTopic';
import { Ingest } from '../src/ingest/Ingest';
import { MqttSubscription } from '../src/sources/MqttSubscription';
import type { Benchmark } from './harness';
import { benchLayout } from './ingest.bench';

const N = 200_000;
const ROUNDS = 2;
/**
 * Events go to the event store when this many have gathered or FLUSH_MS has passed. Each
 * append costs DuckDB-WASM some 20-50 ms whatever its size (a record batch per table), and
 * here it runs on the thread that takes the messages: small batches would measure that
 * fixed cost, not the pipeline. (In the page the store has its own worker, and its
 * StoreWriter merges what queues up behind a running append, up to the same 50,000.)
 */
const BATCH = 50_000;
const FLUSH_MS = 1000;

interface Feeder {
  readonly url: string;
  /** Starts the publisher; resolves when it has every PUBACK. */
  go(): Promise<void>;
  close(): Promise<void>;
}

async function startFeeder(): Promise<Feeder> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./liveFeeder.ts', import.meta.url).pathname, String(N)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('the feeder process ended before starting its broker');
  const { url } = JSON.parse(first.value) as { url: string };
  return {
    url,
    async go() {
      child.stdin!.write('go\n');
      const r = await lines.next();
      if (r.done) throw new Error('the feeder process ended while publishing');
    },
    async close() {
      child.stdin!.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

interface Run {
  /** Messages a second, from "go" until the last is counted (or its row is in DuckDB). */
  readonly rate: number;
  /** This process's CPU time a message meanwhile, µs (the feeder's is not counted). */
  readonly cpuUs: number;
}

async function timed(feeder: Feeder, done: Promise<void>): Promise<Run> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all([feeder.go(), done]);
  const used = process.cpuUsage(cpu);
  return { rate: N / ((performance.now() - started) / 1000), cpuUs: (used.user + used.system) / N };
}

async function bare(): Promise<Run> {
  const feeder = await startFeeder();
  try {
    const client = await mqtt.connectAsync(feeder.url, { clean: false, clientId: `bench-bare-${process.pid}`, reconnectPeriod: 0 });
    let count = 0;
    let resolve: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    client.on('message', () => {
      if (++count === N) resolve();
    });
    await client.subscribeAsync(topics.all(benchLayout().store), { qos: 1 });
    const run = await timed(feeder, done);
    await client.endAsync();
    return run;
  } finally {
    await feeder.close();
  }
}

async function pipeline(): Promise<Run> {
  const layout = benchLayout();
  const db = await openDuckDB();
  const feeder = await startFeeder();
  try {
    const store = await EventStore.open(db.connection, layout);
    // In memory: no CHECKPOINT to make (the page checkpoints its OPFS file after each burst).
    const writer = new StoreWriter(store, { checkpoint: false });
    let events: TwinEvent[] = [];
    const flush = () => {
      if (events.length === 0) return;
      writer.enqueue(events);
      events = [];
    };
    const ingest = new Ingest(layout, {
      onEvent: (e) => {
        events.push(e);
        if (events.length >= BATCH) flush();
      },
    });
    let received = 0;
    let resolve: () => void;
    const allIn = new Promise<void>((r) => (resolve = r));
    const sub = new MqttSubscription(
      { url: feeder.url, store: layout.store, protocol: '3.1.1', clientId: `bench-pipeline-${process.pid}` },
      {
        onMessage(msg, ack) {
          ingest.push(msg);
          ack();
          if (++received === N) resolve();
        },
        onState() {},
      },
    );
    await sub.start();
    const timer = setInterval(flush, FLUSH_MS);
    const rowsIn = allIn.then(async () => {
      flush();
      await writer.flushed();
    });
    const run = await timed(feeder, rowsIn);
    clearInterval(timer);
    await sub.stop();
    const t = ingest.totals();
    const stored = writer.stats();
    if (t.accepted !== N || stored.events !== N || stored.lost !== 0) throw new Error(`pipeline: ${JSON.stringify(t)}, store ${JSON.stringify(stored)}`);
    const readings = await store.count('readings');
    if (readings !== t.byType.weight) throw new Error(`pipeline: ${t.byType.weight} readings accepted, ${readings} rows in readings`);
    return run;
  } finally {
    await feeder.close();
    db.close();
  }
}

export const liveBench: Benchmark = {
  id: 'mqtt-pipeline',
  async run() {
    const best = (a: Run | undefined, b: Run) => (a && a.rate >= b.rate ? a : b);
    let b: Run | undefined;
    let p: Run | undefined;
    for (let i = 0; i < ROUNDS; i++) {
      b = best(b, await bare());
      p = best(p, await pipeline());
    }
    const n = N.toLocaleString('en-US');
    return [
      { name: `bare mqtt.js subscriber, counts only (embedded broker, QoS 1, persistent session, ${n} msgs)`, value: b!.rate, unit: 'msg/s' },
      { name: `MqttSubscription -> Ingest -> EventStore (DuckDB-WASM, batches of ${BATCH.toLocaleString('en-US')} or ${FLUSH_MS} ms), rows in DuckDB`, value: p!.rate, unit: 'msg/s' },
      { name: 'pipeline / bare, same run', value: p!.rate / b!.rate, unit: 'ratio', target: { atLeast: 0.8 } },
      { name: 'subscriber CPU a message: bare', value: b!.cpuUs, unit: 'µs', note: 'the feeder (broker + publisher) is another process' },
      { name: 'subscriber CPU a message: pipeline', value: p!.cpuUs, unit: 'µs' },
    ];
  },
};
