// A dead open payment is closed on the next click: when Izly no longer knows the order's open payment
// (356: Izly purged it, the sandbox restarted), the next POST /payments closes it and starts a new attempt
// at once, rather than handing back its dead Izly page for 20 minutes. On the memory, SQLite and PostgreSQL
// stores; the forgetful Izly is a second, fresh sandbox, which really answers 356.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox } from '../../../sandbox/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { STORE_KINDS, type StoreKind } from './store-kinds.js';

for (const kind of STORE_KINDS) {
  describe(`a dead open payment is closed on the next click (${kind.name})`, { skip: kind.skip }, () => {
    let stores: Awaited<ReturnType<StoreKind['setUp']>>;
    before(async () => {
      stores = await kind.setUp();
    });
    after(() => stores.cleanup());

    test('Izly answers 356 for the open payment: the click closes it (expired, izly_unknown_operation) and answers a new attempt', async () => {
      // After `forget`, status reads go to a sandbox that never saw the operation, as after Izly's restart.
      let forgetful: ReturnType<typeof createSandbox> | null = null;
      const h: Harness = await startHarness({
        adapter: {
          store: stores.open(),
          fetch: async (request: Request) => (forgetful && request.method === 'GET' ? forgetful.fetch(request) : fetch(request)),
        },
      });
      try {
        const orderId = `D-${kind.name}`;
        h.orders.set(orderId, { amount: 330 });
        const first = (await (await h.createPayment(orderId)).json()) as { paymentId: string };
        forgetful = createSandbox({ publicUrl: h.sandboxUrl });
        const click = await h.createPayment(orderId);
        assert.equal(click.status, 201, 'a new attempt at once');
        const second = (await click.json()) as { paymentId: string };
        assert.notEqual(second.paymentId, first.paymentId);
        const dead = (await h.izly.store.get(first.paymentId))!;
        assert.equal(dead.status, 'expired');
        assert.equal(dead.failureReason, 'izly_unknown_operation');
        assert.equal((await h.izly.store.get(second.paymentId))?.status, 'pending');
      } finally {
        forgetful?.control.close();
        await h.close();
      }
    });
  });
}
