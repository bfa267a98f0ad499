/**
 * A recording read through the ingest pipeline into a fresh, in-memory event store: what
 * `twin analyze` and `twin export` both start from. DuckDB-WASM by default (what the page
 * runs); `twin export` passes native DuckDB instead, whose Parquet writer works offline.
 * The caller owns the database and must close it (`duck.close()`), also when what it does
 * next fails.
 */
import type { TwinEvent } from '../contract/messages';
import { EventStore, type SqlConnection } from '../analytics/EventStore';
import { openDuckDB, type NodeDuckDB } from '../analytics/openDuckDB';
import { Ingest, type IngestTotals } from '../ingest/Ingest';
import { LayoutIndex } from '../layout/LayoutIndex';
import { loadLayout, recordingLines } from './files';

/** Events are appended in batches of this many, so a long recording is not held twice in memory. */
const BATCH = 50_000;

/** A database an EventStore can live in: openDuckDB's and openNativeDuckDB's both are. */
export interface StoreDatabase {
  readonly connection: SqlConnection;
  close(): void;
}

export interface LoadedRecording<D extends StoreDatabase> {
  /** The database the store lives in; close it when done. */
  readonly duck: D;
  readonly store: EventStore;
  readonly layout: LayoutIndex;
  /** The ingest's totals: messages, accepted, duplicates, quarantined, reasons, byType, late. */
  readonly totals: IngestTotals;
}

/**
 * Opens a database (`open`, DuckDB-WASM by default) and a store in it for the layout (a
 * file, or one the caller has loaded already), and appends the recording's events and
 * quarantine. A missing or invalid layout or recording is a CliError; the database is
 * closed before any error leaves here.
 */
export async function loadRecordingIntoStore(layout: string | LayoutIndex, recordingPath: string, now?: () => number): Promise<LoadedRecording<NodeDuckDB>>;
export async function loadRecordingIntoStore<D extends StoreDatabase>(layout: string | LayoutIndex, recordingPath: string, now: (() => number) | undefined, open: () => Promise<D>): Promise<LoadedRecording<D>>;
export async function loadRecordingIntoStore(
  layoutOrPath: string | LayoutIndex,
  recordingPath: string,
  now: () => number = Date.now,
  open: () => Promise<StoreDatabase> = openDuckDB,
): Promise<LoadedRecording<StoreDatabase>> {
  const layout = layoutOrPath instanceof LayoutIndex ? layoutOrPath : loadLayout(layoutOrPath);
  const duck = await open();
  try {
    const store = await EventStore.open(duck.connection, layout);
    let batch: TwinEvent[] = [];
    const ingest = new Ingest(layout, { onEvent: (e) => batch.push(e) });
    let lineNo = 0;
    for await (const line of recordingLines(recordingPath)) {
      ingest.pushLine(line, ++lineNo, now());
      if (batch.length >= BATCH) {
        await store.append(batch);
        batch = [];
      }
    }
    await store.append(batch);
    await store.appendQuarantine(ingest.quarantine.entries);
    return { duck, store, layout, totals: ingest.totals() };
  } catch (e) {
    duck.close();
    throw e;
  }
}
