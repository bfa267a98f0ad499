/**
 * `twin vision eval --scenario FILE [--seed N] [--days N] [--interval S] [--width N] [--model DIR]
 * [--save FILE] [--format table|json]`: simulates the scenario in memory with camera frames on, runs every
 * frame through the vision pipeline (VisionFeed) and scores it (`--save` also writes what
 * fusion and the scoring read, visionReplay.ts; `--replay FILE` runs today's fusion over it
 * and scores it again, without simulating or the CNN):
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
 *    was judged in another class in fewer than NEAR_FRAMES frames in a row and two classes
 *    away in fewer than STEADY_FRAMES in a row (a put and a pick soon after: fusion's rules
 *    need such a run of the new class) is `brief`; a misplacement whose
 *    units judged frames saw on the slot fewer than MISPLACED_FRAMES times (put right, sold or
 *    moved on before fusion's rule could see a run of them) is `brief`; recall leaves all
 *    of these out, found or not (a run of them: MISPLACED_FRAMES of one camera, or 2 of each of 2 cameras). A
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
import type { FrameTruth, SlotTruth } from '../../sim/render/frameTruth';
import { Simulator } from '../../sim/Simulator';
import type { TruthRecord } from '../../sim/world/Truth';
import { DIM_SHARE, FINDING_KINDS, Fusion, HIDDEN_FRAMES, MISPLACED_FRAMES, NEAR_FRAMES, STEADY_FRAMES, STUCK_CLASSES, type Finding, type FindingKind } from '../inference/fusion';
import { FILL_LABELS, MODEL_FRAME_WIDTH } from '../inference/shelfInput';
import type { FrameResult, SlotSighting } from '../inference/VisionRunner';
import { CliError } from './CliError';
import { formatTable } from './incidentsCommand';
import { loadScenario } from './loadScenario';
import { parseOptions, wholeNumber } from './parseOptions';
import { nodeJpegDecoder } from '../inference/nodeJpeg';
import { loadModelDir } from './modelDir';
import { DEFAULT_MODEL_DIR, findingsTable, jsonFinding, readVisionFormat, round, VisionFeed, type VisionFormat } from './visionFeed';
import { openReplay, ReplayWriter, type SlotMark } from './visionReplay';

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
  /**
   * Misplacements seen on their slot in fewer than MISPLACED_FRAMES judged frames, concealments
   * behind their board in fewer than HIDDEN_FRAMES of one camera, stuck cells whose slot showed
   * another class in fewer than NEAR_FRAMES judged frames in a row and two classes away in
   * fewer than STEADY_FRAMES in a row: gone before a rule could see a run.
   */
  readonly brief: number | null;
  readonly tp: number | null;
  readonly fn: number | null;
  readonly findings: number;
  /** Findings that found no record. */
  readonly fp: number | null;
  /** tp / (tp + fn): blind, still and brief records left out, found or not; NaN with none. */
  readonly recall: number;
  readonly precision: number;
}

/** A slot's true fill class (an index of FILL_LABELS) in each judged frame, oldest first. */
export type FillHistory = ReadonlyMap<string, readonly (readonly [ts: number, fill: number])[]>;

/**
 * How long a stuck cell's slot showed it moved: the longest run of judged frames in a row after
 * the fault (distinct frame times, whichever camera judged them) whose true fill class differs
 * from the class at the fault (the latest judged frame at or before it, else the first after),
 * and the longest run of them STUCK_CLASSES or more classes away. 0: the slot never moved. No
 * frame at all: unknown, counted as moved for good (Infinity; blind catches it first).
 */
export function stuckSlotMoves(history: FillHistory, slot: string, ts: number): { readonly frames: number; readonly far: number } {
  const h = history.get(slot);
  if (!h?.length) return { frames: Infinity, far: Infinity };
  let base = h.findLastIndex(([t]) => t <= ts);
  if (base < 0) base = 0;
  const at = h[base]![1];
  let frames = 0;
  let far = 0;
  let run = 0;
  let farRun = 0;
  let last = -Infinity;
  for (const [t, f] of h) {
    // One frame time, however many cameras judged it (the truth is the slot's, not the camera's).
    if (t <= ts || t === last) continue;
    last = t;
    run = f !== at ? run + 1 : 0;
    farRun = Math.abs(f - at) >= STUCK_CLASSES ? farRun + 1 : 0;
    frames = Math.max(frames, run);
    far = Math.max(far, farRun);
  }
  return { frames, far };
}

