/**
 * The live source against a real Mosquitto (persistence on, restarted through its
 * persistence file): the behaviour suite over MQTT 3.1.1 and 5, then what only MQTT 5 has:
 * session expiry, and a camera frame's `ts` user property.
 */
import { describe, expect, it } from 'vitest';
import { topics } from '../../src/contract/parseTopic';
import type { FrameEvent } from '../../src/contract/messages';
import { fakeJpeg } from '../broker/publishFixtures';
import { STORE, keyOf, publishAll, recentT0, startLive, weightMessages } from '../sources/liveFixtures';
import { mqttReliabilitySuite, type TestBroker } from '../sources/mqttReliabilitySuite';
import { startMosquitto } from './mosquitto';

async function mosquittoBroker(): Promise<TestBroker> {
  const m = await startMosquitto();
  return { url: m.url, restart: () => m.restart(), close: () => m.stop(), log: () => m.log() };
}

mqttReliabilitySuite({ broker: 'Mosquitto', protocol: '3.1.1', startBroker: mosquittoBroker });
mqttReliabilitySuite({ broker: 'Mosquitto', protocol: '5', startBroker: mosquittoBroker });

describe('MqttSubscription on Mosquitto, MQTT 5 only', () => {
  it('honours session expiry: back within it, the backlog comes; gone longer, none does', async () => {
    const broker = await startMosquitto();
    try {
      const EXPIRY_S = 2;
      // Both subscribe, then go away.
      const short = await startLive(broker.url, '5', { clientId: 'expiry-short', sessionExpirySeconds: EXPIRY_S });
      const long = await startLive(broker.url, '5', { clientId: 'expiry-long', sessionExpirySeconds: 3600 });
      await short.sub.stop();
      await long.sub.stop();
      const msgs = weightMessages(500);
      await publishAll(broker.url, '5', msgs);
      // Past the short session's expiry (Mosquitto checks expiry about once a second).
      await new Promise((r) => setTimeout(r, EXPIRY_S * 1000 + 2500));

      const shortAgain = await startLive(broker.url, '5', { clientId: 'expiry-short', sessionExpirySeconds: EXPIRY_S });
      const longAgain = await startLive(broker.url, '5', { clientId: 'expiry-long', sessionExpirySeconds: 3600 });
      try {
        await longAgain.until(() => longAgain.accepted.size >= msgs.length, 20_000, 'the backlog');
        await new Promise((r) => setTimeout(r, 300));
        expect(msgs.map(keyOf).filter((k) => longAgain.accepted.get(k) !== 1)).toEqual([]);
        expect(shortAgain.sub.stats.received).toBe(0);
        // And the expired one is subscribed again: what comes now reaches it.
        const later = weightMessages(10, 1, recentT0() + 60_000);
        await publishAll(broker.url, '5', later);
        await shortAgain.until(() => shortAgain.accepted.size >= 10, 10_000, 'messages after the new subscription');
      } catch (e) {
        (e as Error).message += `\nmosquitto:\n${broker.log()}`;
        throw e;
      } finally {
        await shortAgain.sub.stop();
        await longAgain.sub.stop();
      }
    } finally {
      await broker.stop();
    }
  }, 60_000);

  it("carries a frame's ts user property into props, and the frame's time from it", async () => {
    const broker = await startMosquitto();
    try {
      const frames: FrameEvent[] = [];
      const props: (Readonly<Record<string, string>> | undefined)[] = [];
      const live = await startLive(broker.url, '5', {}, (msg, out) => {
        props.push(msg.props);
        if (out.status === 'accepted' && out.event.type === 'frame') frames.push(out.event);
      });
      try {
        const ts = recentT0() + 1234;
        const jpeg = fakeJpeg(7);
        await publishAll(broker.url, '5', [{ topic: topics.frame(STORE, 'C1'), payload: jpeg, qos: 0, retain: false, received: ts, props: { ts: new Date(ts).toISOString() } }]);
        await live.until(() => frames.length >= 1, 10_000, 'the frame');
        expect(props).toEqual([{ ts: new Date(ts).toISOString() }]);
        expect(frames[0]).toMatchObject({ camera: 'C1', ts, tsSource: 'property' });
        expect([...frames[0]!.jpeg]).toEqual([...jpeg]);
      } finally {
        await live.sub.stop();
      }
    } finally {
      await broker.stop();
    }
  }, 30_000);
});
