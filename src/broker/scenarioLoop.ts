/**
 * A scenario played over and over as one continuous history, for `npm start`'s publisher.
 *
 * Loop n runs the simulator again, `days` later than loop n-1 (the next run starts where the
 * last one ended), so `ts` and `received` only move forward; each topic's `seq` carries on
 * from where it stopped. To the twin the loops are one long stream from the same devices:
 * no duplicates, nothing behind its reorder window.
 *
 * A stream played faster than real time runs ahead of the wall clock sooner or later, and
 * the contract quarantines a message more than 24 h ahead of its arrival (`future_ts`). So
 * the first loop is placed in the past (`firstLoopStart`), and no message goes out before
 * the wall clock has reached its `received`: once the simulated clock catches up with the
 * present it plays on in real time.
 */
import type { Scenario } from '../../sim/scenario/Scenario';
import type { RawMessage } from '../contract/messages';
import { addDays, localToUtc } from '../core/zonedTime';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { abortableSleep } from './publishMessages';
import { scenarioMessages, type SkipCount } from './scenarioMessages';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** How long, in wall time, an accelerated run takes to reach the present (a working day). */
export const CATCH_UP_MS = 8 * 3_600_000;
/** The first loop starts at most this far back, whatever the speed. */
export const MAX_BACK_MS = 52 * WEEK_MS;

export interface LoopInfo {
  /** 1 for the first run of the scenario. */
  readonly loop: number;
  /** First local day of this run, and the day after its last, YYYY-MM-DD in the layout's zone. */
  readonly startDate: string;
  readonly endDate: string;
  /** Epoch ms of its start and end (local midnights). */
  readonly start: number;
  readonly end: number;
}

/** Wall-clock time, epoch ms: injected so tests need not wait for the present. */
export interface WallClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface ScenarioLoopOptions {
  /** First local day of the first loop (see firstLoopStart). */
  readonly firstStart: string;
  /** Stop after this many loops; default: never. */
  readonly loops?: number;
  /** Called as each loop begins, before its first message. */
  readonly onLoop?: (info: LoopInfo) => void;
  /** Called once, the first time a message has to wait for the wall clock. */
  readonly onCaughtUp?: () => void;
  readonly clock?: WallClock;
  /** Ends the stream (also while it waits for the wall clock). */
  readonly signal?: AbortSignal;
  readonly counts?: SkipCount;
}

const wallClock: WallClock = { now: () => Date.now(), sleep: abortableSleep };

/**
 * The first day of the first loop: the scenario's own start moved by whole weeks (weekdays
 * and local times of day stay as the scenario has them) so that, at `speed`, the simulated
 * clock reaches the present after about CATCH_UP_MS of wall time, and never starts more than
 * MAX_BACK_MS back. At speed 60 that is 59 x 8 h, about 20 days, back.
 */
export function firstLoopStart(scenario: Pick<Scenario, 'start'>, timezone: string, speed: number, now: number): string {
  const back = Math.min(Math.max(0, (speed - 1) * CATCH_UP_MS), MAX_BACK_MS);
  const start = localToUtc(scenario.start, 0, timezone);
  const weeks = Math.floor((now - back - start) / WEEK_MS);
  return addDays(scenario.start, 7 * weeks);
}

export async function* scenarioLoop(layout: LayoutIndex, scenario: Scenario, options: ScenarioLoopOptions): AsyncGenerator<RawMessage> {
  const { clock = wallClock, signal, loops = Infinity } = options;
  const tz = layout.layout.timezone;
  // Per topic, the last seq published: the next loop's seqs on that topic count on from it.
  const lastSeq = new Map<string, number>();
  let caughtUp = false;
  for (let n = 0; n < loops && !signal?.aborted; n++) {
    const startDate = addDays(options.firstStart, n * scenario.days);
    const endDate = addDays(startDate, scenario.days);
    options.onLoop?.({ loop: n + 1, startDate, endDate, start: localToUtc(startDate, 0, tz), end: localToUtc(endDate, 0, tz) });
    const base = new Map(lastSeq);
    for (const msg of scenarioMessages(layout, { ...scenario, start: startDate }, options.counts)) {
      const wait = msg.received - clock.now();
      if (wait > 0) {
        if (!caughtUp) options.onCaughtUp?.();
        caughtUp = true;
        await clock.sleep(wait, signal);
      }
      if (signal?.aborted) return;
      yield continueSeq(msg, base, lastSeq);
    }
  }
}

/**
 * The message with its `seq` moved on by what its topic reached in earlier loops, and the
 * topic's last seq noted. Payloads that are not JSON objects with a whole `seq` (a frame, a
 * malformed message the scenario injects on purpose) pass as they are.
 */
function continueSeq(msg: RawMessage, base: ReadonlyMap<string, number>, lastSeq: Map<string, number>): RawMessage {
  if (typeof msg.payload !== 'string' || !msg.payload.startsWith('{')) return msg;
  let body: unknown;
  try {
    body = JSON.parse(msg.payload);
  } catch {
    return msg;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return msg;
  const seq = (body as { seq?: unknown }).seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return msg;
  const offset = base.get(msg.topic) ?? 0;
  const moved = seq + offset;
  lastSeq.set(msg.topic, Math.max(moved, lastSeq.get(msg.topic) ?? 0));
  // The first loop goes out byte for byte as `twin simulate` writes it.
  return offset === 0 ? msg : { ...msg, payload: JSON.stringify({ ...(body as object), seq: moved }) };
}
