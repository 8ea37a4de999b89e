// The runtime matrix: on Node, Bun, Deno and workerd (Miniflare), the example server of examples/<runtime>/
// (the README's code) takes a whole payment against the sandbox, itself run on the same runtime. Each
// example and sandbox server is bundled from the sources with esbuild; the runtimes come from
// test/runtimes/node_modules (npm ci --prefix test/runtimes), and a runtime not installed is skipped loudly.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POINT_OF_SALE } from '../../sandbox/index.js';
import { bundle, type Platform } from './bundle.js';
import { freePort, missingRuntime, startProcess, startWorker, type ProcessServer, type RuntimeServer, type WorkerServer } from './runtime-servers.js';
import { ADMIN_TOKEN, takeWholePayment, type PaymentFigures } from './whole-payment.js';

const CONTROL_TOKEN = 'matrix-control-token-0123456789abcdef';

interface Runtime {
  name: string;
  platform: Platform;
  shop: string;
  sandbox: string;
}

const RUNTIMES: Runtime[] = [
  { name: 'Node', platform: 'node', shop: 'examples/node/server.ts', sandbox: 'test/runtimes/servers/sandbox-node.ts' },
  { name: 'Bun', platform: 'bun', shop: 'examples/bun/server.ts', sandbox: 'test/runtimes/servers/sandbox-bun.ts' },
  { name: 'Deno', platform: 'deno', shop: 'examples/deno/server.ts', sandbox: 'test/runtimes/servers/sandbox-deno.ts' },
  { name: 'workerd', platform: 'workerd', shop: 'examples/workers/worker.ts', sandbox: 'test/runtimes/servers/sandbox-worker.ts' },
];

/** The settings of the example shop, as its environment or a Worker's bindings. */
function shopSettings(sandboxUrl: string, shopUrl: string, databasePath: string): Record<string, string> {
  return {
    IZLY_BASE_URL: sandboxUrl,
    IZLY_APP_IDENTIFIER: DEFAULT_POINT_OF_SALE.appIdentifier,
    IZLY_API_KEY: DEFAULT_POINT_OF_SALE.apiKey,
    IZLY_CALLBACK_SECRET: 'matrix-callback-secret-at-least-32-characters',
    SHOP_ORIGIN: shopUrl,
    ADMIN_TOKEN,
    DATABASE_PATH: databasePath,
  };
}

/** Starts a server of the matrix; `dataDir` keeps the shop's database (a Worker's D1 too) across restarts. */
function start(runtime: Runtime, bundlePath: string, port: number, settings: Record<string, string>, dataDir?: string): Promise<ProcessServer | WorkerServer> {
  if (runtime.platform === 'workerd') return startWorker(bundlePath, port, settings, dataDir ? { names: ['DB'], folder: dataDir } : undefined);
  return startProcess(runtime.platform, bundlePath, port, settings);
}

function report(runtime: Runtime, figures: PaymentFigures, startMs: number): void {
  const ms = (value: number) => `${Math.round(value)} ms`;
  console.log(
    `runtime matrix: ${runtime.name.padEnd(7)} started in ${ms(startMs)}, created in ${ms(figures.created)}, ` +
      `paid ${ms(figures.validatedToPaid)} after the Izly page, whole payment ${ms(figures.total)} (long poll held 15 s)`,
  );
}

async function runOn(runtime: Runtime, t: TestContext): Promise<void> {
  const missing = missingRuntime(runtime.platform);
  if (missing) {
    console.log(`\n!!! runtime matrix: ${runtime.name} SKIPPED, not installed here: ${missing}\n`);
    t.skip(`${runtime.name} not installed: ${missing}`);
    return;
  }
  const startedAt = performance.now();
  const key = runtime.platform;
  const [shopBundle, sandboxBundle, sandboxPort, shopPort] = await Promise.all([
    bundle(runtime.shop, runtime.platform, `${key}-shop`),
    bundle(runtime.sandbox, runtime.platform, `${key}-sandbox`),
    freePort(),
    freePort(),
  ]);
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const shopUrl = `http://127.0.0.1:${shopPort}`;
  const dataDir = mkdtempSync(join(tmpdir(), `izly-matrix-${key}-`));
  const settings = shopSettings(sandboxUrl, shopUrl, join(dataDir, 'payments.db'));
  const servers: RuntimeServer[] = [];
  try {
    const [sandbox, shop] = await Promise.all([
      start(runtime, sandboxBundle, sandboxPort, { SANDBOX_URL: sandboxUrl, PARTNER_URL: shopUrl, CONTROL_TOKEN }),
      start(runtime, shopBundle, shopPort, settings, dataDir),
    ]);
    servers.push(sandbox, shop);
    const startMs = performance.now() - startedAt;
    const figures = await takeWholePayment(shop, { url: sandbox.url, controlToken: CONTROL_TOKEN });
    report(runtime, figures, startMs);

    // The runtime's store, not memory: the shop started again on the same database still knows the refund.
    await shop.stop();
    const restarted = await start(runtime, shopBundle, shopPort, settings, dataDir);
    servers.push(restarted);
    const read = await fetch(`${restarted.url}/izly/payments/${encodeURIComponent(figures.paymentId)}`);
    assert.equal(read.status, 200, await read.clone().text());
    assert.equal(((await read.json()) as { status: string }).status, 'refunded');

    if ('scheduled' in restarted) {
      t.diagnostic(`scheduled(): ${await restarted.scheduled('* * * * *')}`);
      await restarted.line(/^reconciled: \d+ checked, 0 changed, 0 errors$/);
    }
    // The example's own stop on SIGTERM: server closed, reconciling stopped, store closed, process ended.
    if ('terminate' in restarted) assert.equal(await restarted.terminate(), 'exit 0', restarted.output());
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function bunCutsSilentRequests(t: TestContext): Promise<void> {
  const missing = missingRuntime('bun');
  if (missing) return t.skip(missing);
  const [serverBundle, port] = await Promise.all([bundle('test/runtimes/servers/bun-default-idle.ts', 'bun', 'bun-default-idle'), freePort()]);
  const server = await startProcess('bun', serverBundle, port, {});
  try {
    const outcome = await fetch(server.url).then(
      (response) => `answered ${response.status}`,
      (error: unknown) => `cut: ${String((error as { cause?: unknown }).cause ?? error)}`,
    );
    assert.match(outcome, /^cut: /, "Bun's default idleTimeout no longer cuts a 20 s silence: update the README's Bun quirk");
  } finally {
    await server.stop();
  }
}

describe('runtime matrix: the example shop takes a whole payment against the sandbox, both on the same runtime', { concurrency: true }, () => {
  // IZLY_MATRIX_ONLY=bun,deno runs only those (while working on one runtime).
  const only = process.env.IZLY_MATRIX_ONLY?.split(',');
  for (const runtime of RUNTIMES.filter((candidate) => !only || only.includes(candidate.platform))) {
    test(`${runtime.name}: created, Izly page validated, callback confirmed, a long poll held 15 s woken, refunded`, (t) => runOn(runtime, t));
  }
  if (!only || only.includes('bun')) test("Bun's quirk: with its default idleTimeout, Bun.serve() cuts a request silent for 20 s", bunCutsSilentRequests);
});
