/**
 * What the server that served the page says at /api/config (`npm start` answers it: the
 * broker to connect to by default, the layout of its store), or undefined where nothing
 * usable answers (a static host, an older server). Asked once a page load.
 */
import { parseWorkbenchConfig, WORKBENCH_CONFIG_PATH, type WorkbenchConfig } from '../sources/WorkbenchConfig';

let once: Promise<WorkbenchConfig | undefined> | undefined;

/** `fetcher` replaces the page's fetch (tests); without it the answer is fetched once and shared. */
export function fetchWorkbenchConfig(fetcher?: typeof fetch): Promise<WorkbenchConfig | undefined> {
  if (fetcher) return load(fetcher);
  return (once ??= load((input, init) => fetch(input, init)));
}

async function load(fetcher: typeof fetch): Promise<WorkbenchConfig | undefined> {
  try {
    const res = await fetcher(WORKBENCH_CONFIG_PATH, { headers: { accept: 'application/json' } });
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return undefined;
    const parsed = parseWorkbenchConfig(await res.json());
    return parsed.ok ? parsed.config : undefined;
  } catch {
    return undefined;
  }
}
