/** `npm run bench [filter...]`: runs the benchmarks, prints a table, writes bench/results.json. */
import { runBenchmarks } from './harness';
import { analyticsBench } from './analytics.bench';
import { analysesBench } from './analyses.bench';
import { ingestBench } from './ingest.bench';
import { simulateBench } from './simulate.bench';

await runBenchmarks([ingestBench, simulateBench, analyticsBench, analysesBench], process.argv.slice(2));
