/**
 * The shelf CNN's sightings fused with the load cells, slot by slot, as a fold over events
 * in arrival order: each load cell's units as they change, and each SlotSighting. The same
 * code runs in Node (`twin vision`) and in a worker. Pure.
 *
 * Each sighting is compared with the cell's fill class at that moment (units over capacity,
 * the classes of sim/render/frameTruth.ts `fillClass`). Agreement raises a slot's agreement
 * share; what disagreement means is decided by these rules, each asking for evidence over
 * several frames, because one crop is wrong often (fill about 1 in 10, a mismatch call about
 * 1 in 2 at the shipped model):
 *
 *  - `misplaced_product`: the CNN's match probability for the slot drops well below what
 *    this camera usually gives it in like light and at like fill: under the model's
 *    threshold and MISPLACED_DROP under the low fifth of the camera's earlier sightings of
 *    the slot in frames of about the same brightness (`lightBand`) with the same fill class
 *    called (BASELINE_FRAMES of them at least), or under MISPLACED_FLOOR whatever the record,
 *    in MISPLACED_FRAMES frames in a row, or in
 *    2 frames in a row of each of 2 cameras within MISPLACED_PAIR_MS. The shipped model
 *    calls the same slot a mismatch day in day out on layouts it never trained on (a view's
 *    own bias), and its match probability moves with the light and with the fill, so only
 *    a change from the camera's own record in like conditions counts. A misplaced put
 *    usually changes the fill class too (often onto a slot the camera only saw empty), so the
 *    camera has no record at the new fill: a match probability under MISPLACED_FLOOR, which
 *    the model almost never gives a correctly stocked slot, is a drop without one. Another
 *    SKU only gets onto a slot by being put there, so a run of drops starts only if something
 *    may have been put since the camera last saw the slot right: the count is higher than
 *    then, a put came within the camera's last PUT_GRACE_FRAMES frames, or the camera
 *    confidently calls the slot fuller (a put the cell missed), or the match probability
 *    falls under MISPLACED_FLOOR from a record that calls the slot a clear match
 *    (CLEAR_RECORD). A drop without any is the view's own (the evening's
 *    light, a person in front: in replays most false findings came back at the same hours
 *    day after day) and joins the record. A false
 *    alarm sends a person to the shelf for nothing, so the rule errs that way. A slot it calls
 *    empty holds nothing misplaced (its run ends there); a frame back within the record ends
 *    the run too. A put (the count up PUT_UNITS or more at once) onto a slot already flagged
 *    closes the finding: the put is an event of its own, and fresh frames judge it. The cell
 *    weighs too: a put that leaves its count well over what the slot holds (`overCapacity`)
 *    put something heavier than the planned SKU there, and once a camera has seen stock on
 *    the slot in STEADY_FRAMES lit frames since, that is a misplaced product whatever the match
 *    head says; the finding stays open while the count stays over, and closes when the count
 *    comes back within the slot or no camera sees stock there any more.
 *  - `stuck_load_cell`: the cell keeps publishing (a reading within CELL_ALIVE_MS of the
 *    frame) one count while the CNN's steady fill class (STEADY_FRAMES frames of one camera
 *    in a row, each at FILL_PROB or more) moves: it agreed with the cell after the count
 *    last changed, and later stands STUCK_CLASSES or more classes away from it (neighbouring
 *    classes are the CNN's common mistake, with the light), no other camera steadily seeing
 *    what the cell says. A neighbouring class counts too when the camera was sure of the
 *    cell's class (STEADY_FRAMES calls in a row at SURE_PROB or more) and is now as sure of
 *    the other for NEAR_FRAMES lit frames in a row: the CNN rarely errs at that confidence, and
 *    a stuck cell is most often found a class away (a few units sold off a half-full slot).
 *    And a camera that read the slot a class off all along still tells a stuck cell: its sure
 *    call (STEADY_FRAMES calls at SURE_PROB) moved MOVE_CLASSES or more, for NEAR_FRAMES lit
 *    frames, while the cell's count has not changed since it was sure of the old class (a
 *    count of 0 only where the readings' grams are known: a drifted cell held at zero reads 0
 *    whatever is put on it, but its grams still move). And where the readings' grams are known,
 *    a reading repeated FROZEN_READINGS times (a live cell's noise moves it; not 0 g) with a
 *    camera sure of another class for NEAR_FRAMES lit frames, in a run begun after the
 *    reading took its frozen value, is a stuck cell whether or not the camera agreed before. A cell that falls silent is dead, not stuck (the device rules find it).
 *  - `drifting_load_cell`: the mirror of a stuck cell: the cell's count moves while the CNN
 *    does not. One camera's steady class agreed with the cell, its steady class has stayed
 *    that class since, and the cell's count has slid STUCK_CLASSES or more classes away from
 *    it (the cell publishing, no other camera steadily seeing what it now says), by steps
 *    under PUT_UNITS: a jump is a put or a pick that the camera missed, not a drift (in
 *    replays of four seeds every false drift was one, most of them one camera's blind view).
 *    A class away counts too when the camera was sure of the cell's class (SURE_PROB) and has
 *    not agreed with it at another count since, the count has slid PUT_UNITS or more out of
 *    that class, and the camera is as sure of a class on that side of the cell's for
 *    NEAR_FRAMES lit frames (the stock may have moved too: a sale beside a drift). A stuck
 *    and a drifting finding are the two readings of one disagreement: one is open at a time.
 *  - `hidden_stock`: the cell says the slot is at least half full while the CNN's steady
 *    class is empty for HIDDEN_FRAMES frames of one camera in a row, that camera having
 *    agreed with the cell on the slot before (its view works) and the count not having jumped
 *    (PUT_UNITS) since (a pick it saw, a drifting cell's count), no other camera steadily
 *    seeing what the cell says, the cell not stuck by the rule above: stock the camera cannot see (a board across the slot's face, something
 *    stacked in front), or a cell weighing something else. Where the readings' grams are
 *    known (FusionEvent `grams`) the two are told apart: a stuck cell repeats one reading,
 *    so a reading that moved since the camera began to disagree is a live cell's, never a
 *    stuck one (and a stuck finding closes when its reading moves).
 *
 * The fill rules (and the weight's frames, and the sure runs) leave out a camera's dim frames
 * (the room's lights off: a frame under DIM_SHARE of the brightest the camera has sent), where
 * the CNN reads fill far worse; they neither count towards a run nor break it. Until a camera has sent a lit frame, none is dim.
 * Another camera steadily seeing what the cell says vetoes a finding only while it keeps
 * sending frames of the slot (VETO_MS): one moved or offline no longer does.
 *
 * A finding stays open while its evidence continues (its lastTs moves on) and closes when a
 * frame contradicts it; a later run opens a new one.
 */
