// The store `izly-pay serve` opens from IZLY_PAY_DATABASE: a SQLite file by default (created, with its
// folder), PostgreSQL for a postgres:// URL, whose password never reaches the output. A payment made
// through the service on PostgreSQL is paid and its webhook delivered like on SQLite.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isPostgresUrl, openStore } from '../../../server-adapter/serve/store.js';
import { payAsStudent, STUDENT } from '../helpers/harness.js';
import { createTestDatabase, SKIP_WITHOUT_POSTGRES, type TestDatabase } from '../stores/postgres/test-database.js';
import { freePort, temporaryFolder } from '../../e2e/helpers/processes.js';
import { startServiceFixture } from './service-fixture.js';
import { serveEnvironment, startServe } from './serve-process.js';

describe('the store of izly-pay serve', () => {
  test('postgres:// and postgresql:// URLs are PostgreSQL, anything else a SQLite file', () => {
    assert.deepEqual(['postgres://u@h/db', 'postgresql://u@h/db', 'izly-pay.sqlite', '/var/lib/izly-pay/payments.db'].map(isPostgresUrl), [
      true,
      true,
      false,
      false,
    ]);
  });

  test('a SQLite file is created with its folder', async () => {
    const folder = temporaryFolder('izly-pay-serve-store-');
    try {
      const path = join(folder.path, 'data', 'payments.sqlite');
      const store = await openStore(path);
      await store.close();
      assert.ok(existsSync(path));
    } finally {
      folder.remove();
    }
  });
});

describe('izly-pay serve on PostgreSQL', { skip: SKIP_WITHOUT_POSTGRES }, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.drop());

  test('a payment is paid and its payment.paid delivered once', async () => {
    const f = await startServiceFixture({ store: await openStore(database.url) });
    try {
      f.shop.orders.set('PG-1', { amount: 330 });
      const created = (await (await f.createPayment('PG-1')).json()) as { paymentId: string; authorizationUrl: string };
      const processed = f.shop.processedCount(1);
      await payAsStudent(created.authorizationUrl, { ...STUDENT, action: 'validate' });
      await processed;
      await f.delivered(created.paymentId);
      assert.deepEqual(
        f.shop.processed.map((event) => event.id),
        [`evt_${created.paymentId}.paid`],
      );
      assert.equal((await f.service.izly.store.get(created.paymentId))?.status, 'paid');
    } finally {
      await f.close();
    }
  });

  test('the bin says PostgreSQL and never prints the URL', async () => {
    const withPassword = new URL(database.url);
    withPassword.password = 'not-to-be-printed';
    const folder = temporaryFolder('izly-pay-serve-pg-');
    try {
      // The server may ignore a password it does not need (trust): the service starts all the same.
      const service = await startServe(serveEnvironment('http://127.0.0.1:9', 'https://shop.example', await freePort(), withPassword.href));
      const output = service.output();
      assert.equal(await service.stop(), 0, 'SIGTERM stops it cleanly');
      assert.match(output, /store +PostgreSQL/);
      assert.doesNotMatch(output, /not-to-be-printed/);
    } finally {
      folder.remove();
    }
  });
});
