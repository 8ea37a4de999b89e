// A PaymentStore in one SQLite file (better-sqlite3, WAL): survives restarts, safe for several
// connections to the same file. Node-only: import it from `izly-pay/server/sqlite`, never from the
// portable core. better-sqlite3 is synchronous, so each method's statements run without interleaving
// in this process; the SQL itself (a conditional UPDATE, unique indexes) keeps other processes honest.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  PaymentConflictError,
  applyPatch,
  isOpenStatus,
  type NewPaymentEvent,
  type PaymentEvent,
  type PaymentEventType,
  type PaymentPatch,
  type PaymentRecord,
  type PaymentStatus,
  type PaymentStore,
  type TransitionCondition,
} from './payment-store.js';
import { PAYMENT_COLUMNS } from './payment-columns.js';
import { LoginNonceSweeps } from './spent-login-nonces.js';

// The schema, one step per version. Each step runs once, in order, and SQLite's `user_version` records how
// far a file has come, so a file made by an older release gets only the steps it lacks at its next open.
// Step 1 uses IF NOT EXISTS: files made before versioning (user_version 0) already have its tables.
const MIGRATIONS = [
  `
CREATE TABLE IF NOT EXISTS izly_payments (
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
);
-- At most one open payment per order, enforced by SQLite itself so that no race can break it.
CREATE UNIQUE INDEX IF NOT EXISTS izly_payments_one_open_per_order
  ON izly_payments (order_id) WHERE status IN ('created', 'pending');
CREATE INDEX IF NOT EXISTS izly_payments_operation ON izly_payments (operation_id);
CREATE INDEX IF NOT EXISTS izly_payments_status ON izly_payments (status, created_at);
CREATE TABLE IF NOT EXISTS izly_payment_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  payment_id TEXT NOT NULL,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS izly_payment_events_payment ON izly_payment_events (payment_id, id);
`,
  // Durable hooks: the hook a status change owes, until it has run.
  `
ALTER TABLE izly_payments ADD COLUMN pending_hook TEXT;
ALTER TABLE izly_payments ADD COLUMN pending_hook_since TEXT;
CREATE INDEX izly_payments_pending_hook ON izly_payments (pending_hook_since) WHERE pending_hook IS NOT NULL;
`,
  // One Izly reference per payment (attempt), and what Izly tells staff about the AD. Records made before
  // keep a NULL reference and are read with their order id, the reference they were sent with; NULLs never
  // collide in a unique index, so their repeated order ids do not stop the upgrade.
  `
ALTER TABLE izly_payments ADD COLUMN client_order_id TEXT;
ALTER TABLE izly_payments ADD COLUMN customer_client_code TEXT;
ALTER TABLE izly_payments ADD COLUMN customer_assignment_number TEXT;
CREATE UNIQUE INDEX izly_payments_client_order_id ON izly_payments (client_order_id);
`,
  // Spent IzlyConnect login nonces, shared by every connection to the file; expires_at in ms since the epoch.
  `
CREATE TABLE izly_login_nonces (
  nonce TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX izly_login_nonces_expiry ON izly_login_nonces (expires_at);
`,
  // Hooks retried until they succeed: the failed attempts, when the next one is due, and a hook given up.
  `
ALTER TABLE izly_payments ADD COLUMN hook_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE izly_payments ADD COLUMN hook_retry_at TEXT;
ALTER TABLE izly_payments ADD COLUMN hook_given_up TEXT;
`,
  // Durable refunds: the intent, written before Izly is asked.
  `
ALTER TABLE izly_payments ADD COLUMN refund_requested_at TEXT;
CREATE INDEX izly_payments_refund_in_flight ON izly_payments (refund_requested_at) WHERE status = 'paid' AND refund_requested_at IS NOT NULL;
`,
  // An order paid at most once: a later payment of an order already paid names the earlier one.
  `
ALTER TABLE izly_payments ADD COLUMN duplicate_of TEXT;
`,
];