import { fillClass } from '../../sim/render/frameTruth';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { FILL_LABELS, type FillLabel } from './shelfInput';
import type { SlotSighting } from './VisionRunner';

/** Frames of one camera in a row whose match probability must drop. */
export const MISPLACED_FRAMES = 3;
/** Earlier sightings of a slot by a camera before a drop counts. */
export const BASELINE_FRAMES = 8;
/** How far under the camera's usual match probability for the slot (its low fifth) a drop goes. */
export const MISPLACED_DROP = 0.3;
/**
 * A match probability this low is a drop whatever the camera's record: the shipped model gives
 * it to about half the sightings of a misplaced product and to 0.2 % of the others, and no
 * view of a correctly stocked slot has its median there (`twin vision eval` of
 * vision-faults-gm, 10 days: 8,359 misplaced sightings, 104,408 others over 205 views).
 * On apparel-compact, the layout it never trained on, no correctly stocked slot of held-out B
 * scored under 0.5 (model card). It catches another SKU put on a slot the camera only saw
 * empty, which has no record to drop from; applied only where there is no record, it found
 * 1-2 fewer in 10 days (replays of two seeds) and about as many false ones.
 */
export const MISPLACED_FLOOR = 0.05;
/** A count that rises this many units or more at once is a put: a misplaced finding open on the slot closes, and what is there is judged again from fresh frames (a count that flickers by one unit is not a put). */
export const PUT_UNITS = 2;
/**
 * A put that takes the cell's count over this share of the slot's capacity (and PUT_UNITS
 * over it) put more weight there than the slot's SKU can: another, heavier product (the count
 * is the weight over the planned SKU's unit weight). With a camera steadily seeing stock on
 * the slot since, that is a misplaced product, whatever the match head says: in replays of
 * vision-faults-gm (10 days, seeds 505 and 7) it found 8 of 28 and 4 of 42 misplacements the
 * match head missed, at 1 and 0 more false findings.
 */
export const HEAVY_SHARE = 1.25;
/** Frames of a camera after a put in which a drop still counts as the put's, though the camera saw the slot without one since (the put's units may stand where the first frame did not judge them). */
export const PUT_GRACE_FRAMES = 3;
/**
 * A record whose low fifth is at least this calls the slot a clear match: a fall from it under
 * MISPLACED_FLOOR is a drop with or without a put (a light SKU the cell barely weighs, a stuck
 * cell). In replays of six seeds it found 4 more of 202 misplacements and no false finding,
 * at any value from 0.5 to 0.85.
 */
export const CLEAR_RECORD = 0.5;
/** Match probabilities a camera's record of a slot keeps, newest. */
const BASELINE_KEEP = 96;
/** Two cameras calling a mismatch within this many ms of each other confirm it, ms. */
export const MISPLACED_PAIR_MS = 30 * 60_000;
/** A fill call counts towards a steady class at this probability or more. */
export const FILL_PROB = 0.6;
/** Frames of one camera in a row, one fill class each, that make the CNN's steady class. */
export const STEADY_FRAMES = 3;
/** Classes between the cell's class and the CNN's steady one that a stuck cell needs. */
export const STUCK_CLASSES = 2;
/** A fill call this sure counts towards a sure run: the CNN's neighbouring-class mistakes are rarely made at it. */
export const SURE_PROB = 0.9;
/** Lit frames of one camera in a row, each sure of one class, that make a neighbouring-class stuck cell. */
export const NEAR_FRAMES = 6;
/**
 * Classes a camera's sure call of a slot must move, the cell's count not moving at all, for a
 * stuck cell whether or not the camera ever agreed with the cell (it may read this slot a
 * class off: its change is the evidence). In replays of eight seeds of vision-faults-gm it
 * found 3 more of 87 stuck cells at no more false findings, once a cell reading 0 was left out
 * where the grams are not known (a drifted cell held at zero reads 0 whatever is put on it: a
 * fault, but a drift; where they are known, its grams move and it is not taken for stuck).
 */
