/**
 * `twin vision eval --scenario FILE [--seed N] [--days N] [--interval S] [--width N] [--model DIR]
 * [--format table|json]`: simulates the scenario in memory with camera frames on, runs every
 * frame through the vision pipeline (VisionFeed) and scores it:
 *
 *  - the CNN, crop by crop, against each frame's truth (sim/render/frameTruth.ts): fill-class
 *    accuracy and the 4 x 4 confusion matrix, misplaced-product recall and precision. Only
 *    slots both judged and in the truth's clear view are scored (the truth sees people).
 *  - fusion's findings against the scenario's truth: a `sensor_fault` of subtype `stuck` is
 *    found by a `stuck_load_cell` finding on its slot that runs on past it and began no more
 *    than an hour before it, a `drift` likewise by a `drifting_load_cell` finding, a
 *    `misplacement` by a `misplaced_product` finding on the slot the stock went to, a
 *    `concealment` by a `hidden_stock` finding on its slot (its crops are left out of the
 *    CNN's accuracy: a board hides the stock, and the CNN is right to see none; of its frames
 *    only the lit ones count, as for fusion's rule: DIM_SHARE). Records
 *    on slots no frame judged after them are `blind` (no camera could find them), and a
 *    stuck cell whose slot's true fill class never moved from the class it was stuck at
 *    while frames judged it is `still` (it reads right: nothing to see), and one whose slot
 *    was judged in another class in fewer than NEAR_FRAMES frames (a put and a pick within
 *    the hour: fusion's rule needs NEAR_FRAMES lit frames of the new class) is `brief`; a misplacement whose
 *    units judged frames saw on the slot fewer than MISPLACED_FRAMES times (put right, sold or
 *    moved on before fusion's rule could see a run of them) is `brief`; recall leaves all
 *    three out (a run of them: MISPLACED_FRAMES of one camera, or 2 of each of 2 cameras). A
 *    concealment no lit judged frame showed behind its board is `blind`, one no camera judged
 *    in HIDDEN_FRAMES lit frames behind it is `brief`.
 *    A stuck cell's frames count whichever camera judged them and in any light, and a move of
 *    one class counts, though fusion's rules want one camera's lit frames and most want two
 *    classes (STUCK_CLASSES): the recall asks for more than the rules can give, on purpose.
 *
 * A scenario without `frames` gets frames for the CNN as trained: MODEL_FRAME_WIDTH (1280)
 * pixels wide (the model's training widths are 1120 to 1440), every hour, no motion frames, so that a
 * day of the large layout runs in well under a minute; `--interval` and `--width` override.
 */
import { SCENARIO_DEFAULTS, type FrameSettings } from '../../sim/scenario/Scenario';
import type { FrameTruth } from '../../sim/render/frameTruth';
import { Simulator } from '../../sim/Simulator';
import type { TruthRecord } from '../../sim/world/Truth';
import { DIM_SHARE, FINDING_KINDS, HIDDEN_FRAMES, MISPLACED_FRAMES, NEAR_FRAMES, type Finding, type FindingKind } from '../inference/fusion';
import { FILL_LABELS, MODEL_FRAME_WIDTH } from '../inference/shelfInput';
import type { FrameResult } from '../inference/VisionRunner';
import { CliError } from './CliError';
import { formatTable } from './incidentsCommand';
import { loadScenario } from './loadScenario';
import { parseOptions, wholeNumber } from './parseOptions';
import { nodeJpegDecoder } from '../inference/nodeJpeg';
import { loadModelDir } from './modelDir';
import { DEFAULT_MODEL_DIR, findingsTable, jsonFinding, readVisionFormat, round, VisionFeed } from './visionFeed';

/** A finding may begin this long before its record (a frame of the hour before it): one that began earlier was about something else. */
const LEAD_MS = 60 * 60_000;

/** Frames for a scenario that has none. */
export const EVAL_FRAMES: FrameSettings = { ...SCENARIO_DEFAULTS.frames, width: MODEL_FRAME_WIDTH, intervalSeconds: 3600, motion: 0 };

/** Which truth records each finding kind is scored on. */
const TRUTH_OF: Record<FindingKind, ((t: TruthRecord) => boolean) | undefined> = {
  stuck_load_cell: (t) => t.kind === 'sensor_fault' && t.subtype === 'stuck',
  drifting_load_cell: (t) => t.kind === 'sensor_fault' && t.subtype === 'drift',
  misplaced_product: (t) => t.kind === 'misplacement',
  hidden_stock: (t) => t.kind === 'concealment',
};

