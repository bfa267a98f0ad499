/**
 * Shared by the source tests: a small simulated day on the mini layout (the same lines every
 * time), a feed behind a MessageChannel in place of a worker (the real Comlink boundary,
 * in-process), and a reference ingest to compare against.
 */
import * as Comlink from 'comlink';
import { Ingest } from '../../src/ingest/Ingest';
import { ScenarioRunner } from '../../src/sources/ScenarioRunner';
import type { SourceBatch } from '../../src/sources/TelemetrySource';
import type { FeedEndpoint } from '../../src/sources/WorkerSource';
import { stateToJson } from '../../src/twin/stateToJson';
import { applyTwinDelta } from '../../src/twin/TwinDelta';
import type { TwinState } from '../../src/twin/TwinState';
import { MINI_LAYOUT, miniLayout } from '../fixtures/miniLayout';

export const LAYOUT_TEXT = JSON.stringify(MINI_LAYOUT);
export const SCENARIO_TEXT = JSON.stringify({
  version: 1, name: 'Mini day', layout: 'mini.layout.json', start: '2026-11-16', days: 1, seed: 9,
  workload: { unitsSoldPerDay: 60, deliveriesPerWeek: 7 },
  incidents: { afterHoursTheftPerWeek: 7, dockTheftPerWeek: 7 },
  sensors: { badMessagesPerDay: 5 },
});

let cached: string[] | undefined;
/** The mini scenario's recording lines (a few thousand, some of them bad messages). */
export async function scenarioLines(): Promise<string[]> {
  if (cached) return cached;
  const lines: string[] = [];
  await new ScenarioRunner().run(LAYOUT_TEXT, SCENARIO_TEXT, async (b) => void lines.push(...b.lines));
  cached = lines;
  return lines;
}

/** The lines through a plain Ingest, as the CLI reads a recording. */
export function referenceIngest(lines: readonly string[], now = () => Date.parse('2026-11-20T00:00:00Z')): Ingest {
  const ingest = new Ingest(miniLayout());
  lines.forEach((l, i) => ingest.pushLine(l, i + 1, now()));
  return ingest;
}

/** A feed exposed on one end of a MessageChannel, as a worker would expose it. */
export function channelEndpoint(feed: object): FeedEndpoint {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(feed, port1 as unknown as Comlink.Endpoint);
  return {
    endpoint: port2 as unknown as Comlink.Endpoint,
    close: () => {
      port1.close();
      port2.close();
    },
  };
}

/** Everything a listener was handed, and whether it was ever called again before its promise settled. */
export interface Taken {
  batches: SourceBatch[];
  twin: TwinState | undefined;
  overlapped: boolean;
  events: number;
  quarantined: number;
}

/** A listener that keeps every batch, checks it is never re-entered, and takes `delayMs` over each. */
export function collector(delayMs = 0): { taken: Taken; listener: (b: SourceBatch) => Promise<void> } {
  const taken: Taken = { batches: [], twin: undefined, overlapped: false, events: 0, quarantined: 0 };
  let inside = false;
  return {
    taken,
    listener: async (b) => {
      if (inside) taken.overlapped = true;
      inside = true;
      taken.batches.push(b);
      taken.twin = applyTwinDelta(taken.twin, b.twin);
      taken.events += b.events.length;
      taken.quarantined += b.quarantine.length;
      await new Promise((r) => setTimeout(r, delayMs));
      inside = false;
    },
  };
}

/** The twin as JSON without what depends on arrival times. */
export const twinJson = (s: TwinState | undefined) => (s ? stateToJson(s) : undefined);
