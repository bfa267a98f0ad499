/**
 * A small simulated pilot for the CLI tests: the apparel layout cut down to two shelves (a
 * rack and the cage, 9 slots) so that a recording ingests in a second, and a scenario whose
 * only unexplained loss is theft, often: a pilot's effect shows within days. Its `errors`
 * variant has no theft but many unscanned moves and misplaced putaways, for a pilot of the
 * record-error cut and record accuracy.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

/** Writes DIR/small.layout.json and DIR/theft.scenario.json (or errors.scenario.json, each putaway and move wrong with chance errorRate); returns the scenario's path. */
export function writePilotScenario(dir: string, kind: 'theft' | 'errors' = 'theft', errorRate = 0.04): string {
  const layout = JSON.parse(readFileSync(join(ROOT, 'scenarios/layouts/apparel-compact.layout.json'), 'utf8')) as {
    shelves: { id: string; slots: { sku: string }[] }[];
    skus: { id: string }[];
  };
  layout.shelves = layout.shelves.filter((s) => s.id === 'B3' || s.id === 'H1');
  const used = new Set(layout.shelves.flatMap((s) => s.slots.map((x) => x.sku)));
  layout.skus = layout.skus.filter((s) => used.has(s.id));
  writeFileSync(join(dir, 'small.layout.json'), JSON.stringify(layout));
  const errors = kind === 'errors';
  const scenario = {
    version: 1,
    name: errors ? 'Record-error pilot' : 'Theft-only pilot',
    layout: 'small.layout.json',
    start: '2026-11-16',
    days: 1,
    seed: 11,
    workload: { unitsSoldPerDay: 60, deliveriesPerWeek: 7, openingFill: 0.9, damagePerWeek: 0, transfersPerWeek: 0, returnsPerDay: 2 },
    incidents: {
      afterHoursTheftPerWeek: errors ? 0 : 21, dockTheftPerWeek: errors ? 0 : 21, cageAccessTheftPerWeek: 0, shortShipmentRate: 0, receivingErrorRate: 0,
      misplacementRate: errors ? errorRate : 0, unscannedMoveRate: errors ? errorRate : 0, sweetheartingRate: 0, phantomReceiptRate: 0,
    },
  };
  const path = join(dir, `${kind}.scenario.json`);
  writeFileSync(path, JSON.stringify(scenario));
  return path;
}
