import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './CliError';

/** parseArgs with its errors turned into one-line CLI errors. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    throw new CliError((e as Error).message.split('\n')[0]!);
  }
}

/** An option that must be a whole number in [min, max]; undefined when not given. */
export function wholeNumber(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`--${name} must be a whole number from ${min} to ${max}, not "${v}"`);
  return n;
}
