/**
 * Connecting a tool (the publisher) to a broker: retry while the broker is not there yet
 * (it may be starting beside us), give up with one clear reason at a deadline, and never
 * retry a broker that answered "no" (bad credentials, unsupported protocol version).
 */
import mqtt, { type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';

export interface ConnectedBroker {
  readonly client: MqttClient;
  /** The broker's CONNACK: for MQTT 5 its properties (Receive Maximum, ...). */
  readonly connack: IConnackPacket;
}

/** The broker refused us (CONNACK with a failure code): retrying will not help. */
export class BrokerRefused extends Error {
  override name = 'BrokerRefused';
}

/** The broker could not be reached before the deadline. */
export class BrokerUnreachable extends Error {
  override name = 'BrokerUnreachable';
}

const RETRY_MS = 250;

/**
 * Connects with mqtt.js, retrying refused or dropped connections every 250 ms until
 * `timeoutMs` has passed. The client comes back with automatic reconnection off: a
 * publisher that loses its broker should say so, not resend a stream out of order later.
 */
export async function connectBroker(url: string, options: IClientOptions, timeoutMs: number): Promise<ConnectedBroker> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const r = await attempt(url, { ...options, reconnectPeriod: 0, connectTimeout: Math.max(1, remaining) }, remaining);
    if ('client' in r) return r;
    if (r.refused) throw new BrokerRefused(r.reason);
    last = r.reason;
    await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, Math.max(0, deadline - Date.now()))));
  }
  throw new BrokerUnreachable(`no connection within ${(timeoutMs / 1000).toFixed(timeoutMs % 1000 ? 1 : 0)} s (${last})`);
}

type Attempt = ConnectedBroker | { refused: boolean; reason: string };

function attempt(url: string, options: IClientOptions, timeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    let client: MqttClient;
    try {
      client = mqtt.connect(url, options);
    } catch (e) {
      // mqtt.js throws at once for a URL it cannot use (an unknown protocol): not worth retrying.
      resolve({ refused: true, reason: (e as Error).message });
      return;
    }
    let reason = 'connection closed';
    let refused = false;
    const done = (r: Attempt) => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('close', onClose);
      if (!('client' in r)) {
        // Keep a late 'error' from an abandoned client from becoming an uncaught one.
        client.on('error', () => {});
        client.end(true);
      }
      client.off('error', onError);
      resolve(r);
    };
    const onConnect = (connack: IConnackPacket) => done({ client, connack });
    const onError = (err: Error & { code?: string | number }) => {
      // A numeric code is the broker's CONNACK refusal; a string one is the socket's (ECONNREFUSED).
      refused ||= typeof err.code === 'number';
      reason = typeof err.code === 'string' && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
    };
    const onClose = () => done({ refused, reason });
    const timer = setTimeout(() => done({ refused: false, reason: 'no answer' }), timeoutMs);
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('close', onClose);
  });
}
