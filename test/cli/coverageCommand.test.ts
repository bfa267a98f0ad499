/**
 * `twin coverage`: the JSON contract scripts read (every slot listed, unseen ones with an
 * empty `cameras` list, the field names), the same answer as the library, the table,
 * and clear errors for a bad standard or layout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayout } from '../../src/layout/parseLayout';
import { coverageOf, type CoverageReport } from '../../src/planning/coverage';
import { runTwin } from './runTwin';

const LARGE = join(import.meta.dirname, '../../scenarios/layouts/gm-large.layout.json');

describe('twin coverage', () => {
  it('prints the coverage report as JSON, the same as the library computes', async () => {
    const r = await runTwin('coverage', '--layout', LARGE, '--standard', '2025', '--format', 'json').done;
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as CoverageReport;
    const parsed = parseLayout(JSON.parse(readFileSync(LARGE, 'utf8')));
    if (!parsed.ok) throw new Error('layout');
    expect(out).toEqual(JSON.parse(JSON.stringify(coverageOf(new LayoutIndex(parsed.layout), { standard: '2025' }))));
    expect(out.standard).toBe('2025');
    expect(out.store).toBe('store-042');
    const seen = out.slots.find((s) => s.cameras.length)!;
    expect(Object.keys(seen.cameras[0]!)).toEqual(expect.arrayContaining(['camera', 'fraction', 'pxPerM', 'grade']));
    expect(out.slots.some((s) => s.cameras.length === 0)).toBe(true);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['slots', 'cameras', 'doors', 'zones', 'totals']));
  });

  it('prints a table with the totals, cameras, doors, zones and shelves', async () => {
    const r = await runTwin('coverage', '--layout', LARGE).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/IEC 62676-4 \(2015\)/);
    expect(r.stdout).toMatch(/slot faces seen \d+ of 850/);
    for (const head of ['camera', 'door', 'zone', 'shelf']) expect(r.stdout).toMatch(new RegExp(`^${head}\\s`, 'm'));
    expect(r.stdout).toMatch(/^cam-dock\s/m);
  });

  it('refuses an unknown standard with one line and exit code 2', async () => {
    const r = await runTwin('coverage', '--layout', LARGE, '--standard', '2019').done;
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('twin coverage: --standard must be one of 2015, 2025, not "2019"');
  });
});
