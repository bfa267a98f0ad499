/**
 * The options every command that talks to a broker takes (`twin publish`, `twin record`),
 * declared and checked once, so both say the same thing about the same mistake.
 */
import { CliError } from './CliError';

/** For parseOptions: `--broker URL [--username U --password P] [--protocol 3.1.1|5] [--connect-timeout S]`. */
export const BROKER_OPTIONS = {
  broker: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  protocol: { type: 'string' },
  'connect-timeout': { type: 'string' },
} as const;

const SCHEMES = new Set(['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:']);

export interface BrokerOptions {
  readonly url: string;
  readonly protocol: '3.1.1' | '5';
  readonly connectTimeoutS: number;
}

/** Checks the broker options as parsed; a mistake is a CliError naming the option. */
export function readBrokerOptions(values: { broker?: string; username?: string; password?: string; protocol?: string; 'connect-timeout'?: string }): BrokerOptions {
  if (!values.broker) throw new CliError('--broker mqtt://HOST:PORT is required');
  let url: URL;
  try {
    url = new URL(values.broker);
  } catch {
    throw new CliError(`--broker ${JSON.stringify(values.broker)} is not a URL (try mqtt://127.0.0.1:1883)`);
  }
  if (!SCHEMES.has(url.protocol) || !url.hostname) throw new CliError(`--broker ${JSON.stringify(values.broker)} must be mqtt://, mqtts://, ws:// or wss:// with a host`);
  const protocol = values.protocol ?? '3.1.1';
  if (protocol !== '3.1.1' && protocol !== '5') throw new CliError(`--protocol must be 3.1.1 or 5, not ${JSON.stringify(values.protocol)}`);
  const connectTimeoutS = Number(values['connect-timeout'] ?? '10');
  if (!(connectTimeoutS > 0)) throw new CliError(`--connect-timeout must be a number of seconds > 0, not ${JSON.stringify(values['connect-timeout'])}`);
  if (values.password !== undefined && values.username === undefined) throw new CliError('--password needs --username');
  return { url: values.broker, protocol, connectTimeoutS };
}
