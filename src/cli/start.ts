/**
 * `npm start`: everything needed to watch a back room live, in one command. By default:
 *
 *   1. the embedded MQTT broker (aedes: TCP and WebSocket, on 127.0.0.1),
 *   2. a publisher playing a scenario into it in accelerated time, looping,
 *   3. the workbench (Vite's dev server), which tells the page at /api/config where the
 *      broker is and which store to subscribe to.
 *
 * Services start in that order and stop in reverse on Ctrl-C / SIGTERM. `npm start -- --help`
 * lists the options (startOptions.ts).
 */
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'vite';
import type { EmbeddedBroker } from '../broker/embeddedBroker';
import type { WorkbenchConfig } from '../sources/WorkbenchConfig';
import { CliError } from './CliError';
import { configEndpoint, LAYOUT_PATH } from './configEndpoint';
import { loadScenario, type LoadedScenario } from './loadScenario';
import type { Service } from './Service';
import { DEFAULT_BROKER_PORT, DEFAULT_WS_PORT, HOST, isLoopback, isWildcard, parseStartOptions, USAGE, type BrokerChoice } from './startOptions';

export { DEFAULT_PORT, HOST } from './startOptions';
export type { Service } from './Service';

/** The repository root, so the server works whatever directory it is started from. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_SCENARIO = resolve(ROOT, 'scenarios/baseline-gm.scenario.json');
/** The layout the page opens without `?layout=` (src/components/loadStartupLayout.ts, which runs only in a browser). */
const PAGE_DEFAULT_LAYOUT = resolve(ROOT, 'scenarios/layouts/gm-large.layout.json');
/** How long Ctrl-C waits for everything to stop before exiting anyway. */
const STOP_DEADLINE_MS = 5000;

/** The workbench page: Vite's dev server with the repository's vite.config.ts (plus `plugins`). */
export async function startWorkbench(port: number, host = HOST, plugins: Plugin[] = []): Promise<Service & { readonly url: string }> {
  // Loaded when needed: a mistake on the command line is reported without loading Vite.
  const { createServer } = await import('vite');
  const server = await createServer({
    configFile: `${ROOT}vite.config.ts`,
    root: ROOT,
    plugins,
    // An explicit port is the user's choice: fail loudly rather than drift to another one.
    server: { host, port, strictPort: port !== 0 },
    clearScreen: false,
    logLevel: 'warn',
  });
  await server.listen();
  const address = server.httpServer?.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const url = `http://${urlHost(shownHost(host))}:${actual}/`;
  return { name: 'workbench', url, lines: [`Workbench: ${url}`], stop: () => server.close() };
}

/**
 * The embedded broker. A port the user gave is used or the start fails; a default port that
 * is taken (a system Mosquitto on 1883) gives way to any free one, since the page learns the
 * address from /api/config anyway.
 */
async function startBroker(host: string, choice: Extract<BrokerChoice, { kind: 'embedded' }>, store: string): Promise<Service & { readonly broker: EmbeddedBroker }> {
  let port = choice.port ?? DEFAULT_BROKER_PORT;
  let wsPort = choice.wsPort ?? DEFAULT_WS_PORT;
  const taken: number[] = [];
  const { startEmbeddedBroker } = await import('../broker/embeddedBroker');
  for (;;) {
    try {
      const broker = await startEmbeddedBroker({
        host,
        port,
        wsPort,
        sessionExpiryMs: choice.sessionExpiryMinutes * 60_000,
        onSessionExpired: (id, dropped) =>
          console.log(`Broker: ${id} was away over ${choice.sessionExpiryMinutes} min: its session and ${dropped.toLocaleString('en-US')} queued message(s) dropped (it starts afresh when it comes back)`),
      });
      const note = taken.length ? ` (${taken.join(' and ')} ${taken.length > 1 ? 'were' : 'was'} taken)` : '';
      const shown = (url: string) => url.replace(`//${urlHost(host)}:`, `//${urlHost(shownHost(host))}:`);
      return {
        name: 'broker',
        broker,
        lines: [`Broker: ${shown(broker.url)} (TCP), ${shown(broker.wsUrl!)} (WebSocket: the page connects here); embedded, MQTT 3.1.1, no authentication, store ${store}${note}; a session is kept ${choice.sessionExpiryMinutes} min after its client goes`],
        stop: () => broker.close(),
      };
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { port?: number };
      if (err.code !== 'EADDRINUSE') throw e;
      if (err.port === port && choice.port === null && port !== 0) {
        taken.push(port);
        port = 0;
      } else if (err.port === wsPort && choice.wsPort === null && wsPort !== 0) {
        taken.push(wsPort);
        wsPort = 0;
      } else {
        const flag = err.port === wsPort ? '--ws-port' : '--broker-port';
        throw new Error(`port ${err.port} is in use (another MQTT broker?): choose another with ${flag} N (0 = any free port)`);
      }
    }
  }
}

