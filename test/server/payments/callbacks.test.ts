// POST /callback: a hint, never proof. Forged callbacks are refused before any call to Izly; real ones
// are confirmed with GET WebPayments/{id}; replays, duplicates and callbacks out of order change nothing.
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { BROKE_STUDENT, payAsStudent, startHarness, STUDENT, type Harness } from '../helpers/harness.js';

const GETS = /\/WebPayments\/\d+$/;

describe('POST /callback', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ adapter: { statusReadIntervalMs: 60_000 } });
    h.orders.set('A-1', { amount: 250 });
    h.orders.set('B-2', { amount: 400 });
  });
  afterEach(() => h.close());

  /** Creates a payment, has the student decide with callbacks dropped, and returns the callback Izly would have sent. */
  async function decidedWithoutCallback(orderId: string, student = STUDENT, action: 'validate' | 'cancel' = 'validate') {
    const payment = await (await h.createPayment(orderId)).json();
    h.sandbox.control.setFaults({ dropCallbacks: true });
    await payAsStudent(payment.authorizationUrl, { ...student, action });
    await h.sandbox.control.settled();
    h.sandbox.control.clearFaults();
    const attempt = h.sandbox.control.callbackLog().find((a) => a.body.OperationSMoney.ClientOrderId === orderId)!;
    // What Izly put after the callback URL, wherever this Izly puts it (the default concatenates `p=…&s=…`).
    const suffix = attempt.url.slice(attempt.url.indexOf('/izly/callback') + '/izly/callback'.length);
    return { payment, query: suffix, body: attempt.body };
  }

  describe('forged callbacks are refused before any call to Izly', () => {
    test('without a signature: 403 with the contract error object', async () => {
      const { payment, body } = await decidedWithoutCallback('A-1');
      const reads = h.upstreamCount('GET', GETS);
      // Izly echoes the signed CallbackParameters in the body too: a forger has neither.
      const unsigned = { ...body, OperationSMoney: { ...body.OperationSMoney, CallbackParameters: `p=${payment.paymentId}` } };
      const answer = await h.postCallback(`?p=${payment.paymentId}`, unsigned);
      assert.equal(answer.status, 403);
      const json = await answer.json();
      assert.equal(json.Code, 1);
      assert.equal(typeof json.ErrorMessage, 'string');
      assert.equal(h.upstreamCount('GET', GETS), reads);
      assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'pending');
      assert.equal(h.hooks.paid.length, 0);
    });

    test('with a wrong signature, or none at all in the query or the body: 403', async () => {
      const { payment, body } = await decidedWithoutCallback('A-1');
      const reads = h.upstreamCount('GET', GETS);
      const unsigned = { ...body, OperationSMoney: { ...body.OperationSMoney, CallbackParameters: '' } };
      for (const [query, sent] of [
        [`?p=${payment.paymentId}&s=AAAA`, body],
        ['', unsigned],
        [`?p=${payment.paymentId}&s=${'A'.repeat(43)}`, body],
      ] as const) {
        const answer = await h.postCallback(query, sent);
        assert.equal(answer.status, 403, query);
      }
      assert.equal(h.upstreamCount('GET', GETS), reads);
      assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'pending');
    });

    test("another payment's signature does not unlock this one", async () => {
      const a = await decidedWithoutCallback('A-1');
      const b = await (await h.createPayment('B-2')).json();
      const bSignature = new URLSearchParams(h.sandbox.control.operations()[0]!.callbackParameters).get('s');
      // A's id with B's signature: refused outright.
      assert.equal((await h.postCallback(`?p=${a.payment.paymentId}&s=${bSignature}`, a.body)).status, 403);
      // B's valid signature on A's operation: refused as a mismatch, neither payment moves.
      const mismatch = await h.postCallback(`?p=${b.paymentId}&s=${bSignature}`, a.body);
      assert.equal(mismatch.status, 409);
      assert.equal((await mismatch.json()).Code, 3);
      assert.equal((await h.izly.store.get(a.payment.paymentId))?.status, 'pending');
      assert.equal((await h.izly.store.get(b.paymentId))?.status, 'pending');
      assert.equal(h.hooks.paid.length, 0);
    });

    test('a signed callback whose body claims success is still decided by Izly (GET says Pending)', async () => {
      const payment = await (await h.createPayment('A-1')).json();
      const operation = h.sandbox.control.operations()[0]!;
      const answer = await h.postCallback(`?${operation.callbackParameters}`, {
        OperationSMoney: { Id: operation.id, ClientOrderId: 'A-1', Status: 'Completed', Amount: '250.00' },
        Error: { Code: 0, Message: '' },
      });
      assert.equal(answer.status, 200);
      assert.deepEqual(await answer.json(), { Code: 0, ErrorMessage: '' });
      assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'pending');
      assert.equal(h.hooks.paid.length, 0);
    });
  });

  describe('genuine callbacks', () => {
    test('confirmed with a GET, answered {Code: 0, ErrorMessage: ""}, onPaid once', async () => {
      const { payment, query, body } = await decidedWithoutCallback('A-1');
      const reads = h.upstreamCount('GET', GETS);
      const answer = await h.postCallback(query, body);
      assert.equal(answer.status, 200);
      assert.deepEqual(await answer.json(), { Code: 0, ErrorMessage: '' });
      assert.equal(h.upstreamCount('GET', GETS), reads + 1);
      assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'paid');
      assert.equal(h.hooks.paid.length, 1);
    });

    test('replayed ten times, concurrently: one paid transition, one onPaid', async () => {
      const { payment, query, body } = await decidedWithoutCallback('A-1');
      const answers = await Promise.all(Array.from({ length: 10 }, () => h.postCallback(query, body)));
      assert.ok(answers.every((a) => a.status === 200));
      assert.equal(h.hooks.paid.length, 1);
      const transitions = (await h.izly.store.events(payment.paymentId)).filter((e) => e.type === 'transition' && e.detail.to === 'paid');
      assert.equal(transitions.length, 1);
    });

    test('duplicated by Izly (each callback sent twice): paid once', async () => {
      const payment = await (await h.createPayment('A-1')).json();
      h.sandbox.control.setFaults({ duplicateCallbacks: true });
      await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
      await h.sandbox.control.settled();
      const deliveries = h.sandbox.control.callbackLog().filter((a) => a.outcome === 'delivered');
      assert.equal(deliveries.length, 2);
      assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'paid');
      assert.equal(h.hooks.paid.length, 1);
    });

    test('a signed callback with an unreadable body is confirmed with Izly all the same', async () => {
      const { payment, query } = await decidedWithoutCallback('A-1');
      const answer = await h.postCallback(query, '{"OperationSMoney": {');
      assert.equal(answer.status, 200);
      assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'paid');
    });

    test('a failure callback (balance too low) marks the payment failed once Izly says Failed', async () => {
      h.sandbox.control.updateAccount(BROKE_STUDENT.identifier, { balance: 100 });
      const payment = await (await h.createPayment('A-1')).json();
      await payAsStudent(payment.authorizationUrl, { ...BROKE_STUDENT, action: 'validate' });
      await h.sandbox.control.settled();
      const record = await h.izly.store.get(payment.paymentId);
      assert.equal(record?.status, 'failed');
      assert.match(record?.failureReason ?? '', /^izly_error_\d+/);
      assert.equal(h.hooks.failed.length, 1);
      assert.equal(h.hooks.paid.length, 0);
    });

    test('a cancel by the student ends the payment cancelled', async () => {
      await h.close();
      h = await startHarness();
      h.orders.set('A-1', { amount: 250 });
      const payment = await (await h.createPayment('A-1')).json();
      const outcome = await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'cancel' });
      assert.equal(outcome.status, 200);
      await h.sandbox.control.settled();
      // Whether Izly calls back on a cancel is not documented: a status read settles it either way.
      const view = await (await h.getPayment(payment.paymentId, 10)).json();
      assert.equal(view.status, 'cancelled');
      assert.equal(h.hooks.failed.length, 1);
    });
  });

  describe('out of order', () => {
    test('an old failure hint arriving after the payment is paid changes nothing', async () => {
      const { payment, query, body } = await decidedWithoutCallback('A-1');
      assert.equal((await h.postCallback(query, body)).status, 200);
      const failure = { ...body, Error: { Code: 12, Message: 'Solde insuffisant' } };
      assert.equal((await h.postCallback(query, failure)).status, 200);
      const record = await h.izly.store.get(payment.paymentId);
      assert.equal(record?.status, 'paid');
      assert.equal(h.hooks.failed.length, 0);
      assert.equal(h.hooks.paid.length, 1);
    });

    test('the success callback replayed after a refund leaves the payment refunded; onPaid is not called again', async () => {
      const { payment, query, body } = await decidedWithoutCallback('A-1');
      assert.equal((await h.postCallback(query, body)).status, 200);
      await h.izly.refund(payment.paymentId);
      assert.equal((await h.postCallback(query, body)).status, 200);
      assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'refunded');
      assert.equal(h.hooks.paid.length, 1);
      assert.equal(h.hooks.refunded.length, 1);
    });

    test('a failure hint while Izly still says Pending is recorded, the payment stays open', async () => {
      const payment = await (await h.createPayment('A-1')).json();
      const operation = h.sandbox.control.operations()[0]!;
      const answer = await h.postCallback(`?${operation.callbackParameters}`, {
        OperationSMoney: { Id: operation.id, ClientOrderId: 'A-1' },
        Error: { Code: 7, Message: 'Refus' },
      });
      assert.equal(answer.status, 200);
      const record = await h.izly.store.get(payment.paymentId);
      assert.equal(record?.status, 'pending');
      assert.equal(record?.failureReason, 'izly_error_7: Refus');
      // ...and the student can still pay it.
      await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
      await h.sandbox.control.settled();
      assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'paid');
    });
  });
});
