// The package as a partner gets it: `npm pack` (which builds through `prepack`, whatever ran before), the
// tarball installed in a blank project beside the oldest Hono of the declared peer range, a strict
// TypeScript mount type-checked against that Hono, every `exports` entry imported, the bins run from the
// installed package (no tsx there). Packages come from the registry through npm's default cache.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';

const root = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
};
// The oldest Hono the package claims to work with is the one tested: the range's lower bound. 4.6.7 because
// the adapter runs from 4.6.0 but @hono/node-server 2 (the sandbox CLI's server) imports hono/ws's
// defineWebSocketHelper, first exported by 4.6.7.
const oldestHono = manifest.peerDependencies.hono.replace(/^\^/, '');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
// Entries that run only in a browser (they define custom elements): resolved and parsed, not run.
const BROWSER_ENTRIES = new Set(['.', './pay-button', './connect-button', './izly-pay-button.js', './izly-pay.js', './izly-connect-button.js']);

let temp = '';
let project = '';

function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(command, args, { cwd: project, encoding: 'utf8', ...options });
  const output = `${String(result.stdout)}${String(result.stderr)}`;
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed:\n${output}`);
  return String(result.stdout);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

describe('the packed package, installed in a blank project', { timeout: 150_000 }, () => {
  let files: string[] = [];

  before(() => {
    temp = mkdtempSync(join(tmpdir(), 'izly-pay-pack-'));
    project = join(temp, 'partner');
    mkdirSync(project);
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', temp], { cwd: root })) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    files = packed.files.map((file) => file.path);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'partner', private: true, type: 'module' }));
    // pg is pure JavaScript and quick to install, so the PostgreSQL entry is really imported; better-sqlite3
    // (native) is left out, which also checks that the SQLite entry needs nothing else.
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(temp, packed.filename), `hono@${oldestHono}`, 'pg@8']);
  });

  after(() => rmSync(temp, { recursive: true, force: true }));

  test('ships the build, the bins, and every file the README links to', () => {
    for (const file of [
      'dist/server-adapter/index.js',
      'dist/server-adapter/index.d.ts',
      'dist/sandbox/cli.js',
      'dist/contract/browser-contract.js',
      'dist/izly-pay.js',
    ]) {
      assert.ok(files.includes(file), `${file} is missing from the tarball`);
    }
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const linked = [...readme.matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)/g)].map((match) => match[1]);
    assert.ok(linked.length > 0);
    for (const path of linked) assert.ok(files.includes(path), `README links to ${path}, which the tarball does not ship`);
  });

  test(`a strict TypeScript mount of izlyPay() type-checks against hono@${oldestHono}, and the script-tag events are typed`, () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [], noEmit: true },
      }),
    );
    writeFileSync(
      join(project, 'server.ts'),
      `import { Hono } from 'hono';
import { izlyPay, memoryStore } from 'izly-pay/server';

const app = new Hono();
app.route(
  '/izly',
  izlyPay({
    baseUrl: 'http://localhost:8790',
    appIdentifier: 'izly-pay-demo',
    apiKey: 'key',
    secret: 'x'.repeat(32),
    store: memoryStore(),
    allowedOrigins: ['http://localhost:8787'],
    order: async (orderId) => (orderId === 'A-1' ? { amount: 350 } : null),
    onPaid: async (payment) => console.log(payment.orderId, payment.amount),
  }),
);
export default app;
`,
    );
    // A page that loads the script tag and writes TypeScript: this one line types the events.
    writeFileSync(
      join(project, 'page.ts'),
      `import type {} from 'izly-pay';

document.querySelector('izly-pay-button')?.addEventListener('izly-pay-success', (event) => {
  const orderId: string = event.detail.orderId;
  console.log(orderId);
});
`,
    );
    run(process.execPath, [tsc, '-p', 'tsconfig.json']);
  });

  test('every exports entry resolves; the server and sandbox entries run on Node', () => {
    writeFileSync(
      join(project, 'check.mjs'),
      `import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
const [entries, browserEntries] = JSON.parse(process.argv[2]);
const loaded = [];
const [major, minor] = process.versions.node.split('.').map(Number);
const hasNodeSqlite = major > 22 || (major === 22 && minor >= 5);
for (const entry of entries) {
  const specifier = 'izly-pay' + entry.slice(1);
  const url = import.meta.resolve(specifier);
  if (url.endsWith('.json')) JSON.parse(readFileSync(fileURLToPath(url), 'utf8'));
  else if (browserEntries.includes(entry)) {
    // Parsed here; every bare import it makes must resolve from the package (lit must be a dependency).
    execFileSync(process.execPath, ['--check', fileURLToPath(url)]);
    const source = readFileSync(fileURLToPath(url), 'utf8');
    for (const [, bare] of source.matchAll(/from\\s*['"]([^'".][^'"]*)['"]/g)) import.meta.resolve(bare, url);
  } else if (entry === './server/sqlite') {
    // better-sqlite3 is an optional peer, not installed here: the entry must fail on that alone.
    await import(specifier).then(
      () => { throw new Error('imported without better-sqlite3'); },
      (error) => { if (!String(error.message).includes("'better-sqlite3'")) throw error; },
    );
  } else if (entry === './server/bun-sqlite' || (entry === './server/node-sqlite' && !hasNodeSqlite)) {
    // Built into Bun, and into Deno and Node >= 22.5: on an older Node the entry must fail on that alone.
    const builtin = entry === './server/bun-sqlite' ? "'bun:'" : 'node:sqlite';
    await import(specifier).then(
      () => { throw new Error('imported without ' + builtin); },
      (error) => { if (!String(error.message).includes(builtin)) throw error; },
    );
  } else await import(specifier);
  loaded.push(entry);
}
const { izlyPay, memoryStore } = await import('izly-pay/server');
const app = new Hono().route('/izly', izlyPay({
  baseUrl: 'http://localhost:8790', appIdentifier: 'izly-pay-demo', apiKey: 'key', secret: 'x'.repeat(32),
  store: memoryStore(), allowedOrigins: ['http://localhost:8787'], order: () => null,
}));
const answer = await app.request('/izly/payments/pay_unknown');
const { createSandbox } = await import('izly-pay/sandbox');
const home = await createSandbox().request('/');
console.log(JSON.stringify({ loaded, adapter: answer.status, sandbox: home.status }));
`,
    );
    const entries = Object.keys(manifest.exports);
    const result = JSON.parse(run(process.execPath, ['check.mjs', JSON.stringify([entries, [...BROWSER_ENTRIES]])])) as {
      loaded: string[];
      adapter: number;
      sandbox: number;
    };
    assert.deepEqual(result.loaded, entries);
    assert.equal(result.adapter, 404);
    assert.equal(result.sandbox, 200);
  });

  test('npx izly-pay --help and npx izly-sandbox --help run from the installed package', () => {
    assert.match(run('npx', ['--no-install', 'izly-pay', '--help']), /Usage: izly-pay <command>/);
    assert.match(run('npx', ['--no-install', 'izly-sandbox', '--help']), /Usage: izly-sandbox/);
  });

  test('the installed izly-sandbox serves its home page', async () => {
    const port = await freePort();
    const child = spawn(join(project, 'node_modules/.bin/izly-sandbox'), ['--port', String(port)], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      await new Promise<void>((listening, failed) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('listening on')) listening();
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', (code) => failed(new Error(`izly-sandbox exited with ${code}:\n${output}`)));
      });
      const home = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(home.status, 200);
      assert.match(await home.text(), /izly-pay-demo/);
    } finally {
      child.kill();
    }
  });
});
