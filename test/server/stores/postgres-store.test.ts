import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { postgresStore } from '../../../server-adapter/postgres.js';
import { createTestDatabase, SKIP_WITHOUT_POSTGRES, type TestDatabase } from './postgres/test-database.js';
import { describeStoreConformance } from './store-conformance.js';

let database: TestDatabase | undefined;

before(async () => {
  if (!SKIP_WITHOUT_POSTGRES) database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
});

describeStoreConformance('postgresStore', {
  skip: SKIP_WITHOUT_POSTGRES,
  async open() {
    await database!.empty();
    return postgresStore(database!.url);
  },
  reopen: () => postgresStore(database!.url),
  passTime: (ms) => database!.passTime(ms),
});

describe('postgresStore: a database made by an older release', { skip: SKIP_WITHOUT_POSTGRES }, () => {
  test('gets the new columns and the nonce table at its next use and reads its records with the reference they were sent with', async () => {
    const old = await createTestDatabase();
    try {
      const client = new pg.Client({ connectionString: old.url });
      await client.connect();
      // The schema of migration 1, as the first PostgreSQL release left it, with two attempts of one order
      // that both went to Izly as 'A-old'.
      await client.query(`
        CREATE TABLE izly_pay_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO izly_pay_migrations (version) VALUES (1);
        CREATE TABLE izly_payments (id text PRIMARY KEY, idempotency_key text NOT NULL, order_id text NOT NULL, amount integer NOT NULL,
          currency text NOT NULL, status text NOT NULL, operation_id text, authorization_url text, return_url text NOT NULL, message text,
          izly_status text, customer_email text, amount_mismatch text, failure_reason text, created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL, paid_at timestamptz, refunded_at timestamptz, pending_hook text, pending_hook_since timestamptz,
          version integer NOT NULL, last_read_at timestamptz, seq bigint GENERATED ALWAYS AS IDENTITY,
          CONSTRAINT izly_payments_idempotency_key UNIQUE (idempotency_key));
        CREATE UNIQUE INDEX izly_payments_one_open_per_order ON izly_payments (order_id) WHERE status IN ('created', 'pending');
        CREATE TABLE izly_payment_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payment_id text NOT NULL,
          at timestamptz NOT NULL, type text NOT NULL, detail jsonb NOT NULL);
        INSERT INTO izly_payments (id, idempotency_key, order_id, amount, currency, status, operation_id, return_url, izly_status,
          created_at, updated_at, version)
        VALUES ('pay_older', 'key-older', 'A-old', 250, 'EUR', 'cancelled', '41', 'https://shop.test/', 'Canceled', '2025-01-01T09:00:00Z', '2025-01-01T09:01:00Z', 2),
               ('pay_old', 'key-old', 'A-old', 250, 'EUR', 'paid', '42', 'https://shop.test/', 'Completed', '2025-01-01T10:00:00Z', '2025-01-01T10:01:00Z', 3);
      `);
      await client.end();

      const store = postgresStore(old.url);
      try {
        const record = await store.get('pay_old');
        assert.equal(record?.status, 'paid');
        assert.equal(record?.clientOrderId, 'A-old');
        assert.equal(record?.customerClientCode, null);
        assert.equal(record?.customerAssignmentNumber, null);
        assert.equal(await store.spendLoginNonce?.('nonce-after-upgrade', new Date(Date.now() + 600_000)), true, 'the nonce table is there');
        assert.deepEqual(
          (await store.findByOrderId('A-old')).map((r) => r.clientOrderId),
          ['A-old', 'A-old'],
        );
        const kept = await store.transition('pay_old', ['paid'], { customerClientCode: 'cmartin01', updatedAt: '2025-01-01T10:02:00.000Z' });
        assert.equal(kept?.clientOrderId, 'A-old');
        assert.equal(kept?.customerClientCode, 'cmartin01');
      } finally {
        await store.close();
      }
    } finally {
      await old.drop();
    }
  });
});
