import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../e2e/helpers/processes.js';
import { partnerHeaders, readPage } from './sandbox-test-helpers.js';

test('`izly-sandbox --port N` serves the sandbox: a payment is initiated and authorised over HTTP', async () => {
  const port = await freePort();
  const bin = fileURLToPath(new URL('../../../bin/izly-sandbox.mjs', import.meta.url));
  const child = spawn(process.execPath, [bin, '--port', String(port), '--public-url', `http://127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Accounts')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${output}`)));
    });
    assert.match(output, /listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(output, /AppIdentifier\s+izly-pay-demo/);
    assert.match(output, /API key\s+aXpseS1wYXktZGVtbzpzYW5kYm94LWRlbW8tc2VjcmV0\n/);
    assert.match(output, /etudiant@izly\.test\s+0612345678\s+izly1234\s+100,00 €/);

    const origin = `http://127.0.0.1:${port}`;
    const initiated = await fetch(`${origin}/api/Izly/WebPayments`, {
      method: 'POST',
      headers: partnerHeaders(),
      body: JSON.stringify({ Amount: 350, ClientOrderId: 'CLI-1' }),
    });
    assert.equal(initiated.status, 200);
    const { PaymentAuthorizationUrl: url } = (await initiated.json()) as { PaymentAuthorizationUrl: string };
    assert.ok(url.startsWith(`${origin}/payment/`));
    await fetch(`${origin}/sandbox/api/points-of-sale/izly-pay-demo`, { method: 'PATCH', body: JSON.stringify({ callbackAllowListed: false }) });
    const page = await fetch(url, {
      method: 'POST',
      body: new URLSearchParams({ identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' }),
    });
    assert.equal(readPage(await page.text()).heading, 'Paiement accepté');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});
