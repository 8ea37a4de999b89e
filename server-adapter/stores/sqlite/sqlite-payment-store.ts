// The PaymentStore on SQLite, whatever the driver: one implementation over the `SqlDriver` interface, for
// a file on Node (better-sqlite3 or node:sqlite), on Deno (node:sqlite), on Bun (bun:sqlite), and for
// Cloudflare D1. No write holds a transaction open across an `await` (D1 has no such transactions): a
// change is read, then written in one atomic batch whose UPDATE applies only at the version read
// (`WHERE version = ?`); a batch that changed no row lost a race and is tried again on a fresh read. The
// events of a change are inserted in the same batch, each only if the statement before it changed a row
// (`WHERE changes() = 1`), so that a change and its log cost one commit and a lost race logs nothing.
// Portable: no driver and no `node:` module is imported here.
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
} from '../payment-store.js';
import { PAYMENT_COLUMNS } from '../payment-columns.js';
import { LoginNonceSweeps } from '../spent-login-nonces.js';
import { migrate } from './schema.js';
import type { SqlDriver, SqlRow, SqlStatement, SqlValue } from './sql-driver.js';

/** Options shared by every SQLite store. */
export interface SqliteStoreOptions {
  /** The time in ms since the epoch, by which spent login nonces expire; default `Date.now` (tests pass the adapter's clock). */
  now?: () => number;
}

/** Column of each record field. */
const COLUMNS = PAYMENT_COLUMNS;
const FIELDS = Object.keys(COLUMNS) as (keyof PaymentRecord)[];

const INSERT_PAYMENT = `INSERT INTO izly_payments (${Object.values(COLUMNS).join(', ')}) VALUES (${FIELDS.map(() => '?').join(', ')})`;
const INSERT_EVENT = 'INSERT INTO izly_payment_events (payment_id, at, type, detail) VALUES (?, ?, ?, ?)';
// The event of a change, written only when the statement just before it in the batch changed a row.
const INSERT_EVENT_IF_CHANGED = 'INSERT INTO izly_payment_events (payment_id, at, type, detail) SELECT ?, ?, ?, ? WHERE changes() = 1';
const SELECT_BY_ID = 'SELECT * FROM izly_payments WHERE id = ?';
const SELECT_BY_KEY = 'SELECT * FROM izly_payments WHERE idempotency_key = ?';
const SELECT_BY_ORDER = 'SELECT * FROM izly_payments WHERE order_id = ? ORDER BY created_at DESC, rowid DESC';
const SELECT_OPEN_BY_ORDER = "SELECT * FROM izly_payments WHERE order_id = ? AND status IN ('created', 'pending') LIMIT 1";
const SELECT_BY_REFERENCE = 'SELECT * FROM izly_payments WHERE client_order_id = ?';
const SELECT_PENDING_HOOKS = `SELECT * FROM izly_payments
  WHERE pending_hook IS NOT NULL AND (pending_hook_since IS NULL OR pending_hook_since < ?)
    AND (? IS NULL OR hook_retry_at IS NULL OR hook_retry_at <= ?)
  ORDER BY coalesce(pending_hook_since, hook_retry_at), rowid`;
const SELECT_REFUNDS_IN_FLIGHT = "SELECT * FROM izly_payments WHERE status = 'paid' AND refund_requested_at IS NOT NULL ORDER BY refund_requested_at, rowid";
const SELECT_EVENTS = 'SELECT * FROM izly_payment_events WHERE payment_id = ? ORDER BY id';
// The primary key makes the insert of a nonce spent before (by any connection) change no row.
const INSERT_LOGIN_NONCE = 'INSERT OR IGNORE INTO izly_login_nonces (nonce, expires_at) VALUES (?, ?)';
const DELETE_EXPIRED_LOGIN_NONCES = 'DELETE FROM izly_login_nonces WHERE expires_at <= ?';

function fromRow(row: SqlRow): PaymentRecord {
  const record = {} as Record<string, unknown>;
  for (const field of FIELDS) record[field] = row[COLUMNS[field]];
  // A record made before attempt references was sent to Izly with its order id.
  record.clientOrderId ??= row.order_id;
  return record as unknown as PaymentRecord;
}

