import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteStore } from '../../../server-adapter/sqlite.js';
import { newPaymentRecord } from '../../../server-adapter/stores/payment-store.js';
import { describeStoreConformance } from './store-conformance.js';
import { SyncSqliteDriver, type SqliteFileOptions, type SyncConnection } from '../../../server-adapter/stores/sqlite/sqlite-file.js';

let directory = '';
let file = '';
/** How far the stores' clock is ahead of the real one. */
let ahead = 0;
const now = () => Date.now() + ahead;

describeStoreConformance('sqliteStore', {
  open() {
    directory = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
    file = join(directory, 'payments.db');
    ahead = 0;
    return sqliteStore(file, { now });
  },
  reopen: () => sqliteStore(file, { now }),
  cleanup: () => rmSync(directory, { recursive: true, force: true }),
  passTime: (ms) => void (ahead += ms),
});

describe('sqliteStore: a file made by an older release', () => {
  test('gets the new columns and the nonce table at its next open and keeps its records', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
    try {
      const path = join(folder, 'payments.db');
      // The schema as the first release wrote it, without a schema version (user_version 0).
      const old = new Database(path);
      old.exec(`
        CREATE TABLE izly_payments (id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, order_id TEXT NOT NULL,
          amount INTEGER NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL, operation_id TEXT, authorization_url TEXT,
          return_url TEXT NOT NULL, message TEXT, izly_status TEXT, customer_email TEXT, amount_mismatch TEXT, failure_reason TEXT,
          created_at TEXT NOT NULL, updated_at TEXT NOT NULL, paid_at TEXT, refunded_at TEXT, version INTEGER NOT NULL);
        CREATE UNIQUE INDEX izly_payments_one_open_per_order ON izly_payments (order_id) WHERE status IN ('created', 'pending');
        CREATE TABLE izly_payment_events (id INTEGER PRIMARY KEY AUTOINCREMENT, payment_id TEXT NOT NULL, at TEXT NOT NULL, type TEXT NOT NULL, detail TEXT NOT NULL);
        INSERT INTO izly_payments VALUES ('pay_old', 'key-old', 'A-old', 250, 'EUR', 'paid', '42', NULL, 'https://shop.test/', NULL,
          'Completed', NULL, NULL, NULL, '2025-01-01T10:00:00.000Z', '2025-01-01T10:01:00.000Z', '2025-01-01T10:01:00.000Z', NULL, 3);
        -- An earlier attempt of the same order: before attempt references, both went to Izly as 'A-old'.
        INSERT INTO izly_payments VALUES ('pay_older', 'key-older', 'A-old', 250, 'EUR', 'cancelled', '41', NULL, 'https://shop.test/', NULL,
          'Canceled', NULL, NULL, NULL, '2025-01-01T09:00:00.000Z', '2025-01-01T09:01:00.000Z', NULL, NULL, 2);
        INSERT INTO izly_payment_events (payment_id, at, type, detail) VALUES
          ('pay_older', '2025-01-01T09:00:00.000Z', 'created', '{"status":"created"}'),
          ('pay_old', '2025-01-01T10:00:00.000Z', 'created', '{"status":"created"}'),
          ('pay_old', '2025-01-01T10:01:00.000Z', 'transition', '{"from":"pending","to":"paid"}');
      `);
      old.close();

      const store = sqliteStore(path);
      try {
        const record = await store.get('pay_old');
        assert.equal(record?.status, 'paid');
        assert.equal(record?.pendingHook, null);
        // Read with the reference they were sent to Izly with; nothing known of the AD yet.
        assert.equal(record?.clientOrderId, 'A-old');
        assert.equal((await store.get('pay_older'))?.clientOrderId, 'A-old');
        assert.equal(record?.customerClientCode, null);
        assert.equal(record?.customerAssignmentNumber, null);
        assert.equal(await store.spendLoginNonce?.('nonce-after-upgrade', new Date(Date.now() + 600_000)), true, 'the nonce table is there');
        const marked = await store.transition('pay_old', ['paid'], {
          pendingHook: 'onPaid',
          pendingHookSince: '2025-01-01T10:01:00.000Z',
          updatedAt: '2025-01-01T10:01:00.000Z',
        });
        assert.equal(marked?.pendingHook, 'onPaid');
        // The log keeps its entries and their ids through the rebuild of its table, and a new entry comes after them.
        await store.appendEvent({ paymentId: 'pay_old', at: '2025-01-01T10:02:00.000Z', type: 'hook_failed', detail: { hook: 'onPaid' } });
        assert.deepEqual(
          (await store.events('pay_old')).map((event) => [event.id, event.type]),
          [
            [2, 'created'],
            [3, 'transition'],
            [4, 'hook_failed'],
          ],
        );
        assert.deepEqual(
          (await store.listPendingHooks(new Date('2025-01-02T00:00:00Z'))).map((r) => r.id),
          ['pay_old'],
        );
      } finally {
        await store.close();
      }
      // Opening again runs no step twice.
      const again = sqliteStore(path);
      assert.equal((await again.get('pay_old'))?.pendingHook, 'onPaid');
      assert.equal((await again.get('pay_old'))?.clientOrderId, 'A-old');
      await again.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('sqliteStore: records read lately are reused only while nothing changed them', () => {
  test('a change made through another connection to the file (another process) is seen at the next get', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
    const path = join(folder, 'payments.db');
    const store = sqliteStore(path);
    try {
      const at = '2025-01-01T10:00:00.000Z';
      await store.create({
        ...newPaymentRecord({
          id: 'pay_cached',
          idempotencyKey: 'key-cached',
          orderId: 'A-cached',
          clientOrderId: 'A-cached',
          amount: 250,
          returnUrl: 'https://shop.test/',
          message: null,
          at,
        }),
        status: 'pending',
        operationId: '7',
        izlyStatus: 'Pending',
      });
      assert.equal((await store.get('pay_cached'))?.status, 'pending');
      assert.equal((await store.get('pay_cached'))?.status, 'pending');
      // Another process's write, as plain SQL on its own connection.
      const other = new Database(path);
      other.prepare("UPDATE izly_payments SET status = 'paid', version = version + 1 WHERE id = 'pay_cached'").run();
      other.close();
      assert.equal((await store.get('pay_cached'))?.status, 'paid');
      // This store's own change is seen too, and a record handed out is a copy.
      const refunded = await store.transition('pay_cached', ['paid'], { status: 'refunded', updatedAt: at });
      assert.equal(refunded?.version, 3);
      const read = await store.get('pay_cached');
      assert.equal(read?.status, 'refunded');
      read!.status = 'failed';
      assert.equal((await store.get('pay_cached'))?.status, 'refunded');
    } finally {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('sqliteStore: the WAL index tells a read whether anything was committed', () => {
  test('a commit by another process, and a WAL restarted by its checkpoint, are each seen at the next get', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
    const path = join(folder, 'payments.db');
    const store = sqliteStore(path);
    // Another process, with its own SQLite: a change it commits must be seen by the store's next read.
    const otherProcess = (sql: string) =>
      execFileSync(
        process.execPath,
        ['-e', `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(path)}); d.exec(${JSON.stringify(sql)}); d.close();`],
        {
          cwd: process.cwd(),
        },
      );
    try {
      const at = '2025-01-01T10:00:00.000Z';
      const record = newPaymentRecord({
        id: 'pay_wal',
        idempotencyKey: 'key-wal',
        orderId: 'A-wal',
        clientOrderId: 'A-wal',
        amount: 250,
        returnUrl: 'https://shop.test/',
        message: null,
        at,
      });
      await store.create({ ...record, status: 'pending', operationId: '8', izlyStatus: 'Pending' });
      // Read twice: the second read is answered from the kept record, the WAL index unchanged.
      assert.equal((await store.get('pay_wal'))?.status, 'pending');
      assert.equal((await store.get('pay_wal'))?.status, 'pending');
      otherProcess("UPDATE izly_payments SET status = 'paid', version = version + 1 WHERE id = 'pay_wal'");
      assert.equal((await store.get('pay_wal'))?.status, 'paid');
      assert.equal((await store.get('pay_wal'))?.status, 'paid');
      // A checkpoint that empties the WAL, then a commit that starts it again from its first frame.
      otherProcess("PRAGMA wal_checkpoint(TRUNCATE); UPDATE izly_payments SET status = 'refunded', version = version + 1 WHERE id = 'pay_wal'");
      assert.equal((await store.get('pay_wal'))?.status, 'refunded');
      otherProcess("UPDATE izly_payments SET message = 'seen', version = version + 1 WHERE id = 'pay_wal'");
      assert.equal((await store.get('pay_wal'))?.message, 'seen');
    } finally {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a store opened again on a file that SQLite deleted and made again (every connection had closed) still sees other commits', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
    const path = join(folder, 'payments.db');
    try {
      const first = sqliteStore(path);
      const at = '2025-01-01T10:00:00.000Z';
      await first.create(
        newPaymentRecord({
          id: 'pay_again',
          idempotencyKey: 'key-again',
          orderId: 'A-again',
          clientOrderId: 'A-again',
          amount: 250,
          returnUrl: 'https://shop.test/',
          message: null,
          at,
        }),
      );
      assert.equal((await first.get('pay_again'))?.status, 'created');
      await first.close();
      const second = sqliteStore(path);
      try {
        assert.equal((await second.get('pay_again'))?.status, 'created');
        assert.equal((await second.get('pay_again'))?.status, 'created');
        const other = new Database(path);
        other.prepare("UPDATE izly_payments SET status = 'cancelled', version = version + 1 WHERE id = 'pay_again'").run();
        other.close();
        assert.equal((await second.get('pay_again'))?.status, 'cancelled');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('sqliteStore: a transition from a record kept by the store, changed since by another connection', () => {
  test('is decided on the record in the file: refused if that one refuses it, applied at its version if not', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
    const path = join(folder, 'payments.db');
    const store = sqliteStore(path);
    try {
      const at = '2025-01-01T10:00:00.000Z';
      const fields = {
        idempotencyKey: 'key-kept',
        orderId: 'A-kept',
        clientOrderId: 'A-kept',
        amount: 250,
        returnUrl: 'https://shop.test/',
        message: null,
        at,
      };
      await store.create(newPaymentRecord({ id: 'pay_kept', ...fields }));
      // Another process moves it to pending (version 2): the store still keeps it as created, version 1.
      const other = new Database(path);
      other.prepare("UPDATE izly_payments SET status = 'pending', operation_id = '9', version = version + 1 WHERE id = 'pay_kept'").run();
      // From pending (the kept record refuses it, the file's allows it): applied on the file's record.
      const paid = await store.transition('pay_kept', ['pending'], { status: 'paid', paidAt: at, updatedAt: at }, { version: 2 });
      assert.equal(paid?.version, 3);
      assert.equal(paid?.operationId, '9');
      other.prepare("UPDATE izly_payments SET status = 'refunded', version = version + 1 WHERE id = 'pay_kept'").run();
      other.close();
      // At a status and version the kept record has (paid, 3) but the file no longer has (refunded, 4): refused,
      // and nothing is logged.
      assert.equal(await store.transition('pay_kept', ['paid'], { status: 'refunded', updatedAt: at }, { version: 3 }), null);
      assert.deepEqual(
        (await store.events('pay_kept')).map((event) => [event.type, event.detail]),
        [
          ['created', { status: 'created', amount: 250, orderId: 'A-kept', clientOrderId: 'A-kept' }],
          ['transition', { from: 'pending', to: 'paid' }],
        ],
      );
      assert.equal((await store.get('pay_kept'))?.status, 'refunded');
    } finally {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('sqliteStore(path) in a folder that does not exist yet', () => {
  test("creates the folder, as a partner's first run of sqliteStore('data/payments.db') needs", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
    const path = join(folder, 'data', 'nested', 'payments.db');
    const store = sqliteStore(path);
    try {
      assert.equal(await store.get('pay_none'), null);
      // The file is really there, with the schema: another connection that refuses to create it opens it.
      const other = new Database(path, { fileMustExist: true });
      assert.deepEqual({ ...(other.prepare('SELECT COUNT(*) AS n FROM izly_payments').get() as object) }, { n: 0 });
      other.close();
    } finally {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the SQLite file driver: settings of the connection', () => {
  test('WAL, NORMAL durability by default and FULL on request, a checkpoint every 10,000 pages', () => {
    const folder = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
    try {
      const settings = (options: SqliteFileOptions) => {
        const database = new Database(join(folder, 'settings.db'));
        const driver = new SyncSqliteDriver(database as unknown as SyncConnection, options);
        const read = (pragma: string) => database.pragma(pragma, { simple: true });
        const seen = { journal: read('journal_mode'), synchronous: read('synchronous'), checkpoint: read('wal_autocheckpoint') };
        driver.close();
        return seen;
      };
      // SQLite's values: synchronous 1 is NORMAL, 2 is FULL.
      assert.deepEqual(settings({}), { journal: 'wal', synchronous: 1, checkpoint: 10_000 });
      assert.deepEqual(settings({ synchronous: 'FULL' }), { journal: 'wal', synchronous: 2, checkpoint: 10_000 });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('sqliteStore: two stores opening a new file at once', () => {
  test('both migrate it without error (the loser of the race finds the schema made) and share it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
    const path = join(folder, 'payments.db');
    const [first, second] = [sqliteStore(path), sqliteStore(path)];
    try {
      const at = '2025-01-01T10:00:00.000Z';
      const record = newPaymentRecord({
        id: 'pay_both',
        idempotencyKey: 'key-both',
        orderId: 'A-both',
        clientOrderId: 'A-both',
        amount: 250,
        returnUrl: 'https://shop.test/',
        message: null,
        at,
      });
      const [created, missing] = await Promise.all([first.create(record), second.get('pay_none')]);
      assert.equal(missing, null);
      assert.equal((await second.get(created.id))?.orderId, 'A-both');
      const version = new Database(path, { readonly: true });
      assert.equal(version.pragma('user_version', { simple: true }), 9);
      version.close();
    } finally {
      await first.close();
      await second.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the SQLite file driver: batches of one turn of the event loop share one commit', () => {
  test('each batch keeps its own atomicity: a failing one is undone alone and rejects alone, the others commit together', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
    const path = join(folder, 'group.db');
    const driver = new SyncSqliteDriver(new Database(path) as unknown as SyncConnection);
    // Another connection, as another process would have: its data_version counts the commits made by others.
    const other = new Database(path);
    try {
      await driver.batch([{ sql: 'CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER)', params: [] }]);
      const versionBefore = other.pragma('data_version', { simple: true }) as number;
      const insert = (k: string, n: number) => ({ sql: 'INSERT INTO t (k, n) VALUES (?, ?)', params: [k, n] });
      const outcomes = await Promise.allSettled([
        driver.batch([insert('a', 1), insert('b', 2)]),
        // Its second insert breaks the primary key: its first one must be undone with it.
        driver.batch([insert('c', 3), insert('a', 4)]),
        driver.batch([{ sql: 'UPDATE t SET n = n + 10 WHERE k = ?', params: ['a'] }, insert('d', 5)]),
      ]);
      assert.deepEqual(
        outcomes.map((outcome) => outcome.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.deepEqual((outcomes[0] as PromiseFulfilledResult<number[]>).value, [1, 1]);
      assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /UNIQUE constraint failed/);
      assert.deepEqual((outcomes[2] as PromiseFulfilledResult<number[]>).value, [1, 1]);
      assert.deepEqual(other.prepare('SELECT k, n FROM t ORDER BY k').all(), [
        { k: 'a', n: 11 },
        { k: 'b', n: 2 },
        { k: 'd', n: 5 },
      ]);
      assert.equal((other.pragma('data_version', { simple: true }) as number) - versionBefore, 1, 'one commit for the three batches');
      // A batch alone, failing, leaves nothing either.
      await assert.rejects(driver.batch([insert('e', 6), insert('b', 7)]), /UNIQUE constraint failed/);
      assert.deepEqual(other.prepare("SELECT count(*) AS n FROM t WHERE k = 'e'").get(), { n: 0 });
    } finally {
      other.close();
      driver.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a batch still queued when the driver closes is committed first', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
    const path = join(folder, 'close.db');
    const driver = new SyncSqliteDriver(new Database(path) as unknown as SyncConnection);
    try {
      const written = driver.batch([
        { sql: 'CREATE TABLE t (k TEXT)', params: [] },
        { sql: "INSERT INTO t VALUES ('kept')", params: [] },
      ]);
      driver.close();
      assert.deepEqual(await written, [0, 1]);
      const reopened = new Database(path);
      assert.deepEqual(reopened.prepare('SELECT k FROM t').all(), [{ k: 'kept' }]);
      reopened.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