export interface FusionScore {
  readonly kind: FindingKind;
  /** Truth records of the kind; null for a kind the simulator's truth does not name. */
  readonly records: number | null;
  /** Records on slots no frame judged after them. */
  readonly blind: number | null;
  /** Stuck cells whose slot's true fill class stayed the class they stuck at in every judged frame after: right, so no camera can tell. */
  readonly still: number | null;
  /** Misplacements seen on their slot in fewer than MISPLACED_FRAMES judged frames, concealments behind their board in fewer than HIDDEN_FRAMES of one camera: gone before the rule could see a run. */
  readonly brief: number | null;
  readonly tp: number | null;
  readonly fn: number | null;
  readonly findings: number;
  /** Findings that found no record. */
  readonly fp: number | null;
  /** tp / (tp + fn), blind and still records left out; NaN with none. */
  readonly recall: number;
  readonly precision: number;
}

/** A slot's true fill class (an index of FILL_LABELS) in each judged frame, oldest first. */
export type FillHistory = ReadonlyMap<string, readonly (readonly [ts: number, fill: number])[]>;

/**
 * How often a stuck cell's slot showed it moved: the judged frames after the fault (distinct
 * times, whichever camera) whose true fill class differs from the class at the fault (the
 * latest judged frame at or before it, else the first after). No frame at all: unknown,
 * counted as moved for good (Infinity; blind catches it first).
 */
export function stuckSlotMoves(history: FillHistory, slot: string, ts: number): number {
  const h = history.get(slot);
  if (!h?.length) return Infinity;
  let base = h.findLastIndex(([t]) => t <= ts);
  if (base < 0) base = 0;
  const at = h[base]![1];
  return new Set(h.filter(([t, f]) => t > ts && f !== at).map(([t]) => t)).size;
}

/** Whether a stuck cell's slot moved at all in the frames that judged it (stuckSlotMoves > 0). */
export function stuckSlotMoved(history: FillHistory, slot: string, ts: number): boolean {
  return stuckSlotMoves(history, slot, ts) > 0;
}

/** Each slot's judged frames whose truth had another SKU's units on it: when, and by which camera. */
export type MisplacedSightings = ReadonlyMap<string, readonly (readonly [ts: number, camera: string])[]>;

/**
 * Findings scored against the truth; `lastSeen` is each slot's latest judged frame, `history`
 * (optional) each slot's true fill class in its judged frames, which tells `still` and `brief` stuck cells,
 * `misplacedSeen` (optional) the judged frames that showed another SKU's units on a slot,
 * which tells `brief` misplacements, and `concealedSeen` (optional) the judged frames that
 * showed a slot behind a concealment's board: a concealment no judged frame showed is `blind`,
 * one no camera judged in HIDDEN_FRAMES frames is `brief`. Frames count from the record's ts
 * to the slot's next record of the kind.
 */
