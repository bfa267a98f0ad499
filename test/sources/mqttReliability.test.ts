/**
 * The live source's behaviour suite (mqttReliabilitySuite.ts) against the embedded aedes
 * broker, MQTT 3.1.1. A restart starts a new aedes on the same port with the same
 * persistence object, as a broker with a persistent store would come back.
 */
import { startEmbeddedBroker } from '../../src/broker/embeddedBroker';
import { mqttReliabilitySuite, type TestBroker } from './mqttReliabilitySuite';

mqttReliabilitySuite({
  broker: 'aedes',
  protocol: '3.1.1',
  async startBroker(): Promise<TestBroker> {
    let broker = await startEmbeddedBroker();
    const port = Number(new URL(broker.url).port);
    return {
      url: broker.url,
      async restart() {
        await broker.close();
        broker = await startEmbeddedBroker({ port, persistence: broker.persistence });
      },
      close: () => broker.close(),
      log: () => '(aedes keeps no log)',
    };
  },
});
