// Payments complete without callbacks: status reads at Izly, coalesced and rate-limited per operation,
// and reconcile() for payments nobody watches.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { payAsStudent, startHarness, STUDENT, APP_IDENTIFIER, type Harness } from '../helpers/harness.js';

const GETS = /\/WebPayments\/\d+$/;

describe('status reads', () => {
  let h: Harness;
  afterEach(() => h.close());

  test('with callbacks blocked (POS not allow-listed) the long poll completes the payment by itself', async () => {
    h = await startHarness();
    h.orders.set('A-1', { amount: 250 });
    h.sandbox.control.updatePointOfSale(APP_IDENTIFIER, { callbackAllowListed: false });
    const payment = await (await h.createPayment('A-1')).json();
    const polled = h.getPayment(payment.paymentId, 20);
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    const view = await (await polled).json();
    assert.equal(view.status, 'paid');
    await h.sandbox.control.settled();
    assert.ok(h.sandbox.control.callbackLog().every((a) => a.outcome === 'blocked'));
    assert.equal(h.hooks.paid.length, 1);
  });

  test('many concurrent polls of one payment cost one upstream GET', async () => {
    h = await startHarness({ adapter: { statusReadIntervalMs: 0 } });
    h.orders.set('A-1', { amount: 250 });
    const payment = await (await h.createPayment('A-1')).json();
    // A slow Izly keeps the first read in flight while the others arrive.
    h.sandbox.control.setFaults({ latencyMs: 300, routes: ['get'] });
    const before = h.upstreamCount('GET', GETS);
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.getPayment(payment.paymentId)));
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(h.upstreamCount('GET', GETS) - before, 1);
  });

  test('polls within the rate-limit interval do not reach Izly again', async () => {
    h = await startHarness({ adapter: { statusReadIntervalMs: 60_000 } });
    h.orders.set('A-1', { amount: 250 });
    const payment = await (await h.createPayment('A-1')).json();
    for (let i = 0; i < 5; i++) assert.equal((await h.getPayment(payment.paymentId)).status, 200);
    // Creation counts as the first read of the operation.
    assert.equal(h.upstreamCount('GET', GETS), 0);
  });

  test('a poll whose status read fails still answers, with the stored status', async () => {
    h = await startHarness({ adapter: { statusReadIntervalMs: 0, retries: 0 } });
    h.orders.set('A-1', { amount: 250 });
    const payment = await (await h.createPayment('A-1')).json();
    h.sandbox.control.setFaults({ serverErrors: 5, routes: ['get'] });
    const answer = await h.getPayment(payment.paymentId);
    assert.equal(answer.status, 200);
    assert.equal((await answer.json()).status, 'pending');
    const events = await h.izly.store.events(payment.paymentId);
    assert.ok(events.some((e) => e.type === 'izly_read_failed'));
  });
});

describe('reconcile()', () => {
  let h: Harness;
  afterEach(() => h.close());

  test('settles a payment nobody watches (no callback, no poll)', async () => {
    h = await startHarness({ adapter: { statusReadIntervalMs: 60_000 } });
    h.orders.set('A-1', { amount: 250 });
    h.orders.set('B-2', { amount: 100 });
    h.sandbox.control.setFaults({ dropCallbacks: true });
    const paid = await (await h.createPayment('A-1')).json();
    const untouched = await (await h.createPayment('B-2')).json();
    await payAsStudent(paid.authorizationUrl, { ...STUDENT, action: 'validate' });
    assert.equal((await h.izly.store.get(paid.paymentId))?.status, 'pending');

    const report = await h.izly.reconcile({ olderThanMs: 0 });
    assert.equal(report.checked, 2);
    assert.deepEqual(report.changed, [{ paymentId: paid.paymentId, from: 'pending', to: 'paid' }]);
    assert.deepEqual(report.errors, []);
    assert.equal(h.hooks.paid.length, 1);
    assert.equal((await h.izly.store.get(untouched.paymentId))?.status, 'pending');

    const again = await h.izly.reconcile({ olderThanMs: 0 });
    assert.equal(again.checked, 1);
    assert.deepEqual(again.changed, []);
    assert.equal(h.hooks.paid.length, 1);
  });

  test('leaves payments younger than olderThanMs alone', async () => {
    h = await startHarness();
    h.orders.set('A-1', { amount: 250 });
    await h.createPayment('A-1');
    const report = await h.izly.reconcile({ olderThanMs: 60_000 });
    assert.equal(report.checked, 0);
  });

  test('expires a payment that Izly still reports pending after expireAfterMs', async () => {
    let clock = Date.now();
    h = await startHarness({ adapter: { now: () => clock, expireAfterMs: 20 * 60_000 } });
    h.orders.set('A-1', { amount: 250 });
    h.orders.set('B-2', { amount: 100 });
    const old = await (await h.createPayment('A-1')).json();
    clock += 15 * 60_000;
    const young = await (await h.createPayment('B-2')).json();
    clock += 6 * 60_000;
    const report = await h.izly.reconcile({ olderThanMs: 60_000 });
    assert.deepEqual(report.changed, [{ paymentId: old.paymentId, from: 'pending', to: 'expired' }]);
    assert.equal((await h.izly.store.get(young.paymentId))?.status, 'pending');
    assert.equal(h.hooks.failed.length, 1);
    assert.equal(h.hooks.failed[0]!.status, 'expired');
    // The order is free again: a new click creates a new payment.
    assert.equal((await h.createPayment('A-1')).status, 201);
  });

  test('an Izly failure is reported per payment and the payment is left for the next run', async () => {
    h = await startHarness({ adapter: { retries: 0 } });
    h.orders.set('A-1', { amount: 250 });
    const payment = await (await h.createPayment('A-1')).json();
    h.sandbox.control.setFaults({ serverErrors: 1, routes: ['get'] });
    const report = await h.izly.reconcile({ olderThanMs: 0 });
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]!.paymentId, payment.paymentId);
    assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'pending');
  });
});
