/**
 * One store's live telemetry from an MQTT broker (../shared/contract/mqtt.md): subscribes
 * `backroom/v1/{store}/#` at QoS 1 on a persistent session, hands every message over as a
 * RawMessage and sends its PUBACK only once the handler says the message is safely handled,
 * so nothing the broker lets go of is lost when this process or tab dies. Reconnects with
 * exponential backoff; a broker that refuses us (credentials, protocol) is not retried.
 *
 * Plain TypeScript over mqtt.js, no DOM and no Node-only API: the same class runs in Node
 * (the CLI, tests) and in a web worker (the page's live source, over ws:// or wss://).
 */
import mqtt, { type IClientOptions, type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import type { RawMessage } from '../contract/messages';
import { topics } from '../contract/parseTopic';

export interface MqttSubscriptionOptions {
  /** Broker address: mqtt://, mqtts://, ws:// or wss:// (a page can only use ws:// and wss://). */
  url: string;
  /** Store id: subscribes backroom/v1/{store}/# at QoS 1. */
  store: string;
  protocol: '3.1.1' | '5';
  /** Stable, so the broker keeps the session; default: a generated `twin-<store>-<random>` (a new session each time). */
  clientId?: string;
  username?: string;
  password?: string;
  /** MQTT 5 session expiry: how long the broker keeps the session (and queues for it) while we are away; default 7 days. */
  sessionExpirySeconds?: number;
  /**
   * How long start() keeps trying to make the first connection before it rejects (and each
   * attempt's wait for the broker's CONNACK, at most 30 s); default 30 s.
   */
  connectTimeoutMs?: number;
  /** Backoff between reconnection attempts: minMs doubling up to maxMs; default 500 ms to 30 s. */
  reconnect?: { minMs: number; maxMs: number };
  /** MQTT keepalive: a silent connection is found dead after 1.5x this; default 30 s. */
  keepaliveSeconds?: number;
}

/**
 * - connecting: the first connection is being made (start() has not resolved yet)
 * - connected: connected and subscribed; messages flow
 * - offline: the connection was lost; waiting for the next attempt (the detail says when)
 * - reconnecting: an attempt to connect again is under way
 * - closed: stopped, or given up (refused by the broker, session taken over, no first connection in time)
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

export interface MqttSubscriptionHandlers {
  /**
   * One message as received (payload bytes, qos, retain, MQTT 5 user properties in `props`,
   * received = now). Call ack() once it is safely handled (written/ingested); the PUBACK goes
   * to the broker only then. PUBACKs go in the order the messages came (as MQTT requires),
   * so one message never acked holds back the PUBACKs of those after it. A message whose
   * connection was lost before its ack() is redelivered by the broker (a duplicate `seq`).
   */
  onMessage(msg: RawMessage, ack: () => void): void;
  onState(state: ConnectionState, detail?: string): void;
}

export interface MqttSubscriptionStats {
  /** Messages handed to onMessage (redeliveries included). */
  received: number;
  /** Messages whose ack() was called. */
  acked: number;
  /** Successful connections after the first one. */
  reconnects: number;
}

const SEVEN_DAYS_S = 7 * 24 * 3600;

/**
 * CONNACK codes that mean "not now" rather than "no": worth another try. Everything else
 * (bad protocol version, identifier rejected, bad credentials, not authorized, banned...)
 * would be refused again, so it is reported and not retried.
 */
const RETRYABLE_REFUSALS = new Set([
  3, // 3.1.1: server unavailable
  136, // 5: server unavailable
  137, // 5: server busy
  151, // 5: quota exceeded
  159, // 5: connection rate exceeded
]);

/** MQTT 5 DISCONNECT from the broker: another client took our client id. Reconnecting would fight it for the session. */
const SESSION_TAKEN_OVER = 142;

/**
 * Passed to mqtt.js's handleMessage callback to skip its own PUBACK: mqtt.js sends the PUBACK
 * in that callback and handles no further packet until it is called, so holding the callback
 * until ack() would take messages one at a time and stall pings behind a slow handler
 * (https://github.com/mqttjs/MQTT.js/issues/1935). With an error, it sends nothing and goes
 * on to the next packet (handlers/publish.js); this class sends the PUBACK itself.
 */
