/** `twin layout check FILE`: exit 0 with a one-line summary, or exit 1 with every problem. */
import { LayoutIndex } from '../layout/LayoutIndex';
import { parseLayoutText } from '../layout/parseLayout';
import { CliError } from './CliError';
import { readTextFile } from './files';
import { parseOptions } from './parseOptions';

export function layoutCheckCommand(args: string[]): number {
  const { positionals } = parseOptions(args, {}, true);
  if (positionals.length !== 1) throw new CliError('usage: twin layout check FILE');
  const file = positionals[0]!;
  const r = parseLayoutText(readTextFile(file, 'layout'));
  if (!r.ok) {
    for (const p of r.problems) console.log(`${p.path || '(file)'}: ${p.reason}`);
    console.error(`${file}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}; the layout was not loaded`);
    return 1;
  }
  const L = r.layout;
  const idx = new LayoutIndex(L);
  console.log(
    `${file}: ok: ${L.store} "${L.name}", ${L.zones.length} zones, ${L.shelves.length} shelves, ${idx.slotCount} slots, ` +
      `${L.skus.length} SKUs, ${L.doors.length} doors, ${L.rfid.length} RFID readers, ${L.cameras.length} cameras, ${L.obstacles.length} obstacles`,
  );
  return 0;
}
