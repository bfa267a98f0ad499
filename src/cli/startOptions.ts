/**
 * `npm start`'s command line: what to run (the embedded broker and a scenario publisher, no
 * broker, or someone else's broker) and where. Mistakes throw a CliError (one line, exit 2).
 */
import { isAbsolute, resolve } from 'node:path';
import { CliError } from './CliError';
import { parseOptions } from './parseOptions';

export const HOST = '127.0.0.1';
export const DEFAULT_PORT = 5173;
/** The usual MQTT ports (Mosquitto's TCP default and its documented WebSocket listener). */
export const DEFAULT_BROKER_PORT = 1883;
export const DEFAULT_WS_PORT = 9001;
/** One simulated hour a minute. */
export const DEFAULT_SPEED = 60;
/** How long the embedded broker keeps the session of a page (or recorder) that went away. */
export const DEFAULT_SESSION_EXPIRY_MINUTES = 60;

export type BrokerChoice =
  /** The embedded broker, with a publisher playing `scenario` into it. Ports: null = the default, or any free one when that is taken. */
  | { readonly kind: 'embedded'; readonly port: number | null; readonly wsPort: number | null; readonly scenario: string; readonly speed: number; readonly sessionExpiryMinutes: number }
  /** No broker: the workbench alone. */
  | { readonly kind: 'none' }
  /** The user's broker: nothing is published; `store` (else the scenario's layout) names the store. */
  | { readonly kind: 'external'; readonly url: string; readonly store: string | null; readonly scenario: string; readonly scenarioGiven: boolean; readonly protocol: '3.1.1' | '5' };

export interface StartOptions {
  readonly help: boolean;
  /** Interface every listener binds. */
  readonly host: string;
  /** Workbench port (0 = any free port). */
  readonly port: number;
  readonly broker: BrokerChoice;
}

export const USAGE = `Usage: npm start -- [options]

Runs the workbench (Vite dev server), an embedded MQTT broker (TCP and WebSocket) and a
publisher that plays a scenario into it, looping; the page connects to the broker by default.

  --port N            workbench port (or env PORT; default ${DEFAULT_PORT}; 0 = any free port)
  --broker-port N     embedded broker's TCP port (default ${DEFAULT_BROKER_PORT}, or any free one if taken)
  --ws-port N         embedded broker's WebSocket port (default ${DEFAULT_WS_PORT}, or any free one if taken)
  --scenario FILE     scenario to play (default scenarios/baseline-gm.scenario.json)
  --speed X           simulated time over wall time (default ${DEFAULT_SPEED}: a simulated hour a minute)
  --session-expiry M  minutes the embedded broker keeps queuing for a page that went away (default ${DEFAULT_SESSION_EXPIRY_MINUTES})
  --no-broker         the workbench alone: no broker, no publisher
  --broker URL        use your broker (ws:// or wss://): no embedded broker, nothing published
  --store ID          with --broker: the store to show (default: the scenario's layout's store)
  --protocol V        with --broker: MQTT 3.1.1 (default) or 5
  --host ADDR         address to bind (default ${HOST}; the embedded broker has no authentication)
  --help              this text`;