export const MOVE_CLASSES = 1;
/**
 * Lit frames in a row of a steady empty against a cell at half or more for hidden stock (2
 * hours at the 30-minute frames of vision-faults-gm: a board set up in the afternoon is seen
 * before the lights go off).
 */
export const HIDDEN_FRAMES = 4;
/**
 * Readings in a row of one value (to 0.1 g, as the device rule compares them) that make a
 * cell's reading frozen: a live cell's noise moves its reading, a stuck one repeats it (the
 * device rule's `stuckRepeats`, 30 by default). A camera then sure of another class than the
 * frozen count's, in a run begun after the reading took its frozen value, finds the stuck
 * cell though it never agreed with the cell nor saw the stock move. A reading of exactly 0 g
 * is left out: a cell clamped at zero repeats it while it works. The rule rests on the cell's
 * noise, as the device rule does: a cell whose firmware holds a steady reading (a dead band)
 * would repeat one on an untouched slot.
 */
export const FROZEN_READINGS = 30;
/** A camera's steady call contradicts another camera's finding for this long after its latest frame of the slot, ms: one that stopped sending (moved, offline) no longer vetoes. */
export const VETO_MS = 2 * 60 * 60_000;
/** A cell whose last reading is older than this at a frame is silent, not stuck, ms. */
export const CELL_ALIVE_MS = 10 * 60_000;
/** A frame darker than this share of the brightest its camera has sent is dim (lights off): the fill rules skip it. */
export const DIM_SHARE = 0.6;

export type FindingKind = 'misplaced_product' | 'stuck_load_cell' | 'drifting_load_cell' | 'hidden_stock';
export const FINDING_KINDS: readonly FindingKind[] = ['misplaced_product', 'stuck_load_cell', 'drifting_load_cell', 'hidden_stock'];

/** A disagreement between the camera and the load cell that held over several frames. */
export interface Finding {
  readonly kind: FindingKind;
  readonly slot: string;
  /** Cameras whose frames support it, by id. */
  readonly cameras: readonly string[];
  /** ts of the first and the latest supporting frame, epoch ms. */
  readonly firstTs: number;
  readonly lastTs: number;
  /** Frames that support it. */
  readonly frames: number;
  /** What was seen, in words. */
  readonly evidence: string;
  /** 0 to 0.99: each camera's first supporting frame taken as evidence at the CNN's per-crop precision, its further frames at a quarter of that. */
  readonly confidence: number;
}

/** One slot's camera and cell record. */
export interface SlotFusion {
  readonly slot: string;
  /** Sightings compared with a cell reading. */
  readonly compared: number;
  /** Of those, the CNN's class equal to the cell's. */
  readonly agreed: number;
  /** agreed / compared; NaN when nothing was compared. */
  readonly agreement: number;
  /** The cell's units at the latest event, null before its first reading. */
  readonly units: number | null;
}

export type FusionEvent =
  /** A load cell's units (the twin's count, src/twin/folds.ts `unitsAfter`) at a reading. */
  | {
      readonly type: 'units';
      readonly slot: string;
      readonly ts: number;
      readonly units: number;
      /** The reading the count came from, grams; absent: not known (a stuck cell is then told from hidden stock by the camera alone). */
      readonly grams?: number;
    }
  | { readonly type: 'sighting'; readonly sighting: SlotSighting };

/** How much one camera's supporting frame is worth: the shipped CNN's per-crop precision at a mismatch call, about; a fill call two classes off is rarer than that. */
const FRAME_WORTH: Record<FindingKind, number> = { misplaced_product: 0.5, stuck_load_cell: 0.6, drifting_load_cell: 0.6, hidden_stock: 0.6 };

const classIndex = (f: FillLabel) => FILL_LABELS.indexOf(f);

/** A sure run's class as a camera last saw it: when, and the cell's count then. */
interface SureSeen {
  readonly fill: FillLabel;
  ts: number;
  readonly units: number | null;
}

/** One camera's record of one slot. */
interface Run {
  /** ts of this camera's latest frame of the slot, dim or lit. */
  last: number;
  /** The current run of confident calls of one fill class: the class (null: none), how many, the first's ts. */
  fill: FillLabel | null;
  count: number;
  first: number;
  /** The current run of sure calls (SURE_PROB) of one class in lit frames: the class (null: none), how many, the first's ts. */
  sure: FillLabel | null;
  sureCount: number;
  sureFirst: number;
  /** The class of this camera's latest sure run (STEADY_FRAMES sure calls), when it was last seen so and the cell's count then; and the sure class before that one. */
  sureSeen: SureSeen | null;
  surePrev: SureSeen | null;
  /** Sure calls in a row (SURE_PROB, lit frames) of another class than the live cell's, and the first's ts. */
  sureOff: number;
  sureOffFirst: number;
  /** Match probabilities of this camera's earlier sightings of the slot, not in a drop, by light band and fill class called (`${band}/${fill}`), newest last. */
  readonly record: Map<string, number[]>;
  /** ts of this camera's latest lit frame of the slot that counted as nothing misplaced: empty, no drop, or a drop with no put before it (the view's own). */
  normalAt: number;
  /** The fill class confidently called (FILL_PROB) at the latest such frame; null before one. */
  normalFill: FillLabel | null;
  /** The cell's count at that frame. */
  normalUnits: number | null;
  /** Lit frames without a drop since the latest put (Track putAt), and the putAt they count from. */
  normalsSincePut: number;
  putSeen: number;
  /** Frames in a row with a drop, and the first's and last's ts. */
  mismatches: number;
  mismatchFirst: number;
  mismatchLast: number;
  /** Frames in a row seen empty while the cell says half or more, and the first's ts. */
  emptyRun: number;
  emptyFirst: number;
  /** The count jumped (PUT_UNITS or more at once) since this camera's last agreement and before the run's second frame: the view changed with a pick or a put, so the run is no hidden stock. */
  emptyAfterJump: boolean;
  /** This camera's steady class has agreed with the cell on the slot; the latest frame it did (never cleared). */
  agreed: boolean;
  agreedLast: number;
  /** The latest frame at which this camera's steady class agreed with the cell: its ts, the cell's units and the class; null once the camera's steady class moved off it. */
  agreedAt: { readonly ts: number; readonly units: number; readonly fill: FillLabel } | null;
}

