/**
 * A scenario's messages as the simulator makes them, one at a time (never a whole run in
 * memory), ready for the publisher: `twin publish --scenario` and `npm start` both feed the
 * broker from here.
 */
import type { Scenario } from '../../sim/scenario/Scenario';
import { simulationLines } from '../../sim/Simulator';
import type { RawMessage } from '../contract/messages';
import { parseRecordingLine } from '../contract/recording';
import type { LayoutIndex } from '../layout/LayoutIndex';

/** Counts lines the simulator wrote that are not recording lines (none, unless it has a bug). */
export interface SkipCount {
  skipped: number;
}

export function* scenarioMessages(layout: LayoutIndex, scenario: Scenario, counts: SkipCount = { skipped: 0 }): Generator<RawMessage> {
  let lineNo = 0;
  for (const line of simulationLines(layout, scenario)) {
    // NaN as "now": every simulated line has its `received`, so none is read as arriving now.
    const r = parseRecordingLine(line, ++lineNo, NaN);
    if (r.ok) yield r.message;
    else counts.skipped++;
  }
}