/** Brings the file's schema up to date, in one write transaction so that two processes opening it do not both migrate. */
function migrate(db: Database.Database): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const step of MIGRATIONS.slice(current)) db.exec(step);
    if (current < MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

/** Column of each record field. */
const COLUMNS = PAYMENT_COLUMNS;

type Row = { [K in keyof typeof COLUMNS as (typeof COLUMNS)[K]]: PaymentRecord[K] };

function fromRow(row: Row): PaymentRecord {
  const record = {} as Record<string, unknown>;
  for (const [field, column] of Object.entries(COLUMNS)) record[field] = row[column as keyof Row];
  // A record made before attempt references was sent to Izly with its order id.
  record.clientOrderId ??= row.order_id;
  return record as unknown as PaymentRecord;
}

function toRow(record: PaymentRecord): Row {
  const row = {} as Record<string, unknown>;
  for (const [field, column] of Object.entries(COLUMNS)) row[column] = record[field as keyof PaymentRecord];
  return row as Row;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** Options of `sqliteStore()`. */
export interface SqliteStoreOptions {
  /** The time in ms since the epoch, by which spent login nonces expire; default `Date.now` (tests pass the adapter's clock). */
  now?: () => number;
}

/**
 * A `PaymentStore` in an SQLite file (created when missing), in WAL mode. Payments survive restarts, and
 * spent login nonces are shared by every store open on the file.
 * @example
 * import { sqliteStore } from 'izly-pay/server/sqlite';
 * app.route('/izly', izlyPay({ ..., store: sqliteStore('data/payments.db') }));
 */
export function sqliteStore(path: string, options: SqliteStoreOptions = {}): PaymentStore {
  // A partner's first run has no `data/` yet: better-sqlite3 would throw "unable to open database file".
  // `:memory:` and `''` (a temporary database) have no folder.
  if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return new SqliteStore(db, options.now ?? Date.now);
}

type EventRow = { id: number; payment_id: string; at: string; type: string; detail: string };

/** The statements the store runs often, prepared once per connection. */
function prepareStatements(db: Database.Database) {
  const columns = Object.values(COLUMNS);
  return {
    insertPayment: db.prepare(`INSERT INTO izly_payments (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`),
    selectById: db.prepare<[string], Row>('SELECT * FROM izly_payments WHERE id = ?'),
    selectByKey: db.prepare<[string], Row>('SELECT * FROM izly_payments WHERE idempotency_key = ?'),
    selectByOrder: db.prepare<[string], Row>('SELECT * FROM izly_payments WHERE order_id = ? ORDER BY created_at DESC, rowid DESC'),
    selectOpenByOrder: db.prepare<[string], Row>("SELECT * FROM izly_payments WHERE order_id = ? AND status IN ('created', 'pending') LIMIT 1"),
    selectByReference: db.prepare<[string], Row>('SELECT * FROM izly_payments WHERE client_order_id = ?'),
    selectPendingHooks: db.prepare<[{ markedBefore: string; dueBy: string | null }], Row>(
      `SELECT * FROM izly_payments
       WHERE pending_hook IS NOT NULL AND (pending_hook_since IS NULL OR pending_hook_since < @markedBefore)
         AND (@dueBy IS NULL OR hook_retry_at IS NULL OR hook_retry_at <= @dueBy)
       ORDER BY coalesce(pending_hook_since, hook_retry_at), rowid`,
    ),
    selectRefundsInFlight: db.prepare<[], Row>(
      "SELECT * FROM izly_payments WHERE status = 'paid' AND refund_requested_at IS NOT NULL ORDER BY refund_requested_at, rowid",
    ),
    insertEvent: db.prepare('INSERT INTO izly_payment_events (payment_id, at, type, detail) VALUES (?, ?, ?, ?)'),
    selectEvents: db.prepare<[string], EventRow>('SELECT * FROM izly_payment_events WHERE payment_id = ? ORDER BY id'),
    // The primary key makes the insert of a nonce spent before (by any connection) change no row.
    insertLoginNonce: db.prepare<[string, number]>('INSERT OR IGNORE INTO izly_login_nonces (nonce, expires_at) VALUES (?, ?)'),
    deleteExpiredLoginNonces: db.prepare<[number]>('DELETE FROM izly_login_nonces WHERE expires_at <= ?'),
  };
}

/**
 * Records read lately, reused while nothing changed them: `PRAGMA data_version` changes when any other
 * connection (another process, another store on the same file) commits, and this connection's own changes
 * drop the record from the cache. A status poll then costs one pragma instead of a row read and its mapping.
 */
class RecentRecords {
  readonly #dataVersion: Database.Statement<[], number>;
  readonly #records = new Map<string, PaymentRecord>();
  #version: number | undefined;

  constructor(db: Database.Database) {
    this.#dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.#version = this.#dataVersion.get();
  }

  get(id: string): PaymentRecord | undefined {
    const version = this.#dataVersion.get();
    if (version !== this.#version) {
      this.#records.clear();
      this.#version = version;
    }
    return this.#records.get(id);
  }

  remember(record: PaymentRecord): void {
    if (this.#records.size >= 1000) this.#records.clear();
    this.#records.set(record.id, record);
  }

  forget(id: string): void {
    this.#records.delete(id);
  }
}

// The store's methods are own properties (arrow functions), not prototype methods, so that a partner can
// still wrap a store by spreading it (`{ ...store, transition }`), as with the plain objects of before.
class SqliteStore implements PaymentStore {
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepareStatements>;
  readonly #recent: RecentRecords;
  readonly #createTransaction: Database.Transaction<(record: PaymentRecord) => PaymentRecord>;
  readonly #transitionTransaction: Database.Transaction<
    (
      id: string,
      from: readonly PaymentStatus[],
      patch: PaymentPatch,
      condition: TransitionCondition,
      events: readonly NewPaymentEvent[],
    ) => PaymentRecord | null
  >;
  readonly #now: () => number;
  readonly #loginNonceSweeps = new LoginNonceSweeps();
  #closed = false;

  constructor(db: Database.Database, now: () => number) {
    this.#db = db;
    this.#now = now;
    this.#statements = prepareStatements(db);
    this.#recent = new RecentRecords(db);
    this.#createTransaction = db.transaction((record: PaymentRecord) => this.#insert(record));
    this.#transitionTransaction = db.transaction(
      (id: string, from: readonly PaymentStatus[], patch: PaymentPatch, condition: TransitionCondition, events: readonly NewPaymentEvent[]) =>
        this.#update(id, from, patch, condition, events),
    );
  }

  create = async (record: PaymentRecord): Promise<PaymentRecord> => {
    this.#check();
    return this.#createTransaction.immediate(record);
  };

  get = async (id: string): Promise<PaymentRecord | null> => {
    this.#check();
    const cached = this.#recent.get(id);
    if (cached) return { ...cached };
    const row = this.#statements.selectById.get(id);
    if (!row) return null;
    const record = fromRow(row);
    this.#recent.remember(record);
    return { ...record };
  };

  findByIdempotencyKey = async (key: string): Promise<PaymentRecord | null> => {
    this.#check();
    const row = this.#statements.selectByKey.get(key);
    return row ? fromRow(row) : null;
  };

  findByOrderId = async (orderId: string): Promise<PaymentRecord[]> => {
    this.#check();
    return this.#statements.selectByOrder.all(orderId).map(fromRow);
  };

  // IMMEDIATE takes the write lock before reading, so two connections cannot both pass the check.
  transition = async (
    id: string,
    from: readonly PaymentStatus[],
    patch: PaymentPatch,
    condition: TransitionCondition = {},
    events: readonly NewPaymentEvent[] = [],
  ): Promise<PaymentRecord | null> => {
    this.#check();
    return this.#transitionTransaction.immediate(id, from, patch, condition, events);
  };

  listByStatus = async (statuses: readonly PaymentStatus[], olderThan?: Date): Promise<PaymentRecord[]> => {
    this.#check();
    if (statuses.length === 0) return [];
    const params: string[] = [...statuses];
    let sql = `SELECT * FROM izly_payments WHERE status IN (${placeholders(statuses.length)})`;
    if (olderThan) {
      sql += ' AND created_at < ?';
      params.push(olderThan.toISOString());
    }
    return this.#db
      .prepare<string[], Row>(`${sql} ORDER BY created_at, rowid`)
      .all(...params)
      .map(fromRow);
  };

  listPendingHooks = async (markedBefore: Date, dueBy?: Date): Promise<PaymentRecord[]> => {
    this.#check();
    return this.#statements.selectPendingHooks.all({ markedBefore: markedBefore.toISOString(), dueBy: dueBy?.toISOString() ?? null }).map(fromRow);
  };

  listRefundsInFlight = async (): Promise<PaymentRecord[]> => {
    this.#check();
    return this.#statements.selectRefundsInFlight.all().map(fromRow);
  };

  appendEvent = async (event: NewPaymentEvent): Promise<void> => {
    this.#check();
    this.#log(event);
  };

  events = async (paymentId: string): Promise<PaymentEvent[]> => {
    this.#check();
    return this.#statements.selectEvents
      .all(paymentId)
      .map((row): PaymentEvent => ({ id: row.id, paymentId: row.payment_id, at: row.at, type: row.type as PaymentEventType, detail: JSON.parse(row.detail) }));
  };

  spendLoginNonce = async (nonce: string, expiresAt: Date): Promise<boolean> => {
    this.#check();
    if (this.#loginNonceSweeps.due()) this.#statements.deleteExpiredLoginNonces.run(this.#now());
    return this.#statements.insertLoginNonce.run(nonce, expiresAt.getTime()).changes === 1;
  };

  close = async (): Promise<void> => {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  };

  #check(): void {
    if (this.#closed) throw new Error('sqliteStore: the store is closed');
  }

  #log(event: NewPaymentEvent): void {
    this.#statements.insertEvent.run(event.paymentId, event.at, event.type, JSON.stringify(event.detail));
  }

  /** `create` inside its transaction. */
  #insert(record: PaymentRecord): PaymentRecord {
    const saved = { ...record, version: 1 };
    try {
      this.#statements.insertPayment.run(toRow(saved));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const sameKey = this.#statements.selectByKey.get(record.idempotencyKey);
      if (sameKey) throw new PaymentConflictError('idempotency_key', fromRow(sameKey));
      const open = this.#statements.selectOpenByOrder.get(record.orderId);
      if (open) throw new PaymentConflictError('open_payment', fromRow(open));
      const sameReference = this.#statements.selectByReference.get(record.clientOrderId);
      if (sameReference) throw new PaymentConflictError('client_order_id', fromRow(sameReference));
      throw error;
    }
    this.#log({
      paymentId: saved.id,
      at: saved.createdAt,
      type: 'created',
      detail: { status: saved.status, amount: saved.amount, orderId: saved.orderId, clientOrderId: saved.clientOrderId },
    });
    return saved;
  }

  /** `transition` inside its transaction. */
  #update(
    id: string,
    from: readonly PaymentStatus[],
    patch: PaymentPatch,
    condition: TransitionCondition,
    events: readonly NewPaymentEvent[],
  ): PaymentRecord | null {
    const row = this.#statements.selectById.get(id);
    if (!row) return null;
    const record = fromRow(row);
    if (!from.includes(record.status)) return null;
    if (condition.version !== undefined && record.version !== condition.version) return null;
    const updated = applyPatch(record, patch);
    if (this.#write(record, updated).changes !== 1) return null;
    this.#recent.forget(id);
    for (const event of events) this.#log(event);
    if (updated.status !== record.status) {
      this.#log({ paymentId: id, at: patch.updatedAt, type: 'transition', detail: { from: record.status, to: updated.status } });
    }
    return updated;
  }

  /** The UPDATE of the fields that differ, at the version read; an open-payment or reference conflict as `PaymentConflictError`. */
  #write(record: PaymentRecord, updated: PaymentRecord): Database.RunResult {
    const changed = (Object.keys(COLUMNS) as (keyof PaymentRecord)[]).filter((field) => field !== 'id' && updated[field] !== record[field]);
    const assignments = changed.map((field) => `${COLUMNS[field]} = ?`).join(', ');
    try {
      return this.#db
        .prepare(`UPDATE izly_payments SET ${assignments} WHERE id = ? AND version = ?`)
        .run(...changed.map((field) => updated[field]), record.id, record.version);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const sameReference = updated.clientOrderId !== record.clientOrderId && this.#statements.selectByReference.get(updated.clientOrderId);
      if (sameReference) throw new PaymentConflictError('client_order_id', fromRow(sameReference));
      const open = isOpenStatus(updated.status) && this.#statements.selectOpenByOrder.get(record.orderId);
      throw open ? new PaymentConflictError('open_payment', fromRow(open)) : error;
    }
  }
}