/** A finding still gathering frames. */
interface Open {
  kind: FindingKind;
  cameras: Set<string>;
  firstTs: number;
  lastTs: number;
  frames: number;
  evidence: string;
}

/** Everything fusion knows of one slot. */
interface Track {
  readonly slot: string;
  readonly capacity: number;
  units: number | null;
  /** ts of the reading that set the current count. */
  unitsSince: number;
  /** ts of the latest reading. */
  readingTs: number;
  /** The latest reading, grams (FusionEvent `grams`), and the ts of the latest one that differed from the one before: a live cell's noise moves it, a stuck cell repeats one reading. */
  grams: number | null;
  gramsMovedAt: number;
  /** Readings in a row at exactly the latest reading's grams, and the first one's ts. */
  gramsSame: number;
  gramsSince: number;
  compared: number;
  agreed: number;
  /** Per camera: the current run of one fill class, and of mismatches. */
  readonly runs: Map<string, Run>;
  /** The CNN's steady class agreed with the cell since the count last changed: when it was seen. */
  agreedSince: number | null;
  /** Per camera, the latest frame at which its sure run (STEADY_FRAMES or more) agreed with the cell since the count last changed. */
  readonly sureAgreed: Map<string, number>;
  /** Per camera, the latest frame at which its sure run agreed with the cell, and the cell's units then (kept across count changes). */
  readonly sureAt: Map<string, { ts: number; units: number }>;
  readonly open: Map<FindingKind, Open>;
  /** ts of the latest put (the count up PUT_UNITS or more at once) that left the count over what the slot holds (`overCapacity`); null while the count is not over. */
  heavyPut: number | null;
  /** ts of the latest put (the count up PUT_UNITS or more at once). */
  putAt: number;
  /** ts of the latest jump of the count, PUT_UNITS or more at once either way (a put or a pick, not a drift). */
  jumpAt: number;
  /** Per camera, its lit frames since that put that saw stock on the slot (a confident call other than empty): how many, the first's ts. */
  readonly heavySeen: Map<string, { n: number; first: number }>;
  /** A misplaced finding rests on the weight (`heavy`): it stays open while the count stays over. */
  heavy: boolean;
}

export class Fusion {
  private readonly tracks = new Map<string, Track>();
  private readonly closed: Finding[] = [];
  /** Each camera's brightest frame so far (SlotSighting `light`). */
  private readonly brightest = new Map<string, number>();

  constructor(readonly layout: LayoutIndex) {}

  /** One event, in arrival order. Events for slots the layout lacks are ignored. */
  add(e: FusionEvent): void {
    if (e.type === 'units') this.units(e.slot, e.ts, e.units, e.grams);
    else this.sighting(e.sighting);
  }

  units(slot: string, ts: number, units: number, grams?: number): void {
    const t = this.track(slot);
    if (!t) return;
    if (grams !== undefined) {
      if (t.grams !== null && grams !== t.grams) {
        t.gramsMovedAt = Math.max(t.gramsMovedAt, ts);
        // A stuck cell repeats one reading: one that moves is not stuck (any more).
        this.close(t, 'stuck_load_cell');
      }
      // Compared to 0.1 g, as the device rule compares readings.
      if (t.grams !== null && Math.round(grams * 10) === Math.round(t.grams * 10)) t.gramsSame++;
      else Object.assign(t, { gramsSame: 1, gramsSince: ts });
      t.grams = grams;
    }
    if (t.units !== units) {
      const put = t.units !== null && units >= t.units + PUT_UNITS;
      if (put && t.open.has('misplaced_product')) {
        // A put onto a slot already flagged is a new event (who put what, when): the finding
        // so far closes and fresh frames judge what is there now.
        this.close(t, 'misplaced_product');
        for (const r of t.runs.values()) r.mismatches = 0;
      }
      if (put) t.putAt = ts;
      if (t.units !== null && Math.abs(units - t.units) >= PUT_UNITS) {
        t.jumpAt = ts;
        // A run of empty frames that began with the jump (its reading may arrive just after the frame that saw the pick) is the pick's, not hidden stock; a pick later in the run did not change the view.
        for (const r of t.runs.values()) if (r.emptyRun === 1) r.emptyAfterJump = true;
      }
      if (put || !overCapacity(units, t.capacity)) {
        // The weight's case starts again from this put, or is over with the count back within the slot.
        t.heavyPut = put && overCapacity(units, t.capacity) ? ts : null;
        t.heavySeen.clear();
        if (t.heavy) {
          t.heavy = false;
          if ([...t.runs.values()].every((r) => r.mismatches === 0)) this.close(t, 'misplaced_product');
        }
      }
      t.units = units;
      t.unitsSince = ts;
      t.agreedSince = null;
      t.sureAgreed.clear();
      // The count moved: a stuck finding is over.
      this.close(t, 'stuck_load_cell');
    }
    t.readingTs = Math.max(t.readingTs, ts);
  }

