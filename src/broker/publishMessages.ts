/**
 * The publisher's core: contract messages out to a connected MQTT client, paced in
 * recording time. It does not care where the messages come from (a recording file, the
 * simulator, a scenario played in a loop), only that they arrive in order with their
 * `received` time.
 */
import type { IClientPublishOptions, MqttClient } from 'mqtt';
import type { RawMessage } from '../contract/messages';
import { parseTopic } from '../contract/parseTopic';

/** The slice of an mqtt.js client the publisher uses. */
export type PublishClient = Pick<MqttClient, 'publish' | 'on' | 'off' | 'options'>;

export interface PublishProgress {
  /** Messages handed to the client so far. */
  readonly published: number;
  /** QoS 1 messages the broker has acknowledged (PUBACK). */
  readonly qos1Acked: number;
  /** Published, not yet acknowledged (QoS 1) or not yet written (QoS 0). */
  readonly inFlight: number;
}

export interface PublishResult {
  readonly published: number;
  readonly qos1Acked: number;
  /** Wall-clock seconds from the first publish to the last acknowledgement. */
  readonly seconds: number;
}

export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Resolves after `ms`, or early once `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface PublishMessagesOptions {
  /**
   * Recording time over wall time: 1 replays in real time, 4 four times faster,
   * Infinity as fast as the broker acknowledges.
   */
  readonly speed: number;
  /**
   * Most messages in flight at once. Bounds memory at any speed and keeps a fast publisher
   * from flooding the broker; 1000 keeps the pipe full on loopback (a broker's MQTT 5
   * Receive Maximum, when lower, should be passed here).
   */
  readonly maxInFlight?: number;
  /** Called at most every `progressEveryMs` (default 100) and once at the end. */
  readonly onProgress?: (p: PublishProgress) => void;
  readonly progressEveryMs?: number;
  readonly clock?: Clock;
  /**
   * Stops publishing when aborted (`npm start` on Ctrl-C): the promise then rejects with the
   * signal's reason, without waiting for the acknowledgements still outstanding.
   */
  readonly signal?: AbortSignal;
}

export const DEFAULT_MAX_IN_FLIGHT = 1000;

const realClock: Clock = {
  now: () => performance.now(),
  sleep: abortableSleep,
};

/** setTimeout as a promise that also settles (resolves) as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * How a message goes on the wire, per ../shared/contract/mqtt.md: telemetry QoS 1; a camera
 * frame recorded at QoS 0 stays QoS 0 (frames are big and a lost one does not matter);
 * `status` retained, as every device's is. Other messages are not retained whatever the
 * recording says: a recorded retain flag means "delivered from the broker's store", which is
 * not the device's intent. MQTT 5 user properties (a frame's `ts`) go along when the
 * connection is MQTT 5; over 3.1.1 there is nowhere to put them.
 */
export function publishOptionsFor(msg: RawMessage, mqtt5: boolean): IClientPublishOptions {
  const kind = parseTopic(msg.topic)?.kind;
  const qos = kind === 'frame' && msg.qos === 0 ? 0 : 1;
  const opts: IClientPublishOptions = { qos, retain: kind === 'status' };
  if (mqtt5 && msg.props && Object.keys(msg.props).length > 0) opts.properties = { userProperties: { ...msg.props } };
  return opts;
}

/**
 * Publishes every message in order and resolves once each QoS 1 message is acknowledged.
 * Rejects when the connection closes or the client reports an error before that: the caller
 * then knows some messages may not have reached the broker.
 */
export async function publishMessages(
  client: PublishClient,
  messages: AsyncIterable<RawMessage> | Iterable<RawMessage>,
  options: PublishMessagesOptions,
): Promise<PublishResult> {
  const { speed, maxInFlight = DEFAULT_MAX_IN_FLIGHT, onProgress, progressEveryMs = 100, clock = realClock, signal } = options;
  if (!(speed > 0)) throw new RangeError(`speed must be > 0, not ${speed}`);
  if (!(maxInFlight >= 1)) throw new RangeError(`maxInFlight must be >= 1, not ${maxInFlight}`);
  const mqtt5 = client.options.protocolVersion === 5;

  let published = 0;
  let qos1Acked = 0;
  let inFlight = 0;
  let failure: Error | undefined;
  // Woken on every acknowledgement and on failure: the loop waits here when the window is
  // full, and at the end for the last acknowledgements.
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const waitForChange = () => new Promise<void>((resolve) => (wake = resolve));
  const fail = (err: Error) => {
    failure ??= err;
    poke();
  };
  const onClose = () => fail(new Error(`the connection to the broker closed with ${inFlight} message(s) not acknowledged`));
  const onError = (err: Error) => fail(err);
  const onAbort = () => fail(signal?.reason instanceof Error ? signal.reason : new Error('publishing was stopped'));
  client.on('close', onClose);
  client.on('error', onError);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  let lastProgress = -Infinity;
  const progress = (force = false) => {
    if (!onProgress) return;
    const t = clock.now();
    if (!force && t - lastProgress < progressEveryMs) return;
    lastProgress = t;
    onProgress({ published, qos1Acked, inFlight });
  };

  // Pacing: message i goes out at wallStart + (received_i - received_0) / speed. A message
  // without a usable `received` (or one earlier than the last) goes straight after the one
  // before it, so hand-written files keep their order.
  let firstReceived = NaN;
  let wallStart = NaN;
  const started = clock.now();
  try {
    for await (const msg of messages) {
      if (failure) break;
      if (Number.isFinite(speed) && Number.isFinite(msg.received)) {
        if (Number.isNaN(firstReceived)) {
          firstReceived = msg.received;
          wallStart = clock.now();
        }
        const ahead = wallStart + (msg.received - firstReceived) / speed - clock.now();
        // Timers are only good to a millisecond or so: below that, sending early is better
        // than oversleeping a whole burst of closely spaced messages.
        if (ahead >= 2) {
          progress();
          await clock.sleep(ahead, signal);
        }
      }
      while (inFlight >= maxInFlight && !failure) await waitForChange();
      if (failure) break;
      const opts = publishOptionsFor(msg, mqtt5);
      const payload = typeof msg.payload === 'string' ? msg.payload : Buffer.from(msg.payload.buffer, msg.payload.byteOffset, msg.payload.byteLength);
      inFlight++;
      published++;
      client.publish(msg.topic, payload, opts, (err) => {
        inFlight--;
        if (err) fail(err);
        else if (opts.qos === 1) qos1Acked++;
        progress();
        poke();
      });
      progress();
    }
    while (inFlight > 0 && !failure) await waitForChange();
  } finally {
    client.off('close', onClose);
    client.off('error', onError);
    signal?.removeEventListener('abort', onAbort);
  }
  if (failure) throw failure;
  progress(true);
  return { published, qos1Acked, seconds: (clock.now() - started) / 1000 };
}
