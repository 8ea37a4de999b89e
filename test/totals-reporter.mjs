// A web-test-runner reporter that writes the run's totals to $IZLY_TEST_RESULTS_DIR/<name>.json,
// so that test/run-all.mjs can add them to the other suites' totals.
import { mkdirSync, writeFileSync } from 'node:fs';

function countTests(suite, totals) {
  if (!suite) return;
  for (const test of suite.tests ?? []) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites ?? []) countTests(child, totals);
}

export function totalsReporter(name) {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        countTests(session.testResults, totals);
        // A file that failed to load or threw outside a test has no test results, but it failed.
        if (!session.passed && (session.errors?.length ?? 0) > 0) totals.failed += 1;
      }
      const dir = process.env.IZLY_TEST_RESULTS_DIR ?? '.test-results';
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${dir}/${name}.json`, JSON.stringify(totals));
    },
  };
}
