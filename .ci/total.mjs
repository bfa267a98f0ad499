// Sums vitest JSON reports into CI's closing line: `N passed, N failed`.
// A report that is missing (its runner crashed, or the type check failed first) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.log(`${file}: no report (the run stopped before its tests)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A suite that failed to load reports no failed test: count it.
  failed += r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed')).length;
  // Name each failure and its first lines, so a CI log cut to its tail still says what broke.
  for (const suite of r.testResults) {
    if (suite.status === 'failed' && suite.assertionResults.every((a) => a.status !== 'failed')) {
      console.log(`FAILED suite ${suite.name} (it did not load, or a hook failed): ${String(suite.message ?? '').split('\n').slice(0, 4).join(' | ')}`);
    }
    for (const a of suite.assertionResults) {
      if (a.status !== 'failed') continue;
      const why = (a.failureMessages ?? []).join('\n').split('\n').slice(0, 4).join(' | ');
      console.log(`FAILED ${suite.name} > ${a.fullName} (${Math.round(a.duration ?? 0)} ms): ${why}`);
    }
  }
  console.log(`${file}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
