// Izly misbehaving, seen through the adapter: timing out, answering 5xx, garbled JSON or error 356, and
// callbacks lost, late or duplicated. Each payment still ends in the right final state, exactly once.
import { describe, test, afterEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { payAsStudent, startHarness, STUDENT, type Harness, type HarnessOptions } from '../helpers/harness.js';
import { recordCheck } from './reliability-log.js';

interface Created {
  paymentId: string;
  authorizationUrl: string;
}

describe('Izly faults', () => {
  let h: Harness;
  const held: string[] = [];
  afterEach(() => h.close());
  after(() => {
    if (held.length > 0) {
      recordCheck({
        id: 'izly-faults',
        area: 'Faults',
        tried: `Izly faults: ${held.join('; ')}`,
        cases: held.length,
        held: 'every payment ends in the right state exactly once (one debit, one onPaid); the browser gets a clear 502/504 error or the stored status, never a 500',
      });
    }
  });

  async function start(options: HarnessOptions = {}) {
    h = await startHarness(options);
    h.orders.set('F-1', { amount: 250 });
  }
  const create = async () => (await (await h.createPayment('F-1')).json()) as Created;
  const status = async (paymentId: string, wait?: number) => ((await (await h.getPayment(paymentId, wait)).json()) as { status: string }).status;

  /** The end every scenario must reach: paid, once, with one debit and one onPaid call. */
  async function assertPaidOnce(paymentId: string) {
    assert.equal(await status(paymentId, 10), 'paid');
    await h.sandbox.control.settled();
    assert.equal(h.sandbox.control.operations().filter((o) => o.status === 'Completed').length, 1);
    assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, 10000 - 250);
    assert.deepEqual(
      h.hooks.paid.map((p) => p.id),
      [paymentId],
    );
  }

  for (const [name, faults, adapter, code] of [
    ['initiate slower than the client timeout', { latencyMs: 600, routes: ['initiate'] }, { timeoutMs: 200 }, 'izly_timeout'],
    ['initiate answered 503', { serverErrors: 1, routes: ['initiate'] }, {}, 'izly_unavailable'],
    ['initiate answered with truncated JSON (operation created at Izly, answer lost)', { malformedJson: 1, routes: ['initiate'] }, {}, 'izly_bad_answer'],
  ] as const) {
    test(`${name}: a 5xx error with a clear code, the record fails, a new click pays once`, async () => {
      await start({ adapter });
      h.sandbox.control.setFaults({ ...faults, routes: [...faults.routes] });
      const failed = await h.createPayment('F-1');
      assert.ok([502, 504].includes(failed.status));
      assert.equal(((await failed.json()) as { error: { code: string } }).error.code, code);
      h.sandbox.control.clearFaults();
      const retry = await create();
      await payAsStudent(retry.authorizationUrl, { ...STUDENT, action: 'validate' });
      await assertPaidOnce(retry.paymentId);
      held.push(name);
    });
  }

  test('status reads answered 503, then garbled, while callbacks are lost: paid by polling once Izly recovers', async () => {
    await start();
    const payment = await create();
    h.sandbox.control.setFaults({ dropCallbacks: true, serverErrors: 6, routes: ['get'] });
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    assert.equal(await status(payment.paymentId), 'pending');
    h.sandbox.control.setFaults({ dropCallbacks: true, malformedJson: 3, routes: ['get'] });
    assert.equal(await status(payment.paymentId), 'pending');
    await assertPaidOnce(payment.paymentId);
    held.push('status reads answered 503 then garbled JSON, callbacks lost');
  });

  test('a status read slower than the timeout: the poll answers the stored status, then paid', async () => {
    await start({ adapter: { timeoutMs: 150, retries: 0 } });
    const payment = await create();
    h.sandbox.control.setFaults({ dropCallbacks: true, latencyMs: 400, routes: ['get'] });
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    const answer = await h.getPayment(payment.paymentId);
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { status: string }).status, 'pending');
    h.sandbox.control.setFaults({ dropCallbacks: true });
    await assertPaidOnce(payment.paymentId);
    held.push('status reads timing out');
  });

  test('the callback cannot be confirmed (Izly 503): answered 502 {Code: 4}, Izly retries, paid once', async () => {
    await start({ adapter: { retries: 0 } });
    const payment = await create();
    h.sandbox.control.setFaults({ serverErrors: 1, routes: ['get'] });
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    await h.sandbox.control.settled();
    const attempts = h.sandbox.control.callbackLog();
    assert.equal(attempts[0]?.status, 502);
    assert.equal(attempts.at(-1)?.outcome, 'delivered');
    await assertPaidOnce(payment.paymentId);
    held.push('the callback’s confirming read answered 503');
  });

  test('callbacks lost, then delivered late after the poll settled the payment: paid once', async () => {
    await start();
    const payment = await create();
    h.sandbox.control.setFaults({ dropCallbacks: true });
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    await assertPaidOnce(payment.paymentId);
    const dropped = h.sandbox.control.callbackLog().find((attempt) => attempt.outcome === 'dropped')!;
    const late = await fetch(dropped.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(dropped.body) });
    assert.equal(late.status, 200);
    await assertPaidOnce(payment.paymentId);
    held.push('callbacks lost', 'a callback arriving after the poll settled the payment');
  });

  test('callbacks duplicated: paid once', async () => {
    await start();
    const payment = await create();
    h.sandbox.control.setFaults({ duplicateCallbacks: true });
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    await h.sandbox.control.settled();
    assert.equal(h.sandbox.control.callbackLog().filter((attempt) => attempt.outcome === 'delivered').length, 2);
    await assertPaidOnce(payment.paymentId);
    held.push('callbacks duplicated');
  });

  test('Izly does not know the operation (356): the payment stays open, then expires once', async () => {
    let clock = Date.now();
    await start({ adapter: { now: () => clock } });
    const payment = await create();
    // The record points at an operation this Izly never had (e.g. created against another environment).
    await h.izly.store.transition(payment.paymentId, ['pending'], { operationId: '999999', updatedAt: new Date(clock).toISOString() });
    assert.equal(await status(payment.paymentId), 'pending');
    clock += 1000;
    const early = await h.izly.reconcile({ olderThanMs: 0 });
    assert.match(early.errors[0]?.message ?? '', /356/);
    clock += 21 * 60_000;
    await h.izly.reconcile({ olderThanMs: 0 });
    await h.izly.reconcile({ olderThanMs: 0 });
    assert.equal(await status(payment.paymentId), 'expired');
    assert.deepEqual(
      h.hooks.failed.map((p) => p.id),
      [payment.paymentId],
    );
    assert.equal(h.hooks.paid.length, 0);
    held.push('error 356 (unknown operation)');
  });
});