const STORE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Reads the options. `defaultScenario` is an absolute path; a relative --scenario is resolved
 * against `cwd` (npm runs scripts in the package root, so start.ts passes npm's INIT_CWD).
 */
export function parseStartOptions(argv: string[], env: Readonly<Record<string, string | undefined>>, defaultScenario: string, cwd: string): StartOptions {
  const { values } = parseOptions(argv, {
    port: { type: 'string' },
    'broker-port': { type: 'string' },
    'ws-port': { type: 'string' },
    scenario: { type: 'string' },
    speed: { type: 'string' },
    'session-expiry': { type: 'string' },
    'no-broker': { type: 'boolean' },
    broker: { type: 'string' },
    store: { type: 'string' },
    protocol: { type: 'string' },
    host: { type: 'string' },
    help: { type: 'boolean' },
  });
  const help = values.help === true;
  const host = values.host ?? HOST;
  if (host.trim() === '') throw new CliError('--host needs an address, e.g. 127.0.0.1 or 0.0.0.0');
  const port = values.port !== undefined ? parsePort('--port', values.port) : env.PORT ? parsePort('PORT', env.PORT) : DEFAULT_PORT;
  const scenario = values.scenario === undefined ? defaultScenario : isAbsolute(values.scenario) ? values.scenario : resolve(cwd, values.scenario);

  const onlyEmbedded = (['broker-port', 'ws-port', 'speed', 'session-expiry'] as const).filter((k) => values[k] !== undefined);
  const onlyExternal = (['store', 'protocol'] as const).filter((k) => values[k] !== undefined);
  if (values['no-broker'] && values.broker !== undefined) throw new CliError('--no-broker and --broker URL contradict each other: give one');

  if (values['no-broker']) {
    const extra = [...onlyEmbedded, ...onlyExternal, ...(values.scenario !== undefined ? ['scenario'] : [])];
    if (extra.length) throw new CliError(`--${extra[0]} has no use with --no-broker (no broker, nothing published)`);
    return { help, host, port, broker: { kind: 'none' } };
  }
  if (values.broker !== undefined) {
    if (onlyEmbedded.length) throw new CliError(`--${onlyEmbedded[0]} is for the embedded broker; with --broker URL npm start runs none and publishes nothing`);
    const store = values.store ?? null;
    if (store !== null && !STORE_ID.test(store)) throw new CliError(`--store ${JSON.stringify(store)} is not a store id ([A-Za-z0-9_-], 1 to 64)`);
    const protocol = values.protocol ?? '3.1.1';
    if (protocol !== '3.1.1' && protocol !== '5') throw new CliError(`--protocol must be 3.1.1 or 5, not ${JSON.stringify(protocol)}`);
    return { help, host, port, broker: { kind: 'external', url: checkWsUrl(values.broker), store, scenario, scenarioGiven: values.scenario !== undefined, protocol } };
  }
  if (onlyExternal.length) throw new CliError(`--${onlyExternal[0]} goes with --broker URL (the embedded broker speaks MQTT 3.1.1 and carries the scenario's store)`);
  return {
    help,
    host,
    port,
    broker: {
      kind: 'embedded',
      port: values['broker-port'] === undefined ? null : parsePort('--broker-port', values['broker-port']),
      wsPort: values['ws-port'] === undefined ? null : parsePort('--ws-port', values['ws-port']),
      scenario,
      speed: values.speed === undefined ? DEFAULT_SPEED : parseSpeed(values.speed),
      sessionExpiryMinutes: values['session-expiry'] === undefined ? DEFAULT_SESSION_EXPIRY_MINUTES : parseMinutes(values['session-expiry']),
    },
  };
}

function parsePort(name: string, raw: string): number {
  const port = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`${name} must be a whole number 0-65535, not ${JSON.stringify(raw)}`);
  return port;
}

function parseMinutes(raw: string): number {
  const m = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(m) || m <= 0) throw new CliError(`--session-expiry must be minutes > 0 (how long the broker queues for a page that went away), not ${JSON.stringify(raw)}`);
  return m;
}

function parseSpeed(raw: string): number {
  const speed = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(speed) || speed <= 0) throw new CliError(`--speed must be a number > 0 (60 = a simulated hour a minute), not ${JSON.stringify(raw)}`);
  return speed;
}

/** The page speaks MQTT over WebSocket only, so the broker it is sent to must offer that. */
function checkWsUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`--broker ${JSON.stringify(raw)} is not a URL (try ws://127.0.0.1:9001)`);
  }
  if ((url.protocol !== 'ws:' && url.protocol !== 'wss:') || !url.hostname) {
    throw new CliError(`--broker must be a ws:// or wss:// URL with a host (the page speaks MQTT over WebSocket only), not ${JSON.stringify(raw)}`);
  }
  return raw;
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Every interface: 0.0.0.0 or ::. */
export function isWildcard(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::' || h === '0:0:0:0:0:0:0:0';
}
