// The callback is answered as soon as the payment's new state is durable: a slow onPaid runs after the
// answer (already marked owed), and the long polls wake at the same time. On Workers the hook is handed to
// the request's `waitUntil`, so that the runtime does not cut it short.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { PaymentRecord, PaymentStore } from '../../../server-adapter/index.js';
import { STUDENT, payAsStudent, startHarness, type Harness } from '../helpers/harness.js';
import { STORE_KINDS, type StoreKind } from './store-kinds.js';

/** A gate the hook waits at, and a promise of the hook's start. */
function slowHook() {
  let release!: () => void;
  let started!: (payment: PaymentRecord) => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const start = new Promise<PaymentRecord>((resolve) => (started = resolve));
  return { release, start, onPaid: async (payment: PaymentRecord) => (started(payment), await gate) };
}

/** Resolves when the store clears the hook mark of `paymentId`. */
function watchingClears(store: PaymentStore): { store: PaymentStore; cleared(paymentId: string): Promise<void> } {
  const waiting = new Map<string, () => void>();
  return {
    store: {
      ...store,
      async transition(id, from, patch, condition) {
        const result = await store.transition(id, from, patch, condition);
        if (result && patch.pendingHook === null && !patch.status) waiting.get(id)?.();
        return result;
      },
    },
    cleared: (paymentId) => new Promise((resolve) => waiting.set(paymentId, resolve)),
  };
}

for (const kind of STORE_KINDS) {
  describe(`a slow onPaid does not hold the callback's answer (${kind.name})`, { skip: kind.skip }, () => {
    let stores: Awaited<ReturnType<StoreKind['setUp']>>;
    before(async () => {
      stores = await kind.setUp();
    });
    after(() => stores.cleanup());

    async function harness(hook: ReturnType<typeof slowHook>) {
      const watched = watchingClears(stores.open());
      const h: Harness = await startHarness({ adapter: { store: watched.store, onPaid: hook.onPaid } });
      return { h, watched };
    }

    test("Izly's callback is answered 200 and the long poll answers paid while onPaid still runs", async () => {
      const hook = slowHook();
      const { h, watched } = await harness(hook);
      try {
        h.orders.set('S-1', { amount: 330 });
        const payment = (await (await h.createPayment('S-1')).json()) as { paymentId: string; authorizationUrl: string };
        const polling = h.getPayment(payment.paymentId, 10);
        await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
        await hook.start;
        assert.equal(((await (await polling).json()) as { status: string }).status, 'paid');
        await h.sandbox.control.settled();
        const attempts = h.sandbox.control.callbackLog();
        assert.ok(attempts.length >= 1);
        assert.ok(
          attempts.every((attempt) => attempt.outcome === 'delivered' && attempt.status === 200),
          'every delivery answered 200 while the hook ran',
        );
        assert.equal((await h.izly.store.get(payment.paymentId))?.pendingHook, 'onPaid', 'still owed: a crash now would run it again');
        const cleared = watched.cleared(payment.paymentId);
        hook.release();
        await cleared;
        assert.equal((await h.izly.store.get(payment.paymentId))?.pendingHook, null);
      } finally {
        hook.release();
        await h.close();
      }
    });

    test("on a runtime with an execution context (Workers), the hook is handed to the request's waitUntil", async () => {
      const hook = slowHook();
      const { h } = await harness(hook);
      try {
        // The sandbox keeps its callbacks: this test delivers the callback itself, as Workers would receive it.
        h.sandbox.control.updatePointOfSale('izly-pay-demo', { callbackAllowListed: false });
        h.orders.set('S-2', { amount: 330 });
        const payment = (await (await h.createPayment('S-2')).json()) as { paymentId: string; authorizationUrl: string };
        await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
        const operation = h.sandbox.control.operations().at(-1)!;
        const handed: Array<Promise<unknown>> = [];
        const executionCtx = { waitUntil: (work: Promise<unknown>) => void handed.push(work), passThroughOnException() {}, props: {} };
        const answer = await h.izly.fetch(
          new Request(`${h.partnerUrl}/callback?${operation.callbackParameters}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ OperationSMoney: { Id: operation.id, Status: 'Completed' } }),
          }),
          {},
          executionCtx,
        );
        assert.equal(answer.status, 200);
        await hook.start;
        assert.equal(handed.length, 1);
        let settled = false;
        void handed[0]!.then(() => (settled = true));
        await Promise.resolve();
        assert.equal(settled, false, 'waitUntil holds the hook still running');
        hook.release();
        await handed[0];
        assert.equal((await h.izly.store.get(payment.paymentId))?.pendingHook, null);
      } finally {
        hook.release();
        await h.close();
      }
    });
  });
}