export function scoreFusion(findings: readonly Finding[], truth: readonly TruthRecord[], lastSeen: ReadonlyMap<string, number>, history?: FillHistory, misplacedSeen?: MisplacedSightings, concealedSeen?: MisplacedSightings): FusionScore[] {
  return FINDING_KINDS.map((kind) => {
    const mine = findings.filter((f) => f.kind === kind);
    const of = TRUTH_OF[kind];
    if (!of) return { kind, records: null, blind: null, still: null, brief: null, tp: null, fn: null, findings: mine.length, fp: null, recall: NaN, precision: NaN };
    const records = truth.filter((t) => of(t) && t.slot !== undefined);
    const found = (t: TruthRecord, f: Finding) => f.slot === t.slot && f.lastTs >= Date.parse(t.ts) && f.firstTs >= Date.parse(t.ts) - LEAD_MS;
    let tp = 0;
    let fn = 0;
    let blind = 0;
    let still = 0;
    let brief = 0;
    const stillCounts = kind === 'stuck_load_cell' && history !== undefined;
    const seen = kind === 'misplaced_product' ? misplacedSeen : kind === 'hidden_stock' ? concealedSeen : undefined;
    const briefCounts = seen !== undefined;
    // Judged frames of the record's slot from its ts to the slot's next record, by camera.
    const framesOf = (t: TruthRecord): number[] => {
      const from = Date.parse(t.ts);
      const next = Math.min(...records.filter((o) => o.slot === t.slot && Date.parse(o.ts) > from).map((o) => Date.parse(o.ts)));
      const byCamera = new Map<string, number>();
      for (const [ts, camera] of seen!.get(t.slot!) ?? []) if (ts >= from && ts < next) byCamera.set(camera, (byCamera.get(camera) ?? 0) + 1);
      return [...byCamera.values()];
    };
    // Seen often enough for fusion's rule: MISPLACED_FRAMES frames of one camera, or 2 of each of 2; HIDDEN_FRAMES of one for hidden stock.
    const seenEnough = (t: TruthRecord): boolean => {
      const counts = framesOf(t);
      if (kind === 'hidden_stock') return counts.some((n) => n >= HIDDEN_FRAMES);
      return counts.some((n) => n >= MISPLACED_FRAMES) || counts.filter((n) => n >= 2).length >= 2;
    };
    const unseen = (t: TruthRecord): boolean => (lastSeen.get(t.slot!) ?? -Infinity) < Date.parse(t.ts) || (kind === 'hidden_stock' && seen !== undefined && framesOf(t).length === 0);
    let moves = 0;
    for (const t of records) {
      if (mine.some((f) => found(t, f))) tp++;
      else if (unseen(t)) blind++;
      else if (stillCounts && (moves = stuckSlotMoves(history, t.slot!, Date.parse(t.ts))) === 0) still++;
      else if (stillCounts && moves < NEAR_FRAMES) brief++;
      else if (briefCounts && !seenEnough(t)) brief++;
      else fn++;
    }
    const fp = mine.filter((f) => !records.some((t) => found(t, f))).length;
    return {
      kind, records: records.length, blind, still: stillCounts ? still : null, brief: briefCounts || stillCounts ? brief : null, tp, fn, findings: mine.length, fp,
      recall: tp + fn ? tp / (tp + fn) : NaN, precision: mine.length ? (mine.length - fp) / mine.length : NaN,
    };
  });
}

