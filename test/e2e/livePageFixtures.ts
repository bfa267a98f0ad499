/**
 * For the live source's browser tests: simulated messages of the apparel back room as a
 * broker would deliver them, a few bad ones, what a plain ingest makes of them (the counts
 * the event store must end with, the twin the page must show), and helpers that read the
 * page's source, twin and event store.
 */
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { TableName } from '../../src/analytics/EventStore';
import type { EventType, RawMessage } from '../../src/contract/messages';
import { parseRecordingLine } from '../../src/contract/recording';
import { Ingest } from '../../src/ingest/Ingest';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';
import type { SourceView } from '../../src/sources/ActiveSource';
import { ScenarioRunner } from '../../src/sources/ScenarioRunner';
import type { TwinState } from '../../src/twin/TwinState';

const ROOT = join(import.meta.dirname, '../..');
export const LAYOUT_PATH = 'scenarios/layouts/apparel-compact.layout.json';
export const LAYOUT_TEXT = readFileSync(join(ROOT, LAYOUT_PATH), 'utf8');
export const STORE = 'store-017';

export function apparelLayout(): LayoutIndex {
  const r = parseLayoutText(LAYOUT_TEXT);
  if (!r.ok) throw new Error('apparel layout refused');
  return new LayoutIndex(r.layout);
}

/**
 * The first `n` messages of a simulated day of the apparel room, as recorded (their
 * `received` is the simulated arrival). The day is moved to three days ago so no `ts` is
 * in the future whatever the test machine's date.
 */
export async function simulatedMessages(n: number): Promise<RawMessage[]> {
  const scenario = JSON.parse(readFileSync(join(ROOT, 'scenarios/baseline-apparel.scenario.json'), 'utf8')) as Record<string, unknown>;
  scenario.start = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
  const runner = new ScenarioRunner();
  const out: RawMessage[] = [];
  await runner.run(LAYOUT_TEXT, JSON.stringify(scenario), async (b) => {
    for (const line of b.lines) {
      const r = parseRecordingLine(line, out.length + 1, 0);
      if (r.ok && out.length < n) out.push({ ...r.message, line: undefined });
    }
    if (out.length >= n) runner.stop();
  }, { days: 1 });
  return out;
}

/** Messages that break the contract in three ways (unknown id, bad JSON, unknown topic). */
export function badMessages(ts: number): RawMessage[] {
  const layout = apparelLayout();
  const slot = [...layout.slots.values()][0]!;
  const base = { qos: 1 as const, retain: false, received: ts };
  return [
    { ...base, topic: `backroom/v1/${STORE}/shelf/${slot.shelf}/slot/ghost-1/weight`, payload: JSON.stringify({ ts: new Date(ts).toISOString(), grams: 10 }) },
    { ...base, topic: `backroom/v1/${STORE}/shelf/${slot.shelf}/slot/${slot.id}/weight`, payload: '{"ts":' },
    { ...base, topic: `backroom/v1/${STORE}/toaster/T1/state`, payload: '{}' },
  ];
}

export const TABLE_OF: Partial<Record<EventType, TableName>> = {
  weight: 'readings',
  slot_event: 'slot_events',
  rfid: 'rfid_reads',
  door_state: 'door_states',
  badge: 'badges',
  detection: 'detections',
  book: 'book',
  status: 'device_status',
};
export const TABLES = [...Object.values(TABLE_OF), 'quarantine'] as TableName[];
export type Counts = Partial<Record<TableName, number>>;

/** What the event store gains from an ingest's totals: a row per accepted event (frames aside) and per quarantined message. */
export function expectedRows(ingest: Ingest): Counts {
  const t = ingest.totals();
  const out: Counts = {};
  for (const table of TABLES) out[table] = 0;
  for (const [type, n] of Object.entries(t.byType)) {
    const table = TABLE_OF[type as EventType];
    if (table) out[table] = (out[table] ?? 0) + n;
  }
  out.quarantine = t.quarantined;
  return out;
}

export function addCounts(a: Counts, b: Counts): Counts {
  const out: Counts = { ...a };
  for (const [k, v] of Object.entries(b)) out[k as TableName] = (out[k as TableName] ?? 0) + (v ?? 0);
  return out;
}

/** Every table's rows, once the store has taken in everything queued. */
export function storedCounts(page: Page): Promise<Counts> {
  return page.evaluate(async (tables) => {
    const a = window.__twin!.analytics;
    await a.flushed();
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = await a.count(t);
    return out;
  }, TABLES);
}

export const sourceView = (page: Page) => page.evaluate(() => window.__twin!.source()) as Promise<SourceView | undefined>;

/** What the twin says about the room, comparable across processes (no Maps). */
export interface TwinDigest {
  readonly asOf: number | null;
  readonly slots: [string, number | null, number | null, number | null][];
  readonly skus: [string, number, number, number][];
  readonly doors: [string, boolean][];
  readonly devices: [string, boolean][];
  readonly present: number;
}

export function digest(t: TwinState): TwinDigest {
  const sorted = <T extends unknown[]>(rows: T[]) => rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return {
    asOf: t.asOf,
    slots: sorted([...t.slots.values()].map((s) => [s.slot, s.units, s.grams, s.book] as [string, number | null, number | null, number | null])),
    skus: sorted([...t.skus.values()].map((s) => [s.sku, s.book, s.bookBackroom, s.physical] as [string, number, number, number])),
    doors: sorted([...t.doors.values()].map((d) => [d.door, d.open] as [string, boolean])),
    devices: sorted([...t.devices.values()].map((d) => [d.device, d.online] as [string, boolean])),
    present: [...t.badges.values()].filter((b) => b.present).length,
  };
}

/** The page's twin, digested in the page. */
export function pageTwin(page: Page): Promise<TwinDigest | undefined> {
  return page.evaluate(() => {
    const t = window.__twin!.twin();
    if (!t) return undefined;
    const sorted = <T extends unknown[]>(rows: T[]) => rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    return {
      asOf: t.asOf,
      slots: sorted([...t.slots.values()].map((s) => [s.slot, s.units, s.grams, s.book])),
      skus: sorted([...t.skus.values()].map((s) => [s.sku, s.book, s.bookBackroom, s.physical])),
      doors: sorted([...t.doors.values()].map((d) => [d.door, d.open])),
      devices: sorted([...t.devices.values()].map((d) => [d.device, d.online])),
      present: [...t.badges.values()].filter((b) => b.present).length,
    } as TwinDigest;
  });
}

/** A plain ingest of messages as the live page receives them (arrival time: now). */
export function ingestAsLive(messages: readonly RawMessage[], received = Date.now()): Ingest {
  const ingest = new Ingest(apparelLayout());
  for (const m of messages) ingest.push({ ...m, received });
  return ingest;
}

/** A loopback port the OS just handed out and took back: free unless something grabs it in between. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
