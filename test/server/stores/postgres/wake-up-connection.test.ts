// The PostgreSQL store's wake-up connection (LISTEN) is lost — the database restarted, a proxy cut it —
// and comes back by itself: wake-ups from other instances resume without a restart of the adapter.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { postgresStore } from '../../../../server-adapter/postgres.js';
import type { PaymentRecord } from '../../../../server-adapter/index.js';
import { newPaymentRecord } from '../../../../server-adapter/stores/payment-store.js';
import { createTestDatabase, SKIP_WITHOUT_POSTGRES, type TestDatabase } from './test-database.js';

function record(id: string): PaymentRecord {
  return newPaymentRecord({
    id,
    idempotencyKey: `key-${id}`,
    orderId: `order-${id}`,
    clientOrderId: `order-${id}`,
    amount: 100,
    returnUrl: 'https://shop.example/',
    message: null,
    at: new Date().toISOString(),
  });
}

describe('postgresStore: the wake-up connection', { skip: SKIP_WITHOUT_POSTGRES }, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database?.drop();
  });

  test('lost, it reconnects by itself and wake-ups resume', async () => {
    const warnings: string[] = [];
    let lost = () => {};
    const connectionLost = new Promise<void>((resolve) => (lost = resolve));
    const listening = postgresStore(database.url, { logger: { warn: (line) => (warnings.push(line), lost()) } });
    const other = postgresStore(database.url);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const heard: string[] = [];
      await listening.subscribe!((paymentId) => heard.push(paymentId));
      const created = await other.create(record('pay_wake'));

      const { rowCount } = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN izly_pay_payments'",
      );
      assert.equal(rowCount, 1, 'one LISTEN connection to cut');
      await connectionLost;
      assert.match(warnings[0]!, /wake-up connection lost/);

      // Changes made while it is away are not heard; once it is back (about a second later), they are.
      for (let attempt = 1; !heard.includes(created.id) && attempt <= 100; attempt++) {
        await other.transition(created.id, ['created'], { message: `attempt ${attempt}`, updatedAt: new Date().toISOString() });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(heard.includes(created.id), 'heard again within 10 s');
      assert.ok(heard.every((id) => id === created.id));
    } finally {
      await admin.end();
      await listening.close();
      await other.close();
    }
  });
});
