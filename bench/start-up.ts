// 7. Start-up: from spawning `node --import tsx demo/start.ts` (free ports, a fresh data folder, the widget
// bundle already built) to the first page it serves, beside a bare Hono hello world started the same way.
// The time is taken by asking for `/` every 5 ms until it answers 200. Both may use every core.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endProcess, spawnNode } from './child-process.js';
import { sleep } from './izly-world.js';
import { median } from './percentiles.js';
import { figure, type BenchResult } from './report.js';
import { buildWidget } from './weight.js';

const START_LIMIT_MS = 60_000;
const PROBE_EVERY_MS = 5;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Milliseconds from spawn to the first 200 on `/`. */
async function timeToFirstPage(file: string, env: NodeJS.ProcessEnv, port: number): Promise<number> {
  const began = performance.now();
  const child = spawnNode('any', ['--import', 'tsx', file], { ...process.env, ...env });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    while (performance.now() - began < START_LIMIT_MS) {
      if (child.exitCode !== null) throw new Error(`${file} exited (${child.exitCode}) before serving a page:\n${output}`);
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
      if (response) {
        await response.arrayBuffer();
        if (response.status === 200) return performance.now() - began;
        throw new Error(`${file} answered ${response.status} on /`);
      }
      await sleep(PROBE_EVERY_MS);
    }
    throw new Error(`${file} served no page within ${START_LIMIT_MS} ms:\n${output}`);
  } finally {
    await endProcess(child);
  }
}

async function demoOnce(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'izly-bench-demo-'));
  try {
    const [port, sandboxPort] = [await freePort(), await freePort()];
    return await timeToFirstPage('demo/start.ts', { PORT: String(port), SANDBOX_PORT: String(sandboxPort), DEMO_DATA_DIR: dataDir }, port);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function helloOnce(): Promise<number> {
  const port = await freePort();
  return timeToFirstPage('bench/children/hello-server.ts', { PORT: String(port) }, port);
}

export async function startUp(options: { runs: number; warmUp: boolean }): Promise<BenchResult> {
  // The demo rebuilds a stale bundle before it serves; that build is not part of its start-up.
  buildWidget(false);
  // One unmeasured start of each first, so that tsx's transform cache is warm, as on a developer's second start.
  if (options.warmUp) {
    await demoOnce();
    await helloOnce();
  }
  const demo: number[] = [];
  const hello: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    demo.push(await demoOnce());
    hello.push(await helloOnce());
  }
  return {
    figures: [
      figure({
        id: 'startup.demo',
        group: '7. Start-up',
        label: 'demo (sandbox + shop + adapter, SQLite) to first page',
        value: median(demo),
        unit: 'ms',
        baseline: { label: 'bare Hono hello world', value: median(hello) },
      }),
    ],
    notes: [
      `median of ${options.runs} start${options.runs > 1 ? 's' : ''} each, alternated${options.warmUp ? ', after one unmeasured start of each (tsx cache warm)' : ''}; spawn \`node --import tsx <file>\` on any core, probe GET / every ${PROBE_EVERY_MS} ms; demo: ${demo.map((ms) => ms.toFixed(0)).join(', ')} ms; hello: ${hello.map((ms) => ms.toFixed(0)).join(', ')} ms`,
    ],
  };
}