  sighting(s: SlotSighting): void {
    const t = this.track(s.slot);
    if (!t) return;
    let run = t.runs.get(s.camera);
    if (!run) {
      run = { last: s.ts, fill: null, count: 0, first: s.ts, sure: null, sureCount: 0, sureFirst: s.ts, sureSeen: null, surePrev: null, sureOff: 0, sureOffFirst: s.ts, record: new Map(), normalAt: -Infinity, normalFill: null, normalUnits: null, normalsSincePut: 0, putSeen: -Infinity, mismatches: 0, mismatchFirst: s.ts, mismatchLast: s.ts, emptyRun: 0, emptyFirst: s.ts, emptyAfterJump: false, agreed: false, agreedLast: -Infinity, agreedAt: null };
      t.runs.set(s.camera, run);
    }
    run.last = Math.max(run.last, s.ts);
    const dim = this.dim(s);
    if (!dim) this.heavy(t, s);
    this.misplaced(t, run, s, dim);
    if (dim) return;
    // The steady-class run: a confident call of the same class extends it.
    if (s.fillProb >= FILL_PROB && s.fill === run.fill) run.count++;
    else if (s.fillProb >= FILL_PROB) Object.assign(run, { fill: s.fill, count: 1, first: s.ts });
    else Object.assign(run, { fill: null, count: 0 });
    if (s.fillProb >= SURE_PROB && s.fill === run.sure) run.sureCount++;
    else if (s.fillProb >= SURE_PROB) Object.assign(run, { sure: s.fill, sureCount: 1, sureFirst: s.ts });
    else Object.assign(run, { sure: null, sureCount: 0 });
    if (run.sure !== null && run.sureCount >= STEADY_FRAMES) {
      if (run.sureSeen?.fill === run.sure) run.sureSeen.ts = s.ts;
      else {
        run.surePrev = run.sureSeen;
        run.sureSeen = { fill: run.sure, ts: s.ts, units: t.units };
      }
    }
    if (t.units === null) {
      run.sureOff = 0;
      return;
    }
    const alive = s.ts - t.readingTs <= CELL_ALIVE_MS;
    const cell = fillClass(t.units, t.capacity) as FillLabel;
    // Sure calls in a row of another class than a live cell's.
    if (alive && s.fillProb >= SURE_PROB && s.fill !== cell) {
      if (run.sureOff === 0) run.sureOffFirst = s.ts;
      run.sureOff++;
    } else run.sureOff = 0;
    t.compared++;
    if (cell === s.fill) t.agreed++;
    if (!alive) return;
    const steady = run.count >= STEADY_FRAMES ? run.fill : null;
    this.stuck(t, s, cell, steady, run);
    this.drifting(t, s, cell, steady, run);
    this.hidden(t, s, cell, run);
  }

  /** The sighting's frame is dim for its camera (DIM_SHARE); also keeps the camera's brightest. */
  private dim(s: SlotSighting): boolean {
    if (s.light === undefined) return false;
    const top = Math.max(this.brightest.get(s.camera) ?? 0, s.light);
    this.brightest.set(s.camera, top);
    return s.light < DIM_SHARE * top;
  }

