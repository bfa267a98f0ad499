/**
 * Time travel against the twin: 16 hours of the baseline-gm scenario's first day (heartbeats
 * stretched to 15 minutes) go into an event store, on DuckDB-WASM's Node build and on native
 * DuckDB, in arrival order, and in ts order into a Twin; at whole hours, just after doors
 * opened and at counts, the twin's RoomView (events up to then) must equal roomAt.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../sim/scenario/parseScenario';
import { Simulator } from '../../../sim/Simulator';
import type { TwinEvent } from '../../../src/contract/messages';
import { EventStore } from '../../../src/analytics/EventStore';
import { openDuckDB } from '../../../src/analytics/openDuckDB';
import { openNativeDuckDB } from '../../../src/analytics/openNativeDuckDB';
import type { Query } from '../../../src/analytics/history/historySql';
import { roomAt } from '../../../src/analytics/history/roomAt';
import { Ingest } from '../../../src/ingest/Ingest';
import { LayoutIndex } from '../../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../../src/layout/parseLayout';
import { Twin } from '../../../src/twin/Twin';
import { roomViewOfTwin, type RoomView } from '../../../src/twin/RoomView';
import { STORE_ENGINES, useFilledStore } from '../../fixtures/filledStore';

const ROOT = join(import.meta.dirname, '../../..');
const HOUR = 3_600_000;

let layout: LayoutIndex;
let events: TwinEvent[];
let start: number;

beforeAll(async () => {
  const sr = parseScenarioText(readFileSync(join(ROOT, 'scenarios', 'baseline-gm.scenario.json'), 'utf8'));
  if (!sr.ok) throw new Error('scenario');
  const lr = parseLayoutText(readFileSync(join(ROOT, 'scenarios', sr.scenario.layout), 'utf8'));
  if (!lr.ok) throw new Error('layout');
  layout = new LayoutIndex(lr.layout);
  events = [];
  const ingest = new Ingest(layout, { onEvent: (e) => events.push(e) });
  let line = 0;
  const scenario = { ...sr.scenario, days: 1, sensors: { ...sr.scenario.sensors, heartbeatSeconds: 900 } };
  const sim = new Simulator(layout, scenario, { recording: (l) => ingest.pushLine(l, ++line, 0) });
  start = sim.start;
  for (const _ of sim.steps()) if (sim.now > start + 16 * HOUR) break;
}, 120_000);

function comparable(v: RoomView) {
  return {
    slots: Object.fromEntries([...v.slots].map(([id, s]) => [id, { units: s.units, book: s.book }])),
    openDoors: Object.fromEntries(v.openDoors),
    present: v.present,
    offline: [...v.offline].sort(),
  };
}

describe.each(STORE_ENGINES)('roomAt on %s', (_name, open) => {
  const query = useFilledStore(open, () => layout, () => events, 30_000);
  const q: Query = (sql) => query()(sql);

  it('equals the twin folded up to the same moment', async () => {
    const sorted = [...events].sort((a, b) => a.ts - b.ts);
    const twin = new Twin(layout);
    // Whole hours, and moments just after doors opened (so some stand open) and after counts.
    const opens = sorted.filter((e) => e.type === 'door_state' && e.open);
    const counts = sorted.filter((e) => e.type === 'book' && e.reason === 'count' && e.slot !== undefined);
    const pick = <T>(xs: T[], n: number) => Array.from({ length: n }, (_, k) => xs[Math.floor(((k + 0.5) * xs.length) / n)]!).filter(Boolean);
    const moments = [
      ...[2, 7, 9, 11.5, 14, 15.9].map((h) => start + h * HOUR),
      ...pick(opens, 4).map((e) => e.ts + 1000),
      ...pick(counts, 2).map((e) => e.ts),
    ].sort((a, b) => a - b);
    expect(opens.length).toBeGreaterThan(0);
    let sawOpen = 0;
    let sawBook = 0;
    let i = 0;
    for (const T of moments) {
      while (i < sorted.length && sorted[i]!.ts <= T) twin.apply(sorted[i++]!);
      const state = twin.state;
      const want = comparable(roomViewOfTwin(state));
      expect(comparable(await roomAt(q, layout, state.asOf!)), new Date(T).toISOString()).toEqual(want);
      sawOpen += Object.keys(want.openDoors).length;
      sawBook += Object.values(want.slots).filter((x) => x.book !== null).length;
    }
    expect(sawOpen).toBeGreaterThan(0);
    expect(sawBook).toBeGreaterThan(0);
  });
});