export async function visionEvalCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    scenario: { type: 'string' },
    seed: { type: 'string' },
    days: { type: 'string' },
    interval: { type: 'string' },
    width: { type: 'string' },
    model: { type: 'string', default: DEFAULT_MODEL_DIR },
    format: { type: 'string', default: 'table' },
  });
  if (!values.scenario) throw new CliError('--scenario FILE is required');
  const format = readVisionFormat(values.format);
  const days = wholeNumber(values.days, 'days', 1, 60) ?? 1;
  const seed = wholeNumber(values.seed, 'seed', 0, 2 ** 32 - 1);
  const interval = wholeNumber(values.interval, 'interval', 10, 86_400);
  const width = wholeNumber(values.width, 'width', 64, 4096);
  const s = loadScenario(values.scenario);
  const cnn = await loadModelDir(values.model);
  const frames: FrameSettings = { ...(s.run.frames ?? EVAL_FRAMES), ...(interval === undefined ? {} : { intervalSeconds: interval }), ...(width === undefined ? {} : { width }) };
  const scenario = { ...s.run, days, frames, ...(seed === undefined ? {} : { seed }) };
  const started = performance.now();

  const confusion = FILL_LABELS.map(() => FILL_LABELS.map(() => 0));
  const crop = { scored: 0, unscored: 0, concealed: 0, misplaced: 0, tp: 0, fp: 0 };
  const lastSeen = new Map<string, number>();
  const history = new Map<string, [number, number][]>();
  const misplacedSeen = new Map<string, [number, string][]>();
  const concealedSeen = new Map<string, [number, string][]>();
  /** Each camera's brightest frame so far: a concealment counts only its lit frames, the ones fusion's rule reads (DIM_SHARE). */
  const brightest = new Map<string, number>();
  // A frame's result waits for its truth, which the simulator hands over just after the line.
  const pending = new Map<string, FrameResult>();
  const feed = new VisionFeed(s.layout, cnn, (r) => {
    pending.set(`${r.camera}@${r.ts}`, r);
    for (const x of r.slots) lastSeen.set(x.slot, Math.max(lastSeen.get(x.slot) ?? -Infinity, x.ts));
  }, await nodeJpegDecoder());
  const frameTruth = (t: FrameTruth) => {
    const key = `${t.camera}@${Date.parse(t.ts)}`;
    const r = pending.get(key);
    if (!r) return;
    pending.delete(key);
    const truths = new Map(t.slots.map((x) => [x.slot, x]));
    const top = Math.max(brightest.get(r.camera) ?? 0, r.light ?? 0);
    brightest.set(r.camera, top);
    const lit = r.light === undefined || r.light >= DIM_SHARE * top;
    for (const x of r.slots) {
      const truth = truths.get(x.slot);
      if (!truth) {
        crop.unscored++;
        continue;
      }
      if (truth.concealed) {
        // A board hides the slot's stock: the CNN is right to see none, and fusion is scored on it.
        crop.concealed++;
        if (!lit) continue;
        let c = concealedSeen.get(x.slot);
        if (!c) concealedSeen.set(x.slot, (c = []));
        c.push([x.ts, x.camera]);
        continue;
      }
      let h = history.get(x.slot);
      if (!h) history.set(x.slot, (h = []));
      h.push([x.ts, FILL_LABELS.indexOf(truth.fill)]);
      crop.scored++;
      confusion[FILL_LABELS.indexOf(truth.fill)]![FILL_LABELS.indexOf(x.fill)]!++;
      if (truth.misplaced) {
        crop.misplaced++;
        let m = misplacedSeen.get(x.slot);
        if (!m) misplacedSeen.set(x.slot, (m = []));
        m.push([x.ts, x.camera]);
      }
      if (!x.match && truth.misplaced) crop.tp++;
      else if (!x.match) crop.fp++;
    }
  };
  const result = new Simulator(s.layout, scenario, { recording: (line) => feed.line(line), frameTruth }).run();
  const findings = feed.fusion.findings();
  for (const h of history.values()) h.sort((a, b) => a[0] - b[0]);
  const fusion = scoreFusion(findings, result.truth, lastSeen, history, misplacedSeen, concealedSeen);
  const right = confusion.reduce((n, row, i) => n + row[i]!, 0);
  const out = {
    scenario: scenario.name,
    seed: scenario.seed,
    days,
    frameSettings: frames,
    frames: feed.frames,
    sightings: feed.sightings,
    msPerFrame: feed.frames ? round(feed.ms / feed.frames, 1) : null,
    cnn: {
      scored: crop.scored,
      unscored: crop.unscored,
      concealed: crop.concealed,
      fillAccuracy: nullable(crop.scored ? right / crop.scored : NaN),
      labels: FILL_LABELS,
      confusion,
      misplaced: { n: crop.misplaced, tp: crop.tp, fp: crop.fp, recall: nullable(crop.misplaced ? crop.tp / crop.misplaced : NaN), precision: nullable(crop.tp + crop.fp ? crop.tp / (crop.tp + crop.fp) : NaN) },
    },
    fusion: fusion.map((f) => ({ ...f, recall: nullable(f.recall), precision: nullable(f.precision) })),
    findings: findings.map(jsonFinding),
    seconds: round((performance.now() - started) / 1000, 1),
  };
  if (format === 'json') {
    console.log(JSON.stringify(out, null, 2));
    return 0;
  }
  const cell = (x: number | null) => (x === null ? '-' : String(x));
  const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)} %`);
  const lines = [
    `${out.scenario}, seed ${out.seed}, ${days} day${days === 1 ? '' : 's'}: ${out.frames} frames (${frames.width} px, every ${frames.intervalSeconds} s), ${out.sightings} slot sightings, ${cell(out.msPerFrame)} ms a frame, ${out.seconds} s`,
    '',
    `CNN, crop by crop: ${crop.scored} scored (${crop.unscored} judged but not in the truth's clear view${crop.concealed ? `, ${crop.concealed} behind a concealment's board` : ''})`,
    `  fill accuracy ${pct(out.cnn.fillAccuracy)}`,
    formatTable(['truth \\ CNN', ...FILL_LABELS], FILL_LABELS.map((l, i) => [l, ...confusion[i]!.map(String)])).replace(/^/gm, '  '),
    `  misplaced product: ${crop.misplaced} crops, ${crop.tp + crop.fp} called, recall ${cell(out.cnn.misplaced.recall)}, precision ${cell(out.cnn.misplaced.precision)}`,
    '',
    'Fusion against the scenario truth:',
    formatTable(
      ['finding', 'records', 'blind', 'still', 'brief', 'tp', 'fn', 'findings', 'fp', 'recall', 'precision'],
      out.fusion.map((f) => [f.kind, cell(f.records), cell(f.blind), cell(f.still), cell(f.brief), cell(f.tp), cell(f.fn), String(f.findings), cell(f.fp), cell(f.recall), cell(f.precision)]),
    ).replace(/^/gm, '  '),
    '',
    findings.length ? findingsTable(findings) : 'no findings',
  ];
  console.log(lines.join('\n'));
  return 0;
}

const nullable = (x: number) => (Number.isNaN(x) ? null : Math.round(x * 1000) / 1000);