  private misplaced(t: Track, run: Run, s: SlotSighting, dim: boolean): void {
    if (t.putAt !== run.putSeen) Object.assign(run, { putSeen: t.putAt, normalsSincePut: 0 });
    if (s.fill === 'empty') {
      // Nothing misplaced on an empty slot: a confident empty in a lit frame ends the run, and a finding once every camera's run is over.
      if (dim || s.fillProb < FILL_PROB) return;
      run.mismatches = 0;
      this.normal(t, run, s);
      if (!t.heavy && [...t.runs.values()].every((r) => r.mismatches === 0)) this.close(t, 'misplaced_product');
      return;
    }
    const like = `${lightBand(s.light)}/${s.fill}`;
    let record = run.record.get(like);
    if (!record) run.record.set(like, (record = []));
    // A drop starts a run only if something may have been put on the slot since this camera
    // last saw it right: the count is higher than then, or a put came within the camera's last
    // PUT_GRACE_FRAMES frames, or the camera confidently calls the slot fuller. Else it is the
    // view's own (the hour's light, a person in front) and joins the record.
    const rose = t.units !== null && run.normalUnits !== null && t.units > run.normalUnits;
    const justPut = t.putAt > -Infinity && run.normalsSincePut < PUT_GRACE_FRAMES;
    const fuller = run.normalFill !== null && s.fillProb >= FILL_PROB && classIndex(s.fill) > classIndex(run.normalFill);
    // A fall under MISPLACED_FLOOR from a record that calls the slot a clear match (CLEAR_RECORD)
    // needs no put: the cell may have missed a light one, or be stuck.
    const clearFall = s.matchProb < MISPLACED_FLOOR && record.length >= BASELINE_FRAMES && baseline(record) >= CLEAR_RECORD;
    const fresh = run.mismatches > 0 || rose || justPut || fuller || clearFall;
    if (!drop(record, s) || !fresh) {
      run.mismatches = 0;
      if (!dim) this.normal(t, run, s);
      record.push(s.matchProb);
      if (record.length > BASELINE_KEEP) record.shift();
      // Every camera's run must be over for the finding to close: this one is.
      if (!t.heavy && [...t.runs.values()].every((r) => r.mismatches === 0)) this.close(t, 'misplaced_product');
      return;
    }
    if (run.mismatches === 0) run.mismatchFirst = s.ts;
    run.mismatches++;
    run.mismatchLast = s.ts;
    const open = t.open.get('misplaced_product');
    if (open) return this.extend(open, s.camera, s.ts);
    const others = [...t.runs].filter(([c, r]) => c !== s.camera && r.mismatches >= 2 && s.ts - r.mismatchLast <= MISPLACED_PAIR_MS);
    if (run.mismatches >= MISPLACED_FRAMES || (run.mismatches >= 2 && others.length > 0)) {
      const cams = [s.camera, ...others.map(([c]) => c)];
      const first = Math.min(run.mismatchFirst, ...others.map(([, r]) => r.mismatchFirst));
      const frames = run.mismatches + others.reduce((n, [, r]) => n + r.mismatches, 0);
      this.openFinding(t, 'misplaced_product', cams, first, s.ts, frames, `the CNN sees another SKU than ${s.plannedSku} on the slot (match ${s.matchProb.toFixed(2)}, ${record.length >= BASELINE_FRAMES ? `usually ${baseline(record).toFixed(2)} or more` : `under ${MISPLACED_FLOOR}; no record yet in this light at this fill`})`);
    }
  }

  /** A lit frame of the slot without a drop: what the camera saw, to tell a later drop's put from the view's own. */
  private normal(t: Track, run: Run, s: SlotSighting): void {
    run.normalAt = s.ts;
    run.normalUnits = t.units;
    run.normalsSincePut++;
    if (s.fillProb >= FILL_PROB) run.normalFill = s.fill;
  }

  /** A put took the count over what the slot holds and a camera steadily sees stock there since: what was put weighs more than the planned SKU. */
  private heavy(t: Track, s: SlotSighting): void {
    const put = t.heavyPut;
    if (put === null || s.ts <= put || s.fillProb < FILL_PROB) return;
    if (s.fill === 'empty') {
      // Seen empty: this camera's case is over, and the finding's once no camera still sees stock there.
      t.heavySeen.delete(s.camera);
      if (![...t.heavySeen.values()].some((x) => x.n >= STEADY_FRAMES)) t.heavy = false;
      return;
    }
    const seen = t.heavySeen.get(s.camera) ?? { n: 0, first: s.ts };
    seen.n++;
    t.heavySeen.set(s.camera, seen);
    if (seen.n < STEADY_FRAMES) return;
    t.heavy = true;
    const open = t.open.get('misplaced_product');
    if (open) return this.extend(open, s.camera, s.ts);
    this.openFinding(t, 'misplaced_product', [s.camera], seen.first, s.ts, seen.n,
      `the load cell reads ${t.units} units of ${s.plannedSku} on a slot that holds ${t.capacity} since a put at ${new Date(put).toISOString()}, and the CNN sees stock there (${s.fill}): what was put weighs more than ${s.plannedSku}`);
  }

  private stuck(t: Track, s: SlotSighting, cell: FillLabel, steady: FillLabel | null, run: Run): void {
    if (run.sureCount >= STEADY_FRAMES && run.sure === cell) {
      t.sureAgreed.set(s.camera, s.ts);
      t.sureAt.set(s.camera, { ts: s.ts, units: t.units! });
    }
    if (steady === null) return;
    if (steady === cell) {
      run.agreed = true;
      run.agreedLast = s.ts;
      t.agreedSince ??= run.first;
      const open = t.open.get('stuck_load_cell');
      if (open) this.close(t, 'stuck_load_cell');
      return;
    }
    const open = t.open.get('stuck_load_cell');
    if (open) return this.extend(open, s.camera, s.ts);
    if (t.open.has('drifting_load_cell')) return;
    // A reading that moved since the camera began to disagree is a live cell's: the stock is hidden from the camera, not on a stuck cell.
    if (t.gramsMovedAt >= run.first) return;
    const prev = run.surePrev;
    // The camera's sure class moved while the count stood still since it was sure of the old one.
    const moved = prev !== null && run.sure === steady && run.sureCount >= NEAR_FRAMES && prev.units === t.units && (t.units! > 0 || t.grams !== null) && t.unitsSince < prev.ts && Math.abs(classIndex(steady) - classIndex(prev.fill)) >= MOVE_CLASSES;
    if (moved && !this.seenSteadily(t, run, cell, s.ts)) {
      return this.openFinding(t, 'stuck_load_cell', [s.camera], run.sureFirst, s.ts, run.sureCount,
        `the load cell has read ${t.units} units (${cell}) since ${new Date(t.unitsSince).toISOString()}; the CNN was sure of ${prev.fill} at that count, and is now as sure of ${steady} (${run.sureCount} frames in a row at ${SURE_PROB} or more)`);
    }
    // The reading froze (FROZEN_READINGS the same) before the camera became sure of another class.
    const frozen = t.grams !== null && t.grams !== 0 && t.gramsSame >= FROZEN_READINGS && t.gramsSince < run.sureFirst && run.sure === steady && run.sureCount >= NEAR_FRAMES;
    if (frozen && !this.seenSteadily(t, run, cell, s.ts)) {
      return this.openFinding(t, 'stuck_load_cell', [s.camera], run.sureFirst, s.ts, run.sureCount,
        `the load cell has repeated one reading (${t.grams} g: ${t.units} units, ${cell}) ${t.gramsSame} times since ${new Date(t.gramsSince).toISOString()}; the CNN is sure of ${steady} (${run.sureCount} frames in a row at ${SURE_PROB} or more)`);
    }
    if (t.agreedSince === null || run.first <= t.agreedSince) return;
    // A neighbouring class counts only when this camera was sure of the cell's class and is now as sure of the next for NEAR_FRAMES frames.
    const sureAt = t.sureAgreed.get(s.camera);
    const near = sureAt !== undefined && run.sure === steady && run.sureCount >= NEAR_FRAMES && run.sureFirst > sureAt;
    if (Math.abs(classIndex(steady) - classIndex(cell)) < STUCK_CLASSES && !near) return;
    // Another camera that steadily sees what the cell says contradicts it.
    if (this.seenSteadily(t, run, cell, s.ts)) return;
    this.openFinding(t, 'stuck_load_cell', [s.camera], run.first, s.ts, run.count,
      `the load cell has read ${t.units} units (${cell}) since ${new Date(t.unitsSince).toISOString()}; the CNN saw ${cell}, then ${steady}${near ? ` (${run.sureCount} frames in a row at ${SURE_PROB} or more)` : ''}`);
  }

