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
}

export interface EmbeddedBroker {
  /** `mqtt://host:port`, with the port actually bound. */
  readonly url: string;
  /** `ws://host:port`, when a WebSocket listener was asked for. */
  readonly wsUrl?: string;
  /** Disconnects every client and stops listening; safe to call twice. */
  close(): Promise<void>;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const aedes = await Aedes.createBroker();
  // Client errors (a peer that hangs up mid-packet, a malformed packet) are the client's
  // problem: aedes drops that connection. Listening keeps an 'error' from crashing us.
  aedes.on('clientError', () => {});
  aedes.on('connectionError', () => {});

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
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        for (const s of sockets) s.destroy();
        for (const c of closers.reverse()) await c();
      })());
    return { url: `mqtt://${urlHost(host)}:${port}`, ...(wsUrl ? { wsUrl } : {}), close };
  } catch (e) {
    // One listener failed (port taken): release what did start before reporting it.
    for (const c of closers.reverse()) await c().catch(() => {});
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw e;
  }
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
