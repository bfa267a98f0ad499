/**
 * The layout the workbench opens with: the one named by `?layout=<url>` in the page's address
 * (handy for sharing a view and for tests), else the one `npm start` names at /api/config
 * (the layout of the store whose messages it plays, so the room matches the broker), else the
 * default large layout from scenarios/.
 */
import { fetchWorkbenchConfig } from './fetchWorkbenchConfig';

/** Where the default layout lives, relative to the repository root. */
export const DEFAULT_LAYOUT = 'scenarios/layouts/gm-large.layout.json';

// A glob (not a plain `?raw` import) so a checkout without the file still builds and the page
// explains what is missing instead of failing to load at all. Lazy: the text is its own chunk.
const bundled = import.meta.glob<string>('/scenarios/layouts/gm-large.layout.json', { query: '?raw', import: 'default' });

export type StartupLayout =
  | { readonly ok: true; readonly text: string; readonly source: string }
  | { readonly ok: false; readonly source: string; readonly reason: string };

/** `served` says which layout the server offers (default: /api/config's `layout`). */
export async function loadStartupLayout(search: string, fetchText = fetchOrFail, served: () => Promise<string | null | undefined> = servedLayout): Promise<StartupLayout> {
  const url = new URLSearchParams(search).get('layout') ?? (await served().catch(() => null));
  if (url) {
    try {
      return { ok: true, text: await fetchText(url), source: url };
    } catch (err) {
      return { ok: false, source: url, reason: `could not be fetched (${(err as Error).message})` };
    }
  }
  const load = bundled[`/${DEFAULT_LAYOUT}`];
  if (!load) return { ok: false, source: DEFAULT_LAYOUT, reason: 'the file is not in this checkout' };
  return { ok: true, text: await load(), source: DEFAULT_LAYOUT };
}

async function fetchOrFail(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
}

async function servedLayout(): Promise<string | null | undefined> {
  return (await fetchWorkbenchConfig())?.layout;
}
