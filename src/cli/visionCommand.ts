/**
 * `twin vision --layout FILE --recording FILE [--model DIR] [--format table|json]`: the shelf
 * CNN over every camera frame of a recording, fused with the load cells; prints per slot and
 * camera what the camera saw (the last verdict, sightings by fill class, mismatches) and the
 * fusion's findings. `twin vision eval ...` scores the CNN and fusion on a simulated run
 * (visionEval.ts).
 */
import { FILL_LABELS } from '../inference/shelfInput';
import { CliError } from './CliError';
import { loadLayout, recordingLines } from './files';
import { formatTable } from './incidentsCommand';
import { parseOptions } from './parseOptions';
import { visionEvalCommand } from './visionEval';
import { nodeJpegDecoder } from '../inference/nodeJpeg';
import { loadModelDir } from './modelDir';
import { DEFAULT_MODEL_DIR, findingsTable, jsonFinding, readVisionFormat, round, VisionFeed } from './visionFeed';

export async function visionCommand(args: string[]): Promise<number> {
  if (args[0] === 'eval') return visionEvalCommand(args.slice(1));
  const { values } = parseOptions(args, {
    layout: { type: 'string' },
    recording: { type: 'string' },
    model: { type: 'string', default: DEFAULT_MODEL_DIR },
    format: { type: 'string', default: 'table' },
  });
  if (!values.layout) throw new CliError('--layout FILE is required');
  if (!values.recording) throw new CliError('--recording FILE is required');
  const format = readVisionFormat(values.format);
  const layout = loadLayout(values.layout);
  const feed = new VisionFeed(layout, await loadModelDir(values.model), undefined, await nodeJpegDecoder());
  for await (const line of recordingLines(values.recording)) feed.line(line);
  const findings = feed.fusion.findings();
  const cells = new Map(feed.fusion.slots().map((s) => [s.slot, s]));
  const slots = feed.tallies().map((t) => {
    const c = cells.get(t.slot);
    return {
      slot: t.slot,
      camera: t.camera,
      plannedSku: t.last.plannedSku,
      frames: t.frames,
      last: { ts: new Date(t.last.ts).toISOString(), fill: t.last.fill, fillProb: round(t.last.fillProb), match: t.last.match, matchProb: round(t.last.matchProb) },
      byFill: t.byFill,
      misplaced: t.misplaced,
      cellUnits: c?.units ?? null,
      agreement: c && c.compared ? round(c.agreement) : null,
    };
  });
  const msPerFrame = feed.frames ? round(feed.ms / feed.frames, 1) : null;
  if (format === 'json') {
    console.log(JSON.stringify({ frames: feed.frames, badFrames: feed.badFrames, sightings: feed.sightings, msPerFrame, slots, findings: findings.map(jsonFinding) }, null, 2));
    return 0;
  }
  const bad = feed.badFrames ? ` (${feed.badFrames} more did not decode)` : '';
  console.log(`${feed.frames} frames${bad}, ${feed.sightings} slot sightings on ${new Set(slots.map((s) => s.slot)).size} slots${msPerFrame === null ? '' : `, ${msPerFrame} ms a frame`}`);
  if (slots.length) {
    console.log('');
    console.log(
      formatTable(
        ['slot', 'camera', 'frames', 'last', ...FILL_LABELS, 'misplaced', 'cell units', 'agree'],
        slots.map((s) => [
          s.slot, s.camera, String(s.frames), `${s.last.fill} ${s.last.fillProb.toFixed(2)}${s.last.match ? '' : ' other SKU'}`,
          ...FILL_LABELS.map((l) => String(s.byFill[l])), String(s.misplaced), s.cellUnits === null ? '-' : String(s.cellUnits),
          s.agreement === null ? '-' : `${Math.round(s.agreement * 100)} %`,
        ]),
      ),
    );
  }
  console.log('');
  console.log(findings.length ? findingsTable(findings) : 'no findings');
  return 0;
}
