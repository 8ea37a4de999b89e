// The SQLite schema of the payment store, for every driver (files through better-sqlite3, node:sqlite or
// bun:sqlite, and Cloudflare D1), one step per version. Each step runs once, in order, and the version the
// database has reached is recorded (SQLite's `user_version` in a file, a one-row table on D1), so that a
// database made by an older release gets only the steps it lacks at its next open. Step 1 uses IF NOT
// EXISTS: files made before versioning (user_version 0) already have its tables. Each step is a list of
// single statements, because D1 runs a batch of prepared statements, not a script.
import type { SqlDriver, SqlStatement } from './sql-driver.js';

export const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE IF NOT EXISTS izly_payments (
  id TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  order_id TEXT NOT NULL,
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL,
  operation_id TEXT,
  authorization_url TEXT,
  return_url TEXT NOT NULL,
  message TEXT,
  izly_status TEXT,
  customer_email TEXT,
  amount_mismatch TEXT,
  failure_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  paid_at TEXT,
  refunded_at TEXT,
  version INTEGER NOT NULL
)`,
    // At most one open payment per order, enforced by SQLite itself so that no race can break it.
    "CREATE UNIQUE INDEX IF NOT EXISTS izly_payments_one_open_per_order ON izly_payments (order_id) WHERE status IN ('created', 'pending')",
    'CREATE INDEX IF NOT EXISTS izly_payments_operation ON izly_payments (operation_id)',
    'CREATE INDEX IF NOT EXISTS izly_payments_status ON izly_payments (status, created_at)',
    `CREATE TABLE IF NOT EXISTS izly_payment_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  payment_id TEXT NOT NULL,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  detail TEXT NOT NULL
)`,
    'CREATE INDEX IF NOT EXISTS izly_payment_events_payment ON izly_payment_events (payment_id, id)',
  ],
  // Durable hooks: the hook a status change owes, until it has run.
  [
    'ALTER TABLE izly_payments ADD COLUMN pending_hook TEXT',
    'ALTER TABLE izly_payments ADD COLUMN pending_hook_since TEXT',
    'CREATE INDEX izly_payments_pending_hook ON izly_payments (pending_hook_since) WHERE pending_hook IS NOT NULL',
  ],
  // One Izly reference per payment (attempt), and what Izly tells staff about the AD. Records made before
  // keep a NULL reference and are read with their order id, the reference they were sent with; NULLs never
  // collide in a unique index, so their repeated order ids do not stop the upgrade.
  [
    'ALTER TABLE izly_payments ADD COLUMN client_order_id TEXT',
    'ALTER TABLE izly_payments ADD COLUMN customer_client_code TEXT',
    'ALTER TABLE izly_payments ADD COLUMN customer_assignment_number TEXT',
    'CREATE UNIQUE INDEX izly_payments_client_order_id ON izly_payments (client_order_id)',
  ],
  // Spent IzlyConnect login nonces, shared by every connection to the database; expires_at in ms since the epoch.
  [
    'CREATE TABLE izly_login_nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID',
    'CREATE INDEX izly_login_nonces_expiry ON izly_login_nonces (expires_at)',
  ],
  // Hooks retried until they succeed: the failed attempts, when the next one is due, and a hook given up.
  [
    'ALTER TABLE izly_payments ADD COLUMN hook_attempts INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE izly_payments ADD COLUMN hook_retry_at TEXT',
    'ALTER TABLE izly_payments ADD COLUMN hook_given_up TEXT',
  ],
  // Durable refunds: the intent, written before Izly is asked.
  [
    'ALTER TABLE izly_payments ADD COLUMN refund_requested_at TEXT',
    "CREATE INDEX izly_payments_refund_in_flight ON izly_payments (refund_requested_at) WHERE status = 'paid' AND refund_requested_at IS NOT NULL",
  ],
  // An order paid at most once: a later payment of an order already paid names the earlier one.
  ['ALTER TABLE izly_payments ADD COLUMN duplicate_of TEXT'],
  // Every payment of an order, which each click looks up: the partial index above holds only open ones, so
  // without this one the lookup scanned the whole table (a creation slowed down as payments accumulated).
  ['CREATE INDEX izly_payments_order ON izly_payments (order_id, created_at)'],
  // Fewer pages written per creation (each page of a commit is a frame of the WAL, written and later
  // checkpointed). No query looks a payment up by its operation id, yet its index took a write at the
  // insert and another at the move to pending. The events' AUTOINCREMENT wrote a row of sqlite_sequence at
  // every insert; a plain INTEGER PRIMARY KEY is max(id) + 1, which keeps the log's order, since no event
  // is ever deleted. The table is rebuilt with its rows and their ids, as SQLite cannot drop AUTOINCREMENT.
  [
    'DROP INDEX izly_payments_operation',
    'CREATE TABLE izly_payment_events_rebuilt (id INTEGER PRIMARY KEY, payment_id TEXT NOT NULL, at TEXT NOT NULL, type TEXT NOT NULL, detail TEXT NOT NULL)',
    'INSERT INTO izly_payment_events_rebuilt (id, payment_id, at, type, detail) SELECT id, payment_id, at, type, detail FROM izly_payment_events ORDER BY id',
    'DROP TABLE izly_payment_events',
    'ALTER TABLE izly_payment_events_rebuilt RENAME TO izly_payment_events',
    'CREATE INDEX izly_payment_events_payment ON izly_payment_events (payment_id, id)',
  ],
];

const VERSION_TABLE = 'izly_pay_schema_version';

async function readVersion(driver: SqlDriver): Promise<number> {
  if (driver.schemaVersion === 'user_version') {
    const [row] = await driver.all('PRAGMA user_version', []);
    return Number(row?.user_version ?? 0);
  }
  await driver.batch([{ sql: `CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)`, params: [] }]);
  const [row] = await driver.all(`SELECT version FROM ${VERSION_TABLE} WHERE id = 1`, []);
  return Number(row?.version ?? 0);
}

function versionStatement(driver: SqlDriver, version: number): SqlStatement {
  // A PRAGMA takes no parameter; the version is one of ours, an integer.
  if (driver.schemaVersion === 'user_version') return { sql: `PRAGMA user_version = ${version}`, params: [] };
  return { sql: `INSERT INTO ${VERSION_TABLE} (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version`, params: [version] };
}

/**
 * Brings the database's schema up to date: the missing steps and the new version in one atomic batch. Two
 * processes opening an old file at once both try; the second one's batch fails on a column the first one
 * added, is undone whole, and finds the new version when it reads again.
 */
export async function migrate(driver: SqlDriver): Promise<void> {
  for (;;) {
    const current = await readVersion(driver);
    if (current >= MIGRATIONS.length) return;
    const statements = MIGRATIONS.slice(current)
      .flat()
      .map((sql): SqlStatement => ({ sql, params: [] }));
    try {
      await driver.batch([...statements, versionStatement(driver, MIGRATIONS.length)]);
      return;
    } catch (error) {
      if ((await readVersion(driver)) === current) throw error;
    }
  }
}
