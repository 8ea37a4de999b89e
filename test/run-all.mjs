#!/usr/bin/env node
// `npm test`: every suite in turn — type check, lint (ESLint and Prettier), build, server tests (Node's
// runner, against the real sandbox), the runtime matrix (Node, Bun, Deno, workerd), browser tests
// (web-test-runner in Chromium), end-to-end tests (Chromium driving the demo).
// Exits non-zero when anything fails; the last line is the grand total: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// `--only <suite>` runs one suite (typecheck, lint, build, package, server, runtimes, browser, e2e, bench-quick): npm run test:server...
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex === -1 ? null : process.argv[onlyIndex + 1];
const wanted = (name) => only === null || only === name;

// Each run writes its totals to a folder of its own, so two runs in one checkout cannot wipe each other's.
const resultsDir = join('.test-results', `run-${process.pid}`);
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
process.env.IZLY_TEST_RESULTS_DIR = resultsDir;

const suites = [];

// A test that hangs must fail, not hold CI until its own limit: each test of Node's runner fails after
// TEST_TIMEOUT_MS, and a whole step is stopped after STEP_TIMEOUT_MS (then counted as failed).
const TEST_TIMEOUT_MS = 300_000;
const STEP_TIMEOUT_MS = 30 * 60_000;

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env }, timeout: STEP_TIMEOUT_MS, killSignal: 'SIGKILL' });
  if (result.error?.code === 'ETIMEDOUT') console.log(`\n✖ stopped after ${STEP_TIMEOUT_MS / 60_000} minutes: ${command} ${args.join(' ')}`);
  return result.status ?? 1;
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return (
    readdirSync(dir, { recursive: true })
      .map(String)
      // A folder with a package of its own (test/runtimes) holds its dependencies' files too: not ours.
      .filter((file) => /\.test\.(ts|mjs|js)$/.test(file) && !file.split(/[\\/]/).includes('node_modules'))
      .map((file) => join(dir, file))
      .sort()
  );
}

/** A step that is one check (type check, build): one pass or one failure. */
function step(name, command, args) {
  if (!wanted(name)) return;
  console.log(`\n━━ ${name}`);
  const status = run(command, args);
  suites.push({ name, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, skipped: 0 });
}

/** Node's test runner over a folder of test files; totals read back from its TAP output. */
function nodeSuite(name, dir, extraArgs = []) {
  const files = testFiles(dir);
  if (files.length === 0 || !wanted(name)) return;
  console.log(`\n━━ ${name} (${files.length} files)`);
  const tapFile = join(resultsDir, `${name}.tap`);
  const status = run(process.execPath, [
    '--import',
    'tsx',
    '--test',
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    ...extraArgs,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ]);
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const count = (label) => Number(tap.match(new RegExp(`^# ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
  const totals = { name, passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
  if (status !== 0 && totals.failed === 0) totals.failed = 1; // the runner itself failed
  suites.push(totals);
}

function browserSuite() {
  if (testFiles('test/browser').length === 0 || !wanted('browser')) return;
  console.log('\n━━ browser');
  const status = run(process.execPath, ['node_modules/@web/test-runner/dist/bin.js']);
  const file = join(resultsDir, 'browser.json');
  const totals = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { passed: 0, failed: 0, skipped: 0 };
  if (status !== 0 && totals.failed === 0) totals.failed = 1;
  suites.push({ name: 'browser', ...totals });
}

/**
 * The runtime matrix (test/runtimes): Bun, Deno and workerd (Miniflare) come from the package of its own
 * there, installed here when missing rather than by the project's `npm install`, which stays light. A runtime
 * that cannot be installed is skipped by the tests with a loud note; Node always runs.
 */
function runtimesSuite() {
  if (!wanted('runtimes')) return;
  const binaries = ['bun', 'deno', 'miniflare', 'workerd'].map((name) => join('test/runtimes/node_modules/.bin', name));
  if (!binaries.every((binary) => existsSync(binary))) {
    console.log('\n━━ runtimes: installing Bun, Deno and Miniflare (npm ci --prefix test/runtimes)');
    if (run('npm', ['ci', '--prefix', 'test/runtimes', '--no-audit', '--no-fund']) !== 0) {
      console.log('\n!!! runtimes: npm ci --prefix test/runtimes FAILED: the runtimes it could not install are SKIPPED below\n');
    }
  }
  nodeSuite('runtimes', 'test/runtimes');
}

step('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
step('lint', 'npm', ['run', '--silent', 'lint']);
// The e2e tests serve the widget bundle and the sandbox CLI from the build.
step('build', 'npm', ['run', '--silent', 'build']);
// The tarball a partner installs: packs (prepack builds again), installs it with the oldest Hono of the peer
// range from the registry (npm's cache), type-checks and imports it. Alone, since its build rewrites dist/.
nodeSuite('package', 'test/package', ['--test-concurrency=1']);
nodeSuite('server', 'test/server');
runtimesSuite();
browserSuite();
nodeSuite('e2e', 'test/e2e', ['--test-concurrency=1']);
nodeSuite('bench-quick', 'bench', ['--test-concurrency=1']);

console.log('\n━━ totals');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of suites) {
  console.log(`${suite.name.padEnd(12)} ${suite.passed} passed, ${suite.failed} failed${suite.skipped ? `, ${suite.skipped} skipped` : ''}`);
  passed += suite.passed;
  failed += suite.failed;
  skipped += suite.skipped;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
rmSync(resultsDir, { recursive: true, force: true });
process.exit(failed > 0 || passed === 0 ? 1 : 0);
