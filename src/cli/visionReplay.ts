/**
 * A vision eval's replay file (`twin vision eval --save FILE`, read back by `--replay FILE`):
 * everything fusion and the scoring read of a simulated run, so that fusion's rules can be
 * changed and scored again in seconds, without simulating, rendering or running the CNN (a
 * 10-day run of the large layout takes about 10 minutes; its replay well under one).
 *
 * Gzipped JSON lines, written in gzip members of a few MB each (a file of several members is
 * one gzip stream to any reader). Compact arrays, indices into the layout's slots and cameras
 * in layout order (the layout rides in the header):
 *
 *   {"format":"twin-vision-replay","version":1,"store":..,"scenario":..,"seed":..,"days":..,"frameSettings":{..},"model":..,"layout":{..}}
 *   ["u", slot, ts, units, grams|null]                         a load cell's count (FusionEvent units)
 *   ["s", slot, camera, ts, fill, fillProb, match, matchProb, light|null]   a sighting, its crop left out
 *   ["f", camera, ts, light|null, [[slot, fill, misplaced, concealed], ..]] the truth of the frame's judged slots
 *   ["t", [truth records]]                                      the scenario's truth, last
 *
 * `fill` is an index of FILL_LABELS, `match`, `misplaced` and `concealed` are 0 or 1, ts are
 * epoch ms. Probabilities are the CNN's float32 outputs written in full, so a replay's fusion
 * is the run's to the bit. The store id is in the header (and in the layout): files of many
 * stores stay apart.
 */
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { createGunzip, gzipSync } from 'node:zlib';
import type { FrameSettings } from '../../sim/scenario/Scenario';
import type { TruthRecord } from '../../sim/world/Truth';
import type { FusionEvent } from '../inference/fusion';
import { FILL_LABELS, type FillLabel } from '../inference/shelfInput';
import type { SlotSighting } from '../inference/VisionRunner';
import type { Layout } from '../layout/Layout';
import { LayoutIndex } from '../layout/LayoutIndex';
import { parseLayoutText } from '../layout/parseLayout';
import { CliError } from './CliError';

export const REPLAY_FORMAT = 'twin-vision-replay';
export const REPLAY_VERSION = 1;

/** Text gathered before it is gzipped and written as one member. */
const CHUNK_CHARS = 4 << 20;

export interface ReplayHeader {
  readonly format: typeof REPLAY_FORMAT;
  readonly version: number;
  readonly store: string;
  readonly scenario: string;
  readonly seed: number;
  readonly days: number;
  readonly frameSettings: FrameSettings;
  /** The model folder the run's CNN came from, as given. */
  readonly model: string;
  readonly layout: Layout;
}

/** The truth of one judged slot of a frame, as the scoring reads it (sim/render/frameTruth.ts SlotTruth). */
export interface SlotMark {
  readonly fill: FillLabel;
  readonly misplaced: boolean;
  readonly concealed?: boolean;
}

export class ReplayWriter {
  private readonly fd: number;
  private readonly slots: Map<string, number>;
  private readonly cameras: Map<string, number>;
  private buffer: string[] = [];
  private chars = 0;

  constructor(
    readonly file: string,
    header: Omit<ReplayHeader, 'format' | 'version' | 'layout'>,
    layout: LayoutIndex,
  ) {
    this.slots = new Map([...layout.slots.keys()].map((id, i) => [id, i]));
    this.cameras = new Map([...layout.cameras.keys()].map((id, i) => [id, i]));
    try {
      this.fd = openSync(file, 'w');
    } catch (e) {
      throw new CliError(`cannot write ${file}: ${(e as Error).message}`);
    }
    this.push({ format: REPLAY_FORMAT, version: REPLAY_VERSION, ...header, layout: layout.layout });
  }

  /** A fusion event as fusion received it. */
  event(e: FusionEvent): void {
    if (e.type === 'units') this.push(['u', this.slots.get(e.slot), e.ts, e.units, e.grams ?? null]);
    else {
      const s = e.sighting;
      this.push(['s', this.slots.get(s.slot), this.cameras.get(s.camera), s.ts, FILL_LABELS.indexOf(s.fill), s.fillProb, s.match ? 1 : 0, s.matchProb, s.light ?? null]);
    }
  }

