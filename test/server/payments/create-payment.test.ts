// POST /payments: the server decides the amount, one Izly operation per order whatever the clicks,
// and requests from elsewhere are refused.
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { BROKE_STUDENT, payAsStudent, startHarness, STUDENT, type Harness } from '../helpers/harness.js';

describe('POST /payments', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.orders.set('A-1', { amount: 250 });
  });
  afterEach(() => h.close());

  describe('the amount', () => {
    test('comes from order() only: an amount sent by the browser is ignored', async () => {
      const response = await h.createPayment('A-1', { body: { amount: 1, Amount: 1 } });
      assert.equal(response.status, 201);
      assert.equal((await response.json()).amount, 250);
      assert.equal(h.sandbox.control.operations()[0]!.amount, 250);
    });

    test('an order the hook does not know is 404 unknown_order, and Izly is not called', async () => {
      const response = await h.createPayment('nope');
      assert.equal(response.status, 404);
      assert.equal((await response.json()).error.code, 'unknown_order');
      assert.equal(h.sandbox.control.operations().length, 0);
    });
  });

  describe('idempotency', () => {
    /** The browser has paid here before: it holds its payer cookie (and one Izly operation, for order A-0). */
    async function returningBrowser(): Promise<void> {
      h.orders.set('A-0', { amount: 100 });
      assert.equal((await h.createPayment('A-0')).status, 201);
      assert.match(h.cookie, /^izly_payer=/);
    }
    const operationsOfA1 = () => h.sandbox.control.operations().filter((operation) => operation.amount === 250).length;

    test('ten concurrent clicks with one Idempotency-Key: one payment, one Izly operation', async () => {
      // A browser with no payer cookie yet: the key makes all ten the same payer.
      const key = crypto.randomUUID();
      const answers = await Promise.all(Array.from({ length: 10 }, () => h.createPayment('A-1', { key })));
      const bodies = await Promise.all(answers.map((a) => a.json()));
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      assert.equal(new Set(bodies.map((b) => b.paymentId)).size, 1);
      assert.equal(new Set(bodies.map((b) => b.authorizationUrl)).size, 1);
      assert.equal(operationsOfA1(), 1);
    });

    test('ten concurrent clicks with different keys for one order: one payment, one Izly operation', async () => {
      await returningBrowser();
      const before = h.upstreamCount('POST', /\/WebPayments$/);
      const answers = await Promise.all(Array.from({ length: 10 }, () => h.createPayment('A-1')));
      const bodies = await Promise.all(answers.map((a) => a.json()));
      assert.equal(answers.filter((a) => a.status === 201).length, 1);
      assert.ok(answers.every((a) => a.status === 200 || a.status === 201));
      assert.equal(new Set(bodies.map((b) => b.paymentId)).size, 1);
      assert.ok(bodies.every((b) => b.status === 'pending' && b.authorizationUrl));
      assert.equal(operationsOfA1(), 1);
      assert.equal(h.upstreamCount('POST', /\/WebPayments$/) - before, 1);
    });

    test('ten concurrent first clicks with different keys from a browser with no payer cookie yet: one payment, the others 409 and told nothing', async () => {
      // Two tabs clicking at once before any cookie: each is a new payer, and the first to create owns the payment.
      const answers = await Promise.all(Array.from({ length: 10 }, () => h.createPayment('A-1')));
      const bodies = await Promise.all(answers.map((a) => a.json()));
      assert.equal(answers.filter((a) => a.status === 201).length, 1);
      const owner = bodies[answers.findIndex((a) => a.status === 201)];
      const refused = bodies.filter((_, i) => answers[i]!.status !== 201);
      assert.ok(answers.every((a) => a.status === 201 || a.status === 409));
      for (const body of refused) assert.deepEqual(body, { error: { code: 'payment_in_progress', message: body.error.message } });
      assert.equal(JSON.stringify(refused).includes(owner.paymentId), false);
      assert.equal(operationsOfA1(), 1);
    });

    test('a key reused for another order is 409 idempotency_key_reused', async () => {
      h.orders.set('A-2', { amount: 100 });
      const key = crypto.randomUUID();
      assert.equal((await h.createPayment('A-1', { key })).status, 201);
      const again = await h.createPayment('A-2', { key });
      assert.equal(again.status, 409);
      assert.equal((await again.json()).error.code, 'idempotency_key_reused');
    });

    test('a new click after a refused payment (balance) creates a new payment', async () => {
      const first = await (await h.createPayment('A-1')).json();
      h.sandbox.control.updateAccount(BROKE_STUDENT.identifier, { balance: 100 });
      const refused = await payAsStudent(first.authorizationUrl, { ...BROKE_STUDENT, action: 'validate' });
      assert.ok(refused.alert);
      await h.sandbox.control.settled();
      assert.equal((await (await h.getPayment(first.paymentId)).json()).status, 'failed');
      const second = await h.createPayment('A-1');
      assert.equal(second.status, 201);
      const body = await second.json();
      assert.notEqual(body.paymentId, first.paymentId);
      assert.equal(h.sandbox.control.operations().length, 2);
      await payAsStudent(body.authorizationUrl, { ...STUDENT, action: 'validate' });
      assert.equal((await (await h.getPayment(body.paymentId, 10)).json()).status, 'paid');
      assert.equal(h.hooks.failed.length, 1);
      assert.equal(h.hooks.paid.length, 1);
    });

    test('a new click after a cancel whose callback never came: the status read frees the order', async () => {
      h.sandbox.control.setFaults({ dropCallbacks: true });
      const first = await (await h.createPayment('A-1')).json();
      await payAsStudent(first.authorizationUrl, { ...STUDENT, action: 'cancel' });
      const second = await h.createPayment('A-1');
      assert.equal(second.status, 201);
      assert.notEqual((await second.json()).paymentId, first.paymentId);
      assert.equal((await h.izly.store.get(first.paymentId))?.status, 'cancelled');
    });

    test('an order already paid is 409 order_already_paid', async () => {
      const first = await (await h.createPayment('A-1')).json();
      await payAsStudent(first.authorizationUrl, { ...STUDENT, action: 'validate' });
      assert.equal((await (await h.getPayment(first.paymentId, 10)).json()).status, 'paid');
      const again = await h.createPayment('A-1');
      assert.equal(again.status, 409);
      assert.equal((await again.json()).error.code, 'order_already_paid');
      assert.equal(h.sandbox.control.operations().length, 1);
    });

    test('an order whose amount changed while a payment is open is 409 order_amount_changed', async () => {
      await h.createPayment('A-1');
      h.orders.set('A-1', { amount: 300 });
      const again = await h.createPayment('A-1');
      assert.equal(again.status, 409);
      assert.equal((await again.json()).error.code, 'order_amount_changed');
    });
  });

  describe('cross-site protection and input checks', () => {
    const cases: Array<[string, { headers?: Record<string, string>; returnUrl?: string; body?: Record<string, unknown> }, number, string]> = [
      ['a foreign Origin', { headers: { Origin: 'https://evil.example' } }, 403, 'origin_not_allowed'],
      ['a form content type', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_content_type'],
      ['no Idempotency-Key', { headers: { 'Idempotency-Key': '' } }, 400, 'missing_idempotency_key'],
      ['a bad Idempotency-Key', { headers: { 'Idempotency-Key': 'a b' } }, 400, 'invalid_idempotency_key'],
      ['a returnUrl on another origin', { returnUrl: 'https://evil.example/steal' }, 400, 'return_url_not_allowed'],
      ['a returnUrl that is not a URL', { returnUrl: '/relative' }, 400, 'invalid_return_url'],
      ['no orderId', { body: { orderId: '' } }, 400, 'invalid_order_id'],
    ];
    for (const [name, init, status, code] of cases) {
      test(`${name} is ${status} ${code}, and Izly is not called`, async () => {
        const response = await h.createPayment('A-1', init);
        assert.equal(response.status, status);
        const body = await response.json();
        assert.equal(body.error.code, code);
        assert.equal(typeof body.error.message, 'string');
        assert.equal(h.sandbox.control.operations().length, 0);
      });
    }

    test('a request without Origin (server-to-server) is accepted', async () => {
      const response = await fetch(`${h.partnerUrl}/izly/payments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Idempotency-Key': 'k-1' },
        body: JSON.stringify({ orderId: 'A-1', returnUrl: `${h.partnerUrl}/back` }),
      });
      assert.equal(response.status, 201);
    });

    test('GET of an unknown payment is 404 payment_not_found; a bad wait is 400', async () => {
      const missing = await h.getPayment('pay_nope');
      assert.equal(missing.status, 404);
      assert.equal((await missing.json()).error.code, 'payment_not_found');
      const created = await (await h.createPayment('A-1')).json();
      const bad = await fetch(`${h.partnerUrl}/izly/payments/${created.paymentId}?wait=soon`);
      assert.equal(bad.status, 400);
      assert.equal((await bad.json()).error.code, 'invalid_wait');
    });

    test('the customer e-mail is shown only when the partner opts in', async () => {
      await h.close();
      h = await startHarness({ adapter: { exposeCustomerEmail: true } });
      h.orders.set('A-1', { amount: 250 });
      const created = await (await h.createPayment('A-1')).json();
      await payAsStudent(created.authorizationUrl, { ...STUDENT, action: 'validate' });
      const view = await (await h.getPayment(created.paymentId, 10)).json();
      assert.equal(view.status, 'paid');
      assert.equal(view.customerEmail, STUDENT.identifier);
    });
  });
});
