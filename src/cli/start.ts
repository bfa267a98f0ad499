/**
 * `npm start`: serves the workbench for local use. Today that is the Vite dev server alone;
 * the embedded MQTT broker and the scenario publisher join later as more `Service`s, started
 * in order and stopped in reverse on Ctrl-C / SIGTERM.
 *
 *   npm start -- --port 8080      (or PORT=8080 npm start; default 5173, 0 = any free port)
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer } from 'vite';

export const HOST = '127.0.0.1';
export const DEFAULT_PORT = 5173;
/** The repository root, so the server works whatever directory it is started from. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Something `start` runs: it reports what it offers and knows how to stop. */
export interface Service {
  readonly name: string;
  /** Lines to show the user once started (e.g. the URL to open). */
  readonly lines: readonly string[];
  stop(): Promise<void>;
}

/** The port from `--port N` / `--port=N`, else env PORT, else the default. Throws on nonsense. */
export function parsePort(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): number {
  let raw: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === '--port') raw = argv[i + 1];
    else if (arg.startsWith('--port=')) raw = arg.slice('--port='.length);
  });
  raw ??= env.PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be a whole number 0-65535, not ${JSON.stringify(raw)}`);
  return port;
}

/** The workbench page: Vite's dev server with the repository's vite.config.ts. */
export async function startWorkbench(port: number, host = HOST): Promise<Service & { readonly url: string }> {
  const server = await createServer({
    configFile: `${ROOT}vite.config.ts`,
    root: ROOT,
    // An explicit port is the user's choice: fail loudly rather than drift to another one.
    server: { host, port, strictPort: port !== 0 },
    clearScreen: false,
    logLevel: 'warn',
  });
  await server.listen();
  const address = server.httpServer?.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host}:${actual}/`;
  return { name: 'workbench', url, lines: [`Workbench: ${url}`], stop: () => server.close() };
}

/** Starts every service, prints how to use them, and stops them all on SIGINT/SIGTERM. */
export async function main(argv = process.argv.slice(2), env = process.env): Promise<void> {
  const services: Service[] = [];
  const stopAll = async () => {
    for (const s of services.reverse()) {
      try {
        await s.stop();
      } catch (err) {
        console.error(`stopping ${s.name}: ${(err as Error).message}`);
      }
    }
  };
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return; // a second Ctrl-C while closing is not a reason to close twice
      stopping = true;
      console.log('\nStopping…');
      void stopAll().then(() => process.exit(0));
    });
  }
  try {
    services.push(await startWorkbench(parsePort(argv, env)));
  } catch (err) {
    await stopAll();
    console.error(`Could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  for (const s of services) for (const line of s.lines) console.log(line);
  console.log('Ctrl-C to stop');
}

// Run only as a program, so tests can import startWorkbench without starting anything.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
