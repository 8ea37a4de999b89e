// Payments through izlyPay() against an Izly that speaks S-money's status names or its numeric codes
// (sandbox `statusVocabulary`): paid, refunded, failed and cancelled all land, and the record keeps Izly's
// word verbatim.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BROKE_STUDENT, payAsStudent, startHarness, STUDENT, type Harness } from '../helpers/harness.js';

/** Creates a payment for a new order and has the student decide on Izly's page; the payment's final view. */
async function decided(h: Harness, orderId: string, student: { identifier: string; password: string }, action: 'validate' | 'cancel') {
  h.orders.set(orderId, { amount: 300 });
  const created = await h.createPayment(orderId);
  assert.equal(created.status, 201, await created.clone().text());
  const payment = (await created.json()) as { paymentId: string; authorizationUrl: string };
  await payAsStudent(payment.authorizationUrl, { ...student, action });
  // Long polls, as the widget's: one may come back on a change that is not final (the page was opened).
  let status = 'pending';
  for (let polls = 0; status === 'pending' && polls < 5; polls++) {
    status = ((await (await h.getPayment(payment.paymentId, 10)).json()) as { status: string }).status;
  }
  await h.sandbox.control.settled();
  return { paymentId: payment.paymentId, status };
}

const EXPECTED = {
  's-money': { paid: 'Succeeded', refunded: 'Refund', failed: 'Failed', cancelled: 'Canceled' },
  numeric: { paid: '1', refunded: '2', failed: '3', cancelled: '5' },
} as const;

describe('payment states with every status vocabulary', () => {
  for (const statusVocabulary of ['s-money', 'numeric'] as const) {
    test(`'${statusVocabulary}': paid, refunded, failed, cancelled`, async () => {
      // Izly sends no callback for a cancel: reads find it, as often once callbacks are trusted as before.
      const h = await startHarness({ sandbox: { izly: { statusVocabulary } }, adapter: { safetyNetReadIntervalMs: 50 } });
      try {
        const raw = async (paymentId: string) => (await h.izly.store.get(paymentId))?.izlyStatus;

        const paid = await decided(h, 'V-1', STUDENT, 'validate');
        assert.equal(paid.status, 'paid');
        assert.equal(await raw(paid.paymentId), EXPECTED[statusVocabulary].paid);
        assert.equal(h.hooks.paid.length, 1);

        const refunded = await h.izly.refund(paid.paymentId);
        assert.equal(refunded.status, 'refunded');
        assert.equal(refunded.izlyStatus, EXPECTED[statusVocabulary].refunded);

        const failed = await decided(h, 'V-2', BROKE_STUDENT, 'validate');
        assert.equal(failed.status, 'failed');
        assert.equal(await raw(failed.paymentId), EXPECTED[statusVocabulary].failed);

        const cancelled = await decided(h, 'V-3', STUDENT, 'cancel');
        assert.equal(cancelled.status, 'cancelled');
        assert.equal(await raw(cancelled.paymentId), EXPECTED[statusVocabulary].cancelled);

        assert.deepEqual(
          h.hooks.failed.map((p) => p.status),
          ['failed', 'cancelled'],
        );
      } finally {
        await h.close();
      }
    });
  }
});
