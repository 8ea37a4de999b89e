// What the reliability suite tried, written by the tests themselves: each passing check appends one JSON
// line to .test-results/reliability.jsonl (or RELIABILITY_LOG), and `npm run reliability:report` renders
// docs/reliability.md from those lines. A check that fails writes nothing, so the table never claims what did not hold.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where the records go; `npm run reliability:report` points it at a file of its own. */
export const RELIABILITY_LOG = process.env.RELIABILITY_LOG ?? '.test-results/reliability.jsonl';

/** The fixed seed of the property-based runs; set RELIABILITY_SEED to replay another. */
export const FUZZ_SEED = Number(process.env.RELIABILITY_SEED ?? 20260801);

/** One line of the table. */
export interface ReliabilityCheck {
  /** Stable name of the check: a check recorded twice keeps its latest run in the report. */
  id: string;
  /** The table's section: 'Bad input', 'Forgery and tampering', 'Faults', 'Crash and restart', 'Load', 'Headers'. */
  area: string;
  /** What was tried, in a sentence. */
  tried: string;
  /** How many cases (requests, payments, generated inputs) were tried. */
  cases: number;
  /** What held, in a sentence. */
  held: string;
  /** Figures worth printing (load runs). */
  figures?: Record<string, number | string>;
  /** The fast-check seed, when inputs were generated. */
  seed?: number;
}

/** Records a check that passed. Call it after the test's assertions. */
export function recordCheck(check: ReliabilityCheck): void {
  mkdirSync(dirname(RELIABILITY_LOG), { recursive: true });
  appendFileSync(RELIABILITY_LOG, `${JSON.stringify({ ...check, at: new Date().toISOString() })}\n`);
}
