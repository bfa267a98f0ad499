/**
 * Recording files (../shared/contract/recording.md): JSON Lines, one MQTT message a line, in
 * arrival order. Reading a line gives the message or, for a line that is not a JSON object
 * with a topic and a payload, a `bad_line` quarantine entry: reading goes on either way.
 */
import type { QuarantineEntry, RawMessage } from './messages';
import { formatTs, parseTs } from './parseTs';

export type LineResult = { ok: true; message: RawMessage } | { ok: false; entry: QuarantineEntry };

/**
 * @param now arrival time to use when the line has no (valid) `received`, as for
 *   hand-written files. Recordings the project writes always carry `received`.
 */
export function parseRecordingLine(line: string, lineNo: number, now: number): LineResult {
  const badLine = (detail: string): LineResult => ({
    ok: false,
    entry: { reason: 'bad_line', detail: `line ${lineNo}: ${detail}`, message: { topic: '', payload: line, qos: 0, retain: false, received: now, line: lineNo } },
  });
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    return badLine(`not JSON (${(e as Error).message})`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return badLine('not a JSON object');
  const r = o as Record<string, unknown>;
  if (typeof r.topic !== 'string' || r.topic.length === 0) return badLine('no topic');
  let payload: string | Uint8Array;
  if (typeof r.payload === 'string') payload = r.payload;
  else if (typeof r.payload_b64 === 'string') {
    const bytes = fromBase64(r.payload_b64);
    if (!bytes) return badLine('payload_b64 is not base64');
    payload = bytes;
  } else return badLine('no payload or payload_b64');
  const received = typeof r.received === 'string' || typeof r.received === 'number' ? parseTs(r.received) : NaN;
  const qos = r.qos === 1 || r.qos === 2 ? r.qos : 0;
  const message: RawMessage = {
    topic: r.topic,
    payload,
    qos,
    retain: r.retain === true,
    received: Number.isNaN(received) ? now : received,
    line: lineNo,
    ...(isStringRecord(r.props) ? { props: r.props } : {}),
  };
  return { ok: true, message };
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** One recording line for a message (no trailing newline). Text payloads stay text, byte for byte. */
export function recordingLine(msg: RawMessage, extra?: Record<string, unknown>): string {
  const o: Record<string, unknown> = { topic: msg.topic };
  if (typeof msg.payload === 'string') o.payload = msg.payload;
  else {
    let text: string | undefined;
    try {
      text = utf8.decode(msg.payload);
    } catch {
      text = undefined;
    }
    // Valid UTF-8 without control bytes is text; anything else (JPEG frames) goes as base64.
    if (text !== undefined && !/[\u0000-\u0008\u000e-\u001f]/.test(text)) o.payload = text;
    else o.payload_b64 = toBase64(msg.payload);
  }
  o.qos = msg.qos;
  if (msg.retain) o.retain = true;
  if (msg.props && Object.keys(msg.props).length > 0) o.props = msg.props;
  o.received = formatTs(msg.received);
  if (extra) Object.assign(o, extra);
  return JSON.stringify(o);
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function fromBase64(s: string): Uint8Array | undefined {
  const clean = s.replace(/\s+/g, '');
  if (clean.length % 4 === 1 || !B64.test(clean)) return undefined;
  try {
    const bin = atob(clean);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(bin);
}

/**
 * Splits streamed text into lines across chunk boundaries (for a File's stream in the page,
 * a worker, or a Node stream). Handles \n and \r\n.
 */
export class LineSplitter {
  private rest = '';
  push(chunk: string, onLine: (line: string) => void): void {
    const text = this.rest + chunk;
    let start = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
      const end = i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
      onLine(text.slice(start, end));
      start = i + 1;
    }
    this.rest = text.slice(start);
  }
  end(onLine: (line: string) => void): void {
    if (this.rest.length > 0) onLine(this.rest.endsWith('\r') ? this.rest.slice(0, -1) : this.rest);
    this.rest = '';
  }
}
