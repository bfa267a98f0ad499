/**
 * The few globals every runtime of the pure core has (Node, web workers, the page) but the
 * ES lib does not declare. Only tsconfig.core.json reads this file; the full tsconfig gets
 * them from DOM. Nothing DOM-only (document, window, HTMLElement) belongs here.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
declare var console: {
  log(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
};
declare function setTimeout(handler: (...args: unknown[]) => void, timeout?: number): unknown;
declare function clearTimeout(id: unknown): void;
declare function queueMicrotask(cb: () => void): void;
declare var performance: { now(): number };
declare function atob(data: string): string;
declare function btoa(data: string): string;