const PUBACK_LATER = new Error('PUBACK deferred until the handler acknowledges');

/** One network connection: the PUBACKs owed on it, in arrival order. */
class Connection {
  /** QoS 1 messages received on this connection, oldest not yet acknowledged first. */
  readonly pending: { readonly messageId: number; done: boolean }[] = [];
  head = 0;
  /** Gone: PUBACKs still owed are dropped (the broker redelivers those messages). */
  dead = false;
  constructor(readonly stream: unknown) {}
}

/** The part of mqtt.js's client that is not in its typings: writing one packet. */
interface PacketWriter {
  _sendPacket(packet: { cmd: 'puback'; messageId: number; reasonCode?: number }, cb?: (err?: Error) => void): void;
}

export class MqttSubscription {
  readonly stats: MqttSubscriptionStats = { received: 0, acked: 0, reconnects: 0 };
  private client: MqttClient | undefined;
  private connection: Connection | undefined;
  private readonly clientId: string;
  private readonly now: () => number;
  private readonly random: () => number;
  private everConnected = false;
  /** A SUBACK came on this session: a resumed session keeps the subscription. */
  private subscribed = false;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  /** Set once we give up; no attempt follows. */
  private finished = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private firstTimer: ReturnType<typeof setTimeout> | undefined;
  /** Why the last attempt or connection ended, for the next state's detail. */
  private lastError = '';
  /** A CONNACK refusal or a takeover on the current attempt: not retried. */
  private fatal: string | undefined;
  private starting: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly options: MqttSubscriptionOptions,
    private readonly handlers: MqttSubscriptionHandlers,
    deps: { now?: () => number; random?: () => number } = {},
  ) {
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.clientId = options.clientId ?? `twin-${options.store}-${Math.floor(this.random() * 2 ** 32).toString(16).padStart(8, '0')}`;
    const r = options.reconnect;
    if (r && !(r.minMs > 0 && r.maxMs >= r.minMs)) throw new RangeError(`reconnect needs 0 < minMs <= maxMs, not ${JSON.stringify(r)}`);
  }

  /** Resolves once connected and subscribed the first time; rejects (and closes) when refused or not connected within connectTimeoutMs. */
  start(): Promise<void> {
    if (this.client || this.stopping) return Promise.reject(new Error('MqttSubscription.start() may be called once'));
    const timeoutMs = this.options.connectTimeoutMs ?? 30_000;
    const promise = new Promise<void>((resolve, reject) => (this.starting = { resolve, reject }));
    this.handlers.onState('connecting', this.options.url);
    let client: MqttClient;
    try {
      client = mqtt.connect(this.options.url, this.clientOptions(timeoutMs));
    } catch (e) {
      // mqtt.js throws at once for a URL it cannot use (an unknown scheme).
      this.giveUp(`cannot connect to ${this.options.url}: ${(e as Error).message}`);
      return promise;
    }
    this.client = client;
    this.firstTimer = setTimeout(() => {
      if (!this.everConnected) this.giveUp(`no connection to ${this.options.url} within ${timeoutMs / 1000} s${this.lastError ? ` (${this.lastError})` : ''}`);
    }, timeoutMs);
    client.handleMessage = (packet, callback) => this.onPublish(packet, callback);
    client.on('connect', (connack) => void this.onConnect(connack));
    client.on('error', (err) => this.onError(err));
    client.on('disconnect', (packet) => {
      if (packet.reasonCode === SESSION_TAKEN_OVER) this.fatal = `another client connected with client id ${this.clientId} and took the session over`;
      else this.lastError = `the broker disconnected us (reason code ${packet.reasonCode ?? 0})`;
    });
    client.on('close', () => this.onClose());
    return promise;
  }

  /** Keeps the session (unsubscribes nothing); sends the PUBACKs already due and disconnects cleanly. */
  stop(): Promise<void> {
    return (this.stopped ??= this.end());
  }

  private async end(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.firstTimer);
    this.starting?.reject(new Error('stopped before the first connection'));
    this.starting = undefined;
    const client = this.client;
    if (client) {
      if (this.connection) this.connection.dead = true;
      // Not connected (between attempts): nothing to say goodbye on.
      await new Promise<void>((resolve) => client.end(!client.connected, {}, () => resolve()));
    }
    if (!this.finished) {
      this.finished = true;
      this.handlers.onState('closed', 'stopped');
    }
  }

  private clientOptions(timeoutMs: number): IClientOptions {
    const o = this.options;
    const mqtt5 = o.protocol === '5';
    return {
      protocolVersion: mqtt5 ? 5 : 4,
      clientId: this.clientId,
      // A persistent session: the broker keeps our subscription and queues QoS 1 messages while we are away.
      clean: false,
      ...(mqtt5 ? { properties: { sessionExpiryInterval: o.sessionExpirySeconds ?? SEVEN_DAYS_S } } : {}),
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      // Reconnection is ours (below): mqtt.js only knows a fixed period.
      reconnectPeriod: 0,
      // Ours too: with reconnectPeriod 0 mqtt.js would not resubscribe anyway.
      resubscribe: false,
      connectTimeout: Math.min(timeoutMs, 30_000),
      keepalive: o.keepaliveSeconds ?? 30,
    };
  }

  private onPublish(packet: IPublishPacket, callback: (err?: Error) => void): void {
    const connection = this.current();
    const msg = toRawMessage(packet, this.now());
    this.stats.received++;
    if (packet.qos !== 1 || packet.messageId === undefined) {
      // QoS 0 owes no PUBACK. QoS 2 never comes (we subscribe at QoS 1); should a broker send
      // it anyway, mqtt.js's own flow answers once the handler acks.
      let acked = false;
      const ack = () => {
        if (acked) return;
        acked = true;
        this.stats.acked++;
        if (packet.qos === 2) callback();
      };
      this.deliver(msg, ack);
      if (packet.qos !== 2) callback();
      return;
    }
    const entry = { messageId: packet.messageId, done: false };
    connection.pending.push(entry);
    const ack = () => {
      if (entry.done) return;
      entry.done = true;
      this.stats.acked++;
      this.flushAcks(connection);
    };
    this.deliver(msg, ack);
    callback(PUBACK_LATER);
  }

  private deliver(msg: RawMessage, ack: () => void): void {
    try {
      this.handlers.onMessage(msg, ack);
    } catch (e) {
      // A throwing handler is a bug: surface it, as any event handler's would be, without
      // breaking mqtt.js's packet loop. The message stays unacknowledged.
      queueMicrotask(() => {
        throw e;
      });
    }
  }

  /** Sends the PUBACKs of the acknowledged messages at the head of the line, in arrival order. */
  private flushAcks(c: Connection): void {
    const client = this.client;
    const live = !c.dead && client !== undefined && client.connected && client.stream === c.stream;
    const version5 = this.options.protocol === '5';
    while (c.head < c.pending.length && c.pending[c.head]!.done) {
      const { messageId } = c.pending[c.head++]!;
      if (live) (client as unknown as PacketWriter)._sendPacket(version5 ? { cmd: 'puback', messageId, reasonCode: 0 } : { cmd: 'puback', messageId });
    }
    if (c.head > 1024 && c.head * 2 > c.pending.length) {
      c.pending.splice(0, c.head);
      c.head = 0;
    }
  }

  /**
   * The network connection messages now come on. Made at its first message if need be:
   * mqtt.js emits 'connect' only once its own outgoing store is replayed, and a resumed
   * session's backlog may come in right behind the CONNACK.
   */
  private current(): Connection {
    const stream = this.client!.stream;
    if (!this.connection || this.connection.stream !== stream) {
      if (this.connection) this.connection.dead = true;
      this.connection = new Connection(stream);
    }
    return this.connection;
  }

  private async onConnect(connack: IConnackPacket): Promise<void> {
    const client = this.client!;
    this.current();
    this.lastError = '';
    const first = !this.everConnected;
    // The broker keeps our subscription with the session; subscribe when it has none (a
    // first connection, an expired session, a broker that lost its state).
    if (!this.subscribed || !connack.sessionPresent) {
      const r = await this.subscribe(client);
      if (this.stopping || this.finished || r === 'dropped') return; // 'close' takes it from here
      if (r !== 'ok') {
        this.giveUp(r);
        return;
      }
      this.subscribed = true;
    }
    this.attempt = 0;
    if (first) {
      this.everConnected = true;
      clearTimeout(this.firstTimer);
      this.starting?.resolve();
      this.starting = undefined;
    } else this.stats.reconnects++;
    const session = first ? '' : connack.sessionPresent ? ', session resumed' : ', new session (what was published while away is lost)';
    this.handlers.onState('connected', `${this.options.url} as ${this.clientId}${session}`);
  }

  /** 'ok' once subscribed, 'dropped' when the connection went first, else why the broker refused. */
  private subscribe(client: MqttClient): Promise<string> {
    const topic = topics.all(this.options.store);
    return new Promise((resolve) => {
      client.subscribe(topic, { qos: 1 }, (err, granted) => {
        if (err) {
          resolve(client.connected ? `subscribing to ${topic} failed: ${err.message}` : 'dropped');
          return;
        }
        const qos = granted?.[0]?.qos;
        if (qos === undefined || qos >= 128) resolve(`the broker refused the subscription to ${topic}${qos !== undefined ? ` (code ${qos})` : ''}`);
        else resolve('ok');
      });
    });
  }

  private onError(err: Error & { code?: string | number }): void {
    // A CONNACK refusal comes as an error with the broker's numeric code, before 'close'.
    if (!this.client?.connected && typeof err.code === 'number' && /refused/i.test(err.message) && !RETRYABLE_REFUSALS.has(err.code)) {
      this.fatal = `${this.options.url} refused the connection: ${err.message.replace(/^Connection refused: /, '')}`;
      return;
    }
    this.lastError = typeof err.code === 'string' && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
  }

  private onClose(): void {
    if (this.connection) this.connection.dead = true;
    this.connection = undefined;
    if (this.stopping || this.finished) return;
    if (this.fatal) {
      this.giveUp(this.fatal);
      return;
    }
    const delay = this.backoff();
    const why = this.lastError || 'connection closed';
    this.handlers.onState(this.everConnected ? 'offline' : 'connecting', `${why}; next attempt in ${formatSeconds(delay)}`);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.stopping || this.finished) return;
      if (this.everConnected) this.handlers.onState('reconnecting', this.options.url);
      this.client!.reconnect();
    }, delay);
  }

  /** minMs, then twice that, four times... up to maxMs; each within ±20 % so that many clients do not all come back at once. */
  private backoff(): number {
    const { minMs, maxMs } = this.options.reconnect ?? { minMs: 500, maxMs: 30_000 };
    const base = Math.min(maxMs, minMs * 2 ** Math.min(this.attempt++, 30));
    return Math.round(Math.min(maxMs, base * (0.8 + 0.4 * this.random())));
  }

  private giveUp(reason: string): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.firstTimer);
    const client = this.client;
    if (client) {
      if (this.connection) this.connection.dead = true;
      client.end(true);
    }
    this.handlers.onState('closed', reason);
    this.starting?.reject(new Error(reason));
    this.starting = undefined;
  }
}

function toRawMessage(packet: IPublishPacket, received: number): RawMessage {
  const p = packet.payload;
  // A view, not mqtt.js's Buffer (Node) or its polyfill (browser): plain bytes everywhere.
  const payload = typeof p === 'string' ? p : new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
  const user = packet.properties?.userProperties;
  let props: Record<string, string> | undefined;
  if (user) {
    props = {};
    // MQTT 5 allows a name more than once; the contract keeps one value a name: the first.
    for (const [k, v] of Object.entries(user)) props[k] = Array.isArray(v) ? String(v[0] ?? '') : String(v);
  }
  return { topic: packet.topic, payload, qos: packet.qos, retain: packet.retain, received, ...(props ? { props } : {}) };
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;
}
