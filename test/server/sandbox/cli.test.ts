// `izly-sandbox` as a developer runs it (the TypeScript source, which the bin runs in a checkout; the pack
// test runs the built one): a payment over HTTP, the control token, `--port 0`, and one-line failures.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { freePort } from '../../e2e/helpers/processes.js';
import { partnerHeaders, readPage } from './sandbox-test-helpers.js';

const CLI = ['--import', 'tsx', 'sandbox/cli.ts'];

/** Starts the CLI, resolves with its banner once printed; `stop()` ends it and waits for the exit. */
async function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const output = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('Accounts')) resolve(text);
      });
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${text}`)));
    });
    return { output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs the CLI to its end (bounded): for the settings that stop it at once. */
function runCli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [...CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
}

test('`izly-sandbox --port N` serves the sandbox: a payment is initiated and authorised over HTTP, the control API with the printed token', async () => {
  const port = await freePort();
  const { output, stop } = await startCli(['--port', String(port), '--public-url', `http://127.0.0.1:${port}`]);
  try {
    assert.match(output, /listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(output, /AppIdentifier\s+izly-pay-demo/);
    assert.match(output, /API key\s+aXpseS1wYXktZGVtbzpzYW5kYm94LWRlbW8tc2VjcmV0\n/);
    assert.match(output, /etudiant@izly\.test\s+0612345678\s+izly1234\s+100,00 €/);
    const token = /token\s+([0-9a-f]{32})\n/.exec(output)?.[1];
    assert.ok(token, 'the banner prints a random control token');

    const origin = `http://127.0.0.1:${port}`;
    const initiated = await fetch(`${origin}/api/Izly/WebPayments`, {
      method: 'POST',
      headers: partnerHeaders(),
      body: JSON.stringify({ Amount: 350, ClientOrderId: 'CLI-1' }),
    });
    assert.equal(initiated.status, 200);
    const { PaymentAuthorizationUrl: url } = (await initiated.json()) as { PaymentAuthorizationUrl: string };
    assert.ok(url.startsWith(`${origin}/payment/`));
    const patch = (headers: Record<string, string>) =>
      fetch(`${origin}/sandbox/api/points-of-sale/izly-pay-demo`, { method: 'PATCH', headers, body: JSON.stringify({ callbackAllowListed: false }) });
    assert.equal((await patch({ 'content-type': 'application/json' })).status, 401);
    assert.equal((await patch({ 'content-type': 'application/json', authorization: `Bearer ${token}` })).status, 200);
    const page = await fetch(url, {
      method: 'POST',
      body: new URLSearchParams({ identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' }),
    });
    assert.equal(readPage(await page.text()).heading, 'Paiement accepté');
  } finally {
    await stop();
  }
});

test('`--port 0` listens on a free port, prints it, and hands out Izly pages on it; IZLY_SANDBOX_CONTROL_TOKEN sets the token', async () => {
  const token = 'script-control-token-0123456789';
  const { output, stop } = await startCli(['-p', '0'], { IZLY_SANDBOX_CONTROL_TOKEN: token });
  try {
    const port = Number(/listening on http:\/\/localhost:(\d+)\n/.exec(output)?.[1]);
    assert.ok(port > 0, output);
    assert.match(output, new RegExp(`token\\s+${token}\\n`));
    const origin = `http://localhost:${port}`;
    const initiated = await fetch(`${origin}/api/Izly/WebPayments`, {
      method: 'POST',
      headers: partnerHeaders(),
      body: JSON.stringify({ Amount: 350, ClientOrderId: 'CLI-0' }),
    });
    const { PaymentAuthorizationUrl: url } = (await initiated.json()) as { PaymentAuthorizationUrl: string };
    assert.ok(url.startsWith(`${origin}/payment/`), url);
    assert.equal((await fetch(url)).status, 200);
    assert.equal((await fetch(`${origin}/sandbox/api/state`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  } finally {
    await stop();
  }
});

describe('a setting the CLI cannot use stops it with one line naming the flag, no stack trace', () => {
  test('a busy port: exit 1, "choose another with --port"', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as { port: number }).port;
      const run = runCli(['--port', String(port)]);
      assert.equal(run.status, 1);
      assert.equal(run.stderr, `izly-sandbox: port ${port} is in use: choose another with --port\n`);
      assert.equal(run.stdout, '');
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  test('a bad port, a bad token, an unknown flag: exit 2, one line', () => {
    for (const [args, pattern] of [
      [['--port', 'eighty'], /^izly-sandbox: invalid port "eighty": choose one from 0 to 65535 with --port/],
      [['--control-token', 'short'], /^izly-sandbox: controlToken must be .*: change --control-token \(or IZLY_SANDBOX_CONTROL_TOKEN\)/],
      [['--prot', '1'], /^izly-sandbox: Unknown option '--prot'/],
    ] as const) {
      const run = runCli([...args]);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, pattern);
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    }
  });
});
