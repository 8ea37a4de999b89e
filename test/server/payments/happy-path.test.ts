// The whole path of a payment through the real sandbox: create, the student validates on Izly's page,
// Izly's callback is confirmed with a status read, the long poll wakes, onPaid runs once.
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, payAsStudent, SECRET, startHarness, STUDENT, type Harness } from '../helpers/harness.js';

describe('izlyPay(): a payment end to end', () => {
  let h: Harness;
  beforeEach(async () => {
    // Status reads are spaced far apart here, so that only the callback can wake the long poll.
    h = await startHarness({ adapter: { statusReadIntervalMs: 60_000 } });
    h.orders.set('A-1042', { amount: 250, message: 'Commande A-1042' });
  });
  afterEach(() => h.close());

  test('created, validated by the student, paid through the callback; the long poll wakes', async () => {
    const created = await h.createPayment('A-1042');
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('cache-control'), 'no-store');
    const payment = await created.json();
    assert.equal(payment.status, 'pending');
    assert.equal(payment.amount, 250);
    assert.equal(payment.currency, 'EUR');
    assert.equal(payment.orderId, 'A-1042');
    assert.match(payment.authorizationUrl, new RegExp(`^${h.sandboxUrl}/payment/`));

    const operation = h.sandbox.control.operations()[0]!;
    assert.equal(operation.amount, 250);
    assert.equal(operation.clientOrderId, 'A-1042');
    assert.equal(operation.message, 'Commande A-1042');
    assert.match(operation.callbackParameters, new RegExp(`^p=${payment.paymentId}&s=[A-Za-z0-9_-]{43}$`));
    const redirect = new URL(operation.redirectUrlAfterPayment);
    assert.equal(redirect.searchParams.get('izly_payment'), payment.paymentId);

    // Start waiting before the student acts: the long poll must be woken by the callback.
    const polled = h.getPayment(payment.paymentId, 20);
    const outcome = await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    assert.equal(outcome.status, 200);
    assert.equal(outcome.returnLink, redirect.href);
    const answer = await polled;
    const view = await answer.json();
    assert.equal(view.status, 'paid');
    assert.ok(view.paidAt);
    assert.equal(view.customerEmail, undefined);
    assert.equal(answer.headers.get('cache-control'), 'no-store');

    await h.sandbox.control.settled();
    assert.equal(h.hooks.paid.length, 1);
    assert.equal(h.hooks.paid[0]!.id, payment.paymentId);
    assert.equal(h.hooks.paid[0]!.customerEmail, STUDENT.identifier);
    assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, 10000 - 250);
    const events = await h.izly.store.events(payment.paymentId);
    assert.ok(events.some((e) => e.type === 'callback'));
    assert.ok(events.some((e) => e.type === 'transition' && e.detail.to === 'paid'));
  });
});

describe('izlyPay(): hooks and logs', () => {
  test('a failing onPaid is logged and recorded, never run twice; no log line carries a secret', async () => {
    const lines: string[] = [];
    const logger = { warn: (line: string) => void lines.push(line), error: (line: string) => void lines.push(line) };
    let calls = 0;
    const h = await startHarness({
      adapter: {
        logger,
        onPaid: () => {
          calls += 1;
          throw new Error('fulfilment down');
        },
      },
    });
    try {
      h.orders.set('A-1', { amount: 250 });
      const payment = await (await h.createPayment('A-1')).json();
      // Noise that makes the adapter log: a forged callback and a failing Izly.
      await h.postCallback(`?p=${payment.paymentId}&s=forged`, {});
      h.sandbox.control.setFaults({ duplicateCallbacks: true });
      await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
      await h.sandbox.control.settled();
      h.sandbox.control.setFaults({ serverErrors: 1, routes: ['initiate'] });
      h.orders.set('B-2', { amount: 100 });
      await h.createPayment('B-2');

      assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'paid');
      assert.equal(calls, 1);
      const events = await h.izly.store.events(payment.paymentId);
      assert.ok(events.some((e) => e.type === 'hook_failed' && e.detail.message === 'fulfilment down'));
      assert.ok(lines.some((line) => line.includes('onPaid failed')));
      const signature = new URLSearchParams(h.sandbox.control.operations().at(-1)!.callbackParameters).get('s')!;
      const everything = JSON.stringify({ lines, events });
      for (const secret of [API_KEY, SECRET, signature, `Basic `]) assert.ok(!everything.includes(secret), secret);
    } finally {
      await h.close();
    }
  });
});
