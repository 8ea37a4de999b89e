// A restart with the SQLite store loses nothing: records, events, idempotency keys and open payments all
// survive, and a payment decided while the server was down is settled by the restarted adapter.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { izlyPay, type PaymentRecord } from '../../../server-adapter/index.js';
import { sqliteStore } from '../../../server-adapter/sqlite.js';
import { API_KEY, APP_IDENTIFIER, payAsStudent, SECRET, startHarness, STUDENT, type Harness } from '../helpers/harness.js';

describe('izlyPay() with sqliteStore across a restart', () => {
  let h: Harness;
  let directory: string;
  afterEach(async () => {
    await h.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test('loses nothing', async () => {
    directory = mkdtempSync(join(tmpdir(), 'izly-pay-restart-'));
    const file = join(directory, 'payments.db');
    h = await startHarness({ adapter: { store: sqliteStore(file) } });
    h.orders.set('A-1', { amount: 250 });
    h.orders.set('B-2', { amount: 400 });

    const paid = await (await h.createPayment('A-1')).json();
    await payAsStudent(paid.authorizationUrl, { ...STUDENT, action: 'validate' });
    assert.equal((await (await h.getPayment(paid.paymentId, 10)).json()).status, 'paid');
    const key = crypto.randomUUID();
    const open = await (await h.createPayment('B-2', { key })).json();
    const before = await h.izly.store.events(paid.paymentId);

    // The server stops; while it is down the student validates the open payment and the callback is lost.
    await h.izly.store.close();
    h.sandbox.control.setFaults({ dropCallbacks: true });
    await payAsStudent(open.authorizationUrl, { ...STUDENT, action: 'validate' });
    await h.sandbox.control.settled();

    const paidAfterRestart: PaymentRecord[] = [];
    const restarted = izlyPay({
      baseUrl: h.sandboxUrl,
      appIdentifier: APP_IDENTIFIER,
      apiKey: API_KEY,
      secret: SECRET,
      store: sqliteStore(file),
      allowedOrigins: [h.partnerUrl],
      order: (orderId) => h.orders.get(orderId) ?? null,
      onPaid: (payment) => void paidAfterRestart.push(payment),
      logger: { warn() {}, error() {} },
    });
    try {
      assert.equal((await restarted.store.get(paid.paymentId))?.status, 'paid');
      assert.deepEqual(await restarted.store.events(paid.paymentId), before);
      const view = await (await restarted.request(`/payments/${paid.paymentId}`)).json();
      assert.equal(view.status, 'paid');

      const report = await restarted.reconcile({ olderThanMs: 0 });
      assert.deepEqual(report.changed, [{ paymentId: open.paymentId, from: 'pending', to: 'paid' }]);
      assert.deepEqual(
        paidAfterRestart.map((p) => p.id),
        [open.paymentId],
      );
      // The same click again after the restart: the same payment, no second Izly operation.
      const again = await restarted.request('/payments', {
        method: 'POST',
        // The same browser: its payer cookie (a payment belongs to the browser that started it).
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, Cookie: h.cookie },
        body: JSON.stringify({ orderId: 'B-2', returnUrl: `${h.partnerUrl}/back` }),
      });
      assert.equal(again.status, 200);
      const replayed = await again.json();
      assert.equal(replayed.paymentId, open.paymentId);
      assert.equal(replayed.status, 'paid');
      assert.equal(h.sandbox.control.operations().length, 2);

      assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, 10000 - 250 - 400);
    } finally {
      await restarted.store.close();
    }
  });
});
