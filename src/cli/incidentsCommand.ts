/**
 * `twin incidents --layout FILE --recording FILE [--rules FILE] [--format table|json]`:
 * the recording is read through the contract reader (what ingest accepts is what the rules
 * see), the rules run over it (scenarios/rules/default.rules.json's defaults unless
 * --rules names a file) and the incidents are printed, one a line, or as JSON, each with its
 * chain of custody (who, what, when, where, the cameras that see the place, with each one's
 * recorded frame nearest the incident as base64 JPEG in the JSON) read from the recording
 * loaded into an event store. With camera frames in the recording (or --vision on), the shelf
 * CNN judges them and fusion's findings join as `shelf_vision` alerts, as in the workbench
 * (--vision off skips it; --model DIR names another model).
 * Also the shared pieces of `twin score`: loading a rules file and a recording's incidents.
 */
import { ContractReader } from '../contract/ContractReader';
import { parseRecordingLine } from '../contract/recording';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Incident } from '../rules/Incident';
import { mergeIncidents } from '../rules/mergeIncidents';
import { parseRulesText } from '../rules/parseRules';
import { custodyOf, type Custody } from '../rules/custody';
import { RuleEngine } from '../rules/RuleEngine';
import { DEFAULT_RULES, type Rules } from '../rules/Rules';
import { CliError } from './CliError';
import { loadLayout, readTextFile, recordingLines } from './files';
import { loadRecordingIntoStore } from './loadRecording';
import { parseOptions } from './parseOptions';
import { findingAlert } from '../inference/fusionFeed';
import type { ShelfCnn } from '../inference/ShelfCnn';
import { DEFAULT_MODEL_DIR, VisionFeed } from './visionFeed';
import { nodeJpegDecoder } from '../inference/nodeJpeg';

const FORMATS = ['table', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export async function incidentsCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    layout: { type: 'string' },
    recording: { type: 'string' },
    rules: { type: 'string' },
    format: { type: 'string', default: 'table' },
    vision: { type: 'string', default: 'auto' },
    model: { type: 'string', default: DEFAULT_MODEL_DIR },
  });
  if (!values.layout) throw new CliError('--layout FILE is required');
  if (!values.recording) throw new CliError('--recording FILE is required');
  const format = readFormat(values.format);
  if (!['auto', 'on', 'off'].includes(values.vision!)) throw new CliError(`--vision must be auto, on or off, not "${values.vision}"`);
  const rules = loadRules(values.rules);
  const layout = loadLayout(values.layout);
  // The CNN only where the rule wants its findings: `on` loads it at once, `auto` at the first
  // frame (tf.js and the model load only then: a recording without frames never waits for them).
  if (values.vision === 'on' && !rules.rules.shelf_vision.enabled) console.error('twin incidents: the shelf_vision rule is off in the rules file, so --vision on runs no CNN');
  const model = values.model!;
  const vision = values.vision !== 'off' && rules.rules.shelf_vision.enabled
    ? { load: async () => (await import('./modelDir')).loadModelDir(model), atStart: values.vision === 'on' }
    : undefined;
  const incidents = await recordingIncidents(layout, values.recording, rules, vision);
  // The chain of custody reads the event store: the recording goes into one (DuckDB-WASM).
  const loaded = await loadRecordingIntoStore(layout, values.recording);
  try {
    const q = (sql: string) => loaded.store.query(sql);
    const custody = new Map<string, Custody>();
    for (const i of incidents) custody.set(i.id, await custodyOf(q, layout, i));
    if (format === 'json') console.log(JSON.stringify(incidents.map((i) => ({ ...i, custody: custody.get(i.id) })), null, 2));
    else console.log(incidentTable(incidents, custody));
  } finally {
    loaded.duck.close();
  }
  return 0;
}

export function readFormat(v: string | undefined): Format {
  if (!FORMATS.includes(v as Format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not "${v}"`);
  return v as Format;
}

/** The rules in a file (every problem listed in the error), or the defaults with no file. */
export function loadRules(path: string | undefined): Rules {
  if (!path) return DEFAULT_RULES;
  const r = parseRulesText(readTextFile(path, 'rules file'));
  if (!r.ok) throw new CliError(`rules file ${path} is not valid:\n${r.problems.map((p) => `  ${p.path || '(file)'}: ${p.reason}`).join('\n')}`);
  return r.rules;
}

/** The shelf CNN for recordingIncidents: how to load it, and whether at the start or at the recording's first frame. */
export interface IncidentVision {
  readonly load: () => Promise<ShelfCnn>;
  readonly atStart: boolean;
}

/**
 * A recording file's incidents under the rules; with `vision`, its frames are judged by the
 * shelf CNN and fusion's findings join as `shelf_vision` alerts (src/inference/fusionFeed.ts
 * findingAlert). Readings go to fusion from the start; the model loads when asked (atStart)
 * or at the first frame.
 */
export async function recordingIncidents(layout: LayoutIndex, path: string, rules: Rules, options?: IncidentVision): Promise<Incident[]> {
  const reader = new ContractReader(layout);
  const engine = new RuleEngine(layout, rules);
  const vision = options ? new VisionFeed(layout) : undefined;
  if (vision && options!.atStart) vision.useModel(await options!.load(), await nodeJpegDecoder());
  let line = 0;
  for await (const text of recordingLines(path)) {
    line++;
    if (text.trim() === '') continue;
    const r = parseRecordingLine(text, line, 0);
    if (!r.ok) continue;
    const out = reader.read(r.message);
    if (out.status !== 'accepted') continue;
    engine.pushOne(out.event);
    if (vision) {
      if (out.event.type === 'frame' && !vision.hasModel) vision.useModel(await options!.load(), await nodeJpegDecoder());
      vision.event(out.event);
    }
  }
  engine.finish();
  const seen = vision ? vision.fusion.findings().flatMap((f) => findingAlert(layout, f, rules.rules.shelf_vision) ?? []) : [];
  return mergeIncidents([...engine.alerts, ...seen], rules);
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function incidentTable(incidents: readonly Incident[], custody?: ReadonlyMap<string, Custody>): string {
  const who = (c: Custody | undefined) => (c ? c.who.map((p) => `${p.badge} (${p.role})`).join(', ') || '-' : '');
  const cameras = (c: Custody | undefined) => (c ? c.cameras.filter((x) => !x.occluded).map((x) => x.camera).join(', ') || '-' : '');
  const rows = incidents.map((i) => [
    iso(i.from),
    i.severity,
    i.kind + (i.suspect === 'theft' && i.kind !== 'after_hours_movement' && i.kind !== 'restricted_pick' ? ' (theft?)' : ''),
    i.place.slot ?? i.place.door ?? i.place.device ?? i.place.shelf ?? i.place.zone ?? '',
    String(i.alerts.length),
    ...(custody ? [who(custody.get(i.id)), cameras(custody.get(i.id))] : []),
    i.title,
  ]);
  return formatTable(['from', 'severity', 'kind', 'place', 'alerts', ...(custody ? ['who', 'cameras (clear view)'] : []), 'what'], rows) + `\n${incidents.length} incident${incidents.length === 1 ? '' : 's'}`;
}

/** Columns padded to their widest cell. */
export function formatTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]) => r.map((x, c) => (c === r.length - 1 ? x : x.padEnd(widths[c]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
