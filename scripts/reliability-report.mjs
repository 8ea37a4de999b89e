#!/usr/bin/env node
// `npm run reliability:report`: runs the reliability suite (test/server/reliability, then the 500-payment
// stress run of test/stress) with its records going to a fresh file, and renders docs/reliability.md from
// them. Nothing in the table is typed by hand: each row is a check that ran and passed in this run, and
// the page is written only when every test passed.
//   --no-stress    skip the 500-payment run (its rows are then missing)
//   --from FILE    render from records already written (e.g. .test-results/reliability.jsonl after npm test)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const target = 'docs/reliability.md';
const AREAS = ['Bad input', 'Forgery and tampering', 'Abuse and limits', 'Faults', 'Crash and restart', 'Load', 'Response headers'];
const args = process.argv.slice(2);

let source;
let scratch;
if (args.includes('--from')) {
  source = args[args.indexOf('--from') + 1];
} else {
  scratch = mkdtempSync(join(tmpdir(), 'izly-reliability-'));
  source = join(scratch, 'reliability.jsonl');
  const suite = [
    ...readdirSync('test/server/reliability')
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => join('test/server/reliability', file)),
    // Payment-flow tests that record rows too (each on the three stores): hooks retried, refunds with lost
    // answers, duplicate payments refunded, amount mismatches held.
    ...['hook-retries', 'durable-refunds', 'paid-once', 'amount-mismatch'].map((name) => join('test/server/payments', `${name}.test.ts`)),
  ];
  const runs = [suite, ...(args.includes('--no-stress') ? [] : [['test/stress/load.test.ts']])];
  for (const files of runs) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
      stdio: 'inherit',
      env: { ...process.env, RELIABILITY_LOG: source },
    });
    if (run.status !== 0) {
      console.error('reliability-report: a test failed; docs/reliability.md is left as it was');
      rmSync(scratch, { recursive: true, force: true });
      process.exit(1);
    }
  }
}

if (!source || !existsSync(source)) {
  console.error(`reliability-report: ${source} not found`);
  process.exit(1);
}

const latest = new Map();
for (const line of readFileSync(source, 'utf8').split('\n')) {
  if (line.trim() === '') continue;
  const check = JSON.parse(line);
  latest.set(check.id, check);
}
const rank = (area) => (AREAS.includes(area) ? AREAS.indexOf(area) : AREAS.length);
const checks = [...latest.values()].sort((a, b) => rank(a.area) - rank(b.area));

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const seeds = [...new Set(checks.map((check) => check.seed).filter((seed) => seed !== undefined))];
const total = checks.reduce((sum, check) => sum + check.cases, 0);
const lastRun = checks
  .map((check) => check.at)
  .sort()
  .at(-1)
  ?.slice(0, 10);

const lines = [
  '# Reliability and security',
  '',
  `What the reliability suite (\`test/server/reliability/\`, \`test/stress/\`) tried, and what held — ${checks.length} checks, ${total} cases in all.`,
  'Each row is written by a test when it passes; `npm run reliability:report` runs the suite and renders this page from those records',
  `(last run ${lastRun}). Generated inputs use fast-check with the seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ') || '—'}; replay another with \`RELIABILITY_SEED=<n> npm test\`.`,
  '',
  '| Area | What was tried | Cases | What held |',
  '|---|---|---:|---|',
  ...checks.map((check) => `| ${cell(check.area)} | ${cell(check.tried)} | ${check.cases} | ${cell(check.held)} |`),
];

const floods = checks.filter((check) => check.figures?.sent !== undefined);
if (floods.length > 0) {
  lines.push(
    '',
    '## Abuse figures',
    '',
    'Requests sent by the attacker (or the students), calls the adapter made to Izly for them, and requests refused `429 rate_limited`.',
    '',
    '| Check | Requests sent | Izly calls | 429s |',
    '|---|---:|---:|---:|',
    ...floods.map(({ id, figures: f }) => `| ${id} | ${f.sent} | ${f.izlyCalls} | ${f.refused} |`),
  );
}

const loads = checks.filter((check) => check.figures?.payments !== undefined);
if (loads.length > 0) {
  lines.push(
    '',
    '## Load figures',
    '',
    'Adapter, sandbox and the simulated students share one Node process on loopback (the machine of the run, 2 cores), so these figures are a floor, not a capacity.',
    '',
    '| Payments | At a time | Callbacks | Payments/s | POST /payments p50 / p99 | Validation → paid p50 / p99 | Adapter answers | 5xx |',
    '|---:|---:|---|---:|---|---|---:|---:|',
    ...loads
      .sort((a, b) => a.figures.payments - b.figures.payments || String(a.figures.callbacks).localeCompare(String(b.figures.callbacks)))
      .map(
        ({ figures: f }) =>
          `| ${f.payments} | ${f.concurrency} | ${f.callbacks} | ${f.paymentsPerSecond} | ${f.createP50Ms} / ${f.createP99Ms} ms | ${f.paidP50Ms} / ${f.paidP99Ms} ms | ${f.requests} | ${f.serverErrors} |`,
      ),
  );
}

const missing = AREAS.filter((area) => !checks.some((check) => check.area === area));
if (missing.length > 0) lines.push('', `Not recorded in this run: ${missing.join(', ')}.`);

mkdirSync('docs', { recursive: true });
writeFileSync(target, `${lines.join('\n')}\n`);

// The README's "Reliability and security" section carries the same table, between two markers, so that
// what the front door claims is what the suite last recorded.
const readme = readFileSync('README.md', 'utf8');
const start = '<!-- reliability-report:start -->';
const end = '<!-- reliability-report:end -->';
if (readme.includes(start) && readme.includes(end)) {
  const section = lines
    .slice(2)
    .map((line) => (line.startsWith('## ') ? `#${line}` : line))
    .join('\n');
  const before = readme.slice(0, readme.indexOf(start) + start.length);
  const after = readme.slice(readme.indexOf(end));
  writeFileSync('README.md', `${before}\n${section}\n${after}`);
}
if (scratch) rmSync(scratch, { recursive: true, force: true });
console.log(`reliability-report: ${checks.length} checks, ${total} cases → ${target}`);
