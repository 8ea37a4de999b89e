// The public view's `failureReason` (issue 15, point 2): a stable code made of Izly's reason, whichever way it
// came (the failure callback's `Error` code and words, the GET's `Error` words, the status), against the real
// sandbox's refusals with its own codes and with Xpollens' (110 for a balance too low), and the mapping of words
// no sandbox account produces (a blocked account).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { publicFailureReason } from '../../../server-adapter/payments/payment-view.js';
import { startConnectHarness, type ConnectHarness } from './connect-harness.js';

describe('PaymentView.failureReason from Izly’s reason', () => {
  test('the record’s reason read as a stable code', () => {
    const failed = (failureReason: string | null) => publicFailureReason({ status: 'failed', failureReason });
    assert.equal(failed('izly_error_2002: Solde insuffisant'), 'insufficient_balance');
    assert.equal(failed('izly_error_110: Solde insuffisant'), 'insufficient_balance');
    assert.equal(failed('izly_error_2001: Compte non éligible : un impayé est à régulariser'), 'unpaid_debt');
    assert.equal(failed('izly_failed: Solde insuffisant'), 'insufficient_balance');
    assert.equal(failed('izly_failed: Compte non éligible : un impayé est à régulariser'), 'unpaid_debt');
    assert.equal(failed('izly_failed: Compte bloqué'), 'account_blocked');
    assert.equal(failed('izly_error_999: Account suspended'), 'account_blocked');
    assert.equal(failed('izly_failed'), 'unknown');
    assert.equal(failed('izly_unavailable'), 'unknown');
    assert.equal(failed(null), 'unknown');
    assert.equal(publicFailureReason({ status: 'cancelled', failureReason: 'izly_cancelled' }), 'cancelled');
    assert.equal(publicFailureReason({ status: 'expired', failureReason: 'expired_pending_at_izly' }), 'expired');
    for (const status of ['created', 'pending', 'paid', 'refunded'] as const)
      assert.equal(publicFailureReason({ status, failureReason: 'izly_failed' }), undefined);
  });
});

for (const errorCodes of ['sandbox', 'xpollens'] as const) {
  describe(`failureReason over HTTP, the sandbox answering with ${errorCodes} codes`, () => {
    let harness: ConnectHarness;
    before(async () => {
      harness = await startConnectHarness({ sandbox: { izly: { errorCodes } } });
    });
    after(() => harness.close());

    async function refusedFor(identifier: string): Promise<Record<string, unknown>> {
      const orderId = `A-${crypto.randomUUID().slice(0, 8)}`;
      harness.orders.set(orderId, { amount: 350 });
      const created = await fetch(`${harness.partnerUrl}/izly/payments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), Origin: harness.partnerUrl },
        body: JSON.stringify({ orderId, returnUrl: `${harness.partnerUrl}/commande` }),
      });
      const { authorizationUrl, paymentId } = (await created.json()) as { authorizationUrl: string; paymentId: string };
      // The payer's cookie: only the browser that started the payment reads its whole view.
      const cookie = created.headers
        .getSetCookie()
        .map((line) => line.split(';')[0])
        .join('; ');
      await fetch(authorizationUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ identifier, password: 'izly1234', action: 'validate' }),
      });
      const read = await fetch(`${harness.partnerUrl}/izly/payments/${paymentId}?wait=5&returned=1`, { headers: { Cookie: cookie } });
      return (await read.json()) as Record<string, unknown>;
    }

    test('too little balance: insufficient_balance', async () => {
      const view = await refusedFor('fauche@izly.test');
      assert.equal(view.status, 'failed');
      assert.equal(view.failureReason, 'insufficient_balance');
    });

    test('an unpaid debt: unpaid_debt', async () => {
      const view = await refusedFor('impaye@izly.test');
      assert.equal(view.status, 'failed');
      assert.equal(view.failureReason, 'unpaid_debt');
    });
  });
}
