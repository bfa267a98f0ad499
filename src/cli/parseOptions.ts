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
