/**
 * A scenario simulated in the worker, as a source: the simulator's lines (ScenarioRunner)
 * go through the ingest pipeline here, and the page gets batches. The simulator waits
 * whenever the page is behind (`room()`), so a fast simulation never fills memory. Plain
 * class: workers/scenario.worker.ts exposes it.
 */
import { BatchPump, type BatchPumpOptions } from './BatchPump';
import { layoutFromText } from './layoutFromText';
import { Recorder, recordingFullProblem, startRecording, stopRecording } from './Recorder';
import { ScenarioRunner } from './ScenarioRunner';
import type { SourceEnd, SourceFeed, SourceListener } from './TelemetrySource';

export interface ScenarioArgs {
  readonly layoutText: string;
  readonly scenarioText: string;
  /** Overrides the scenario's days. */
  readonly days?: number;
  /** Lines the simulator hands over at a time (default 5000). */
  readonly lineBatch?: number;
  readonly pump?: BatchPumpOptions;
}

export class ScenarioFeed implements SourceFeed<ScenarioArgs> {
  private readonly runner = new ScenarioRunner();
  private readonly recorder = new Recorder((kept) => this.pump?.setProblem(recordingFullProblem(kept)));
  private pump: BatchPump | undefined;

  async run(args: ScenarioArgs, listener: SourceListener): Promise<SourceEnd> {
    const pump = new BatchPump(layoutFromText(args.layoutText), args.pump, () => this.recorded());
    this.pump = pump;
    pump.setListener(listener);
    pump.setStatus({ phase: 'playing', progress: 0 });
    let lineNo = 0;
    const r = await this.runner.run(
      args.layoutText,
      args.scenarioText,
      async (b) => {
        for (const line of b.lines) {
          this.recorder.line(line);
          pump.pushLine(line, ++lineNo, b.simTime);
        }
        pump.setStatus({ progress: b.progress, clock: b.simTime });
        await pump.room();
      },
      { ...(args.days ? { days: args.days } : {}), ...(args.lineBatch ? { batchSize: args.lineBatch } : {}) },
    );
    const phase = r.stopped ? 'stopped' : 'ended';
    pump.setStatus({ phase });
    await pump.drained();
    return { phase, messages: pump.ingest.totals().messages };
  }

  stop(): void {
    this.runner.stop();
  }

  startRecording(): void {
    startRecording(this.recorder, this.pump);
  }

  stopRecording(): Blob {
    return stopRecording(this.recorder, this.pump);
  }

  private recorded(): { recorded?: number } {
    return { recorded: this.recorder.recording ? this.recorder.lines : undefined };
  }
}
