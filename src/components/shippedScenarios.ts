/** The scenario files shipped in scenarios/, by file name, as text (bundled by Vite). */
const files = import.meta.glob('/scenarios/*.scenario.json', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface ShippedScenario {
  /** File name without `.scenario.json`, e.g. "baseline-gm". */
  readonly id: string;
  readonly name: string;
  /** The layout file the scenario was written for (its base name). */
  readonly layoutFile: string;
  readonly text: string;
}

export const SHIPPED_SCENARIOS: readonly ShippedScenario[] = Object.entries(files)
  .map(([path, text]) => {
    const o = JSON.parse(text) as { name?: string; layout?: string };
    return { id: path.split('/').pop()!.replace('.scenario.json', ''), name: o.name ?? path, layoutFile: (o.layout ?? '').split('/').pop()!, text };
  })
  .sort((a, b) => a.id.localeCompare(b.id));
