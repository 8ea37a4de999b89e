#!/usr/bin/env node
// `npm run reliability:report`: renders docs/reliability.md from what the reliability suite recorded in
// .test-results/reliability.jsonl (`npm test`, then `npm run test:stress` for the 500-payment figures).
// Nothing here is typed by hand: each row is a check that ran and passed; a check recorded twice keeps
// its latest run (by its id).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const source = '.test-results/reliability.jsonl';
const target = 'docs/reliability.md';
const AREAS = ['Bad input', 'Forgery and tampering', 'Faults', 'Crash and restart', 'Load', 'Response headers'];

if (!existsSync(source)) {
  console.error(`reliability-report: ${source} not found; run npm test (and npm run test:stress) first`);
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
const lastRun = checks.map((check) => check.at).sort().at(-1)?.slice(0, 10);

const lines = [
  '# Reliability and security',
  '',
  `What the reliability suite (\`test/server/reliability/\`, \`test/stress/\`) tried, and what held — ${checks.length} checks, ${total} cases in all.`,
  'Each row is written by a test when it passes; this page is rendered from those records by `npm run reliability:report`',
  `(last run ${lastRun}). Generated inputs use fast-check with the seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ') || '—'}; replay another with \`RELIABILITY_SEED=<n> npm test\`.`,
  '',
  '| Area | What was tried | Cases | What held |',
  '|---|---|---:|---|',
  ...checks.map((check) => `| ${cell(check.area)} | ${cell(check.tried)} | ${check.cases} | ${cell(check.held)} |`),
];

const loads = checks.filter((check) => check.figures);
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
      .map(({ figures: f }) => `| ${f.payments} | ${f.concurrency} | ${f.callbacks} | ${f.paymentsPerSecond} | ${f.createP50Ms} / ${f.createP99Ms} ms | ${f.paidP50Ms} / ${f.paidP99Ms} ms | ${f.requests} | ${f.serverErrors} |`),
  );
}

const missing = AREAS.filter((area) => !checks.some((check) => check.area === area));
if (missing.length > 0) lines.push('', `Not recorded in this run: ${missing.join(', ')}.`);

mkdirSync('docs', { recursive: true });
writeFileSync(target, `${lines.join('\n')}\n`);
console.log(`reliability-report: ${checks.length} checks, ${total} cases → ${target}`);
