// `npm run bench -- --quick` as part of `npm test`: every benchmark still runs to the end and reports every
// figure of issue 7, with its baseline. Only the structure is checked, never a time or a size.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Figure } from './report.js';

const RUN_LIMIT_MS = 150_000;

/** The figures a --quick run must report (the full run has the same kinds, at larger counts). */
const EXPECTED = [
  'weight.izly-pay-button.js',
  'weight.izly-pay.js',
  ...['memory', 'sqlite'].flatMap((store) => [`adapter.${store}.rps`, `adapter.${store}.p50`, `adapter.${store}.p99`]),
  'adapter.shaped.rps',
  ...['memory', 'sqlite'].flatMap((store) => [`create.${store}.rps`, `create.${store}.p99`, `create.${store}.vs-forward`]),
  'create.forward.rps',
  ...[1, 10].flatMap((count) => [`paid.${count}.p50`, `paid.${count}.p99`]),
  'cost.callback.redirect',
  'cost.callback.popup',
  'cost.callback.popup-first',
  'cost.blocked.1',
  'cost.blocked.10',
  'cost.blocked.100',
  'memory.long-poll.rss',
  'memory.long-poll.heap',
  'startup.demo',
];
/** Figures that are counts against a goal, without a baseline. */
const WITHOUT_BASELINE = new Set(['cost.callback.redirect', 'cost.callback.popup', 'cost.callback.popup-first']);

function runQuickBench(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const limit = setTimeout(() => child.kill('SIGTERM'), RUN_LIMIT_MS);
    child.on('exit', (code) => {
      clearTimeout(limit);
      resolve({ code, output });
    });
  });
}

describe('npm run bench -- --quick', () => {
  const dir = mkdtempSync(join(tmpdir(), 'izly-bench-quick-'));
  const out = join(dir, 'results.json');
  after(() => rmSync(dir, { recursive: true, force: true }));
  let run: Promise<{ code: number | null; output: string }> | undefined;
  const quickRun = () => (run ??= runQuickBench(out));

  it('runs every benchmark to the end and prints the table', async () => {
    const { code, output } = await quickRun();
    assert.equal(code, 0, output);
    for (const heading of ['1. Weight', '2. Adapter overhead', '3. Payment creation', '4. Time to "paid"', '5. Cost to Izly', '6. Memory', '7. Start-up']) {
      assert.match(output, new RegExp(`━━ ${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), `no section ${heading}`);
    }
    assert.match(output, /Placement: /);
  });

  it('writes every figure with its baseline and ratio to the results file', async () => {
    const { code, output } = await quickRun();
    assert.equal(code, 0, output);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { quick: boolean; machine: { cores: number }; benchmarks: Array<{ figures: Figure[] }> };
    assert.equal(results.quick, true);
    assert.ok(results.machine.cores >= 1);
    const figures = new Map(results.benchmarks.flatMap((benchmark) => benchmark.figures).map((f) => [f.id, f]));
    for (const id of EXPECTED) {
      const found = figures.get(id);
      assert.ok(found, `figure ${id} is missing`);
      assert.ok(Number.isFinite(found.value), `figure ${id} has no value`);
      if (WITHOUT_BASELINE.has(id)) continue;
      assert.ok(found.baseline && Number.isFinite(found.baseline.value), `figure ${id} has no baseline`);
      assert.ok(found.ratio === null || Number.isFinite(found.ratio), `figure ${id} has a broken ratio`);
      assert.ok(output.includes(found.label), `figure ${id} is not printed`);
    }
  });
});