/** Whether a stuck cell's slot moved at all in the frames that judged it. */
export function stuckSlotMoved(history: FillHistory, slot: string, ts: number): boolean {
  return stuckSlotMoves(history, slot, ts).frames > 0;
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
    // A stuck cell's slot moved too briefly for any rule: under STEADY_FRAMES frames two classes
    // away (the plain rule's run) and under NEAR_FRAMES a class away (the sure rules' run).
    const stuckBrief = (m: { frames: number; far: number }) => m.far < STEADY_FRAMES && m.frames < NEAR_FRAMES;
    // Records no rule could find are left out whether or not a finding names them (a finding
    // on them is no false one): the recall is over the records the cameras could tell.
    for (const t of records) {
      const moves = stillCounts ? stuckSlotMoves(history, t.slot!, Date.parse(t.ts)) : undefined;
      if (unseen(t)) blind++;
      else if (moves && moves.frames === 0) still++;
      else if (moves && stuckBrief(moves)) brief++;
      else if (briefCounts && !seenEnough(t)) brief++;
      else if (mine.some((f) => found(t, f))) tp++;
      else fn++;
    }
    const fp = mine.filter((f) => !records.some((t) => found(t, f))).length;
    return {
      kind, records: records.length, blind, still: stillCounts ? still : null, brief: briefCounts || stillCounts ? brief : null, tp, fn, findings: mine.length, fp,
      recall: tp + fn ? tp / (tp + fn) : NaN, precision: mine.length ? (mine.length - fp) / mine.length : NaN,
    };
  });
}

/**
 * What the scoring reads of the judged frames, gathered frame by frame as they come (from the
 * simulated run, or from a replay file): the CNN's confusion and misplaced calls crop by crop,
 * and for fusion's scoring each slot's last judged frame, true fill history, and the frames
 * that showed it misplaced or behind a concealment's board.
 */
export class EvalTally {
  readonly confusion = FILL_LABELS.map(() => FILL_LABELS.map(() => 0));
  readonly crop = { scored: 0, unscored: 0, concealed: 0, misplaced: 0, tp: 0, fp: 0 };
  readonly lastSeen = new Map<string, number>();
  readonly history = new Map<string, [number, number][]>();
  readonly misplacedSeen = new Map<string, [number, string][]>();
  readonly concealedSeen = new Map<string, [number, string][]>();
  frames = 0;
  sightings = 0;
  /** Each camera's brightest frame so far: a concealment counts only its lit frames, the ones fusion's rule reads (DIM_SHARE). */
  private readonly brightest = new Map<string, number>();

  /** A frame's sightings, as fusion got them. */
  seen(slots: readonly SlotSighting[]): void {
    this.frames++;
    this.sightings += slots.length;
    for (const x of slots) this.lastSeen.set(x.slot, Math.max(this.lastSeen.get(x.slot) ?? -Infinity, x.ts));
  }

  /** A frame's sightings judged against its truth (`marks`: the judged slots in the truth's clear view). */
  judge(camera: string, light: number | undefined, slots: readonly SlotSighting[], marks: ReadonlyMap<string, SlotMark>): void {
    const top = Math.max(this.brightest.get(camera) ?? 0, light ?? 0);
    this.brightest.set(camera, top);
    const lit = light === undefined || light >= DIM_SHARE * top;
    for (const x of slots) {
      const truth = marks.get(x.slot);
      if (!truth) {
        this.crop.unscored++;
        continue;
      }
      if (truth.concealed) {
        // A board hides the slot's stock: the CNN is right to see none, and fusion is scored on it.
        this.crop.concealed++;
        if (lit) push(this.concealedSeen, x.slot, [x.ts, x.camera]);
        continue;
      }
      push(this.history, x.slot, [x.ts, FILL_LABELS.indexOf(truth.fill)]);
      this.crop.scored++;
      this.confusion[FILL_LABELS.indexOf(truth.fill)]![FILL_LABELS.indexOf(x.fill)]!++;
      if (truth.misplaced) {
        this.crop.misplaced++;
        push(this.misplacedSeen, x.slot, [x.ts, x.camera]);
      }
      if (!x.match && truth.misplaced) this.crop.tp++;
      else if (!x.match) this.crop.fp++;
    }
  }

