// An order is paid at most once. Izly has no cancel call: an attempt the adapter expired can still be paid on
// Izly's page. A new click reads such an attempt first (the common case: it was paid, and no second attempt
// starts); a payment that becomes paid for an order already paid is refunded at once (or the partner told),
// its onPaid never run, and both payments say why. On the memory, SQLite and PostgreSQL stores.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { PaymentRecord } from '../../../server-adapter/index.js';
import { STUDENT, payAsStudent, startHarness, type Harness } from '../helpers/harness.js';
import { recordCheck } from '../reliability/reliability-log.js';
import { ManualClock } from './manual-clock.js';
import { LAST_STORE_KIND, STORE_KINDS, type StoreKind } from './store-kinds.js';

interface Attempt {
  paymentId: string;
  authorizationUrl: string;
}

for (const kind of STORE_KINDS) {
  describe(`an order is paid at most once (${kind.name})`, { skip: kind.skip }, () => {
    let stores: Awaited<ReturnType<StoreKind['setUp']>>;
    before(async () => {
      stores = await kind.setUp();
    });
    after(() => stores.cleanup());

    let h: Harness;
    let clock: ManualClock;
    let paid: PaymentRecord[];
    let duplicates: Array<{ payment: PaymentRecord; paidBefore: PaymentRecord }>;
    let settle: () => void;
    let settled: Promise<void>;

    async function start(refundDuplicates: boolean): Promise<void> {
      clock = new ManualClock();
      paid = [];
      duplicates = [];
      settled = new Promise((resolve) => (settle = resolve));
      h = await startHarness({
        adapter: {
          clock,
          store: stores.open(),
          expireAfterMs: 60_000,
          refundDuplicates,
          onPaid: (payment) => void paid.push(payment),
          onRefunded: () => settle(),
          onDuplicatePayment: (payment, paidBefore) => {
            duplicates.push({ payment, paidBefore });
            if (!refundDuplicates) settle();
          },
        },
      });
    }

    /** The order's first attempt, expired by the adapter while Izly still says it is pending (its page still payable). */
    async function expiredAttempt(orderId: string): Promise<Attempt> {
      h.orders.set(orderId, { amount: 330 });
      const first = (await (await h.createPayment(orderId)).json()) as Attempt;
      clock.advance(61_000);
      await h.izly.reconcile({ olderThanMs: 0 });
      assert.equal((await h.izly.store.get(first.paymentId))?.status, 'expired');
      // The student comes back a second later: reconcile's read is an interval old, so a new click may read again.
      clock.advance(1_000);
      return first;
    }

    /**
     * The student pays a new attempt of the order, then the expired older one on its still-open Izly page:
     * the order paid twice, once its hooks have settled.
     */
    async function paidTwice(orderId: string): Promise<{ first: Attempt; second: Attempt }> {
      const first = await expiredAttempt(orderId);
      const second = (await (await h.createPayment(orderId)).json()) as Attempt;
      await payAsStudent(second.authorizationUrl, { ...STUDENT, action: 'validate' });
      assert.equal(((await (await h.getPayment(second.paymentId, 10)).json()) as { status: string }).status, 'paid');
      clock.advance(1_000);
      await payAsStudent(first.authorizationUrl, { ...STUDENT, action: 'validate' });
      await settled;
      return { first, second };
    }

    test("a new click reads the expired attempt first: paid on Izly's page meanwhile, the order is paid and no second attempt starts", async () => {
      await start(true);
      try {
        h.sandbox.control.updatePointOfSale('izly-pay-demo', { callbackAllowListed: false });
        const first = await expiredAttempt(`P-${kind.name}-1`);
        await payAsStudent(first.authorizationUrl, { ...STUDENT, action: 'validate' });
        const click = await h.createPayment(`P-${kind.name}-1`);
        assert.equal(click.status, 409);
        assert.equal(((await click.json()) as { error: { code: string } }).error.code, 'order_already_paid');
        assert.equal((await h.izly.store.get(first.paymentId))?.status, 'paid');
        assert.equal((await h.izly.store.findByOrderId(`P-${kind.name}-1`)).length, 1);
      } finally {
        await h.close();
      }
    });

    test('the old page paid after a new attempt was paid: the later payment is refunded, onPaid runs once, both say why', async () => {
      await start(true);
      try {
        const orderId = `P-${kind.name}-2`;
        const { first, second } = await paidTwice(orderId);
        assert.deepEqual(
          paid.map((payment) => payment.id),
          [second.paymentId],
          'onPaid once, for the payment paid first',
        );
        const duplicate = (await h.izly.store.get(first.paymentId))!;
        assert.equal(duplicate.status, 'refunded');
        assert.equal(duplicate.duplicateOf, second.paymentId);
        assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, 10000 - 330, 'the student paid once in the end');
        assert.deepEqual((await h.izly.store.events(first.paymentId)).find((e) => e.type === 'duplicate_payment')?.detail, {
          paidBefore: second.paymentId,
          refund: true,
        });
        assert.deepEqual((await h.izly.store.events(second.paymentId)).find((e) => e.type === 'duplicate_payment')?.detail, {
          duplicate: first.paymentId,
          refund: true,
        });
        assert.equal(duplicates.length, 1);
        if (kind === LAST_STORE_KIND) {
          recordCheck({
            id: 'duplicate-payments-refunded',
            area: 'Faults',
            tried:
              "An order's expired attempt paid on Izly's page before and after a new attempt was paid, on the memory, SQLite and PostgreSQL stores, with refundDuplicates on and off",
            cases: STORE_KINDS.filter((k) => !k.skip).length * 3,
            held: 'a new click read the old attempt first and started no second one when it was paid; a second payment was refunded at once (or the partner told), never ran onPaid, and both payments recorded why',
          });
        }
      } finally {
        await h.close();
      }
    });

    test('with refundDuplicates: false, the duplicate is kept paid, its onPaid not run, and the partner told', async () => {
      await start(false);
      try {
        const orderId = `P-${kind.name}-3`;
        const { first, second } = await paidTwice(orderId);
        const duplicate = (await h.izly.store.get(first.paymentId))!;
        assert.equal(duplicate.status, 'paid');
        assert.equal(duplicate.duplicateOf, second.paymentId);
        assert.equal(duplicates[0]?.paidBefore.id, second.paymentId);
        assert.deepEqual(
          paid.map((payment) => payment.id),
          [second.paymentId],
        );
        assert.equal(h.upstreamCount('POST', /\/Refund$/), 0);
      } finally {
        await h.close();
      }
    });
  });
}