function eventParams(event: NewPaymentEvent): SqlValue[] {
  return [event.paymentId, event.at, event.type, JSON.stringify(event.detail)];
}

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** A unique index or primary key refused the write, as each driver says it (better-sqlite3 and Bun by code, node:sqlite by errcode, D1 by message). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, errcode } = error as Error & { code?: unknown; errcode?: unknown };
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY, the extended result codes.
  if (errcode === 2067 || errcode === 1555) return true;
  return /UNIQUE constraint failed/.test(`${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`);
}

/**
 * Records read or written lately, reused while nothing else changed the database: the driver's data version
 * changes when any other connection (another process, another store on the same file) commits, and this
 * store's own writes replace the record they wrote. A status poll then costs one pragma instead of a row
 * read and its mapping. Only for drivers that have a data version (synchronous ones on one connection).
 */
class RecentRecords {
  readonly #dataVersion: () => number;
  readonly #records = new Map<string, PaymentRecord>();
  #version: number;

  constructor(dataVersion: () => number) {
    this.#dataVersion = dataVersion;
    this.#version = dataVersion();
  }

  /**
   * The record kept for `id`, without asking whether another connection committed since: possibly stale, so
   * only for a compare-and-set, whose UPDATE at the version read changes nothing if it is.
   */
  peek(id: string): PaymentRecord | undefined {
    return this.#records.get(id);
  }

  get(id: string): PaymentRecord | undefined {
    const version = this.#dataVersion();
    if (version !== this.#version) {
      this.#records.clear();
      this.#version = version;
    }
    return this.#records.get(id);
  }

  /** Keeps `record` unless a later version of it is kept already (two writes of this store resumed out of order). */
  remember(record: PaymentRecord): void {
    const kept = this.#records.get(record.id);
    if (kept && kept.version > record.version) return;
    if (this.#records.size >= 1000) this.#records.clear();
    this.#records.set(record.id, record);
  }

  forget(id: string): void {
    this.#records.delete(id);
  }
}

/** How many times a transition reads again after losing a race before it gives up (each loss is another writer's win). */
const MAX_TRANSITION_TRIES = 100;

/**
 * A `PaymentStore` over an SQLite driver. It is returned at once; its schema is brought up to date in the
 * background, and every method waits for that first (a failed migration is the error of every call).
 */
export function sqlitePaymentStore(driver: SqlDriver, name: string, options: SqliteStoreOptions = {}): PaymentStore {
  return new SqlitePaymentStore(driver, name, options.now ?? Date.now);
}

// The store's methods are own properties (arrow functions), not prototype methods, so that a partner can
// still wrap a store by spreading it (`{ ...store, transition }`), as with the plain objects of before.
class SqlitePaymentStore implements PaymentStore {
  readonly #driver: SqlDriver;
  readonly #name: string;
  readonly #recent: RecentRecords | null;
  readonly #now: () => number;
  readonly #loginNonceSweeps = new LoginNonceSweeps();
  /** The migration until it has finished; null from then on, so that a call costs no extra await. */
  #migrating: Promise<void> | null;
  #migrationError: unknown = null;
  #closed = false;

  constructor(driver: SqlDriver, name: string, now: () => number) {
    this.#driver = driver;
    this.#name = name;
    this.#now = now;
    this.#recent = driver.dataVersion ? new RecentRecords(() => driver.dataVersion!()) : null;
    this.#migrating = migrate(driver).then(
      () => void (this.#migrating = null),
      (error: unknown) => {
        this.#migrationError = error;
        this.#migrating = null;
      },
    );
  }

  create = async (record: PaymentRecord): Promise<PaymentRecord> => {
    if (this.#notReady()) await this.#ready();
    const saved = { ...record, version: 1 };
    const created: NewPaymentEvent = {
      paymentId: saved.id,
      at: saved.createdAt,
      type: 'created',
      detail: { status: saved.status, amount: saved.amount, orderId: saved.orderId, clientOrderId: saved.clientOrderId },
    };
    try {
      await this.#driver.batch([
        { sql: INSERT_PAYMENT, params: FIELDS.map((field) => saved[field]) },
        { sql: INSERT_EVENT, params: eventParams(created) },
      ]);
    } catch (error) {
      throw (await this.#creationConflict(error, saved)) ?? error;
    }
    this.#recent?.remember(saved);
    return { ...saved };
  };

