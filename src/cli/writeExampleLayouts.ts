/**
 * Writes the generated example layouts into scenarios/layouts/ (`npm run layouts`), after a
 * change to a generator. test/layout/exampleLayouts.test.ts fails while a file differs from
 * its generator. The compact apparel layout is drawn by hand and is not written here.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatLayoutJson } from '../../sim/layouts/formatLayoutJson';
import { generateGmLayout } from '../../sim/layouts/generateGmLayout';
import type { LayoutJson } from '../../sim/layouts/LayoutJson';

const GENERATED: [file: string, generate: () => LayoutJson][] = [['gm-large.layout.json', generateGmLayout]];

for (const [file, generate] of GENERATED) {
  const path = join(import.meta.dirname, '../../scenarios/layouts', file);
  const text = formatLayoutJson(generate());
  writeFileSync(path, text);
  console.log(`wrote scenarios/layouts/${file} (${Math.round(text.length / 1024)} KB)`);
}
