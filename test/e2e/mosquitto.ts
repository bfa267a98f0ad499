/**
 * A real Mosquitto for end-to-end tests: Debian's binary with a config of our own (never the
 * system one) in a temp dir, on a free loopback port, with persistence on so retained
 * messages, sessions and queued messages behave as on a store's broker, and survive
 * restart() (Mosquitto writes its persistence file when it stops and reads it when it starts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO = '/usr/sbin/mosquitto';

export interface TestMosquitto {
  /** `mqtt://127.0.0.1:PORT` */
  readonly url: string;
  /** What Mosquitto logged, for a failing test's message. */
  log(): string;
  /** SIGTERM (Mosquitto saves its persistence file), then the same config, port and file again. */
  restart(): Promise<void>;
  /** SIGTERM, wait for it to exit, remove the temp dir. */
  stop(): Promise<void>;
}

export interface MosquittoOptions {
  /** Extra lines for mosquitto.conf. */
  readonly config?: readonly string[];
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<TestMosquitto> {
  if (!existsSync(MOSQUITTO)) throw new Error(`${MOSQUITTO} is missing: sudo apt-get install mosquitto`);
  const dir = mkdtempSync(join(tmpdir(), 'twin-mosquitto-'));
  // Started as root, Mosquitto drops to the `mosquitto` user, which must be able to write
  // its persistence file here.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  const lines = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence true',
    `persistence_location ${dir}/`,
    // Mosquitto queues at most 1000 QoS 1 messages per subscriber beyond the 20 in flight and
    // drops the rest ("Outgoing messages are being dropped"): a test subscriber sharing a busy
    // process with the test can fall that far behind a --speed max replay, and a subscriber
    // that is away for a while misses more. The tests check that nothing is lost, so give
    // the queue room; a store's broker needs the same (see README, Live telemetry).
    'max_queued_messages 200000',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    ...(options.config ?? []),
  ];
  writeFileSync(conf, lines.join('\n') + '\n');
  let log = '';
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let running = false;

  const launch = async () => {
    child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    running = true;
    exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    void exited.then(() => (running = false));
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (!running || Date.now() > deadline) {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`mosquitto did not start on port ${port}:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const halt = async () => {
    if (running) child.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    log: () => log,
    async restart() {
      await halt();
      await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port the OS just handed out and took back: free unless something grabs it in between. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