  get = async (id: string): Promise<PaymentRecord | null> => {
    if (this.#notReady()) await this.#ready();
    const record = this.#recent?.get(id) ?? (await this.#read(id));
    return record ? { ...record } : null;
  };

  findByIdempotencyKey = async (key: string): Promise<PaymentRecord | null> => {
    if (this.#notReady()) await this.#ready();
    return this.#one(SELECT_BY_KEY, key);
  };

  findByOrderId = async (orderId: string): Promise<PaymentRecord[]> => {
    if (this.#notReady()) await this.#ready();
    return this.#many(SELECT_BY_ORDER, [orderId]);
  };

  transition = async (
    id: string,
    from: readonly PaymentStatus[],
    patch: PaymentPatch,
    condition: TransitionCondition = {},
    events: readonly NewPaymentEvent[] = [],
  ): Promise<PaymentRecord | null> => {
    if (this.#notReady()) await this.#ready();
    // A record kept by this store is tried without the data-version pragma (one statement of a creation's
    // twelve): if another connection changed it since, the UPDATE at its version changes no row and the
    // record is read again. A kept record that refuses the transition is read again before saying so.
    let record = this.#recent?.peek(id);
    if (record && !this.#allows(record, from, condition)) record = undefined;
    record ??= (await this.#read(id)) ?? undefined;
    for (let tries = 0; tries < MAX_TRANSITION_TRIES; tries++) {
      if (!record || !this.#allows(record, from, condition)) return null;
      const updated = applyPatch(record, patch);
      if (await this.#write(record, updated, events, patch.updatedAt)) return { ...updated };
      record = (await this.#read(id)) ?? undefined;
    }
    throw new Error(`${this.#name}: payment ${id} changed ${MAX_TRANSITION_TRIES} times while this transition was tried`);
  };

  listByStatus = async (statuses: readonly PaymentStatus[], olderThan?: Date): Promise<PaymentRecord[]> => {
    if (this.#notReady()) await this.#ready();
    if (statuses.length === 0) return [];
    const params: string[] = [...statuses];
    let sql = `SELECT * FROM izly_payments WHERE status IN (${placeholders(statuses.length)})`;
    if (olderThan) {
      sql += ' AND created_at < ?';
      params.push(olderThan.toISOString());
    }
    return this.#many(`${sql} ORDER BY created_at, rowid`, params);
  };

  listPendingHooks = async (markedBefore: Date, dueBy?: Date): Promise<PaymentRecord[]> => {
    if (this.#notReady()) await this.#ready();
    const due = dueBy?.toISOString() ?? null;
    return this.#many(SELECT_PENDING_HOOKS, [markedBefore.toISOString(), due, due]);
  };

  listRefundsInFlight = async (): Promise<PaymentRecord[]> => {
    if (this.#notReady()) await this.#ready();
    return this.#many(SELECT_REFUNDS_IN_FLIGHT, []);
  };

  appendEvent = async (event: NewPaymentEvent): Promise<void> => {
    if (this.#notReady()) await this.#ready();
    await this.#driver.batch([{ sql: INSERT_EVENT, params: eventParams(event) }]);
  };

  events = async (paymentId: string): Promise<PaymentEvent[]> => {
    if (this.#notReady()) await this.#ready();
    const rows = await this.#driver.all(SELECT_EVENTS, [paymentId]);
    return rows.map((row): PaymentEvent => ({
      id: Number(row.id),
      paymentId: String(row.payment_id),
      at: String(row.at),
      type: row.type as PaymentEventType,
      detail: JSON.parse(String(row.detail)),
    }));
  };

  spendLoginNonce = async (nonce: string, expiresAt: Date): Promise<boolean> => {
    if (this.#notReady()) await this.#ready();
    const spend: SqlStatement = { sql: INSERT_LOGIN_NONCE, params: [nonce, expiresAt.getTime()] };
    const statements = this.#loginNonceSweeps.due() ? [{ sql: DELETE_EXPIRED_LOGIN_NONCES, params: [this.#now()] }, spend] : [spend];
    const changes = await this.#driver.batch(statements);
    return changes.at(-1) === 1;
  };

  close = async (): Promise<void> => {
    if (this.#closed) return;
    this.#closed = true;
    // A migration still running would use the connection after its close.
    await this.#migrating;
    await this.#driver.close();
  };

  /** True while the migration runs, or once it failed or the store was closed: `#ready()` then waits or throws. Checked first so that a call of a ready store costs no extra await (a status poll makes one). */
  #notReady(): boolean {
    return this.#migrating !== null || this.#migrationError !== null || this.#closed;
  }

  async #ready(): Promise<void> {
    if (this.#migrating) await this.#migrating;
    if (this.#migrationError !== null) throw this.#migrationError;
    if (this.#closed) throw new Error(`${this.#name}: the store is closed`);
  }

  #allows(record: PaymentRecord, from: readonly PaymentStatus[], condition: TransitionCondition): boolean {
    return from.includes(record.status) && (condition.version === undefined || record.version === condition.version);
  }

  async #read(id: string): Promise<PaymentRecord | null> {
    const record = await this.#one(SELECT_BY_ID, id);
    if (record) this.#recent?.remember(record);
    return record;
  }

  async #one(sql: string, param: string): Promise<PaymentRecord | null> {
    const [row] = await this.#driver.all(sql, [param]);
    return row ? fromRow(row) : null;
  }

  async #many(sql: string, params: readonly SqlValue[]): Promise<PaymentRecord[]> {
    return (await this.#driver.all(sql, params)).map(fromRow);
  }

  /**
   * One batch: the UPDATE of the fields that differ, at the version read, then its events and its
   * transition entry, each only if the UPDATE applied. True when it did; false when another writer changed
   * the record first. An open-payment or reference conflict throws `PaymentConflictError`.
   */
  async #write(record: PaymentRecord, updated: PaymentRecord, events: readonly NewPaymentEvent[], at: string): Promise<boolean> {
    const changed = FIELDS.filter((field) => field !== 'id' && updated[field] !== record[field]);
    const log = [...events];
    if (updated.status !== record.status) log.push({ paymentId: record.id, at, type: 'transition', detail: { from: record.status, to: updated.status } });
    const statements: SqlStatement[] = [
      {
        sql: `UPDATE izly_payments SET ${changed.map((field) => `${COLUMNS[field]} = ?`).join(', ')} WHERE id = ? AND version = ?`,
        params: [...changed.map((field) => updated[field]), record.id, record.version],
      },
      ...log.map((event) => ({ sql: INSERT_EVENT_IF_CHANGED, params: eventParams(event) })),
    ];
    this.#recent?.forget(record.id);
    let changes: number[];
    try {
      changes = await this.#driver.batch(statements);
    } catch (error) {
      throw (await this.#transitionConflict(error, record, updated)) ?? error;
    }
    if (changes[0] !== 1) return false;
    this.#recent?.remember(updated);
    return true;
  }

  /** The rule a refused insert broke, with the record that holds the key, the order or the reference. */
  async #creationConflict(error: unknown, record: PaymentRecord): Promise<PaymentConflictError | null> {
    if (!isUniqueViolation(error)) return null;
    const sameKey = await this.#one(SELECT_BY_KEY, record.idempotencyKey);
    if (sameKey) return new PaymentConflictError('idempotency_key', sameKey);
    const open = await this.#one(SELECT_OPEN_BY_ORDER, record.orderId);
    if (open) return new PaymentConflictError('open_payment', open);
    const sameReference = await this.#one(SELECT_BY_REFERENCE, record.clientOrderId);
    return sameReference ? new PaymentConflictError('client_order_id', sameReference) : null;
  }

  async #transitionConflict(error: unknown, record: PaymentRecord, updated: PaymentRecord): Promise<PaymentConflictError | null> {
    if (!isUniqueViolation(error)) return null;
    const sameReference = updated.clientOrderId !== record.clientOrderId ? await this.#one(SELECT_BY_REFERENCE, updated.clientOrderId) : null;
    if (sameReference) return new PaymentConflictError('client_order_id', sameReference);
    const open = isOpenStatus(updated.status) ? await this.#one(SELECT_OPEN_BY_ORDER, record.orderId) : null;
    return open ? new PaymentConflictError('open_payment', open) : null;
  }
}
