// `izly-pay serve`'s service against a real sandbox and a partner shop over HTTP: the amount comes from
// the signed order callout (and a callout that fails, answers late or answers nonsense gives the student an
// error and creates nothing), outcomes leave as signed webhooks with a fixed event id, the back office
// reads and refunds behind its key, and CORS answers only the allowed origins.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { memoryStore } from '../../../server-adapter/index.js';
import { BROKE_STUDENT, payAsStudent, STUDENT } from '../helpers/harness.js';
import { startServiceFixture, type ServiceFixture } from './service-fixture.js';

describe('izly-pay serve, the service', () => {
  let f: ServiceFixture;

  before(async () => {
    f = await startServiceFixture({ store: memoryStore() });
  });
  after(() => f.close());

  async function paidPayment(orderId: string, amount = 330): Promise<string> {
    f.shop.orders.set(orderId, { amount, message: 'Ticket RU' });
    const created = (await (await f.createPayment(orderId)).json()) as { paymentId: string; authorizationUrl: string; amount: number };
    assert.equal(created.amount, amount, "the amount is the partner's");
    const processed = f.shop.processed.length + 1;
    await payAsStudent(created.authorizationUrl, { ...STUDENT, action: 'validate' });
    await f.shop.processedCount(processed);
    await f.delivered(created.paymentId);
    return created.paymentId;
  }

  describe('the order callout', () => {
    test('asks the shop, signed, for the amount: the payment gets it', async () => {
      f.shop.orders.set('A-1', { amount: 450, message: 'Carte' });
      const response = await f.createPayment('A-1');
      assert.equal(response.status, 201);
      assert.equal(((await response.json()) as { amount: number }).amount, 450);
      assert.deepEqual(f.shop.callouts.at(-1), { orderId: 'A-1', signature: 'ok' });
    });

    test('an order the shop does not have (404) is refused as unknown, nothing created', async () => {
      const response = await f.createPayment('A-none');
      assert.equal(response.status, 404);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'unknown_order');
      assert.deepEqual(await f.service.izly.store.findByOrderId('A-none'), []);
    });

    for (const mode of ['late', 'error', 'bad-amount'] as const) {
      test(`a shop that answers ${mode === 'late' ? 'too late' : mode === 'error' ? '500' : 'no amount'}: the student gets an error, nothing is created`, async () => {
        f.shop.calloutMode = mode;
        try {
          const orderId = `A-${mode}`;
          f.shop.orders.set(orderId, { amount: 100 });
          const logged = f.logged(/order\(\) hook failed for order A-/);
          const response = await f.createPayment(orderId);
          assert.equal(response.status, 500);
          assert.deepEqual(await response.json(), { error: { code: 'internal_error', message: 'The order could not be read' } });
          assert.match(await logged, mode === 'late' ? /did not answer within 300 ms/ : mode === 'error' ? /answered 500/ : /"amount" as a positive integer/);
          assert.deepEqual(await f.service.izly.store.findByOrderId(orderId), []);
        } finally {
          f.shop.calloutMode = 'ok';
          f.log.length = 0;
        }
      });
    }
  });

  describe('the webhooks', () => {
    test('payment.paid reaches the shop signed, with a fixed event id and the payment', async () => {
      const paymentId = await paidPayment('B-1');
      const event = f.shop.processed.at(-1)!;
      assert.equal(event.id, `evt_${paymentId}.paid`);
      assert.equal(event.type, 'payment.paid');
      assert.deepEqual(
        { id: event.payment.id, orderId: event.payment.orderId, amount: event.payment.amount, status: event.payment.status },
        { id: paymentId, orderId: 'B-1', amount: 330, status: 'paid' },
      );
      assert.equal(f.shop.attempts.at(-1)?.signature, 'ok');
      assert.equal(JSON.stringify(event).includes('authorizationUrl'), false, "the Izly page's URL stays the student's");
    });

    test('a payment refused at Izly (balance too low) sends payment.failed', async () => {
      f.shop.orders.set('B-3', { amount: 330 });
      const created = (await (await f.createPayment('B-3')).json()) as { paymentId: string; authorizationUrl: string };
      const processed = f.shop.processedCount(f.shop.processed.length + 1);
      await payAsStudent(created.authorizationUrl, { ...BROKE_STUDENT, action: 'validate' });
      await processed;
      const event = f.shop.processed.at(-1)!;
      assert.deepEqual([event.id, event.type, event.payment.status], [`evt_${created.paymentId}.failed`, 'payment.failed', 'failed']);
    });

    test('a refund sends payment.paid again (the shop answers 409: it has it) and then payment.refunded', async () => {
      const paymentId = await paidPayment('B-2');
      const attemptsBefore = f.shop.attempts.length;
      const refunded = f.shop.processedCount(f.shop.processed.length + 1);
      const response = await f.backOffice(`/payments/${paymentId}/refund`, { method: 'POST' });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { payment: { status: string } }).payment.status, 'refunded');
      await refunded;
      assert.deepEqual(
        f.shop.attempts.slice(attemptsBefore).map(({ eventId, status }) => ({ eventId, status })),
        [
          { eventId: `evt_${paymentId}.paid`, status: 409 },
          { eventId: `evt_${paymentId}.refunded`, status: 200 },
        ],
      );
      await f.delivered(paymentId);
      const read = (await (await f.backOffice(`/payments/${paymentId}`)).json()) as {
        webhook: { deliveries: Array<{ detail: { eventId: string; status: number } }> };
      };
      assert.deepEqual(
        read.webhook.deliveries.map(({ detail }) => [detail.eventId, detail.status]),
        [
          [`evt_${paymentId}.paid`, 200],
          [`evt_${paymentId}.paid`, 409],
          [`evt_${paymentId}.refunded`, 200],
        ],
        'each accepted delivery is recorded, the 409 of an event the shop had included',
      );
    });
  });

  describe('the back office (/api)', () => {
    test('refuses a missing or wrong key with 401', async () => {
      const none = await fetch(`${f.url}/api/payments?status=paid`);
      const wrong = await fetch(`${f.url}/api/payments?status=paid`, { headers: { 'Izly-Pay-Api-Key': 'x'.repeat(42) } });
      assert.deepEqual([none.status, wrong.status], [401, 401]);
      assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'unauthorized');
    });

    test('reads a payment with its webhook state and events, and lists by order and by status', async () => {
      const paymentId = await paidPayment('C-1');
      const one = (await (await f.backOffice(`/payments/${paymentId}`)).json()) as {
        payment: { status: string };
        webhook: { owed: string | null; failures: unknown[]; deliveries: Array<{ detail: Record<string, unknown> }> };
        events: Array<{ type: string; detail: Record<string, unknown> }>;
      };
      assert.equal(one.payment.status, 'paid');
      assert.deepEqual([one.webhook.owed, one.webhook.failures], [null, []]);
      assert.ok(one.events.some((event) => event.type === 'transition'));
      const delivered = { event: 'payment.paid', eventId: `evt_${paymentId}.paid`, status: 200, attempt: 1 };
      assert.deepEqual(
        one.webhook.deliveries.map((delivery) => delivery.detail),
        [delivered],
        'the accepted delivery is on the payment',
      );
      assert.deepEqual(
        one.events.filter((event) => event.type === 'webhook_delivered').map((event) => event.detail),
        [delivered],
      );
      const byOrder = (await (await f.backOffice('/payments?orderId=C-1')).json()) as { payments: Array<{ id: string }> };
      assert.deepEqual(
        byOrder.payments.map((payment) => payment.id),
        [paymentId],
      );
      const byStatus = (await (await f.backOffice('/payments?status=paid&limit=1')).json()) as { payments: Array<{ id: string }> };
      assert.deepEqual(
        byStatus.payments.map((payment) => payment.id),
        [paymentId],
        'newest first',
      );
    });

    test('refuses bad queries, unknown payments and a second refund, in the JSON error shape', async () => {
      const answers = await Promise.all(
        [
          '/payments',
          '/payments?status=lost',
          '/payments?orderId=x&status=paid',
          '/payments?status=paid&limit=0',
          '/payments?state=paid',
          '/payments/pay_none',
        ].map(async (path) => {
          const response = await f.backOffice(path);
          return [response.status, ((await response.json()) as { error: { code: string } }).error.code];
        }),
      );
      assert.deepEqual(answers, [
        [400, 'invalid_request'],
        [400, 'invalid_request'],
        [400, 'invalid_request'],
        [400, 'invalid_request'],
        [400, 'invalid_request'],
        [404, 'payment_not_found'],
      ]);
      const paymentId = await paidPayment('C-2');
      assert.equal((await f.backOffice(`/payments/${paymentId}/refund`, { method: 'POST' })).status, 200);
      const again = await f.backOffice(`/payments/${paymentId}/refund`, { method: 'POST' });
      assert.equal(again.status, 409);
      assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'already_refunded');
    });
  });

  describe('the widget bundle and the health check', () => {
    test('serves izly-pay.js under the base path, to any origin, and /healthz', async () => {
      const bundle = await fetch(`${f.url}/izly/izly-pay.js`);
      assert.equal(bundle.status, 200);
      assert.match(bundle.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.equal(bundle.headers.get('access-control-allow-origin'), '*');
      assert.equal(await bundle.text(), 'export const bundle = true;\n');
      assert.deepEqual(await (await fetch(`${f.url}/healthz`)).json(), { ok: true });
    });
  });
});

describe('izly-pay serve, CORS on its own origin', () => {
  let f: ServiceFixture;
  before(async () => {
    f = await startServiceFixture({ store: memoryStore(), env: { IZLY_PAY_CORS: 'true' } });
  });
  after(() => f.close());

  const preflight = (origin: string) =>
    fetch(`${f.url}/izly/payments`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key' },
    });

  test('answers the preflight of an allowed origin, with no credentials', async () => {
    const response = await preflight(f.shop.url);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), f.shop.url);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /idempotency-key/);
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
  });

  test('refuses the preflight of any other origin, without CORS headers', async () => {
    const response = await preflight('https://evil.example');
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });

  test("gives the allowed origin the adapter's answers, and exposes Retry-After", async () => {
    f.shop.orders.set('D-1', { amount: 100 });
    const response = await f.createPayment('D-1');
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('access-control-allow-origin'), f.shop.url);
    assert.match(response.headers.get('access-control-expose-headers') ?? '', /retry-after/);
    const other = await fetch(`${f.url}/izly/payments/pay_x`, { headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    await other.body?.cancel();
  });
});
