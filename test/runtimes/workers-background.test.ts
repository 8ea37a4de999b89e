// On Workers, the adapter's work after an answer goes through `waitUntil` (Hono's `c.executionCtx`), or
// workerd cancels it with the request: here the missed-callback check. Callbacks are first trusted (one
// arrived), then the sandbox drops them; the next payment is found paid by a safety-net read, and a second
// later the check, run after that answer, must notice that its callback never came.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox, DEFAULT_POINT_OF_SALE } from '../../sandbox/index.js';
import { closeServer, listen } from '../server/helpers/http-server.js';
import { payAsStudent, STUDENT } from '../server/helpers/harness.js';
import { bundle } from './bundle.js';
import { freePort, missingRuntime, startWorker, type WorkerServer } from './runtime-servers.js';

async function payOrder(shop: WorkerServer, orderId: string): Promise<string> {
  const response = await fetch(`${shop.url}/izly/payments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), Origin: shop.url },
    body: JSON.stringify({ orderId, returnUrl: `${shop.url}/orders/${orderId}` }),
  });
  const created = (await response.json()) as { paymentId: string; authorizationUrl: string };
  assert.equal(response.status, 201, JSON.stringify(created));
  const outcome = await payAsStudent(created.authorizationUrl, { ...STUDENT, action: 'validate' });
  assert.equal(outcome.status, 200, outcome.alert ?? '');
  return created.paymentId;
}

async function statusAfterLongPoll(shop: WorkerServer, paymentId: string): Promise<string> {
  const response = await fetch(`${shop.url}/izly/payments/${encodeURIComponent(paymentId)}?wait=10`);
  return ((await response.json()) as { status: string }).status;
}

test('workerd: the missed-callback check runs after the answer, through waitUntil', async (t) => {
  const missing = missingRuntime('workerd');
  if (missing) {
    console.log(`\n!!! runtime matrix: workerd SKIPPED, not installed here: ${missing}\n`);
    return t.skip(missing);
  }
  const [workerBundle, shopPort] = await Promise.all([bundle('test/runtimes/servers/background-worker.ts', 'workerd', 'background-worker'), freePort()]);
  const shopUrl = `http://127.0.0.1:${shopPort}`;
  let sandbox: ReturnType<typeof createSandbox> | undefined;
  const sandboxServer = await listen((request) => sandbox!.fetch(request));
  sandbox = createSandbox({
    publicUrl: sandboxServer.url,
    callbackRetryDelayMs: 20,
    pointsOfSale: [{ callbackUrl: `${shopUrl}/izly/callback`, urlAfterPayment: `${shopUrl}/`, urlAfterCancellation: `${shopUrl}/` }],
  });
  const shop = await startWorker(workerBundle, shopPort, {
    IZLY_BASE_URL: sandboxServer.url,
    IZLY_APP_IDENTIFIER: DEFAULT_POINT_OF_SALE.appIdentifier,
    IZLY_API_KEY: DEFAULT_POINT_OF_SALE.apiKey,
    IZLY_CALLBACK_SECRET: 'matrix-callback-secret-at-least-32-characters',
    SHOP_ORIGIN: shopUrl,
  });
  try {
    const trusted = await payOrder(shop, 'order-1');
    await sandbox.control.settled();
    assert.equal(await statusAfterLongPoll(shop, trusted), 'paid');

    sandbox.control.setFaults({ dropCallbacks: true });
    const unheard = await payOrder(shop, 'order-2');
    assert.equal(await statusAfterLongPoll(shop, unheard), 'paid');
    await shop.line(new RegExp(`payment ${unheard} was found paid at Izly but its callback never came`));
  } finally {
    await shop.stop();
    sandbox.control.close();
    await closeServer(sandboxServer.server);
  }
});