  /** Fusion's findings scored against the run's truth. */
  score(findings: readonly Finding[], truth: readonly TruthRecord[]): FusionScore[] {
    for (const h of this.history.values()) h.sort((a, b) => a[0] - b[0]);
    return scoreFusion(findings, truth, this.lastSeen, this.history, this.misplacedSeen, this.concealedSeen);
  }
}

function push<T>(m: Map<string, T[]>, key: string, v: T): void {
  let list = m.get(key);
  if (!list) m.set(key, (list = []));
  list.push(v);
}

/** A slot's frame truth as the scoring and a replay file keep it. */
function markOf(t: SlotTruth): SlotMark {
  return { fill: t.fill, misplaced: t.misplaced, ...(t.concealed ? { concealed: true } : {}) };
}

export async function visionEvalCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    scenario: { type: 'string' },
    seed: { type: 'string' },
    days: { type: 'string' },
    interval: { type: 'string' },
    width: { type: 'string' },
    model: { type: 'string' },
    save: { type: 'string' },
    replay: { type: 'string' },
    format: { type: 'string', default: 'table' },
  });
  const format = readVisionFormat(values.format);
  if (values.replay !== undefined) {
    const others = (['scenario', 'seed', 'days', 'interval', 'width', 'model', 'save'] as const).filter((k) => values[k] !== undefined);
    if (others.length) throw new CliError(`--replay FILE replays a saved run as it was: ${others.map((k) => `--${k}`).join(', ')} cannot go with it`);
    return replayEval(values.replay, format);
  }
  if (!values.scenario) throw new CliError('--scenario FILE (or --replay FILE) is required');
  const days = wholeNumber(values.days, 'days', 1, 60) ?? 1;
  const seed = wholeNumber(values.seed, 'seed', 0, 2 ** 32 - 1);
  const interval = wholeNumber(values.interval, 'interval', 10, 86_400);
  const width = wholeNumber(values.width, 'width', 64, 4096);
  const s = loadScenario(values.scenario);
  const model = values.model ?? DEFAULT_MODEL_DIR;
  const cnn = await loadModelDir(model);
  const frames: FrameSettings = { ...(s.run.frames ?? EVAL_FRAMES), ...(interval === undefined ? {} : { intervalSeconds: interval }), ...(width === undefined ? {} : { width }) };
  const scenario = { ...s.run, days, frames, ...(seed === undefined ? {} : { seed }) };
  const started = performance.now();

  const save = values.save === undefined ? undefined : new ReplayWriter(values.save, { store: s.layout.store, scenario: scenario.name, seed: scenario.seed, days, frameSettings: frames, model }, s.layout);
  const tally = new EvalTally();
  // A frame's result waits for its truth, which the simulator hands over just after the line.
  const pending = new Map<string, FrameResult>();
  const feed = new VisionFeed(s.layout, cnn, (r) => {
    pending.set(`${r.camera}@${r.ts}`, r);
    tally.seen(r.slots);
  }, await nodeJpegDecoder());
  if (save) feed.tap = (e) => save.event(e);
  const frameTruth = (t: FrameTruth) => {
    const key = `${t.camera}@${Date.parse(t.ts)}`;
    const r = pending.get(key);
    if (!r) return;
    pending.delete(key);
    const judged = new Set(r.slots.map((x) => x.slot));
    const marks = new Map(t.slots.filter((x) => judged.has(x.slot)).map((x) => [x.slot, markOf(x)]));
    tally.judge(r.camera, r.light, r.slots, marks);
    save?.frame(r.camera, r.ts, r.light, marks);
  };
  const result = new Simulator(s.layout, scenario, { recording: (line) => feed.line(line), frameTruth }).run();
  if (save) {
    save.truth(result.truth);
    save.close();
  }
  const findings = feed.fusion.findings();
  const out = evalReport(
    { scenario: scenario.name, seed: scenario.seed, days, frameSettings: frames, frames: feed.frames, sightings: feed.sightings, msPerFrame: feed.frames ? round(feed.ms / feed.frames, 1) : null },
    tally, findings, tally.score(findings, result.truth), started,
  );
  return printEval(save ? { ...out, savedTo: save.file } : out, findings, format, save ? `saved for replay: ${save.file}` : undefined);
}

