/**
 * The far side of the live benchmark, in a process of its own (a broker and the devices are
 * not on the workbench's CPU): the embedded broker and the project's publisher. Prints the
 * broker's URL as one JSON line; on a `go` line, publishes the message mix at full speed
 * (QoS 1) and prints the publisher's totals. Exits when stdin closes.
 */
import { createInterface } from 'node:readline';
import { connectBroker } from '../src/broker/connectBroker';
import { startEmbeddedBroker } from '../src/broker/embeddedBroker';
import { publishMessages } from '../src/broker/publishMessages';
import { liveMix } from './liveMix';

const count = Number(process.argv[2]);
const messages = liveMix(count);
const broker = await startEmbeddedBroker();
console.log(JSON.stringify({ url: broker.url }));

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line !== 'go') continue;
  const { client } = await connectBroker(broker.url, { clean: true }, 10_000);
  const r = await publishMessages(client, messages, { speed: Infinity });
  await client.endAsync();
  console.log(JSON.stringify(r));
}
await broker.close();
