/**
 * DuckDB-WASM in the page: the async build in its own Worker, with the wasm and worker
 * files served by the workbench itself (no CDN). It opens a database kept in the
 * browser's origin-private file system (OPFS), so the event store survives a reload; where
 * OPFS is missing or cannot be opened it falls back to an in-memory database and says why.
 *
 * Durability, as measured with 1.32.0 in Chromium (test/e2e/analyticsPersistence.test.ts
 * and a reload after each of: no CHECKPOINT; CHECKPOINT then INSERT; CHECKPOINT, INSERT,
 * CHECKPOINT): commits reach the OPFS files through the WAL only until the session's first
 * CHECKPOINT. After it the `.wal` in OPFS stops growing, and rows committed since are gone
 * after a reload unless another CHECKPOINT follows them. (Likely cause: the worker's
 * removeFile is a no-op and its moveFile mishandles OPFS handles, see duckdb/duckdb-wasm#1990
 * and the OPFS moveFile work in #2232, which 1.32.0 predates.) So whoever writes must
 * CHECKPOINT after each burst of writes; StoreWriter does.
 *
 * Import it with `import()`: this module pulls in the DuckDB client and the URLs of its
 * multi-MB bundles, which the page's first chunk should not carry.
 */
import { AsyncDuckDB, DuckDBAccessMode, selectBundle, VoidLogger, type AsyncDuckDBConnection, type DuckDBConfig } from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';

/** Where the event store's rows live: a file in this browser's OPFS, or memory (gone on reload). */
export type Persistence = 'opfs' | 'memory';

export interface BrowserDuckDB {
  readonly connection: AsyncDuckDBConnection;
  /**
   * A second connection to the same database, for questions a user may cancel: a connection
   * has one pending (cancellable) query at a time, and a plain query on it (the writer's
   * appends) would close that query's result.
   */
  readonly readerConnection: () => Promise<AsyncDuckDBConnection>;
  readonly persistence: Persistence;
  /** Why the database is in memory only; absent when it is in OPFS. */
  readonly reason?: string;
  /** Checkpoints (when in OPFS), closes the connection and ends the worker, releasing the file. */
  close(): Promise<void>;
}

/** The database file in OPFS, one per origin. */
export const OPFS_PATH = 'opfs://backroom-twin.duckdb';
/** The file's name in the OPFS root, as the page sees it. */
export const OPFS_FILE = OPFS_PATH.slice('opfs://'.length);

// HUGEINT (what SUM over integers returns) and DECIMAL come back as doubles, as in Node.
const QUERY: DuckDBConfig['query'] = { castDecimalToDouble: true };

/**
 * OPFS lets one access handle have a file at a time, so one tab has the database: a Web
 * Lock of this name says which. A reload's old page gives it up as it goes; a tab that
 * waits this long without it is beside another tab that has the store.
 */
const TAB_LOCK = 'backroom-twin.duckdb';
const TAB_LOCK_WAIT_MS = 3000;
/**
 * The previous page's DuckDB worker may still hold the file's handles for a moment after
 * its lock is gone (workers are torn down asynchronously): tries again, each time with a
 * fresh worker, after these pauses.
 */
const HANDLE_RETRY_MS = [100, 300, 600, 1000];
const OTHER_TAB = 'the saved event store is open in another tab of the workbench';

export async function openBrowserDuckDB(options: { path?: string } = {}): Promise<BrowserDuckDB> {
  const path = options.path ?? OPFS_PATH;
  const missing = await opfsMissing();
  if (missing) return openInMemory(missing);
  const release = await tabLock();
  if (!release) return openInMemory(OTHER_TAB);
  for (let attempt = 0; ; attempt++) {
    const db = await startDuckDB();
    try {
      await db.open({ path, accessMode: DuckDBAccessMode.READ_WRITE, query: QUERY });
      const connection = await db.connect();
      return {
        connection,
        readerConnection: once(() => db.connect()),
        persistence: 'opfs',
        close: async () => {
          try {
            await closeDuckDB(db, connection, true);
          } finally {
            release();
          }
        },
      };
    } catch (e) {
      // A failed open can leave the first file's handle held by this worker: end it, so the
      // next try (or another tab) can have the file.
      await db.terminate();
      const message = errorMessage(e);
      const busy = /Access Handles? cannot be created|NoModificationAllowed/i.test(message);
      const wait = HANDLE_RETRY_MS[attempt];
      if (busy && wait !== undefined) {
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      release();
      return openInMemory(busy ? OTHER_TAB : `the saved event store could not be opened (${message})`);
    }
  }
}

/**
 * Takes the tab lock, waiting a little for a reloading page to let go; resolves with its
 * release, or undefined when another tab keeps it. Without Web Locks, every tab tries
 * (the file's access handles still let only one in).
 */
function tabLock(): Promise<(() => void) | undefined> {
  if (typeof navigator.locks?.request !== 'function') return Promise.resolve(() => {});
  return new Promise((resolve) => {
    const gaveUp = new AbortController();
    const timer = setTimeout(() => gaveUp.abort(), TAB_LOCK_WAIT_MS);
    navigator.locks
      .request(TAB_LOCK, { signal: gaveUp.signal }, () => {
        clearTimeout(timer);
        // Held until released (or until the page goes).
        return new Promise<void>((release) => resolve(release));
      })
      .catch(() => resolve(undefined));
  });
}

/** Whether a saved event store exists in this browser's OPFS (a look that takes no lock). */
export async function savedStoreExists(): Promise<boolean> {
  try {
    const root = await navigator.storage.getDirectory();
    const file = await (await root.getFileHandle(OPFS_FILE)).getFile();
    return file.size > 0;
  } catch {
    return false;
  }
}

async function openInMemory(reason: string): Promise<BrowserDuckDB> {
  const db = await startDuckDB();
  await db.open({ query: QUERY });
  const connection = await db.connect();
  return { connection, readerConnection: once(() => db.connect()), persistence: 'memory', reason, close: () => closeDuckDB(db, connection, false) };
}

async function startDuckDB(): Promise<AsyncDuckDB> {
  // mvp runs everywhere; eh (WebAssembly exceptions) is faster where the browser has it.
  const bundle = await selectBundle({ mvp: { mainModule: mvpWasm, mainWorker: mvpWorker }, eh: { mainModule: ehWasm, mainWorker: ehWorker } });
  const worker = new Worker(bundle.mainWorker!);
  const db = new AsyncDuckDB(new VoidLogger(), worker);
  try {
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  } catch (e) {
    await db.terminate();
    throw e;
  }
  return db;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

async function closeDuckDB(db: AsyncDuckDB, connection: AsyncDuckDBConnection, checkpoint: boolean): Promise<void> {
  try {
    if (checkpoint) await connection.query('CHECKPOINT');
    await connection.close();
  } finally {
    await db.terminate();
  }
}

/** Why OPFS cannot be used here, or undefined when it looks usable. */
async function opfsMissing(): Promise<string | undefined> {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.getDirectory !== 'function') return 'this browser has no origin-private file system (OPFS)';
  try {
    await navigator.storage.getDirectory();
    return undefined;
  } catch (e) {
    // Private windows of some browsers, or storage blocked for this site.
    return `this browser will not give the page its origin-private file system (${errorMessage(e)})`;
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