/** `--replay FILE`: fusion run again over a saved run's events, scored against its truth; no simulation, no CNN. */
async function replayEval(file: string, format: VisionFormat): Promise<number> {
  const started = performance.now();
  const { header, layout, items } = await openReplay(file);
  const fusion = new Fusion(layout);
  const tally = new EvalTally();
  // A frame's sightings, gathered until its truth line.
  const pending = new Map<string, SlotSighting[]>();
  let truth: readonly TruthRecord[] | undefined;
  for await (const it of items) {
    if (it.kind === 'event') {
      fusion.add(it.event);
      if (it.event.type === 'sighting') push(pending, `${it.event.sighting.camera}@${it.event.sighting.ts}`, it.event.sighting);
    } else if (it.kind === 'frame') {
      const key = `${it.camera}@${it.ts}`;
      const slots = pending.get(key) ?? [];
      pending.delete(key);
      tally.seen(slots);
      tally.judge(it.camera, it.light, slots, it.marks);
    } else truth = it.records;
  }
  if (!truth) throw new CliError(`${file} ends before its truth: the run that wrote it did not finish`);
  // Frames whose truth never came (the simulator gives none for a frame it did not render) still count as seen.
  for (const slots of pending.values()) tally.seen(slots);
  const findings = fusion.findings();
  const out = evalReport(
    { scenario: header.scenario, seed: header.seed, days: header.days, frameSettings: header.frameSettings, frames: tally.frames, sightings: tally.sightings, msPerFrame: null },
    tally, findings, tally.score(findings, truth), started,
  );
  return printEval({ ...out, replayedFrom: file }, findings, format, `replayed from ${file} (store ${header.store}, model ${header.model}): fusion as it is now, over the CNN calls saved then`);
}

interface RunFacts {
  readonly scenario: string;
  readonly seed: number;
  readonly days: number;
  readonly frameSettings: FrameSettings;
  readonly frames: number;
  readonly sightings: number;
  readonly msPerFrame: number | null;
}

type EvalReport = ReturnType<typeof evalReport>;

function evalReport(run: RunFacts, tally: EvalTally, findings: readonly Finding[], fusion: readonly FusionScore[], started: number) {
  const { crop, confusion } = tally;
  const right = confusion.reduce((n, row, i) => n + row[i]!, 0);
  return {
    ...run,
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
}

function printEval(out: EvalReport & { savedTo?: string; replayedFrom?: string }, findings: readonly Finding[], format: VisionFormat, footnote: string | undefined): number {
  if (format === 'json') {
    console.log(JSON.stringify(out, null, 2));
    return 0;
  }
  const { cnn, frameSettings: frames, days } = out;
  const cell = (x: number | null) => (x === null ? '-' : String(x));
  const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)} %`);
  const lines = [
    `${out.scenario}, seed ${out.seed}, ${days} day${days === 1 ? '' : 's'}: ${out.frames} frames (${frames.width} px, every ${frames.intervalSeconds} s), ${out.sightings} slot sightings, ${out.msPerFrame === null ? '' : `${out.msPerFrame} ms a frame, `}${out.seconds} s`,
    ...(footnote ? [footnote] : []),
    '',
    `CNN, crop by crop: ${cnn.scored} scored (${cnn.unscored} judged but not in the truth's clear view${cnn.concealed ? `, ${cnn.concealed} behind a concealment's board` : ''})`,
    `  fill accuracy ${pct(cnn.fillAccuracy)}`,
    formatTable(['truth \\ CNN', ...FILL_LABELS], FILL_LABELS.map((l, i) => [l, ...cnn.confusion[i]!.map(String)])).replace(/^/gm, '  '),
    `  misplaced product: ${cnn.misplaced.n} crops, ${cnn.misplaced.tp + cnn.misplaced.fp} called, recall ${cell(cnn.misplaced.recall)}, precision ${cell(cnn.misplaced.precision)}`,
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
