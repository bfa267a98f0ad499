/**
 * A scenario: which layout, which week, how busy, how many people, how often things go
 * wrong and how good the sensors are. Written by hand as JSON (see scenarios/*.scenario.json);
 * every field but `name`, `layout`, `start` and `days` has a default.
 */
import { MODEL_FRAME_WIDTH } from '../../src/inference/shelfInput';

export interface Shift {
  /** Local "HH:MM" in the layout's time zone; `end` before `start` runs past midnight. */
  readonly start: string;
  readonly end: string;
  readonly associates: number;
  readonly supervisors: number;
  readonly managers: number;
}

/** Camera frames the simulator renders and publishes (sim/render/); absent: none. */
export interface FrameSettings {
  /** Every layout camera publishes a frame this often, seconds. */
  readonly intervalSeconds: number;
  /** Width of a frame in pixels; the height follows the camera's aspect. */
  readonly width: number;
  /** JPEG quality, 1 to 100. */
  readonly quality: number;
  /** Sensor noise, standard deviation in 0-255 steps at full light (more in the dark). */
  readonly noise: number;
  /** Box-blur radius in pixels, 0 for a sharp image. */
  readonly blur: number;
  /** 1: a camera also publishes when a person comes into its view, at most once per `motionGapSeconds`; 0: never. */
  readonly motion: number;
  readonly motionGapSeconds: number;
}

export interface Scenario {
  readonly version: 1;
  readonly name: string;
  readonly description: string;
  /** Path of the layout file, relative to the scenario file. */
  readonly layout: string;
  /** First local day, YYYY-MM-DD, in the layout's time zone. */
  readonly start: string;
  /** Days simulated, 1 to 60. */
  readonly days: number;
  /** Same scenario and seed give byte-identical files. */
  readonly seed: number;
  readonly workload: {
    /** Units sold on an average day at volume 1 across the store (sales follow hour of day). */
    readonly unitsSoldPerDay: number;
    /** Deliveries at the dock a week (at most one a day). */
    readonly deliveriesPerWeek: number;
    /** Multiplies sales and so deliveries and replenishment: 3 for a holiday peak. */
    readonly volume: number;
    /** How full the back-room slots are at the start, 0 to 1. */
    readonly openingFill: number;
    /** Customer returns a day (units back into the back room). */
    readonly returnsPerDay: number;
    /** Transfers a week, each either in from or out to another store. */
    readonly transfersPerWeek: number;
    /** Slots cycle-counted a day (book `count` on the slot). */
    readonly countsPerDay: number;
    /** Damage write-offs a week (booked as adjustments). */
    readonly damagePerWeek: number;
    /** 1: when replenishment finds a SKU short, its slots are counted (at most daily); 0: never. */
    readonly exceptionCounts: number;
  };
  readonly staffing: { readonly shifts: readonly Shift[] };
  readonly incidents: {
    /** An insider picks high-value stock after trading hours, on average this many times a week. */
    readonly afterHoursTheftPerWeek: number;
    /** Stock walked out through the dock door during the day, times a week. */
    readonly dockTheftPerWeek: number;
    /** Share of deliveries short-shipped by the vendor (the receipt books what was counted). */
    readonly shortShipmentRate: number;
    /** Share of delivery lines miscounted at receiving (booked differently from what arrived). */
    readonly receivingErrorRate: number;
    /** Share of putaways placed on a wrong slot. */
    readonly misplacementRate: number;
    /** Share of replenishment picks never booked (phantom stock in the back room's book). */
    readonly unscannedMoveRate: number;
    /** Share of deliveries where the vendor ships less and the receipt books it all (sweethearting). */
    readonly sweetheartingRate: number;
    /** Share of deliveries with a receipt line booked for stock that never arrived. */
    readonly phantomReceiptRate: number;
    /** Someone whose role may not enter the cage takes stock from it, times a week. */
    readonly cageAccessTheftPerWeek: number;
    /**
     * An associate hides a slot's stock from the cameras (a grey board across its face, for
     * 4 to 20 hours) while its load cell still weighs it, times a week; absent: 0. Drawn on a
     * stream of its own: only the frames show it, so a run writes the same other lines with it.
     */
    readonly concealmentPerWeek?: number;
  };
  readonly sensors: {
    /** Standard deviation of load-cell noise in grams. */
    readonly loadCellNoiseGrams: number;
    /** A load cell publishes on change and at least this often (the contract says at most 60 s). */
    readonly heartbeatSeconds: number;
    /** Book movements reach the broker this many minutes after they happen: [min, max]. */
    readonly postingLagMinutes: readonly [number, number];
    /** Slow zero drift of every load cell, grams a day. */
    readonly driftGramsPerDay: number;
    /** Share of load cells that die during the run (status offline, silent after). */
    readonly deadCellRate: number;
    /** Share of load cells that get stuck (keep publishing one reading). */
    readonly stuckCellRate: number;
    /** Share of load cells that start drifting during the run: their reading slides away from the weight on them by driftCellGramsPerHour (a `drift` sensor fault). */
    readonly driftCellRate: number;
    /** How fast a drifting cell's reading slides, grams an hour (down or up, drawn per cell). */
    readonly driftCellGramsPerHour: number;
    /** Chance an RFID tag passing an antenna is read. */
    readonly rfidReadRate: number;
    /** Chance a read is also picked up by a neighbouring antenna of the same reader. */
    readonly crossReadRate: number;
    /** Malformed or invalid messages injected a day (each one is in the truth). */
    readonly badMessagesPerDay: number;
  };
  /** Camera frames; absent (the default): the simulator publishes none. */
  readonly frames?: FrameSettings;
  /** A pilot's injected effect: from a day on, a share of the thefts does not happen; absent (the default): none. */
  readonly theftCut?: TheftCut;
  /** A pilot's injected effect on the records: from a day on, a share of the unscanned moves and misplaced putaways does not happen; absent (the default): none. */
  readonly recordErrorCut?: RecordErrorCut;
}

