/**
 * `twin analyze --layout FILE --recording FILE (--analysis NAME | --sql "...") [filters]
 * [--format table|json|csv]`: the recording goes through the ingest pipeline into the event
 * store (DuckDB-WASM, in memory), then a named analysis (analyses/) or the SQL runs over its
 * tables and the result is printed. Times print as ISO 8601 (UTC).
 */
import { TABLE_NAMES, type ResultColumn, type Row } from '../analytics/EventStore';
import { AnalysisParamError, resolveParams } from '../analytics/analyses/AnalysisParams';
import { ANALYSES, findSections } from '../analytics/analyses/index';
import type { Section } from '../analytics/analyses/Analysis';
import { CliError } from './CliError';
import { loadLayout } from './files';
import { loadRecordingIntoStore } from './loadRecording';
import { parseOptions } from './parseOptions';

const FORMATS = ['table', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

export async function analyzeCommand(args: string[], now: () => number = Date.now): Promise<number> {
  const { values } = parseOptions(args, {
    layout: { type: 'string' },
    recording: { type: 'string' },
    sql: { type: 'string' },
    analysis: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    zone: { type: 'string' },
    sku: { type: 'string' },
    shift: { type: 'string' },
    shifts: { type: 'string' },
    tolerance: { type: 'string' },
    'gap-minutes': { type: 'string' },
    'long-open-minutes': { type: 'string' },
    format: { type: 'string', default: 'table' },
  });
  if (!values.layout) throw new CliError('--layout FILE is required');
  if (!values.recording) throw new CliError('--recording FILE is required');
  if (!values.sql === !values.analysis) {
    throw new CliError(`give one of --analysis NAME (${ANALYSES.map((a) => a.name).join(', ')}) or --sql "SELECT ..." (tables: ${TABLE_NAMES.join(', ')})`);
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  let sections: readonly Section[] | undefined;
  if (values.analysis) {
    sections = findSections(values.analysis);
    if (!sections) {
      throw new CliError(`no analysis "${values.analysis}": use one of ${ANALYSES.map((a) => `${a.name} (${a.sections.map((x) => x.id.split('.')[1]).join(', ')})`).join('; ')}, or analysis.section`);
    }
    if (format === 'csv' && sections.length > 1) throw new CliError(`--format csv prints one table: name a section, such as --analysis ${sections[0]!.id}`);
  }

  const layout = loadLayout(values.layout);
  let params;
  try {
    params = resolveParams(layout.store, {
      from: values.from, to: values.to, zone: values.zone, sku: values.sku, shift: values.shift, shifts: values.shifts,
      tolerance: values.tolerance, gapMinutes: values['gap-minutes'], longOpenMinutes: values['long-open-minutes'],
    }, layout.layout.timezone);
  } catch (e) {
    if (e instanceof AnalysisParamError) throw new CliError(e.message);
    throw e;
  }
  if (values.zone && !layout.zones.has(values.zone)) throw new CliError(`--zone "${values.zone}" is not a zone of the layout`);
  if (values.sku && !layout.skus.has(values.sku)) throw new CliError(`--sku "${values.sku}" is not a SKU of the layout`);
  const { duck, store } = await loadRecordingIntoStore(layout, values.recording, now);
  try {
    const run = async (sql: string) => {
      try {
        const result = await store.select(sql);
        return withIsoTimes(result.columns, result.rows);
      } catch (e) {
        throw new CliError(`the query failed: ${(e as Error).message.split('\n')[0]}`);
      }
    };
    if (!sections) {
      const rows = await run(values.sql!);
      const out = format === 'json' ? toJson(rows) : format === 'csv' ? toCsv(rows) : toTable(rows);
      if (out) console.log(out);
      return 0;
    }
    const results: Record<string, Row[]> = {};
    for (const section of sections) results[section.id] = await run(section.sql(params));
    if (format === 'json') console.log(JSON.stringify(results, jsonValue));
    else if (format === 'csv') console.log(toCsv(results[sections[0]!.id]!));
    else console.log(sections.map((sec) => `${sec.title} (${sec.id})\n${sec.description}\n\n${toTable(results[sec.id]!)}`).join('\n\n'));
    return 0;
  } finally {
    duck.close();
  }
}

/** Timestamps as ISO 8601 in UTC and dates as YYYY-MM-DD, in every format: epoch ms means little to a reader. */
function withIsoTimes(columns: ResultColumn[], rows: Row[]): Row[] {
  const times = columns.filter((c) => c.type.startsWith('Timestamp') || c.type.startsWith('Date'));
  if (times.length === 0) return rows;
  return rows.map((r) => {
    const out = { ...r };
    for (const c of times) {
      const v = r[c.name];
      if (typeof v !== 'number') continue;
      const iso = new Date(v).toISOString();
      out[c.name] = c.type.startsWith('Date') ? iso.slice(0, 10) : iso;
    }
    return out;
  });
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v, jsonValue);
  return String(v);
}

function jsonValue(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

function toJson(rows: Row[]): string {
  return JSON.stringify(rows, jsonValue);
}

function toCsv(rows: Row[]): string {
  const cols = Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => {
    const s = text(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [cols.map(cell).join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n');
}

/** Columns padded to their widest cell, numbers right-aligned, then a row count. */
function toTable(rows: Row[]): string {
  const cols = Object.keys(rows[0] ?? {});
  const cells = rows.map((r) => cols.map((c) => text(r[c])));
  const width = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const numeric = cols.map((c) => rows.length > 0 && rows.every((r) => r[c] === null || typeof r[c] === 'number' || typeof r[c] === 'bigint'));
  const line = (r: string[]) => r.map((s, i) => (numeric[i] ? s.padStart(width[i]!) : s.padEnd(width[i]!))).join('  ').trimEnd();
  const out = cols.length ? [line(cols), width.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)] : [];
  out.push(`(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`);
  return out.join('\n');
}
