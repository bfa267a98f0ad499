/** The shelf CNN on a Node worker thread (nodeVisionPool.ts): the same service as the web worker's. */
import { parentPort } from 'node:worker_threads';
import { nodeEndpoint } from '../src/inference/nodeEndpoint';
import { exposeVision } from '../src/inference/exposeVision';

if (!parentPort) throw new Error('visionNode.worker.ts runs as a worker thread');
exposeVision(nodeEndpoint(parentPort));
