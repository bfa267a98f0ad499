/**
 * `twin coverage --layout FILE [--standard 2015|2025] [--format table|json]`: what the
 * layout's cameras really see. JSON is the coverage report (src/planning/coverage.ts, a
 * contract for scripts); the table gives the totals, then cameras, doors, zones and shelves.
 */
import { coverageOf, type CoverageReport, type TargetView } from '../planning/coverage';
import { STANDARDS, type Standard } from '../planning/grades';
import { CliError } from './CliError';
import { loadLayout } from './files';
import { formatTable, readFormat } from './incidentsCommand';
import { parseOptions } from './parseOptions';

export function coverageCommand(args: string[]): number {
  const { values } = parseOptions(args, {
    layout: { type: 'string' },
    standard: { type: 'string', default: '2015' },
    format: { type: 'string', default: 'table' },
  });
  if (!values.layout) throw new CliError('usage: twin coverage --layout FILE [--standard 2015|2025] [--format table|json]');
  if (!STANDARDS.includes(values.standard as Standard)) throw new CliError(`--standard must be one of ${STANDARDS.join(', ')}, not "${values.standard}"`);
  const format = readFormat(values.format);
  const report = coverageOf(loadLayout(values.layout), { standard: values.standard as Standard });
  console.log(format === 'json' ? JSON.stringify(report, null, 2) : coverageTable(report));
  return 0;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
const best = (cameras: readonly TargetView[]) => (cameras[0] ? `${cameras[0].camera} ${cameras[0].pxPerM} px/m ${cameras[0].grade ?? '-'}` : 'unseen');

export function coverageTable(r: CoverageReport): string {
  const t = r.totals;
  const grades = [...r.levels.map((l) => l.grade).reverse(), 'none' as const];
  const out = [
    `${r.store}: IEC 62676-4 (${r.standard}) levels ${r.levels.map((l) => `${l.grade} ${l.pxPerM}`).join(', ')} px/m`,
    `slot faces seen ${t.slotsSeen} of ${t.slots}; fill level judgeable ${t.slotsFill}, product ${t.slotsProduct} ` +
      `(high-value ${t.highValueSlotsProduct} of ${t.highValueSlots}); best grade: ${grades.filter((g) => t.slotsByGrade[g]).map((g) => `${g} ${t.slotsByGrade[g]}`).join(', ')}`,
    `doors seen ${t.doorsSeen} of ${t.doors}, a person recognisable at ${t.doorsPerson}; floor seen ${t.floorSeen} of ${t.floorArea} m²`,
    '',
    formatTable(
      ['camera', 'slot faces', 'fill-level faces', 'median px/m', 'doors', 'floor m²'],
      r.cameras.map((c) => [c.camera, String(c.slots), String(c.fillSlots), String(c.slotPxPerM), String(c.doors), String(c.floorArea)]),
    ),
    '',
    formatTable(
      ['door', 'kind', 'best view', 'cameras', 'person'],
      r.doors.map((d) => [d.door, d.kind, best(d.cameras), String(d.cameras.length), d.person ? 'yes' : 'no']),
    ),
    '',
    formatTable(
      ['zone', 'kind', 'area m²', 'seen', 'cameras', 'sharpest grade over half the area'],
      r.zones.map((z) => {
        let acc = 0;
        const half = grades.find((g) => (acc += z.byGrade[g] ?? 0) >= 0.5) ?? 'none';
        return [z.zone + (z.restricted ? ' (restricted)' : ''), z.kind, String(z.area), pct(z.seen), String(z.cameras.length), half];
      }),
    ),
    '',
    formatTable(
      ['shelf', 'zone', 'slots', 'seen', 'fill', 'product', 'best view of its slots'],
      shelves(r).map((s) => [s.shelf, s.zone, String(s.slots), String(s.seen), String(s.fill), String(s.product), s.best]),
    ),
  ];
  return out.join('\n');
}

function shelves(r: CoverageReport) {
  const by = new Map<string, { shelf: string; zone: string; slots: number; seen: number; fill: number; product: number; top?: TargetView }>();
  for (const s of r.slots) {
    const row = by.get(s.shelf) ?? { shelf: s.shelf, zone: s.zone, slots: 0, seen: 0, fill: 0, product: 0 };
    row.slots++;
    if (s.cameras.length) row.seen++;
    if (s.fill) row.fill++;
    if (s.product) row.product++;
    const c = s.cameras[0];
    if (c && (!row.top || c.pxPerM > row.top.pxPerM)) row.top = c;
    by.set(s.shelf, row);
  }
  return [...by.values()].map((s) => ({ ...s, best: s.top ? best([s.top]) : 'unseen' }));
}
