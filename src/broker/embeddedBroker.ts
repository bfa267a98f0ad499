/**
 * An MQTT broker inside the process (aedes, MQTT 3.1.1 only): for `npm test`, for `npm start`
 * and for anyone without Mosquitto at hand. TCP always, WebSocket when asked (browsers can
 * only speak MQTT over WebSocket). Bound to 127.0.0.1 unless told otherwise: it has no
 * authentication, so it must not face a network by accident.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';

export interface EmbeddedBrokerOptions {
  /** Interface to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** TCP port; 0 (the default) takes any free port, read it back from `url`. */
  port?: number;
  /** WebSocket port (0 = any free port); no WebSocket listener when absent. */
  wsPort?: number;
  /**
   * Where sessions, queued QoS 1 messages and retained messages live: pass the `persistence`
   * of a broker that was closed to start its successor with the same state (a restart that
   * loses nothing). Default: a new in-memory store.
   */
  persistence?: BrokerPersistence;
  /**
   * How long the session of a client that went away without a clean session is kept (its
   * subscriptions, and QoS 1 messages queued for it). MQTT 3.1.1 has no session expiry and
   * aedes keeps such a session, growing, for ever: a workbench tab closed for the night would
   * hold every message of the night in memory. After this long away, the session is dropped
   * and the client starts a new one when it comes back (it is told: sessionPresent false).
   * Default: kept for ever, as MQTT 3.1.1 says.
   */
  sessionExpiryMs?: number;
  /** Told when a session expired, with the messages dropped from its queue. */
  onSessionExpired?(clientId: string, dropped: number): void;
}

/** An aedes persistence (aedes-persistence's in-memory store unless one was passed). */
export type BrokerPersistence = object;

export interface EmbeddedBroker {
  /** `mqtt://host:port`, with the port actually bound. */
  readonly url: string;
  /** `ws://host:port`, when a WebSocket listener was asked for. */
  readonly wsUrl?: string;
  /** Its sessions and queued messages: outlive close(), for a restart with `options.persistence`. */
  readonly persistence: BrokerPersistence;
  /** Disconnects every client and stops listening; safe to call twice. */
  close(): Promise<void>;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  let persistence: Persistence | undefined;
  const aedes = await Aedes.createBroker({
    ...(options.persistence ? { persistence: options.persistence } : {}),
    preConnect: (client, packet, done) => {
      if (packet.clean || !persistence) return done(null, true);
      avoidStoredPacketIds(persistence, client as unknown as IdAllocator, packet.clientId).then(
        () => done(null, true),
        () => done(null, true),
      );
    },
  });
  persistence = (aedes as unknown as { persistence: Persistence }).persistence;
  // Client errors (a peer that hangs up mid-packet, a malformed packet) are the client's
  // problem: aedes drops that connection. Listening keeps an 'error' from crashing us.
  aedes.on('clientError', () => {});
  aedes.on('connectionError', () => {});
  const expiry = options.sessionExpiryMs;
  const away = new Map<string, ReturnType<typeof setTimeout>>();
  if (expiry !== undefined) {
    aedes.on('client', (client) => {
      clearTimeout(away.get(client.id));
      away.delete(client.id);
    });
    aedes.on('clientDisconnect', (client) => {
      if ((client as unknown as { clean: boolean }).clean || !client.id) return;
      const id = client.id;
      clearTimeout(away.get(id));
      const timer = setTimeout(() => {
        away.delete(id);
        // Still away (a client of that id connected since would have cleared the timer).
        void expireSession(persistence!, id).then((dropped) => options.onSessionExpired?.(id, dropped), () => {});
      }, expiry);
      timer.unref?.();
      away.set(id, timer);
    });
  }

