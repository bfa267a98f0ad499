/** `npm start`'s options: what each combination runs, and one clear line for each mistake. */
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/CliError';
import { isLoopback, isWildcard, parseStartOptions } from '../../src/cli/startOptions';

const DEFAULT = '/repo/scenarios/baseline-gm.scenario.json';
const parse = (args: string[], env: Record<string, string> = {}) => parseStartOptions(args, env, DEFAULT, '/home/me/work');

function refusal(args: string[], env: Record<string, string> = {}): string {
  try {
    parse(args, env);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error(`accepted ${args.join(' ')}`);
}

describe('parseStartOptions', () => {
  it('runs the embedded broker and the default scenario at 60x on loopback by default', () => {
    expect(parse([])).toEqual({
      help: false,
      host: '127.0.0.1',
      port: 5173,
      broker: { kind: 'embedded', port: null, wsPort: null, scenario: DEFAULT, speed: 60, sessionExpiryMinutes: 60 },
    });
  });

  it('takes ports, a scenario (relative to where npm was run), a speed and a host', () => {
    const o = parse(['--port', '0', '--broker-port=1884', '--ws-port', '0', '--scenario', 'my.scenario.json', '--speed', '3600', '--host', '0.0.0.0']);
    expect(o).toMatchObject({ host: '0.0.0.0', port: 0, broker: { kind: 'embedded', port: 1884, wsPort: 0, scenario: '/home/me/work/my.scenario.json', speed: 3600 } });
    expect(parse(['--scenario', '/abs/x.json']).broker).toMatchObject({ scenario: '/abs/x.json' });
    expect(parse(['--session-expiry', '15']).broker).toMatchObject({ sessionExpiryMinutes: 15 });
  });

  it('reads PORT when --port is absent, and --port wins over it', () => {
    expect(parse([], { PORT: '8080' }).port).toBe(8080);
    expect(parse(['--port', '9000'], { PORT: '8080' }).port).toBe(9000);
    expect(parse([], { PORT: '' }).port).toBe(5173);
  });

  it('--no-broker runs the workbench alone', () => {
    expect(parse(['--no-broker']).broker).toEqual({ kind: 'none' });
  });

  it('--broker URL sends the page to that broker, with --store and --protocol', () => {
    expect(parse(['--broker', 'wss://mq.example:443/mqtt', '--store', 'store-9', '--protocol', '5']).broker).toEqual({
      kind: 'external',
      url: 'wss://mq.example:443/mqtt',
      store: 'store-9',
      scenario: DEFAULT,
      scenarioGiven: false,
      protocol: '5',
    });
    expect(parse(['--broker', 'ws://127.0.0.1:9001', '--scenario', 'a.json']).broker).toMatchObject({ store: null, scenarioGiven: true, protocol: '3.1.1' });
  });

  it('refuses mistakes and contradictions with one line each', () => {
    expect(refusal(['--port', '70000'])).toMatch(/--port must be a whole number 0-65535/);
    expect(refusal(['--session-expiry', '0'])).toMatch(/--session-expiry must be minutes > 0/);
    expect(refusal(['--no-broker', '--session-expiry', '5'])).toMatch(/--session-expiry has no use with --no-broker/);
    expect(refusal([], { PORT: 'eighty' })).toMatch(/PORT must be a whole number/);
    expect(refusal(['--broker-port', '-1'])).toMatch(/--broker-port/);
    expect(refusal(['--speed', 'max'])).toMatch(/--speed must be a number > 0/);
    expect(refusal(['--speed', '0'])).toMatch(/--speed must be a number > 0/);
    expect(refusal(['--broker', 'mqtt://127.0.0.1:1883'])).toMatch(/ws:\/\/ or wss:\/\//);
    expect(refusal(['--broker', 'not a url'])).toMatch(/is not a URL/);
    expect(refusal(['--broker', 'ws://h:1', '--store', 'a/b'])).toMatch(/not a store id/);
    expect(refusal(['--broker', 'ws://h:1', '--protocol', '3'])).toMatch(/--protocol must be 3.1.1 or 5/);
    expect(refusal(['--broker', 'ws://h:1', '--speed', '5'])).toMatch(/--speed is for the embedded broker/);
    expect(refusal(['--no-broker', '--broker', 'ws://h:1'])).toMatch(/contradict/);
    expect(refusal(['--no-broker', '--scenario', 'x.json'])).toMatch(/--scenario has no use with --no-broker/);
    expect(refusal(['--store', 's1'])).toMatch(/--store goes with --broker/);
    expect(refusal(['--host', ''])).toMatch(/--host needs an address/);
    expect(refusal(['--colour'])).toMatch(/colour/);
    expect(refusal(['extra'])).toMatch(/extra/);
  });
});

describe('host kinds', () => {
  it('tells loopback and wildcard addresses from the rest', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', 'pc.lan']) expect(isLoopback(h), h).toBe(false);
    for (const h of ['0.0.0.0', '::', '[::]']) expect(isWildcard(h), h).toBe(true);
    expect(isWildcard('127.0.0.1')).toBe(false);
  });
});
