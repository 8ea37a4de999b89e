// The PaymentStore conformance cases (test/server/stores/conformance/cases.ts, the source node:test runs
// on Node for memory, better-sqlite3 and PostgreSQL) on the stores of the other runtimes, each on its own
// runtime: bunSqliteStore under Bun, nodeSqliteStore under Deno, d1Store in workerd through Miniflare with
// a D1 database. Each entry is bundled from the sources with esbuild, runs every case and reports them as
// JSON; this test asserts that every case passed there. The runtimes come from test/runtimes/node_modules,
// installed here on demand (npm install --prefix test/runtimes); a runtime that cannot be installed is
// skipped with a loud note.
import { describe, test, before, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { bundle, ROOT } from '../bundle.js';
import { conformanceCases } from '../../server/stores/conformance/cases.js';
import { REPORT_MARK, type ConformanceReport } from './run-cases.js';

const RUNTIMES_DIR = join(ROOT, 'test/runtimes');
const BIN = join(RUNTIMES_DIR, 'node_modules/.bin');
const MINIFLARE = join(RUNTIMES_DIR, 'node_modules/miniflare/dist/src/index.js');
/** Every case of the suite by name, as the runtimes must report them (the factory is never opened here). */
const CASE_NAMES = conformanceCases({ open: () => assert.fail('not opened'), reopen: () => assert.fail('not opened'), passTime() {} }).cases.map((entry) =>
  entry.path.join(' › '),
);
/** Cases a store may skip, with the reason: it has no such optional method (the SQLite stores wake long polls and rate-limit reads in-process). */
const OPTIONAL = new Set(CASE_NAMES.filter((name) => /subscribe \(if the store has it\)|claimStatusRead \(if the store has it\)/.test(name)));

let installError: string | null = null;

/** Installs the runtimes once if they are missing (about 10 s); remembers why it could not. */
function installRuntimes(): void {
  if (existsSync(join(BIN, 'bun')) && existsSync(join(BIN, 'deno')) && existsSync(MINIFLARE)) return;
  try {
    execFileSync('npm', ['install', '--prefix', RUNTIMES_DIR, '--no-audit', '--no-fund'], { stdio: 'pipe', timeout: 300_000 });
  } catch (error) {
    installError = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
}

function missing(path: string, t: TestContext, runtime: string): boolean {
  if (existsSync(path)) return false;
  const why = `${path} is missing${installError ? ` (npm install --prefix test/runtimes failed: ${installError})` : ''}`;
  console.log(`\n!!! store conformance on ${runtime} SKIPPED: ${why}\n`);
  t.skip(`${runtime} not installed: ${why}`);
  return true;
}

/** The report printed after REPORT_MARK by a runtime's run of an entry. */
async function runProcess(command: string, args: string[]): Promise<ConformanceReport> {
  const { stdout } = await promisify(execFile)(command, args, {
    cwd: ROOT,
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const at = stdout.lastIndexOf(REPORT_MARK);
  assert.ok(at >= 0, `no report in the output:\n${stdout.slice(-2000)}`);
  return JSON.parse(stdout.slice(at + REPORT_MARK.length)) as ConformanceReport;
}

async function runWorker(bundlePath: string): Promise<ConformanceReport> {
  const { Miniflare } = (await import(pathToFileURL(MINIFLARE).href)) as {
    Miniflare: new (options: object) => { dispatchFetch(url: string): Promise<Response>; dispose(): Promise<void> };
  };
  const miniflare = new Miniflare({
    modules: true,
    scriptPath: bundlePath,
    compatibilityDate: '2026-07-30',
    // node:assert, which the cases use (the store itself needs no flag).
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: ['DB'],
  });
  try {
    const response = await miniflare.dispatchFetch('http://localhost/');
    const text = await response.text();
    assert.equal(response.status, 200, text.slice(0, 2000));
    return JSON.parse(text) as ConformanceReport;
  } finally {
    await miniflare.dispose();
  }
}

/** Every case of the suite reported, and passed (or, for an optional method the store lacks, skipped). */
function assertAllPassed(report: ConformanceReport): void {
  const failed = report.cases.filter((entry) => entry.outcome === 'failed');
  assert.deepEqual(
    failed.map((entry) => `${entry.name}\n${entry.detail}`),
    [],
    `${report.store} on ${report.runtime}`,
  );
  assert.deepEqual(
    report.cases.map((entry) => entry.name),
    CASE_NAMES,
    'every case of the suite ran, in order',
  );
  const skipped = report.cases.filter((entry) => entry.outcome === 'skipped').map((entry) => entry.name);
  assert.deepEqual(
    skipped.filter((name) => !OPTIONAL.has(name)),
    [],
    'only the optional methods may be skipped',
  );
  const passed = report.cases.length - skipped.length;
  console.log(`store conformance: ${report.store} on ${report.runtime}: ${passed} passed, ${skipped.length} skipped (optional), 0 failed`);
}

describe('the SQLite stores of Bun, Deno and Workers pass the PaymentStore conformance cases on their runtime', { timeout: 600_000 }, () => {
  before(() => installRuntimes());

  test('bunSqliteStore (bun:sqlite) under Bun', async (t) => {
    if (missing(join(BIN, 'bun'), t, 'Bun')) return;
    const file = await bundle('test/runtimes/stores/bun-sqlite.entry.ts', 'bun', 'store-conformance-bun');
    assertAllPassed(await runProcess(join(BIN, 'bun'), ['run', file]));
  });

  test('nodeSqliteStore (node:sqlite) under Deno', async (t) => {
    if (missing(join(BIN, 'deno'), t, 'Deno')) return;
    const file = await bundle('test/runtimes/stores/node-sqlite.entry.ts', 'deno', 'store-conformance-deno');
    assertAllPassed(await runProcess(join(BIN, 'deno'), ['run', '-A', file]));
  });

  test('d1Store (Cloudflare D1) in workerd through Miniflare', async (t) => {
    if (missing(MINIFLARE, t, 'workerd (Miniflare)')) return;
    const file = await bundle('test/runtimes/stores/d1.worker.ts', 'workerd', 'store-conformance-d1');
    assertAllPassed(await runWorker(file));
  });
});