  private drifting(t: Track, s: SlotSighting, cell: FillLabel, steady: FillLabel | null, run: Run): void {
    if (steady === null) return;
    const open = t.open.get('drifting_load_cell');
    if (steady === cell) {
      run.agreedAt = { ts: s.ts, units: t.units!, fill: steady };
      // Agreeing at this count, though not surely, the camera's older sure agreement is no longer where a slide starts.
      if (t.sureAt.get(s.camera)?.units !== t.units) t.sureAt.delete(s.camera);
      if (open) this.close(t, 'drifting_load_cell');
      return;
    }
    const agreed = run.agreedAt;
    // The camera's steady class moved off the one it agreed at: it saw the stock change.
    if (agreed && agreed.fill !== steady) run.agreedAt = null;
    if (open) return this.extend(open, s.camera, s.ts);
    // A stuck cell is the other reading of the same disagreement: one finding at a time.
    if (t.open.has('stuck_load_cell')) return;
    // A class away: the camera was sure of the cell's class A, the count has slid PUT_UNITS or
    // more since (no jump) out of A, and the camera is as sure, for NEAR_FRAMES frames, of a
    // class on A's side of the cell's (it may have moved too: a sale beside the drift).
    const at = t.sureAt.get(s.camera);
    const was = at ? (fillClass(at.units, t.capacity) as FillLabel) : null;
    const side = (f: FillLabel) => Math.sign(classIndex(f) - classIndex(cell));
    const sureOff = Math.min(run.sureCount, run.sureOff);
    if (at && was !== null && was !== cell && side(steady) === side(was) && Math.abs(t.units! - at.units) >= PUT_UNITS && t.jumpAt < at.ts && run.sure === steady && sureOff >= NEAR_FRAMES
      && !this.seenSteadily(t, run, cell, s.ts)) {
      this.openFinding(t, 'drifting_load_cell', [s.camera], run.sureOffFirst, s.ts, sureOff,
        `the load cell slid from ${at.units} units to ${t.units} (${cell}) since ${new Date(at.ts).toISOString()}, when the CNN was sure of ${was}; it is now as sure of ${steady} (${sureOff} frames in a row at ${SURE_PROB} or more)`);
      return;
    }
    if (!run.agreedAt || run.agreedAt.units === t.units) return;
    // A drift slides; a count that jumped since is a put or a pick the camera did not see (a blind view), not a drift.
    if (t.jumpAt >= run.agreedAt.ts) return;
    if (Math.abs(classIndex(steady) - classIndex(cell)) < STUCK_CLASSES) return;
    if (this.seenSteadily(t, run, cell, s.ts)) return;
    const from = run.agreedAt;
    this.openFinding(t, 'drifting_load_cell', [s.camera], s.ts, s.ts, 1,
      `the load cell went from ${from.units} units (${steady}) to ${t.units} (${cell}) since ${new Date(from.ts).toISOString()} while the CNN kept seeing ${steady}`);
  }

