/**
 * Runs a scenario and hands its recording lines over in batches, waiting for each batch's
 * promise before making the next: the consumer (the page, one batch a frame) sets the pace,
 * so a fast simulation never floods it. Plain class: a worker exposes it (workers/
 * scenario.worker.ts), and tests drive it in Node.
 */
import { parseScenarioText } from '../../sim/scenario/parseScenario';
import { Simulator } from '../../sim/Simulator';
import { LayoutIndex } from '../layout/LayoutIndex';
import { parseLayoutText } from '../layout/parseLayout';

export interface LineBatch {
  readonly lines: string[];
  /** Share of the scenario's simulated time done, 0 to 1. */
  readonly progress: number;
  /** Simulated now, epoch ms. */
  readonly simTime: number;
}

export interface RunOptions {
  /** Overrides the scenario's days. */
  readonly days?: number;
  /** Lines a batch at most (a batch also ends after `batchMinutes` of simulated time). */
  readonly batchSize?: number;
  /** Simulated minutes a batch spans at most (default 15), so the twin's clock moves smoothly. */
  readonly batchMinutes?: number;
}

export class ScenarioRunner {
  private stopped = false;

  /** Runs to the end or until stop(); resolves with the lines handed over. */
  async run(layoutText: string, scenarioText: string, listener: (batch: LineBatch) => Promise<void>, options: RunOptions = {}): Promise<{ lines: number; stopped: boolean }> {
    this.stopped = false;
    const layout = parseLayoutText(layoutText);
    if (!layout.ok) throw new Error(`the layout is not valid: ${layout.problems.map((p) => `${p.path}: ${p.reason}`).join('; ')}`);
    const parsed = parseScenarioText(scenarioText);
    if (!parsed.ok) throw new Error(`the scenario is not valid: ${parsed.problems.map((p) => `${p.path}: ${p.reason}`).join('; ')}`);
    const scenario = options.days ? { ...parsed.scenario, days: options.days } : parsed.scenario;
    const batchSize = options.batchSize ?? 5000;
    let buf: string[] = [];
    const sim = new Simulator(new LayoutIndex(layout.layout), scenario, { recording: (l) => buf.push(l) });
    const span = (options.batchMinutes ?? 15) * 60_000;
    let total = 0;
    let batchStart = sim.start;
    for (const _ of sim.steps()) {
      if (this.stopped) return { lines: total, stopped: true };
      if (buf.length >= batchSize || (buf.length > 0 && sim.now - batchStart >= span)) {
        batchStart = sim.now;
        const lines = buf;
        buf = [];
        // One step (a heartbeat of every cell) can overshoot: hand over in pieces of at most batchSize.
        for (let i = 0; i < lines.length; i += batchSize) {
          total += Math.min(batchSize, lines.length - i);
          await listener({ lines: lines.slice(i, i + batchSize), progress: (sim.now - sim.start) / (sim.end - sim.start), simTime: sim.now });
          if (this.stopped) return { lines: total, stopped: true };
        }
      }
    }
    for (let i = 0; i < buf.length; i += batchSize) {
      total += Math.min(batchSize, buf.length - i);
      await listener({ lines: buf.slice(i, i + batchSize), progress: 1, simTime: sim.end });
    }
    return { lines: total, stopped: this.stopped };
  }

  stop(): void {
    this.stopped = true;
  }
}
