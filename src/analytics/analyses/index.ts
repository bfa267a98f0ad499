/** The named analyses, in the order the workbench and the CLI list them. */
import type { Analysis, Section } from './Analysis';
import { activity } from './activity';
import { devices } from './devices';
import { shrink } from './shrink';
import { variance } from './variance';

export const ANALYSES: readonly Analysis[] = [shrink, variance, activity, devices];

/** An analysis by name (`shrink`) or one of its sections (`shrink.by_sku`); undefined if none. */
export function findSections(name: string): readonly Section[] | undefined {
  const a = ANALYSES.find((x) => x.name === name);
  if (a) return a.sections;
  const s = ANALYSES.flatMap((x) => x.sections).find((x) => x.id === name);
  return s ? [s] : undefined;
}

export const ANALYSIS_NAMES: readonly string[] = ANALYSES.flatMap((a) => [a.name, ...a.sections.map((s) => s.id)]);
