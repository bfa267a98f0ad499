/**
 * The simulator's cameras: every layout camera publishes a rendered frame on
 * `camera/{id}/frame` at the scenario's interval, and when a person comes into its view
 * (at most once per gap), as the MQTT contract says: JPEG bytes, QoS 0, the MQTT 5 user
 * property `ts`; recorded with `payload_b64`. The truth of each frame (slot boxes, fill,
 * SKUs) goes to its own sink, never into the recording.
 *
 * Frames read the simulation and never change it, and their noise has its own seed (per
 * camera and time), so a scenario with frames on writes the same other lines as with
 * frames off, with frame lines among them.
 */
import { topics } from '../../src/contract/parseTopic';
import { recordingLine } from '../../src/contract/recording';
import type { LayoutIndex } from '../../src/layout/LayoutIndex';
import type { FrameSettings } from '../scenario/Scenario';
import { isoTime } from '../world/isoTime';
import type { Stock } from '../world/Stock';
import type { FrameTruth } from './frameTruth';
import { FrameRenderer } from './FrameRenderer';

/** Network delay from camera to reader, as for the other devices (sim/world/Emitter.ts). */
const LATENCY_MS = 40;
/** How long a person stays where they were seen (picking, swiping, passing). */
const LINGER_MS = 20_000;

/** What the publisher needs of the simulator. */
export interface FrameHost {
  readonly layout: LayoutIndex;
  readonly stock: Stock;
  /** Slots whose face a board hides now (FrameWorld `concealed`). */
  readonly concealed?: ReadonlySet<string>;
  readonly now: number;
  readonly start: number;
  at(t: number, action: () => void): void;
}

export class FramePublisher {
  private readonly renderer: FrameRenderer;
  private readonly cameras: string[];
  private readonly topics: string[];
  private readonly lastFrame: Float64Array;
  private readonly people: { x: number; y: number; key: string; until: number }[] = [];
  private personCount = 0;
  /** Frames published. */
  count = 0;

  constructor(
    private readonly host: FrameHost,
    private readonly settings: FrameSettings,
    private readonly seed: number,
    private readonly recording: (line: string) => void,
    private readonly truth?: (t: FrameTruth) => void,
  ) {
    this.renderer = new FrameRenderer(host.layout);
    this.cameras = [...host.layout.cameras.keys()];
    this.topics = this.cameras.map((c) => topics.frame(host.layout.store, c));
    this.lastFrame = new Float64Array(this.cameras.length).fill(-Infinity);
  }

  /** Schedules the periodic frames from the start of the run. */
  plan(): void {
    const every = this.settings.intervalSeconds * 1000;
    const tick = () => {
      for (let i = 0; i < this.cameras.length; i++) this.publish(i, 'interval');
      this.host.at(this.host.now + every, tick);
    };
    this.host.at(this.host.start, tick);
  }

  /**
   * A person is standing at (x, y) now; `cameras` are those whose image holds the spot. With
   * motion on, each of them publishes a frame unless it did within the gap.
   */
  person(x: number, y: number, cameras: readonly string[]): void {
    const now = this.host.now;
    for (let i = this.people.length - 1; i >= 0; i--) if (this.people[i]!.until <= now) this.people.splice(i, 1);
    this.people.push({ x, y, key: `person-${this.personCount++ % 16}`, until: now + LINGER_MS });
    if (!this.settings.motion) return;
    const gap = this.settings.motionGapSeconds * 1000;
    for (const c of cameras) {
      const i = this.cameras.indexOf(c);
      if (i >= 0 && now - this.lastFrame[i]! >= gap) this.publish(i, 'motion');
    }
  }

  private publish(i: number, trigger: 'interval' | 'motion'): void {
    const now = this.host.now;
    // One frame per camera per instant, so that camera and time name a frame.
    if (this.lastFrame[i] === now) return;
    const camera = this.cameras[i]!;
    const people = this.people.filter((p) => p.until > now);
    const s = this.settings;
    const { jpeg, truth } = this.renderer.jpeg(camera, { ts: now, stock: this.host.stock.slots, people, trigger, ...(this.host.concealed?.size ? { concealed: this.host.concealed } : {}) }, { width: s.width, quality: s.quality, noise: s.noise, blur: s.blur, seed: this.seed });
    this.recording(recordingLine({ topic: this.topics[i]!, payload: jpeg, qos: 0, retain: false, received: now + LATENCY_MS, props: { ts: isoTime(now) } }));
    this.lastFrame[i] = now;
    this.count++;
    this.truth?.(truth);
  }
}
