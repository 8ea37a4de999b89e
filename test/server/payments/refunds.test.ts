// Refunds: a server-side method (and an opt-in route behind the partner's authorize hook); whole
// refunds only, never twice.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { IzlyPayError } from '../../../server-adapter/index.js';
import { payAsStudent, startHarness, STUDENT, type Harness, type HarnessOptions } from '../helpers/harness.js';

describe('refunds', () => {
  let h: Harness;
  afterEach(() => h.close());

  async function paidPayment(options: HarnessOptions = {}) {
    h = await startHarness(options);
    h.orders.set('A-1', { amount: 250 });
    const payment = await (await h.createPayment('A-1')).json();
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    assert.equal((await (await h.getPayment(payment.paymentId, 10)).json()).status, 'paid');
    return payment.paymentId as string;
  }

  test('refund(paymentId) gives the money back, marks the payment refunded, calls onRefunded once', async () => {
    const paymentId = await paidPayment();
    assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, 10000 - 250);
    const record = await h.izly.refund(paymentId);
    assert.equal(record.status, 'refunded');
    assert.ok(record.refundedAt);
    assert.equal(h.sandbox.control.operations()[0]!.status, 'Refund');
    assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, 10000);
    assert.equal(h.hooks.refunded.length, 1);
    const view = await (await h.getPayment(paymentId)).json();
    assert.equal(view.status, 'refunded');
    assert.ok(view.refundedAt);
  });

  test('a second refund is refused clearly (409 already_refunded), Izly is not asked again', async () => {
    const paymentId = await paidPayment();
    await h.izly.refund(paymentId);
    const error = await h.izly.refund(paymentId).catch((e: unknown) => e);
    assert.ok(error instanceof IzlyPayError);
    assert.equal(error.code, 'already_refunded');
    assert.equal(error.status, 409);
    assert.equal(h.upstreamCount('POST', /\/Refund$/), 1);
  });

  test('two concurrent refunds: the money goes back once, and both get the outcome', async () => {
    const paymentId = await paidPayment();
    const results = await Promise.all([h.izly.refund(paymentId), h.izly.refund(paymentId)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['refunded', 'refunded'],
    );
    assert.equal(h.upstreamCount('POST', /\/Refund$/), 1);
    assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, 10000);
    assert.equal(h.hooks.refunded.length, 1);
  });

  test('a payment that is not paid, or unknown, cannot be refunded', async () => {
    h = await startHarness();
    h.orders.set('A-1', { amount: 250 });
    const payment = await (await h.createPayment('A-1')).json();
    await assert.rejects(h.izly.refund(payment.paymentId), (e: unknown) => e instanceof IzlyPayError && e.code === 'not_refundable' && e.status === 409);
    await assert.rejects(h.izly.refund('pay_nope'), (e: unknown) => e instanceof IzlyPayError && e.code === 'payment_not_found');
    assert.equal(h.upstreamCount('POST', /\/Refund$/), 0);
  });

  test('there is no refund route unless the partner supplies authorizeRefund', async () => {
    const paymentId = await paidPayment();
    const response = await fetch(`${h.partnerUrl}/izly/payments/${paymentId}/refund`, { method: 'POST' });
    assert.equal(response.status, 404);
    assert.equal(h.sandbox.control.operations()[0]!.status, 'Completed');
  });

  test('the opt-in route refunds only when authorizeRefund(c) says yes', async () => {
    const paymentId = await paidPayment({ adapter: { authorizeRefund: (c) => c.req.header('x-test-admin') === 'yes' } });
    const url = `${h.partnerUrl}/izly/payments/${paymentId}/refund`;
    const forbidden = await fetch(url, { method: 'POST' });
    assert.equal(forbidden.status, 403);
    assert.equal((await forbidden.json()).error.code, 'forbidden');
    const foreign = await fetch(url, { method: 'POST', headers: { 'x-test-admin': 'yes', Origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.equal((await foreign.json()).error.code, 'origin_not_allowed');
    const ok = await fetch(url, { method: 'POST', headers: { 'x-test-admin': 'yes' } });
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).status, 'refunded');
    const twice = await fetch(url, { method: 'POST', headers: { 'x-test-admin': 'yes' } });
    assert.equal(twice.status, 409);
    assert.equal((await twice.json()).error.code, 'already_refunded');
  });
});
