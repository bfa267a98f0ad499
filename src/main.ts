/**
 * Page entry: defines the workbench's elements and publishes a small handle for tests and
 * benchmarks, `window.__twin`, whose `ready` turns true once the 3D view has drawn its first
 * frame of a layout, and which shows the active source and the twin it feeds.
 */
import type { Row, TableName } from './analytics/EventStore';
import type { Persistence } from './analytics/openBrowserDuckDB';
import './components/tw-app';
import type { SceneStats } from './render/SceneRenderer';
import type { SourceView } from './sources/ActiveSource';
import type { RoomView } from './twin/RoomView';
import type { TwinState } from './twin/TwinState';

/** What a browser test or benchmark reads from the page. */
export interface TwinPageHandle {
  /** True once a frame with a layout has been rendered. */
  ready: boolean;
  /** The last frame's draw calls, triangles and slot count; undefined before the view exists. */
  stats(): SceneStats | undefined;
  /** The event store that every source feeds (DuckDB in a worker). */
  readonly analytics: TwinAnalyticsHandle;
  /** The active source (live, recording or scenario) as the status bar shows it; undefined before the first. */
  source(): SourceView | undefined;
  /** The twin the active source feeds, as the page holds it. */
  twin(): TwinState | undefined;
  /** The time shown (null: live) and the room on show in the 3D view. */
  shown(): { at: number | null; room: RoomView | undefined };
}

export interface TwinAnalyticsHandle {
  /** 'opfs' when rows are saved in this browser, 'memory' when not; undefined until the store has opened. */
  persistence(): Persistence | undefined;
  /** Rows in a table (opens the store if it is not open yet; needs a layout). */
  count(table: TableName): Promise<number>;
  query(sql: string): Promise<Row[]>;
  /** Resolves once every batch queued so far is appended and checkpointed. */
  flushed(): Promise<void>;
}

declare global {
  interface Window {
    __twin?: TwinPageHandle;
  }
}

const app = document.querySelector('tw-app') ?? document.body.appendChild(document.createElement('tw-app'));
const store = app.eventStore;
const handle: TwinPageHandle = {
  ready: false,
  stats: () => app.stats(),
  source: () => app.feed.view,
  twin: () => app.feed.twin,
  shown: () => ({ at: app.time.at, room: app.time.room }),
  analytics: {
    persistence: () => store.persistence(),
    count: (table) => store.count(table),
    query: (sql) => store.query(sql),
    flushed: () => store.flushed(),
  },
};
window.__twin = handle;
app.addEventListener('tw-frame', () => (handle.ready = true), { once: true });