  /** A frame's truth for the slots it judged (those in the truth's clear view). */
  frame(camera: string, ts: number, light: number | undefined, marks: ReadonlyMap<string, SlotMark>): void {
    const rows = [...marks].map(([slot, m]) => [this.slots.get(slot), FILL_LABELS.indexOf(m.fill), m.misplaced ? 1 : 0, m.concealed ? 1 : 0]);
    this.push(['f', this.cameras.get(camera), ts, light ?? null, rows]);
  }

  /** The run's truth; the last line. */
  truth(records: readonly TruthRecord[]): void {
    this.push(['t', records]);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private push(line: unknown): void {
    const text = JSON.stringify(line);
    this.buffer.push(text);
    this.chars += text.length + 1;
    if (this.chars >= CHUNK_CHARS) this.flush();
  }

  private flush(): void {
    if (!this.buffer.length) return;
    writeSync(this.fd, gzipSync(`${this.buffer.join('\n')}\n`));
    this.buffer = [];
    this.chars = 0;
  }
}

/** What a replay file's lines become, in order. */
export type ReplayItem =
  | { readonly kind: 'event'; readonly event: FusionEvent }
  | { readonly kind: 'frame'; readonly camera: string; readonly ts: number; readonly light: number | undefined; readonly marks: ReadonlyMap<string, SlotMark> }
  | { readonly kind: 'truth'; readonly records: readonly TruthRecord[] };

export interface OpenReplay {
  readonly header: ReplayHeader;
  readonly layout: LayoutIndex;
  readonly items: AsyncIterable<ReplayItem>;
}

/** Opens a replay file: its header read and checked; the rest as items, each line checked as it comes (a bad one is an Error naming the line). */
export async function openReplay(file: string): Promise<OpenReplay> {
  const input = createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    input.once('ready', () => resolve());
    input.once('error', (e) => reject(new CliError(`cannot read ${file}: ${e.message}`)));
  });
  const gunzip = createGunzip();
  let headerRead = false;
  // A read error (a folder, a disk's) ends the gunzip stream too, and is named as such.
  let readError: Error | undefined;
  input.once('error', (e) => {
    readError = e;
    gunzip.destroy(e);
  });
  const why = (e: unknown): CliError =>
    e instanceof CliError ? e
    : readError ? new CliError(`cannot read ${file}: ${readError.message}`)
    : new CliError(headerRead ? `${file} is cut short or damaged (gzip: ${(e as Error).message})` : `${file} is not a twin vision replay (not gzip: ${(e as Error).message})`);
  const lines = splitLines(input.pipe(gunzip));
  let first: IteratorResult<string>;
  try {
    first = await lines.next();
  } catch (e) {
    throw why(e);
  }
  const header = parseHeader(file, first.done ? undefined : first.value);
  headerRead = true;
  const parsed = parseLayoutText(JSON.stringify(header.layout));
  if (!parsed.ok) throw new CliError(`${file}: the layout in its header does not load (${parsed.problems[0]?.path}: ${parsed.problems[0]?.reason})`);
  const layout = new LayoutIndex(parsed.layout);
  const slots = [...layout.slots.values()];
  const cameras = [...layout.cameras.keys()];
  async function* items(): AsyncGenerator<ReplayItem> {
    let n = 1;
    try {
      for (;;) {
        const next = await lines.next();
        if (next.done) return;
        n++;
        if (next.value === '') continue;
        yield item(next.value, n);
      }
    } catch (e) {
      throw why(e);
    }
  }
  function item(text: string, n: number): ReplayItem {
    const bad = (why: string) => new CliError(`${file}, line ${n}: ${why}`);
    let a: unknown;
    try {
      a = JSON.parse(text);
    } catch {
      throw bad('not JSON');
    }
    if (!Array.isArray(a)) throw bad('not an array');
    const slot = (i: unknown) => {
      const s = typeof i === 'number' ? slots[i] : undefined;
      if (!s) throw bad(`no slot ${String(i)} in the header's layout`);
      return s;
    };
    const camera = (i: unknown) => {
      const c = typeof i === 'number' ? cameras[i] : undefined;
      if (c === undefined) throw bad(`no camera ${String(i)} in the header's layout`);
      return c;
    };
    const num = (v: unknown, what: string) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`${what} is not a number`);
      return v;
    };
    const fill = (v: unknown) => {
      const f = typeof v === 'number' ? FILL_LABELS[v] : undefined;
      if (!f) throw bad(`fill ${String(v)} is not an index of ${FILL_LABELS.join(', ')}`);
      return f;
    };
    const light = (v: unknown) => (v === null ? undefined : num(v, 'light'));
    switch (a[0]) {
      case 'u': {
        const grams = a[4] === null ? undefined : num(a[4], 'grams');
        return { kind: 'event', event: { type: 'units', slot: slot(a[1]).id, ts: num(a[2], 'ts'), units: num(a[3], 'units'), ...(grams === undefined ? {} : { grams }) } };
      }
      case 's': {
        const s = slot(a[1]);
        const l = light(a[8]);
        const sighting: SlotSighting = {
          slot: s.id, camera: camera(a[2]), ts: num(a[3], 'ts'), plannedSku: s.sku, fill: fill(a[4]), fillProb: num(a[5], 'fillProb'),
          match: a[6] === 1, matchProb: num(a[7], 'matchProb'), ...(l === undefined ? {} : { light: l }), crop: new Uint8Array(0), cropWidth: 0,
        };
        return { kind: 'event', event: { type: 'sighting', sighting } };
      }
      case 'f': {
        if (!Array.isArray(a[4])) throw bad('a frame needs its slots');
        const marks = new Map<string, SlotMark>();
        for (const m of a[4] as unknown[]) {
          if (!Array.isArray(m)) throw bad('a frame slot is not an array');
          marks.set(slot(m[0]).id, { fill: fill(m[1]), misplaced: m[2] === 1, ...(m[3] === 1 ? { concealed: true } : {}) });
        }
        return { kind: 'frame', camera: camera(a[1]), ts: num(a[2], 'ts'), light: light(a[3]), marks };
      }
      case 't':
        if (!Array.isArray(a[1])) throw bad('the truth is not a list of records');
        return { kind: 'truth', records: a[1] as TruthRecord[] };
      default:
        throw bad(`unknown line kind ${JSON.stringify(a[0])} (u, s, f or t)`);
    }
  }
  return { header, layout, items: { [Symbol.asyncIterator]: items } };
}

function parseHeader(file: string, text: string | undefined): ReplayHeader {
  let h: Partial<ReplayHeader> | undefined;
  try {
    h = text === undefined ? undefined : (JSON.parse(text) as Partial<ReplayHeader>);
  } catch {
    h = undefined;
  }
  if (!h || typeof h !== 'object' || h.format !== REPLAY_FORMAT) throw new CliError(`${file} is not a twin vision replay (its first line is not a ${REPLAY_FORMAT} header): write one with twin vision eval --save`);
  if (h.version !== REPLAY_VERSION) throw new CliError(`${file} is a twin vision replay of version ${String(h.version)}; this twin reads version ${REPLAY_VERSION}`);
  if (typeof h.layout !== 'object' || h.layout === null) throw new CliError(`${file}: its header has no layout`);
  return h as ReplayHeader;
}

/**
 * The lines of a text stream, read as they are asked for: the stream's own async iterator
 * holds it back while a line is handled (readline's iterator does not, and buffered a 10-day
 * run's millions of lines until the heap ran out).
 */
async function* splitLines(stream: AsyncIterable<Buffer>): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    rest = parts.pop()!;
    for (const line of parts) yield line;
  }
  rest += decoder.decode();
  if (rest !== '') yield rest;
}
