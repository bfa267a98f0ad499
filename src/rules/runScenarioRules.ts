/**
 * A scenario run in memory with the rules over it: the simulator's recording lines go
 * through the contract reader (what ingest accepts is what the rules see) into a
 * RuleEngine, and the incidents come back with the truth beside them. What `twin score
 * --scenario` and the scenario score tests run. Pure: no files, no DOM.
 */
import { Simulator } from '../../sim/Simulator';
import type { Scenario } from '../../sim/scenario/Scenario';
import type { TruthRecord } from '../../sim/world/Truth';
import { ContractReader } from '../contract/ContractReader';
import { parseRecordingLine } from '../contract/recording';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Incident } from './Incident';
import { mergeIncidents } from './mergeIncidents';
import { RuleEngine } from './RuleEngine';
import { DEFAULT_RULES, type Rules } from './Rules';

export interface ScenarioRulesRun {
  readonly incidents: Incident[];
  readonly truth: readonly TruthRecord[];
  /** Events the rules evaluated. */
  readonly events: number;
  readonly start: number;
  readonly end: number;
}

export function runScenarioRules(layout: LayoutIndex, scenario: Scenario, rules: Rules = DEFAULT_RULES): ScenarioRulesRun {
  const reader = new ContractReader(layout);
  const engine = new RuleEngine(layout, rules);
  let line = 0;
  const sim = new Simulator(layout, scenario, {
    recording: (l) => {
      const r = parseRecordingLine(l, ++line, 0);
      if (!r.ok) return;
      const out = reader.read(r.message);
      if (out.status === 'accepted') engine.pushOne(out.event);
    },
  });
  sim.run();
  engine.finish();
  return { incidents: mergeIncidents(engine.alerts, rules), truth: sim.truth, events: engine.evaluated, start: sim.start, end: sim.end };
}
