/** `npm run bench [filter...]`: runs the benchmarks, prints a table, writes bench/results.json. */
import { runBenchmarks } from './harness';
import { analyticsBench } from './analytics.bench';
import { analysesBench } from './analyses.bench';
import { coverageBench } from './coverage.bench';
import { framesBench } from './frames.bench';
import { ingestBench } from './ingest.bench';
import { liveBench } from './live.bench';
import { liveBurstBench } from './liveBurst.bench';
import { sceneBench } from './scene.bench';
import { rulesBench } from './rules.bench';
import { simulateBench } from './simulate.bench';
import { visionBench } from './vision.bench';

await runBenchmarks([ingestBench, rulesBench, simulateBench, analyticsBench, analysesBench, liveBench, liveBurstBench, sceneBench, coverageBench, framesBench, visionBench], process.argv.slice(2));
