/** Reading a scenario file and its layout for the CLI (Node only): `twin publish --scenario` and `npm start`. */
import { dirname, resolve } from 'node:path';
import { parseScenarioText } from '../../sim/scenario/parseScenario';
import type { Scenario } from '../../sim/scenario/Scenario';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { CliError } from './CliError';
import { loadLayout, readTextFile } from './files';

export interface LoadedScenario {
  readonly run: Scenario;
  readonly layout: LayoutIndex;
  /** The layout file, resolved against the scenario file's folder. */
  readonly layoutPath: string;
}

/** Loads a scenario and the layout it names, or throws a CliError with the first problems. */
export function loadScenario(path: string): LoadedScenario {
  const r = parseScenarioText(readTextFile(path, 'scenario'));
  if (!r.ok) {
    const shown = r.problems.slice(0, 3).map((p) => `${p.path || '(file)'}: ${p.reason}`).join('; ');
    throw new CliError(`scenario ${path} is not valid: ${shown}${r.problems.length > 3 ? ` (and ${r.problems.length - 3} more)` : ''}`);
  }
  const layoutPath = resolve(dirname(path), r.scenario.layout);
  return { run: r.scenario, layout: loadLayout(layoutPath), layoutPath };
}
