/**
 * Page entry: defines the workbench's elements and publishes a small handle for tests and
 * benchmarks, `window.__twin`, whose `ready` turns true once the 3D view has drawn its first
 * frame of a layout.
 */
import './components/tw-app';
import type { SceneStats } from './render/SceneRenderer';

/** What a browser test or benchmark reads from the page. */
export interface TwinPageHandle {
  /** True once a frame with a layout has been rendered. */
  ready: boolean;
  /** The last frame's draw calls, triangles and slot count; undefined before the view exists. */
  stats(): SceneStats | undefined;
}

declare global {
  interface Window {
    __twin?: TwinPageHandle;
  }
}

const app = document.querySelector('tw-app') ?? document.body.appendChild(document.createElement('tw-app'));
const handle: TwinPageHandle = { ready: false, stats: () => app.stats() };
window.__twin = handle;
app.addEventListener('tw-frame', () => (handle.ready = true), { once: true });
