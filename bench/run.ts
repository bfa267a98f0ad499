/** `npm run bench [filter...]`: runs the benchmarks, prints a table, writes bench/results.json. */
import { runBenchmarks } from './harness';
import { ingestBench } from './ingest.bench';

await runBenchmarks([ingestBench], process.argv.slice(2));
