/**
 * From the analytics panel's filter form to a section's SQL: which inputs a section takes,
 * and the query for the values the user entered, or the reason those values are refused
 * (an AnalysisParamError's message, in the form's words) as data rather than a throw.
 */
import type { Section } from '../analytics/analyses/Analysis';
import { AnalysisParamError, resolveParams, type AnalysisOptions, type AnalysisParams } from '../analytics/analyses/AnalysisParams';

/** The form's values as the inputs hold them; '' means not set. Dates are `YYYY-MM-DD` (store-local midnight). */
export interface FilterValues {
  readonly from: string;
  readonly to: string;
  readonly zone: string;
  readonly sku: string;
  readonly shift: string;
  readonly tolerance: string;
  readonly gapMinutes: string;
  readonly longOpenMinutes: string;
}

export const NO_FILTERS: FilterValues = { from: '', to: '', zone: '', sku: '', shift: '', tolerance: '', gapMinutes: '', longOpenMinutes: '' };

/** An input of the form: a section's declared filters, and the numeric limits its SQL reads. */
export type FilterInput = Section['filters'][number] | 'tolerance' | 'gapMinutes' | 'longOpenMinutes';

const LIMITS = ['tolerance', 'gapMinutes', 'longOpenMinutes'] as const;

/**
 * The inputs `section` honours. Sections declare range, zone, SKU and shift; whether one
 * reads a limit (tolerance, gap or long-open minutes) shows in its SQL, which changes with it.
 */
export function sectionInputs(section: Section): ReadonlySet<FilterInput> {
  const base = resolveParams('probe');
  const inputs = new Set<FilterInput>(section.filters);
  for (const limit of LIMITS) {
    if (section.sql({ ...base, [limit]: 1 } as AnalysisParams) !== section.sql({ ...base, [limit]: 7 } as AnalysisParams)) inputs.add(limit);
  }
  return inputs;
}

export type SectionQuery = { readonly ok: true; readonly sql: string } | { readonly ok: false; readonly message: string };

/** The SQL of `section` for `store` with the values the section honours; refused values give a message. */
export function sectionQuery(section: Section, store: string, values: FilterValues, timezone: string): SectionQuery {
  const inputs = sectionInputs(section);
  const options: AnalysisOptions = {};
  const set = (key: keyof AnalysisOptions, input: FilterInput, value: string) => {
    if (inputs.has(input) && value.trim() !== '') options[key] = value.trim();
  };
  set('from', 'range', values.from);
  set('to', 'range', values.to);
  set('zone', 'zone', values.zone);
  set('sku', 'sku', values.sku);
  set('shift', 'shift', values.shift);
  for (const limit of LIMITS) set(limit, limit, values[limit]);
  try {
    return { ok: true, sql: section.sql(resolveParams(store, options, timezone)) };
  } catch (e) {
    if (!(e instanceof AnalysisParamError)) throw e;
    // The messages name the command line's flags (--from); the form has fields.
    return { ok: false, message: e.message.replace(/--([a-z-]+)/g, (_, flag: string) => flag.replaceAll('-', ' ')) };
  }
}
