/**
 * Reading hand-written JSON files (layouts, scenarios, rules, assumptions) field by field,
 * collecting every problem with its path instead of stopping at the first. Each reader
 * returns the value when it is good and `undefined` (after recording why) when not.
 */

export interface Problem {
  /** Where in the file, e.g. `shelves[3].slots[0].sku`; empty for the whole file. */
  readonly path: string;
  readonly reason: string;
}

export class Problems {
  readonly list: Problem[] = [];
  add(path: string, reason: string): void {
    this.list.push({ path, reason });
  }
  get ok(): boolean {
    return this.list.length === 0;
  }
}

export const at = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

interface Opt {
  /** Absent (undefined) is fine: no problem recorded, undefined returned. */
  optional?: boolean;
}

export function readObject(p: Problems, path: string, v: unknown, opt: Opt = {}): Record<string, unknown> | undefined {
  if (v === undefined && opt.optional) return undefined;
  if (v === undefined) return void p.add(path, 'is missing');
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return void p.add(path, `must be an object, not ${describe(v)}`);
  return v as Record<string, unknown>;
}

export function readArray(p: Problems, path: string, v: unknown, opt: Opt & { minLength?: number } = {}): unknown[] | undefined {
  if (v === undefined && opt.optional) return undefined;
  if (v === undefined) return void p.add(path, 'is missing');
  if (!Array.isArray(v)) return void p.add(path, `must be an array, not ${describe(v)}`);
  if (opt.minLength !== undefined && v.length < opt.minLength) {
    return void p.add(path, `must have at least ${opt.minLength} item${opt.minLength === 1 ? '' : 's'}`);
  }
  return v;
}

export function readString(
  p: Problems,
  path: string,
  v: unknown,
  opt: Opt & { pattern?: RegExp; patternHint?: string; oneOf?: readonly string[]; nonEmpty?: boolean } = {},
): string | undefined {
  if (v === undefined && opt.optional) return undefined;
  if (v === undefined) return void p.add(path, 'is missing');
  if (typeof v !== 'string') return void p.add(path, `must be a string, not ${describe(v)}`);
  if (opt.nonEmpty && v.length === 0) return void p.add(path, 'must not be empty');
  if (opt.oneOf && !opt.oneOf.includes(v)) return void p.add(path, `must be one of ${opt.oneOf.join(', ')}, not ${JSON.stringify(v)}`);
  if (opt.pattern && !opt.pattern.test(v)) return void p.add(path, `${JSON.stringify(v)} ${opt.patternHint ?? `must match ${opt.pattern}`}`);
  return v;
}

export function readNumber(
  p: Problems,
  path: string,
  v: unknown,
  opt: Opt & { min?: number; max?: number; above?: number; below?: number; integer?: boolean } = {},
): number | undefined {
  if (v === undefined && opt.optional) return undefined;
  if (v === undefined) return void p.add(path, 'is missing');
  if (typeof v !== 'number' || !Number.isFinite(v)) return void p.add(path, `must be a number, not ${describe(v)}`);
  if (opt.integer && !Number.isInteger(v)) return void p.add(path, `must be an integer, not ${v}`);
  if (opt.min !== undefined && v < opt.min) return void p.add(path, `must be at least ${opt.min}, not ${v}`);
  if (opt.max !== undefined && v > opt.max) return void p.add(path, `must be at most ${opt.max}, not ${v}`);
  if (opt.above !== undefined && v <= opt.above) return void p.add(path, `must be more than ${opt.above}, not ${v}`);
  if (opt.below !== undefined && v >= opt.below) return void p.add(path, `must be less than ${opt.below}, not ${v}`);
  return v;
}

export function readBoolean(p: Problems, path: string, v: unknown, opt: Opt = {}): boolean | undefined {
  if (v === undefined && opt.optional) return undefined;
  if (v === undefined) return void p.add(path, 'is missing');
  if (typeof v !== 'boolean') return void p.add(path, `must be true or false, not ${describe(v)}`);
  return v;
}

/** A fixed-length tuple of finite numbers, e.g. a position [x, y]. */
export function readTuple(
  p: Problems,
  path: string,
  v: unknown,
  length: number,
  opt: Opt & { positive?: boolean } = {},
): number[] | undefined {
  if (v === undefined && opt.optional) return undefined;
  if (v === undefined) return void p.add(path, 'is missing');
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    return void p.add(path, `must be an array of ${length} numbers, not ${describe(v)}`);
  }
  if (opt.positive && !v.every((x: number) => x > 0)) return void p.add(path, 'must have every number above 0');
  return v as number[];
}

/** Parses JSON text, recording a problem (with line and column where the engine says) instead of throwing. */
export function parseJsonText(p: Problems, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    p.add('', `is not valid JSON: ${(e as Error).message}`);
    return undefined;
  }
}
