// Everything under the mount answers in the JSON error shape: a path no route matches is a 404
// `not_found`, a wrong method a 405 with `Allow`; the host app's own routes outside the mount are not
// touched. And a browser gets our words, never Izly's: Izly's reason for a refusal goes to the log.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { izlyPay, memoryStore } from '../../../server-adapter/index.js';
import { startHarness } from '../helpers/harness.js';

function hostApp(): Hono {
  const izly = izlyPay({
    baseUrl: 'http://127.0.0.1:9',
    appIdentifier: 'izly-pay-demo',
    apiKey: 'a-key',
    secret: 'x'.repeat(32),
    store: memoryStore(),
    allowedOrigins: ['http://localhost:8787'],
    order: () => null,
    logger: { warn() {}, error() {} },
  });
  const app = new Hono();
  app.get('/', (c) => c.text('home'));
  app.route('/izly', izly);
  app.get('/other', (c) => c.text('other'));
  return app;
}

describe('answers under the mount', () => {
  const app = hostApp();

  for (const [method, path] of [
    ['POST', '/izly/payments/'],
    ['GET', '/izly/anything'],
    ['GET', '/izly/'],
    ['DELETE', '/izly/payments/pay_x/refund/more'],
    ['GET', '/izly/connect/login'],
  ] as const) {
    test(`${method} ${path}: 404 not_found in the JSON shape`, async () => {
      const answer = await app.request(path, { method });
      assert.equal(answer.status, 404);
      assert.match(answer.headers.get('content-type') ?? '', /application\/json/);
      const body = (await answer.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'not_found');
      assert.equal(typeof body.error.message, 'string');
    });
  }

  test('a wrong method on a route: 405 with Allow, in the JSON shape', async () => {
    const answer = await app.request('/izly/payments', { method: 'GET' });
    assert.equal(answer.status, 405);
    assert.equal(answer.headers.get('allow'), 'POST');
    assert.equal(((await answer.json()) as { error: { code: string } }).error.code, 'method_not_allowed');
  });

  test('the host app’s own routes, before and after the mount, and its own 404 outside it', async () => {
    assert.equal(await (await app.request('/')).text(), 'home');
    assert.equal(await (await app.request('/other')).text(), 'other');
    const outside = await app.request('/izlyother');
    assert.equal(outside.status, 404);
    assert.doesNotMatch(outside.headers.get('content-type') ?? '', /json/);
  });
});

describe("Izly's own text", () => {
  test('a refusal reaches the browser in our words only; Izly’s reason is in the log', async () => {
    const warnings: string[] = [];
    const h = await startHarness({ adapter: { logger: { warn: (message) => void warnings.push(message), error() {} } } });
    try {
      h.orders.set('A-1042', { amount: 250 });
      // Izly has seen both references the adapter would try (A-1042, then A-1042-2): it refuses with 710.
      await h.izly.client.initiatePayment({ amount: 250, clientOrderId: 'A-1042' });
      await h.izly.client.initiatePayment({ amount: 250, clientOrderId: 'A-1042-2' });
      const answer = await h.createPayment('A-1042');
      assert.equal(answer.status, 502);
      assert.deepEqual(await answer.json(), { error: { code: 'izly_error', message: 'Izly refused the request' } });
      assert.ok(
        warnings.some((warning) => /OrderId déjà/.test(warning)),
        `Izly's reason is logged: ${warnings.join(' | ')}`,
      );
    } finally {
      await h.close();
    }
  });
});