/**
 * From local midnight of day `fromDay` on, each unscanned move is scanned after all and each
 * misplaced putaway goes to its own slot, with chance `share`: the record errors the devices
 * catch as they happen, so the book stays true. The draws of the errors themselves are
 * unchanged (the calling off uses a stream of its own), as with TheftCut.
 */
export interface RecordErrorCut {
  /** First day the cut applies, 0-based; 0 <= fromDay. */
  readonly fromDay: number;
  /** Share of those errors called off, 0 to 1. */
  readonly share: number;
}

/**
 * From local midnight of day `fromDay` (0 = the first simulated day) on, each after-hours,
 * dock and cage theft due is called off with chance `share`: the theft rates times (1 - share), as the devices would
 * deter. The draws of the thefts themselves are unchanged (the calling off uses a stream of
 * its own), so the same seed with and without the cut gives the same store until the first
 * theft called off: common random numbers for a pilot's counterfactual. Sweethearting, a
 * share of deliveries, is not cut.
 */
export interface TheftCut {
  /** First day the cut applies, 0-based; 0 <= fromDay. */
  readonly fromDay: number;
  /** Share of those thefts called off, 0 to 1. */
  readonly share: number;
}

export const SCENARIO_DEFAULTS = {
  seed: 1,
  description: '',
  workload: { unitsSoldPerDay: 1200, deliveriesPerWeek: 5, volume: 1, openingFill: 0.7, returnsPerDay: 10, transfersPerWeek: 2, countsPerDay: 20, damagePerWeek: 2, exceptionCounts: 1 },
  staffing: {
    shifts: [
      { start: '06:00', end: '14:30', associates: 3, supervisors: 1, managers: 0 },
      { start: '13:30', end: '22:00', associates: 2, supervisors: 0, managers: 1 },
    ],
  },
  incidents: {
    afterHoursTheftPerWeek: 1,
    dockTheftPerWeek: 1,
    shortShipmentRate: 0.1,
    receivingErrorRate: 0.03,
    misplacementRate: 0.02,
    unscannedMoveRate: 0.02,
    sweetheartingRate: 0.02,
    phantomReceiptRate: 0.02,
    cageAccessTheftPerWeek: 0.5,
    concealmentPerWeek: 0,
  },
  sensors: {
    loadCellNoiseGrams: 3,
    heartbeatSeconds: 60,
    postingLagMinutes: [1, 10] as [number, number],
    driftGramsPerDay: 0,
    deadCellRate: 0,
    stuckCellRate: 0,
    driftCellRate: 0,
    driftCellGramsPerHour: 250,
    rfidReadRate: 0.97,
    crossReadRate: 0.02,
    badMessagesPerDay: 0,
  },
  /** Used for the fields a scenario's `frames` leaves out: frames as wide as the shelf CNN reads best. */
  frames: { intervalSeconds: 300, width: MODEL_FRAME_WIDTH, quality: 75, noise: 3, blur: 0, motion: 1, motionGapSeconds: 60 },
} as const;
