/**
 * The ROI panel's assumptions form as plain data: one field typed in (a value, a low or a
 * high) checked by the assumptions file's own reader, so a value the file would refuse is
 * refused here with the same words, and the assumptions written back out as a file that
 * opens again. A value typed outside its range widens the range to take it.
 */
import type { Problem } from '../core/fields';
import { ASSUMPTION_KEYS, ASSUMPTION_SPECS, parseAssumptions, type AssumptionKey, type Assumptions } from '../roi/assumptions';

export type AssumptionField = 'value' | 'low' | 'high';

export type EditResult = { ok: true; assumptions: Assumptions } | { ok: false; problems: Problem[] };

/** Where a value typed in the panel comes from, keeping the default's source in view. */
export function enteredSource(key: AssumptionKey): string {
  const spec = ASSUMPTION_SPECS[key];
  return `entered in the ROI panel (the default ${spec.value} ${spec.unit}: ${spec.source})`;
}

export function editAssumption(a: Assumptions, key: AssumptionKey, field: AssumptionField, text: string): EditResult {
  const t = text.trim();
  const x = Number(t);
  if (t === '' || !Number.isFinite(x)) return { ok: false, problems: [{ path: `${key}.${field}`, reason: `must be a number, not ${JSON.stringify(text)}` }] };
  const cur = a[key];
  const entry = field === 'value'
    ? { value: x, low: Math.min(cur.low, x), high: Math.max(cur.high, x) }
    : { value: cur.value, low: field === 'low' ? x : cur.low, high: field === 'high' ? x : cur.high };
  const r = parseAssumptions({ [key]: { ...entry, source: cur.source.startsWith('entered in the ROI panel') ? cur.source : enteredSource(key) } }, a);
  return r.ok ? { ok: true, assumptions: r.assumptions } : { ok: false, problems: r.problems };
}

/** The assumptions as a file `parseAssumptions` reads back: every one with its range and source. */
export function assumptionsFileText(a: Assumptions): string {
  const o: Record<string, unknown> = { version: 1 };
  for (const k of ASSUMPTION_KEYS) o[k] = { value: a[k].value, low: a[k].low, high: a[k].high, source: a[k].source };
  return `${JSON.stringify(o, null, 2)}\n`;
}
