// Refunds survive a lost answer: the intent is in the store before Izly is asked, a lost answer is settled
// by a read of the operation (by the same call when Izly can tell, by reconcile() otherwise), and a second
// request while one is in flight gets its outcome, never a second refund at Izly. On the memory, SQLite and
// PostgreSQL stores, against the sandbox's `refundAnswersLost` fault.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IzlyPayError, izlyPay } from '../../../server-adapter/index.js';
import { API_KEY, APP_IDENTIFIER, SECRET, STUDENT, payAsStudent, startHarness, type Harness } from '../helpers/harness.js';
import { recordCheck } from '../reliability/reliability-log.js';
import { LAST_STORE_KIND, STORE_KINDS, type StoreKind } from './store-kinds.js';

for (const kind of STORE_KINDS) {
  describe(`refunds with a lost answer (${kind.name})`, { skip: kind.skip }, () => {
    let stores: Awaited<ReturnType<StoreKind['setUp']>>;
    let h: Harness;
    before(async () => {
      stores = await kind.setUp();
    });
    after(() => stores.cleanup());

    async function paidPayment(orderId: string): Promise<string> {
      h = await startHarness({ adapter: { store: stores.open() } });
      h.orders.set(orderId, { amount: 250 });
      const payment = (await (await h.createPayment(orderId)).json()) as { paymentId: string; authorizationUrl: string };
      await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
      assert.equal(((await (await h.getPayment(payment.paymentId, 10)).json()) as { status: string }).status, 'paid');
      return payment.paymentId;
    }

    const refundsAtIzly = () => h.upstreamCount('POST', /\/Refund$/);
    /** The refund's answer is lost, and so are the reads right after it (every retry of the client). */
    const loseTheAnswerAndTheReads = () => h.sandbox.control.setFaults({ refundAnswersLost: 1, serverErrors: 3, routes: ['get'] });

    test('the answer lost, Izly readable: the same call reads the operation and answers refunded', async () => {
      const paymentId = await paidPayment(`F-${kind.name}-1`);
      try {
        h.sandbox.control.setFaults({ refundAnswersLost: 1 });
        const record = await h.izly.refund(paymentId);
        assert.equal(record.status, 'refunded');
        assert.equal(refundsAtIzly(), 1);
        assert.equal(h.hooks.refunded.length, 1);
        assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, 10000);
      } finally {
        await h.close();
      }
    });

    test('the answer and the reads lost: the intent stays in the store; a second request sends no second refund and gets its outcome', async () => {
      const paymentId = await paidPayment(`F-${kind.name}-2`);
      try {
        loseTheAnswerAndTheReads();
        await assert.rejects(h.izly.refund(paymentId), IzlyPayError);
        const marked = (await h.izly.store.get(paymentId))!;
        assert.equal(marked.status, 'paid');
        assert.ok(marked.refundRequestedAt, 'the refund is in flight');
        assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, 10000, 'Izly did refund');

        h.sandbox.control.setFaults({ serverErrors: 3, routes: ['get'] });
        await assert.rejects(h.izly.refund(paymentId), (error: unknown) => error instanceof IzlyPayError && error.code === 'refund_in_progress');
        h.sandbox.control.clearFaults();
        const [first, second] = await Promise.all([h.izly.refund(paymentId), h.izly.refund(paymentId)]);
        assert.equal(first.status, 'refunded');
        assert.equal(second.status, 'refunded', 'the same outcome');
        assert.equal(refundsAtIzly(), 1, 'never a second refund at Izly');
        assert.equal(h.hooks.refunded.length, 1);
      } finally {
        await h.close();
      }
    });

    test('the answer and the reads lost: reconcile() settles it (paid → refunded), onRefunded once; another instance sends no second refund', async () => {
      const paymentId = await paidPayment(`F-${kind.name}-3`);
      const other = izlyPay({
        baseUrl: h.sandboxUrl,
        appIdentifier: APP_IDENTIFIER,
        apiKey: API_KEY,
        secret: SECRET,
        store: stores.open(),
        allowedOrigins: [h.partnerUrl],
        order: () => null,
        timeoutMs: 200,
        logger: { warn() {}, error() {} },
      });
      try {
        loseTheAnswerAndTheReads();
        await assert.rejects(h.izly.refund(paymentId), IzlyPayError);
        h.sandbox.control.setFaults({ serverErrors: 3, routes: ['get'] });
        await assert.rejects(other.refund(paymentId), (error: unknown) => error instanceof IzlyPayError && error.code === 'refund_in_progress');
        h.sandbox.control.clearFaults();
        const report = await h.izly.reconcile();
        assert.deepEqual(report.changed, [{ paymentId, from: 'paid', to: 'refunded' }]);
        assert.equal((await h.izly.store.get(paymentId))?.status, 'refunded');
        assert.equal(h.hooks.refunded.length, 1);
        assert.deepEqual((await h.izly.reconcile()).changed, []);
        assert.equal(h.hooks.refunded.length, 1);
        assert.equal(refundsAtIzly(), 1);
        if (kind === LAST_STORE_KIND) {
          recordCheck({
            id: 'refund-answers-lost',
            area: 'Faults',
            tried:
              "Izly's refund answer dropped by the sandbox (refundAnswersLost), alone and with the reads after it failing, on the memory, SQLite and PostgreSQL stores; second requests on the same and on another instance",
            cases: STORE_KINDS.filter((k) => !k.skip).length * 3,
            held: 'the refund intent was in the store before Izly was asked; settled refunded by the same call when Izly could tell, else by reconcile(); one refund at Izly, onRefunded once, a second request answered with the same outcome',
          });
        }
      } finally {
        await other.store.close();
        await h.close();
      }
    });
  });
}