/** Starts every service, prints how to use them, and stops them all on SIGINT/SIGTERM. Resolves with an exit code once it fails to start; runs until a signal otherwise. */
export async function main(argv = process.argv.slice(2), env = process.env): Promise<number> {
  let options: ReturnType<typeof parseStartOptions>;
  let scenario: LoadedScenario | undefined;
  try {
    options = parseStartOptions(argv, env, DEFAULT_SCENARIO, env.INIT_CWD ?? process.cwd());
    if (options.help) {
      console.log(USAGE);
      return 0;
    }
    const b = options.broker;
    if (b.kind === 'embedded' || (b.kind === 'external' && (b.scenarioGiven || b.store === null))) scenario = loadScenario(b.scenario);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    console.error(`npm start: ${e.message}`);
    return 2;
  }
  const { host, broker: choice } = options;
  if (!isLoopback(host)) console.error(hostWarning(host, choice.kind === 'embedded'));

  const services: Service[] = [];
  // Lines the publisher reports before the summary is printed wait for it.
  let early: string[] | undefined = [];
  const log = (line: string) => (early ? early.push(line) : console.log(line));
  let stopping = false;
  const stopAll = async () => {
    for (const s of services.reverse()) {
      try {
        await s.stop();
      } catch (err) {
        console.error(`stopping ${s.name}: ${(err as Error).message}`);
      }
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return; // a second Ctrl-C while closing is not a reason to close twice
      stopping = true;
      console.log('\nStopping…');
      setTimeout(() => {
        console.error(`Not everything stopped within ${STOP_DEADLINE_MS / 1000} s; exiting anyway`);
        process.exit(1);
      }, STOP_DEADLINE_MS).unref();
      void stopAll().then(() => process.exit(0));
    });
  }

  try {
    let config: (pageHost: string | undefined) => WorkbenchConfig;
    // The scenario's layout, served at /api/layout when it describes the store the page is sent to.
    let layoutFile: string | undefined;
    if (choice.kind === 'embedded') {
      const { layout, run } = scenario!;
      const broker = await startBroker(host, choice, layout.store);
      services.push(broker);
      const { startScenarioPublisher } = await import('./scenarioPublisher');
      services.push(await startScenarioPublisher({ brokerUrl: broker.broker.url, layout, scenario: run, scenarioFile: shownPath(choice.scenario), speed: choice.speed, log }));
      layoutFile = scenario!.layoutPath;
      const wsUrl = new URL(broker.broker.wsUrl!);
      config = (pageHost) => ({
        broker: { url: `ws://${urlHost(brokerHostFor(host, pageHost))}:${wsUrl.port}`, store: layout.store, protocol: '3.1.1' },
        scenario: run.name,
        speed: choice.speed,
        layout: LAYOUT_PATH,
      });
    } else if (choice.kind === 'external') {
      const store = choice.store ?? scenario!.layout.store;
      if (scenario && scenario.layout.store === store) layoutFile = scenario.layoutPath;
      services.push({ name: 'broker', lines: [`Broker: ${choice.url} (yours; npm start publishes nothing), MQTT ${choice.protocol}, store ${store}`], stop: async () => {} });
      config = () => ({ broker: { url: choice.url, store, protocol: choice.protocol }, scenario: null, speed: null, layout: layoutFile ? LAYOUT_PATH : null });
    } else {
      services.push({ name: 'broker', lines: ['Broker: none (--no-broker): the page starts without live data'], stop: async () => {} });
      config = () => ({ broker: null, scenario: null, speed: null, layout: null });
    }
    const workbench = await startWorkbench(options.port, host, [configEndpoint({ config, ...(layoutFile ? { layoutFile } : {}) })]);
    services.push(workbench);
    // The page opens the large example layout unless told otherwise: point it at the scenario's.
    const open = layoutFile && resolve(layoutFile) !== PAGE_DEFAULT_LAYOUT ? `${workbench.url}?layout=${LAYOUT_PATH}` : workbench.url;
    console.log(`Workbench: ${open}`);
    for (const s of services) if (s !== workbench) for (const line of s.lines) console.log(line);
  } catch (err) {
    // Ctrl-C during the start: the signal handler is stopping what began, and exits.
    if (stopping) return new Promise<number>(() => {});
    stopping = true;
    await stopAll();
    console.error(`Could not start: ${(err as Error).message}`);
    return 1;
  }
  const waiting = early;
  early = undefined;
  for (const line of waiting) console.log(line);
  console.log('Ctrl-C to stop');
  return new Promise<number>(() => {}); // runs until a signal ends the process
}

function hostWarning(host: string, embedded: boolean): string {
  const what = embedded
    ? 'The workbench and the embedded MQTT broker can be reached from the network, and the broker has no authentication: anyone who reaches it can read the store\'s telemetry and publish into it.'
    : 'The workbench can be reached from the network.';
  return `\nWARNING: --host ${host} is not a loopback address. ${what} Use --host 127.0.0.1 unless you mean it.\n`;
}

/** The address to show a user for a bind address: a wildcard is reached at 127.0.0.1 from here. */
function shownHost(host: string): string {
  return isWildcard(host) ? HOST : host;
}

/**
 * Where the page should reach the broker: the bind address, unless that is a wildcard; then
 * the name the browser used for the page (the same machine), or 127.0.0.1.
 */
function brokerHostFor(host: string, pageHost: string | undefined): string {
  return isWildcard(host) ? (pageHost ?? HOST) : host;
}

/** An IPv6 literal needs brackets in a URL. */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function shownPath(path: string): string {
  const rel = relative(ROOT, path);
  return rel.startsWith('..') ? path : rel;
}

// Run only as a program, so tests can import startWorkbench without starting anything.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(err.stack ?? err.message);
      process.exit(1);
    },
  );
}
