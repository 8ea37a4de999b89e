// Every fault the sandbox can inject, seen through the adapter: a clear error for the browser, and never
// a lost or doubled payment.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, payAsStudent, startHarness, STUDENT, type Harness } from '../helpers/harness.js';

describe('Izly faults through izlyPay()', () => {
  let h: Harness;
  afterEach(() => h.close());

  async function start(adapter: Parameters<typeof startHarness>[0] = {}) {
    h = await startHarness(adapter);
    h.orders.set('A-1', { amount: 250 });
  }

  /** The student retries with a new click, pays, and is debited exactly once. */
  async function retryAndPayOnce() {
    const retry = await h.createPayment('A-1');
    assert.equal(retry.status, 201);
    const payment = await retry.json();
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    assert.equal((await (await h.getPayment(payment.paymentId, 10)).json()).status, 'paid');
    await h.sandbox.control.settled();
    assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, 10000 - 250);
    assert.equal(h.sandbox.control.operations().filter((o) => o.status === 'Completed').length, 1);
    assert.equal(h.hooks.paid.length, 1);
  }

  test('initiate slower than the timeout: 504 izly_timeout, the payment fails, a new click pays once', async () => {
    await start({ adapter: { timeoutMs: 100 } });
    h.sandbox.control.setFaults({ latencyMs: 1000, routes: ['initiate'] });
    const answer = await h.createPayment('A-1');
    assert.equal(answer.status, 504);
    assert.equal((await answer.json()).error.code, 'izly_timeout');
    const [record] = await h.izly.store.findByOrderId('A-1');
    assert.equal(record?.status, 'failed');
    assert.equal(record?.failureReason, 'izly_timeout');
    h.sandbox.control.clearFaults();
    await retryAndPayOnce();
  });

  test('initiate answered 503: 502 izly_unavailable, no operation at Izly, a new click pays once', async () => {
    await start();
    h.sandbox.control.setFaults({ serverErrors: 1, routes: ['initiate'] });
    const answer = await h.createPayment('A-1');
    assert.equal(answer.status, 502);
    assert.equal((await answer.json()).error.code, 'izly_unavailable');
    assert.equal(h.sandbox.control.operations().length, 0);
    assert.equal(h.upstreamCount('POST', /\/WebPayments$/), 1, 'a POST is never retried');
    await retryAndPayOnce();
  });

  test('initiate answered with truncated JSON: 502 izly_bad_answer, a new click pays once', async () => {
    await start();
    h.sandbox.control.setFaults({ malformedJson: 1, routes: ['initiate'] });
    const answer = await h.createPayment('A-1');
    assert.equal(answer.status, 502);
    const body = await answer.json();
    assert.equal(body.error.code, 'izly_bad_answer');
    assert.ok(!JSON.stringify(body).includes(API_KEY));
    await retryAndPayOnce();
  });

  test('status reads failing with 503 are retried: the payment still completes by polling', async () => {
    await start();
    const payment = await (await h.createPayment('A-1')).json();
    h.sandbox.control.setFaults({ dropCallbacks: true, serverErrors: 2, routes: ['get'] });
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    assert.equal((await (await h.getPayment(payment.paymentId, 10)).json()).status, 'paid');
    assert.equal(h.hooks.paid.length, 1);
  });

  test('the callback cannot be confirmed (Izly garbled): answered 502 {Code: 4}; Izly retries and it is paid once', async () => {
    await start({ adapter: { statusReadIntervalMs: 60_000, retries: 0 } });
    const payment = await (await h.createPayment('A-1')).json();
    h.sandbox.control.setFaults({ malformedJson: 1, routes: ['get'] });
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    await h.sandbox.control.settled();
    const attempts = h.sandbox.control.callbackLog();
    assert.equal(attempts[0]!.status, 502);
    assert.equal(attempts.at(-1)!.outcome, 'delivered');
    assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'paid');
    assert.equal(h.hooks.paid.length, 1);
  });

  test('a status read slower than the timeout leaves the poll answering the stored status', async () => {
    await start({ adapter: { timeoutMs: 100, retries: 0, statusReadIntervalMs: 0 } });
    const payment = await (await h.createPayment('A-1')).json();
    h.sandbox.control.setFaults({ latencyMs: 1000, routes: ['get'] });
    const answer = await h.getPayment(payment.paymentId);
    assert.equal(answer.status, 200);
    assert.equal((await answer.json()).status, 'pending');
  });

  test('a refund answered 503 is a clear 502 error and the payment stays paid; a later refund works once', async () => {
    await start();
    const payment = await (await h.createPayment('A-1')).json();
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    assert.equal((await (await h.getPayment(payment.paymentId, 10)).json()).status, 'paid');
    h.sandbox.control.setFaults({ serverErrors: 1, routes: ['refund'] });
    await assert.rejects(h.izly.refund(payment.paymentId), { name: 'IzlyPayError', code: 'izly_unavailable', status: 502 });
    assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'paid');
    assert.equal((await h.izly.refund(payment.paymentId)).status, 'refunded');
    assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, 10000);
  });

  test('a refund whose answer is garbled is confirmed by a status read: refunded, once', async () => {
    await start();
    const payment = await (await h.createPayment('A-1')).json();
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    assert.equal((await (await h.getPayment(payment.paymentId, 10)).json()).status, 'paid');
    h.sandbox.control.setFaults({ malformedJson: 1, routes: ['refund'] });
    assert.equal((await h.izly.refund(payment.paymentId)).status, 'refunded');
    assert.equal(h.hooks.refunded.length, 1);
    assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, 10000);
  });

  test('Izly does not know the operation (356): reconcile expires it once past expireAfterMs', async () => {
    let clock = Date.now();
    await start({ adapter: { now: () => clock } });
    const payment = await (await h.createPayment('A-1')).json();
    // The record points at an operation Izly never had (e.g. created against another environment).
    await h.izly.store.transition(payment.paymentId, ['pending'], { operationId: '999999', updatedAt: new Date(clock).toISOString() });
    clock += 1000;
    const early = await h.izly.reconcile({ olderThanMs: 0 });
    assert.match(early.errors[0]?.message ?? '', /356/);
    clock += 21 * 60_000;
    const late = await h.izly.reconcile({ olderThanMs: 0 });
    assert.deepEqual(late.changed, [{ paymentId: payment.paymentId, from: 'pending', to: 'expired' }]);
    assert.equal((await h.izly.store.get(payment.paymentId))?.failureReason, 'izly_unknown_operation');
  });
});
