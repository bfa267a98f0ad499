/**
 * Rule evaluation, events per second on one core, beside ingest's rate in the same run (the
 * rules must keep up with what ingest accepts): the RuleEngine fed already-parsed events,
 * on ingest's recorded-like message mix and on a simulated day of the theft-heavy scenario
 * (real 60 s heartbeats, bookings minutes late, thefts and walk-outs to find).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText } from '../sim/scenario/parseScenario';
import { Simulator } from '../sim/Simulator';
import { ContractReader } from '../src/contract/ContractReader';
import type { TwinEvent } from '../src/contract/messages';
import { parseRecordingLine } from '../src/contract/recording';
import { Ingest } from '../src/ingest/Ingest';
import { RuleEngine } from '../src/rules/RuleEngine';
import { bestOf, type Benchmark } from './harness';
import { benchLayout } from './ingest.bench';
import { messageMix } from './messageMix';

const N = 300_000;

export const rulesBench: Benchmark = {
  id: 'rules',
  run() {
    const layout = benchLayout();
    const mix = messageMix(layout, N, 1);
    const ingestMs = bestOf(3, () => {
      const ingest = new Ingest(layout);
      for (const m of mix) ingest.push(m);
    });
    const ingestRate = (N / ingestMs) * 1000;

    const reader = new ContractReader(layout);
    const mixEvents: TwinEvent[] = [];
    for (const m of mix) {
      const out = reader.read(m);
      if (out.status === 'accepted') mixEvents.push(out.event);
    }
    const rate = (events: readonly TwinEvent[]) => {
      const ms = bestOf(3, () => {
        const engine = new RuleEngine(layout);
        engine.push(events);
        engine.finish();
      });
      return (events.length / ms) * 1000;
    };
    const mixRate = rate(mixEvents);

    const sr = parseScenarioText(readFileSync(join(import.meta.dirname, '../scenarios/theft-heavy-gm.scenario.json'), 'utf8'));
    if (!sr.ok) throw new Error('theft-heavy-gm is not valid');
    const dayReader = new ContractReader(layout);
    const day: TwinEvent[] = [];
    let line = 0;
    new Simulator(layout, { ...sr.scenario, days: 1 }, {
      recording: (l) => {
        const r = parseRecordingLine(l, ++line, 0);
        const out = r.ok ? dayReader.read(r.message) : undefined;
        if (out?.status === 'accepted') day.push(out.event);
      },
    }).run();
    const dayRate = rate(day);
    return [
      { name: `ingest: parse+validate+apply, same run (${N.toLocaleString('en-US')} msgs)`, value: ingestRate, unit: 'msg/s' },
      { name: 'rules over ingest\'s message mix', value: mixRate, unit: 'events/s', target: { atLeast: ingestRate }, note: `${(mixRate / ingestRate).toFixed(1)}x ingest` },
      { name: `rules over a simulated day, theft-heavy-gm (${day.length.toLocaleString('en-US')} events)`, value: dayRate, unit: 'events/s', target: { atLeast: ingestRate }, note: `${(dayRate / ingestRate).toFixed(1)}x ingest` },
    ];
  },
};
