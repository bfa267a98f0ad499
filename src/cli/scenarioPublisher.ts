/**
 * `npm start`'s publisher: plays a scenario onto the broker in accelerated time, looping, as
 * the store's devices would publish it (QoS 1, status retained), through the same
 * `publishMessages` as `twin publish`.
 */
import type { Scenario } from '../../sim/scenario/Scenario';
import { connectBroker } from '../broker/connectBroker';
import { publishMessages } from '../broker/publishMessages';
import { firstLoopStart, scenarioLoop, type LoopInfo, type WallClock } from '../broker/scenarioLoop';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Service } from './Service';

export interface ScenarioPublisherOptions {
  /** The broker to publish to (the embedded one's TCP address). */
  readonly brokerUrl: string;
  readonly layout: LayoutIndex;
  readonly scenario: Scenario;
  /** The scenario file as the user should see it named. */
  readonly scenarioFile: string;
  /** Simulated time over wall time, > 0 and finite. */
  readonly speed: number;
  /** Where to report each loop and catching up with the present (one line each); a failure goes to stderr. */
  readonly log: (line: string) => void;
  readonly clock?: WallClock;
}

export async function startScenarioPublisher(options: ScenarioPublisherOptions): Promise<Service> {
  const { layout, scenario, speed, log } = options;
  const tz = layout.layout.timezone;
  const now = options.clock?.now() ?? Date.now();
  const firstStart = firstLoopStart(scenario, tz, speed, now);
  // The broker is ours and already listening: a few seconds is plenty.
  const { client } = await connectBroker(options.brokerUrl, { protocolVersion: 4, clean: true, clientId: `backroom-twin-start-${process.pid}` }, 5000);
  client.on('error', () => {}); // publishMessages reports errors while it runs; later ones do not matter
  const abort = new AbortController();
  const messages = scenarioLoop(layout, scenario, {
    firstStart,
    signal: abort.signal,
    ...(options.clock ? { clock: options.clock } : {}),
    onLoop: (info) => log(`Loop ${info.loop}: simulated ${describeLoop(info, tz)}`),
    onCaughtUp: () => log('Publisher: the simulated clock has reached the present; playing on in real time (a message never goes out ahead of the clock)'),
  });
  const running = publishMessages(client, messages, { speed, signal: abort.signal }).then(
    () => undefined,
    (err: Error) => {
      // The broker and the workbench stay up: the page still works, without new messages.
      if (!abort.signal.aborted) console.error(`Publisher stopped: ${err.message}`);
    },
  );
  let stopping: Promise<void> | undefined;
  return {
    name: 'publisher',
    lines: [
      `Scenario: ${scenario.name} (${options.scenarioFile}), ${scenario.days} day${scenario.days === 1 ? '' : 's'}, looping`,
      `Speed: ${speed}x${speedNote(speed)}`,
    ],
    stop: () =>
      (stopping ??= (async () => {
        abort.abort();
        await running;
        await client.endAsync(true);
      })()),
  };
}

/** "2026-10-26 00:00 to 2026-11-02 00:00 America/Chicago". */
function describeLoop(info: LoopInfo, tz: string): string {
  return `${info.startDate} 00:00 to ${info.endDate} 00:00 ${tz}`;
}

/** " (a simulated hour a minute)": what the speed means, in words. */
export function speedNote(speed: number): string {
  if (speed === 1) return ' (real time)';
  if (speed === 60) return ' (a simulated hour a minute)';
  if (speed === 3600) return ' (a simulated hour a second)';
  const secondsPerHour = 3600 / speed;
  return secondsPerHour >= 1 ? ` (a simulated hour every ${Number(secondsPerHour.toPrecision(3))} s)` : ` (${Number((speed / 3600).toPrecision(3))} simulated hours a second)`;
}