  private hidden(t: Track, s: SlotSighting, cell: FillLabel, run: Run): void {
    const cellHalf = classIndex(cell) >= classIndex('half');
    if (s.fill === 'empty' && s.fillProb >= FILL_PROB && cellHalf) {
      if (run.emptyRun === 0) {
        run.emptyFirst = s.ts;
        run.emptyAfterJump = t.jumpAt > run.agreedLast;
      }
      run.emptyRun++;
    } else {
      run.emptyRun = 0;
      if (t.open.has('hidden_stock') && [...t.runs.values()].every((r) => r.emptyRun === 0)) this.close(t, 'hidden_stock');
      return;
    }
    const open = t.open.get('hidden_stock');
    if (open) return this.extend(open, s.camera, s.ts);
    if (run.emptyRun < HIDDEN_FRAMES || !run.agreed || run.emptyAfterJump || t.open.has('stuck_load_cell') || t.open.has('drifting_load_cell')) return;
    // Another camera that steadily sees what the cell says sees the stock: it is not hidden.
    if (this.seenSteadily(t, run, cell, s.ts)) return;
    this.openFinding(t, 'hidden_stock', [s.camera], run.emptyFirst, s.ts, run.emptyRun, `the load cell says ${t.units} units (${cell}); the CNN sees the slot empty`);
  }

  /** Another camera than `run`'s steadily sees `fill` on the slot, and has sent a frame of it within VETO_MS of `ts`: it contradicts a finding that says otherwise. */
  private seenSteadily(t: Track, run: Run, fill: FillLabel, ts: number): boolean {
    return [...t.runs.values()].some((r) => r !== run && r.count >= STEADY_FRAMES && r.fill === fill && ts - r.last <= VETO_MS);
  }

  private openFinding(t: Track, kind: FindingKind, cameras: string[], firstTs: number, lastTs: number, frames: number, evidence: string): void {
    t.open.set(kind, { kind, cameras: new Set(cameras), firstTs, lastTs, frames, evidence });
  }

  private extend(o: Open, camera: string, ts: number): void {
    // A frame counts once, though two rules see it.
    if (o.lastTs === ts && o.cameras.has(camera)) return;
    o.cameras.add(camera);
    o.lastTs = Math.max(o.lastTs, ts);
    o.frames++;
  }

  private close(t: Track, kind: FindingKind): void {
    const o = t.open.get(kind);
    if (!o) return;
    t.open.delete(kind);
    this.closed.push(finding(t.slot, o));
  }

  private track(slot: string): Track | undefined {
    let t = this.tracks.get(slot);
    if (!t) {
      const s = this.layout.slots.get(slot);
      if (!s) return undefined;
      t = { slot, capacity: s.capacity, units: null, unitsSince: -Infinity, readingTs: -Infinity, grams: null, gramsMovedAt: -Infinity, gramsSame: 0, gramsSince: -Infinity, compared: 0, agreed: 0, runs: new Map(), agreedSince: null, sureAgreed: new Map(), sureAt: new Map(), open: new Map(), heavyPut: null, putAt: -Infinity, jumpAt: -Infinity, heavySeen: new Map(), heavy: false };
      this.tracks.set(slot, t);
    }
    return t;
  }

  /** Every finding so far, closed and still open, by first ts, then slot and kind. */
  findings(): Finding[] {
    const open = [...this.tracks.values()].flatMap((t) => [...t.open.values()].map((o) => finding(t.slot, o)));
    return [...this.closed, ...open].sort((a, b) => a.firstTs - b.firstTs || (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  }

  /** The kinds of finding open on a slot now (their evidence still coming), in FINDING_KINDS order. */
  openOn(slot: string): FindingKind[] {
    const t = this.tracks.get(slot);
    return t ? FINDING_KINDS.filter((k) => t.open.has(k)) : [];
  }

  /** Per slot with a sighting or a reading, by slot id. */
  slots(): SlotFusion[] {
    return [...this.tracks.values()]
      .map((t) => ({ slot: t.slot, compared: t.compared, agreed: t.agreed, agreement: t.compared ? t.agreed / t.compared : NaN, units: t.units }))
      .sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0));
  }
}

/**
 * Frames of about the same brightness: half-octave steps of the mean level, so that the
 * lights coming on (a frame-wide change in how every slot looks) is a new band, not a drop.
 */
export function lightBand(light: number | undefined): number {
  return light === undefined ? 0 : Math.round(2 * Math.log2(Math.max(light, 1 / 256)));
}

/** A count this far over what the slot holds (HEAVY_SHARE of capacity, and PUT_UNITS more) is more weight than the slot's SKU can put there. */
export function overCapacity(units: number, capacity: number): boolean {
  return units > Math.max(capacity * HEAVY_SHARE, capacity + PUT_UNITS);
}

/** The sighting's match probability is a drop: under MISPLACED_FLOOR, or well under the camera's record of the slot in like light and fill. */
function drop(record: readonly number[], s: SlotSighting): boolean {
  if (s.match) return false;
  if (s.matchProb < MISPLACED_FLOOR) return true;
  if (record.length < BASELINE_FRAMES) return false;
  return s.matchProb < baseline(record) - MISPLACED_DROP;
}

/** The low fifth of a camera's record of match probabilities. */
function baseline(record: readonly number[]): number {
  return [...record].sort((a, b) => a - b)[Math.floor(record.length * 0.2)]!;
}

function finding(slot: string, o: Open): Finding {
  // Frames of one camera share its view's bias: past the first, each counts a quarter.
  const confidence = Math.min(0.99, 1 - (1 - FRAME_WORTH[o.kind]) ** (o.cameras.size + 0.25 * (o.frames - o.cameras.size)));
  return { kind: o.kind, slot, cameras: [...o.cameras].sort(), firstTs: o.firstTs, lastTs: o.lastTs, frames: o.frames, evidence: o.evidence, confidence: Math.round(confidence * 1000) / 1000 };
}
