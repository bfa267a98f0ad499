/**
 * Reads a rules file and either accepts all of it or refuses it with every problem found
 * (path: reason), as parseLayout does for layouts. What the file leaves out is filled from
 * DEFAULT_RULES; a key the rules do not know is refused with its path (a misspelt
 * parameter silently ignored would leave a store running a rule it thinks it changed).
 * A key "//" is a comment at any level. The shape and type of each parameter is the
 * default's: numbers are at least 0, severities are one of info, warning, critical, and
 * the door and zone kinds lists name kinds the layout contract knows.
 */
import { parseJsonText, Problems, describe, type Problem } from '../core/fields';
import { DOOR_KINDS, ZONE_KINDS } from '../layout/Layout';
import type { Severity } from './Incident';
import { DEFAULT_RULES, type Rules } from './Rules';

export type RulesResult = { ok: true; rules: Rules } | { ok: false; problems: Problem[] };

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];
/** Lists of names, by the parameter that holds them. */
const NAME_LISTS: Record<string, readonly string[]> = { exitDoorKinds: DOOR_KINDS, zoneKinds: ZONE_KINDS };
/** Parameters that count whole things. */
const INTEGERS = new Set(['count', 'stuckRepeats', 'minUnits', 'toleranceUnits', 'confirmReadings']);

export function parseRulesText(text: string): RulesResult {
  const p = new Problems();
  const json = parseJsonText(p, text);
  if (!p.ok) return { ok: false, problems: p.list };
  return parseRules(json);
}

export function parseRules(json: unknown): RulesResult {
  const p = new Problems();
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && (json as Record<string, unknown>).version !== 1) {
    p.add('version', `must be 1, not ${describe((json as Record<string, unknown>).version)}`);
  }
  const rules = merge(p, '', DEFAULT_RULES, json) as Rules;
  return p.ok ? { ok: true, rules } : { ok: false, problems: p.list };
}

/** The value at `path`: `v` checked against the default's shape, the default where `v` is missing. */
function merge(p: Problems, path: string, def: unknown, v: unknown): unknown {
  if (v === undefined) return def;
  const key = path.slice(path.lastIndexOf('.') + 1);
  if (Array.isArray(def)) {
    if (!Array.isArray(v)) return void p.add(path, `must be an array, not ${describe(v)}`);
    const names = NAME_LISTS[key] ?? [];
    v.forEach((x, i) => {
      if (typeof x !== 'string' || !names.includes(x)) p.add(`${path}[${i}]`, `must be one of ${names.join(', ')}, not ${describe(x)}`);
    });
    return v;
  }
  if (typeof def === 'object' && def !== null) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return void p.add(path, `must be an object, not ${describe(v)}`);
    const d = def as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '//') continue;
      const sub = path ? `${path}.${k}` : k;
      if (!(k in d)) p.add(sub, `is not a known ${path ? 'parameter' : 'key'} (known: ${Object.keys(d).join(', ')})`);
    }
    for (const k of Object.keys(d)) out[k] = merge(p, path ? `${path}.${k}` : k, d[k], (v as Record<string, unknown>)[k]);
    return out;
  }
  if (typeof def === 'boolean') {
    if (typeof v !== 'boolean') return void p.add(path, `must be true or false, not ${describe(v)}`);
    return v;
  }
  if (typeof def === 'number') {
    if (key === 'version') return def;
    if (typeof v !== 'number' || !Number.isFinite(v)) return void p.add(path, `must be a number, not ${describe(v)}`);
    if (v < 0) return void p.add(path, `must be at least 0, not ${v}`);
    if (INTEGERS.has(key) && !Number.isInteger(v)) return void p.add(path, `must be a whole number, not ${v}`);
    return v;
  }
  // The only string parameters are severities.
  if (typeof v !== 'string' || !SEVERITIES.includes(v as Severity)) return void p.add(path, `must be one of ${SEVERITIES.join(', ')}, not ${describe(v)}`);
  return v;
}
