/**
 * What `npm start` tells the page at `GET /api/config` (served by src/cli/configEndpoint.ts):
 * which broker to connect to by default and what is being played into it. Plain data and a
 * pure reader, so the page, a worker and the tests share one definition.
 */

export const WORKBENCH_CONFIG_PATH = '/api/config';

export interface WorkbenchBroker {
  /** ws:// or wss:// (a page can speak MQTT over WebSocket only). */
  readonly url: string;
  /** Store id: the page subscribes `backroom/v1/{store}/#`. */
  readonly store: string;
  /** MQTT version to speak; the embedded broker (aedes) speaks 3.1.1 only. */
  readonly protocol: '3.1.1' | '5';
}

export interface WorkbenchConfig {
  /** null: `npm start --no-broker`, no live data by default. */
  readonly broker: WorkbenchBroker | null;
  /** Name of the scenario `npm start` plays into the broker; null when it plays none (`--no-broker`, `--broker URL`). */
  readonly scenario: string | null;
  /** Simulated time over wall time of that scenario; null when none plays. */
  readonly speed: number | null;
  /**
   * Where the page can fetch the layout of `broker.store` (a path on the same server), so
   * that the room it shows is the one the messages are about; null when `npm start` does not
   * know it (`--broker URL --store ID` without `--scenario`).
   */
  readonly layout: string | null;
}

/** The config, or why the answer is not one (an older or foreign server). */
export function parseWorkbenchConfig(value: unknown): { ok: true; config: WorkbenchConfig } | { ok: false; reason: string } {
  if (!isObject(value)) return { ok: false, reason: 'not a JSON object' };
  const broker = value.broker;
  let parsedBroker: WorkbenchBroker | null = null;
  if (broker !== null && broker !== undefined) {
    if (!isObject(broker)) return { ok: false, reason: 'broker is not an object or null' };
    const { url, store, protocol } = broker;
    if (typeof url !== 'string' || !/^wss?:\/\//.test(url)) return { ok: false, reason: 'broker.url is not a ws:// or wss:// URL' };
    if (typeof store !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(store)) return { ok: false, reason: 'broker.store is not a store id' };
    if (protocol !== '3.1.1' && protocol !== '5') return { ok: false, reason: 'broker.protocol is not "3.1.1" or "5"' };
    parsedBroker = { url, store, protocol };
  }
  const scenario = typeof value.scenario === 'string' ? value.scenario : null;
  const speed = typeof value.speed === 'number' && value.speed > 0 ? value.speed : null;
  const layout = typeof value.layout === 'string' ? value.layout : null;
  return { ok: true, config: { broker: parsedBroker, scenario, speed, layout } };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
