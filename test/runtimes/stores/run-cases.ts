// Runs the PaymentStore conformance cases (test/server/stores/conformance/cases.ts, the same source as the
// node:test suite) without node:test, for the runtimes that have none of it: each case between its set-up
// and tear-down, one at a time, its outcome kept for the JSON report the Node test reads.
import { conformanceCases, type StoreFactory } from '../../server/stores/conformance/cases.js';

/** One case's outcome. */
export interface CaseOutcome {
  name: string;
  outcome: 'passed' | 'failed' | 'skipped';
  /** The failure's message and stack, or the reason of a skip. */
  detail?: string;
}

/** What a runtime reports for one store. */
export interface ConformanceReport {
  store: string;
  runtime: string;
  cases: CaseOutcome[];
}

/** The line before the report on stdout, so that a runtime's own output never passes for it. */
export const REPORT_MARK = '--- izly-pay conformance report ---';

export async function runConformance(store: string, runtime: string, factory: StoreFactory): Promise<ConformanceReport> {
  const suite = conformanceCases(factory);
  const cases: CaseOutcome[] = [];
  for (const entry of suite.cases) {
    const name = entry.path.join(' › ');
    let skipped: string | undefined;
    try {
      await suite.setUp();
      try {
        await entry.run({ skip: (reason) => void (skipped = reason) });
      } finally {
        await suite.tearDown();
      }
      cases.push(skipped === undefined ? { name, outcome: 'passed' } : { name, outcome: 'skipped', detail: skipped });
    } catch (error) {
      cases.push({ name, outcome: 'failed', detail: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  return { store, runtime, cases };
}
