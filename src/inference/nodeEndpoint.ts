/**
 * A Node worker thread (or its parentPort) as a Comlink endpoint: Node's ports emit the
 * message itself where the web's emit an event with `data`. Comlink's own adapter does the
 * same but ships without types for its .mjs path.
 */
import type * as Comlink from 'comlink';

interface NodePort {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  on(type: 'message', listener: (data: unknown) => void): unknown;
  off(type: 'message', listener: (data: unknown) => void): unknown;
}

export function nodeEndpoint(port: NodePort): Comlink.Endpoint {
  const listeners = new WeakMap<object, (data: unknown) => void>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) => port.postMessage(message, transfer as readonly unknown[] | undefined),
    addEventListener: (_type: string, handler: EventListenerOrEventListenerObject) => {
      const listener = (data: unknown) => {
        const event = { data } as MessageEvent;
        if ('handleEvent' in handler) handler.handleEvent(event);
        else handler(event);
      };
      port.on('message', listener);
      listeners.set(handler, listener);
    },
    removeEventListener: (_type: string, handler: EventListenerOrEventListenerObject) => {
      const listener = listeners.get(handler);
      if (!listener) return;
      port.off('message', listener);
      listeners.delete(handler);
    },
  };
}
