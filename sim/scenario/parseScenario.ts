/**
 * Reads a scenario file and either accepts it whole or lists every problem (path and
 * reason), like layouts. Unknown fields are problems too: a misspelt rate would otherwise
 * silently fall back to its default.
 */
import { at, parseJsonText, Problems, readArray, readNumber, readObject, readString } from '../../src/core/fields';
import { HHMM_PATTERN } from '../../src/core/patterns';
import { SCENARIO_DEFAULTS, type RecordErrorCut, type Scenario, type Shift, type TheftCut } from './Scenario';

export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; problems: { path: string; reason: string }[] };

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const HHMM = HHMM_PATTERN;

function unknownKeys(p: Problems, path: string, o: Record<string, unknown>, known: readonly string[]): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) p.add(at(path, k), `is not a scenario field (known here: ${known.join(', ')})`);
}

function withoutLag<T extends { postingLagMinutes: unknown }>(s: T): Omit<T, 'postingLagMinutes'> {
  const { postingLagMinutes: _, ...rest } = s;
  return rest;
}

export function parseScenarioText(text: string): ScenarioResult {
  const p = new Problems();
  const json = parseJsonText(p, text);
  return p.ok ? parseScenario(json) : { ok: false, problems: p.list };
}

export function parseScenario(json: unknown): ScenarioResult {
  const p = new Problems();
  const o = readObject(p, '', json);
  if (!o) return { ok: false, problems: p.list };
  unknownKeys(p, '', o, ['version', 'name', 'description', 'layout', 'start', 'days', 'seed', 'workload', 'staffing', 'incidents', 'sensors', 'frames', 'theftCut', 'recordErrorCut']);
  if (o.version !== 1) p.add('version', `must be 1, not ${JSON.stringify(o.version)}`);
  const name = readString(p, 'name', o.name, { nonEmpty: true });
  const description = readString(p, 'description', o.description, { optional: true }) ?? SCENARIO_DEFAULTS.description;
  const layout = readString(p, 'layout', o.layout, { nonEmpty: true });
  const start = readString(p, 'start', o.start, { pattern: DATE, patternHint: 'must be a date, YYYY-MM-DD' });
  const days = readNumber(p, 'days', o.days, { integer: true, min: 1, max: 60 });
  const seed = readNumber(p, 'seed', o.seed, { optional: true, integer: true, min: 0, max: 2 ** 32 - 1 }) ?? SCENARIO_DEFAULTS.seed;

  const section = <T extends Record<string, number>>(
    key: string,
    defaults: T,
    limits: Record<keyof T, { min: number; max: number; integer?: boolean }>,
    given?: Record<string, unknown>,
  ): T => {
    const s = given ?? readObject(p, key, o[key], { optional: true }) ?? {};
    unknownKeys(p, key, s, Object.keys(defaults));
    const out: Record<string, number> = {};
    for (const [k, def] of Object.entries(defaults)) out[k] = readNumber(p, at(key, k), s[k], { optional: true, ...limits[k] }) ?? def;
    return out as T;
  };
  const D = SCENARIO_DEFAULTS;
  const workload = section('workload', { ...D.workload }, {
    unitsSoldPerDay: { min: 0, max: 1e6 },
    deliveriesPerWeek: { min: 0, max: 7, integer: true },
    volume: { min: 0, max: 20 },
    openingFill: { min: 0, max: 1 },
    returnsPerDay: { min: 0, max: 10_000 },
    transfersPerWeek: { min: 0, max: 100 },
    countsPerDay: { min: 0, max: 10_000, integer: true },
    damagePerWeek: { min: 0, max: 1000 },
    exceptionCounts: { min: 0, max: 1, integer: true },
  });
  const incidents = section('incidents', { ...D.incidents }, {
    afterHoursTheftPerWeek: { min: 0, max: 100 },
    dockTheftPerWeek: { min: 0, max: 100 },
    shortShipmentRate: { min: 0, max: 1 },
    receivingErrorRate: { min: 0, max: 1 },
    misplacementRate: { min: 0, max: 1 },
    unscannedMoveRate: { min: 0, max: 1 },
    sweetheartingRate: { min: 0, max: 1 },
    phantomReceiptRate: { min: 0, max: 1 },
    cageAccessTheftPerWeek: { min: 0, max: 100 },
    concealmentPerWeek: { min: 0, max: 100 },
  });
  const sensorsObj = readObject(p, 'sensors', o.sensors, { optional: true }) ?? {};
  const { postingLagMinutes: lagValue, ...sensorRest } = sensorsObj;
  const sensorNumbers = section('sensors', { ...withoutLag(D.sensors) }, {
    loadCellNoiseGrams: { min: 0, max: 1000 },
    heartbeatSeconds: { min: 1, max: 60 },
    driftGramsPerDay: { min: -1000, max: 1000 },
    deadCellRate: { min: 0, max: 1 },
    stuckCellRate: { min: 0, max: 1 },
    driftCellRate: { min: 0, max: 1 },
    driftCellGramsPerHour: { min: 0, max: 100_000 },
    rfidReadRate: { min: 0, max: 1 },
    crossReadRate: { min: 0, max: 1 },
    badMessagesPerDay: { min: 0, max: 100_000 },
  }, sensorRest);
  let lag: [number, number] = [...D.sensors.postingLagMinutes];
  if (lagValue !== undefined) {
    const l = lagValue;
    if (!Array.isArray(l) || l.length !== 2 || !l.every((x) => typeof x === 'number' && x >= 0) || l[0] > l[1]) {
      p.add('sensors.postingLagMinutes', 'must be [min, max] minutes, 0 <= min <= max');
    } else lag = [l[0], l[1]];
  }

  const framesObj = readObject(p, 'frames', o.frames, { optional: true });
  const frames = framesObj
    ? section('frames', { ...D.frames }, {
        intervalSeconds: { min: 1, max: 86_400 },
        width: { min: 16, max: 4096, integer: true },
        quality: { min: 1, max: 100, integer: true },
        noise: { min: 0, max: 64 },
        blur: { min: 0, max: 8, integer: true },
        motion: { min: 0, max: 1, integer: true },
        motionGapSeconds: { min: 1, max: 86_400 },
      }, framesObj)
    : undefined;

  /** A pilot's injected cut: { fromDay, share }. */
  const readCut = (key: 'theftCut' | 'recordErrorCut'): TheftCut | RecordErrorCut | undefined => {
    const obj = readObject(p, key, o[key], { optional: true });
    if (!obj) return undefined;
    unknownKeys(p, key, obj, ['fromDay', 'share']);
    const fromDay = readNumber(p, `${key}.fromDay`, obj.fromDay, { integer: true, min: 0, max: 60 });
    const share = readNumber(p, `${key}.share`, obj.share, { min: 0, max: 1 });
    return fromDay !== undefined && share !== undefined ? { fromDay, share } : undefined;
  };
  const theftCut = readCut('theftCut');
  const recordErrorCut = readCut('recordErrorCut');

  const staffingObj = readObject(p, 'staffing', o.staffing, { optional: true });
  let shifts: Shift[] = D.staffing.shifts.map((s) => ({ ...s }));
  if (staffingObj) {
    unknownKeys(p, 'staffing', staffingObj, ['shifts']);
    const arr = readArray(p, 'staffing.shifts', staffingObj.shifts, { minLength: 1 }) ?? [];
    shifts = [];
    arr.forEach((x, i) => {
      const path = at('staffing.shifts', i);
      const s = readObject(p, path, x);
      if (!s) return;
      unknownKeys(p, path, s, ['start', 'end', 'associates', 'supervisors', 'managers']);
      const st = readString(p, at(path, 'start'), s.start, { pattern: HHMM, patternHint: 'must be HH:MM' });
      const en = readString(p, at(path, 'end'), s.end, { pattern: HHMM, patternHint: 'must be HH:MM' });
      const count = (k: string) => readNumber(p, at(path, k), s[k], { optional: k !== 'associates', integer: true, min: 0, max: 200 }) ?? 0;
      const associates = count('associates');
      const supervisors = count('supervisors');
      const managers = count('managers');
      if (st !== undefined && en !== undefined) shifts.push({ start: st, end: en, associates, supervisors, managers });
    });
  }

  if (!p.ok) return { ok: false, problems: p.list };
  return {
    ok: true,
    scenario: {
      version: 1,
      name: name!,
      description,
      layout: layout!,
      start: start!,
      days: days!,
      seed,
      workload,
      staffing: { shifts },
      incidents,
      sensors: { ...sensorNumbers, postingLagMinutes: lag },
      ...(frames ? { frames } : {}),
      ...(theftCut ? { theftCut } : {}),
      ...(recordErrorCut ? { recordErrorCut } : {}),
    },
  };
}