  // Every socket, connected or not, so close() can end those aedes does not know yet
  // (a TCP connection that never sent CONNECT would otherwise hold server.close() open).
  const sockets = new Set<Socket>();
  const tcp = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  const closers: (() => Promise<void>)[] = [];
  try {
    const port = await listen(tcp, options.port ?? 0, host);
    closers.push(() => closeServer(tcp));
    let wsUrl: string | undefined;
    if (options.wsPort !== undefined) {
      const http = createHttpServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only\n'));
      const wss = new WebSocketServer({ server: http });
      wss.on('connection', (socket, req) => {
        const stream = createWebSocketStream(socket);
        // A WebSocket that closes under the stream surfaces as a stream error; aedes has
        // already been told through 'close', so the error needs no further handling.
        stream.on('error', () => {});
        aedes.handle(stream, req);
      });
      const wsPort = await listen(http, options.wsPort, host);
      wsUrl = `ws://${urlHost(host)}:${wsPort}`;
      closers.push(async () => {
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        http.closeAllConnections();
        await closeServer(http);
      });
    }
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        for (const t of away.values()) clearTimeout(t);
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        for (const s of sockets) s.destroy();
        for (const c of closers.reverse()) await c();
      })());
    return { url: `mqtt://${urlHost(host)}:${port}`, ...(wsUrl ? { wsUrl } : {}), persistence, close };
  } catch (e) {
    // One listener failed (port taken): release what did start before reporting it.
    for (const c of closers.reverse()) await c().catch(() => {});
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw e;
  }
}

/** The part of aedes's persistence used here: a session's subscriptions and queued messages. */
interface Persistence {
  outgoingStream(client: { id: string }): AsyncIterable<{ messageId?: number; brokerId?: string; brokerCounter?: number }>;
  outgoingUpdate(client: { id: string }, packet: object): Promise<unknown>;
  outgoingClearMessageId(client: { id: string }, packet: { messageId: number }): Promise<unknown>;
  cleanSubscriptions(client: { id: string }): Promise<unknown>;
}

/**
 * Drops a session: its subscriptions (so nothing more is queued for it) and every message
 * queued. aedes-persistence clears a queued message only by packet id, and a message never
 * sent has none yet: each is given one, then cleared. Returns the messages dropped.
 */
async function expireSession(persistence: Persistence, clientId: string): Promise<number> {
  const client = { id: clientId };
  await persistence.cleanSubscriptions(client);
  const queued = [];
  for await (const p of persistence.outgoingStream(client)) queued.push(p);
  for (const p of queued) {
    const messageId = p.messageId ?? 65535;
    if (p.messageId === undefined) await persistence.outgoingUpdate(client, { ...p, messageId });
    await persistence.outgoingClearMessageId(client, { messageId });
  }
  return queued.length;
}

/** aedes's per-connection packet id counter (lib/client.js, not in its typings). */
interface IdAllocator {
  _nextId: number;
}

/**
 * Works around packet ids colliding in a resumed session (aedes 1.2): aedes numbers each
 * connection's packets from a random start, while the messages its session still holds keep
 * the ids they were sent with. Once a new message gets the id of a stored one, the PUBACK
 * for either clears whichever the store finds first, so one message is never delivered and
 * the other comes twice (and aedes drops the connection: "no such packet"). Numbering from
 * the start of the longest run of ids the session does not hold keeps them apart.
 */
async function avoidStoredPacketIds(persistence: Persistence, client: IdAllocator, clientId: string): Promise<void> {
  const held: number[] = [];
  for await (const p of persistence.outgoingStream({ id: clientId })) if (p.messageId) held.push(p.messageId);
  if (held.length === 0) return;
  held.sort((a, b) => a - b);
  // Ids run 1..65535 and wrap; the gap after the last held id wraps round to the first.
  let bestStart = (held.at(-1)! % 65535) + 1;
  let bestLength = 65535 - held.at(-1)! + held[0]! - 1;
  for (let i = 1; i < held.length; i++) {
    const length = held[i]! - held[i - 1]! - 1;
    if (length > bestLength) {
      bestLength = length;
      bestStart = held[i - 1]! + 1;
    }
  }
  if (bestLength > 0) client._nextId = bestStart;
}

function listen(server: Server | ReturnType<typeof createHttpServer>, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server | ReturnType<typeof createHttpServer>): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** An IPv6 literal needs brackets in a URL. */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
