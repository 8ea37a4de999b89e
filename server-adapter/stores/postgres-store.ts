// A PaymentStore in PostgreSQL (the `pg` package), for several adapter instances behind one address.
// Node-only: import it from `izly-pay/server/postgres`. What keeps the instances honest is in the database:
// - unique indexes refuse a second record with the same idempotency key and a second open payment per
//   order, whichever instance inserts it;
// - a transition is one compare-and-set `UPDATE … WHERE id = $1 AND status = ANY($2)`, inside a transaction
//   that first locks the row (which also gives the previous status for the event log);
// - every transition sends `NOTIFY izly_pay_payments, '<paymentId>'` with its commit, and `subscribe()`
//   LISTENs on one connection, so a long poll wakes on whichever instance it waits;
// - `claimStatusRead()` stamps a `last_read_at` column with a conditional UPDATE on the database's clock,
//   so one instance per interval reads a payment's status at Izly;
// - `spendLoginNonce()` is one `INSERT … ON CONFLICT DO NOTHING RETURNING 1` on the nonce's primary key, so
//   one instance spends a login cookie's nonce, once.
// The schema is created and upgraded by numbered migrations, recorded in `izly_pay_migrations`.
import pg from 'pg';
import {
  PaymentConflictError,
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

/** Options of `postgresStore()`. */
export interface PostgresStoreOptions {
  /** Where problems of the wake-up connection go (it reconnects by itself); default `console`. */
  logger?: { warn(message: string): void };
  /** Connections of the pool created from a URL; default 10. Ignored when a `Pool` is given. */
  maxConnections?: number;
}

/** The LISTEN/NOTIFY channel; its payload is a payment id. */
const CHANNEL = 'izly_pay_payments';
/** Key of the advisory lock that keeps two instances starting at once from migrating together. */
const MIGRATION_LOCK = 4_917_020_251;
/** The unique index of Izly references (`clientOrderId`), named by PostgreSQL in a violation. */
const REFERENCE_INDEX = 'izly_payments_client_order_id';
/**
 * How long past its expiry a spent nonce is kept. Expiry is judged by the database's clock here and by each
 * instance's clock at the callback: the margin keeps a nonce until every instance, even one whose clock
 * lags by minutes, refuses its cookie as expired.
 */
const LOGIN_NONCE_MARGIN = '5 minutes';
/** Pause before the wake-up connection is tried again after it was lost. */
const RECONNECT_DELAY_MS = 1_000;

// One step per schema version, run once each, in order, in the transaction that records it.
const MIGRATIONS = [
  `
CREATE TABLE izly_payments (
  id text PRIMARY KEY,
  idempotency_key text NOT NULL,
  order_id text NOT NULL,
  amount integer NOT NULL,
  currency text NOT NULL,
  status text NOT NULL CHECK (status IN ('created', 'pending', 'paid', 'refunded', 'failed', 'cancelled', 'expired')),
  operation_id text,
  authorization_url text,
  return_url text NOT NULL,
  message text,
  izly_status text,
  customer_email text,
  amount_mismatch text,
  failure_reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  paid_at timestamptz,
  refunded_at timestamptz,
  pending_hook text CHECK (pending_hook IN ('onPaid', 'onFailed', 'onRefunded')),
  pending_hook_since timestamptz,
  version integer NOT NULL,
  -- Not part of the record: the last status read at Izly claimed by an instance (database clock).
  last_read_at timestamptz,
  -- Not part of the record: insertion order, to order records created in the same millisecond.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT izly_payments_idempotency_key UNIQUE (idempotency_key)
);
-- At most one open payment per order, enforced by PostgreSQL so that no race between instances breaks it.
CREATE UNIQUE INDEX izly_payments_one_open_per_order ON izly_payments (order_id) WHERE status IN ('created', 'pending');
CREATE INDEX izly_payments_operation ON izly_payments (operation_id);
CREATE INDEX izly_payments_status ON izly_payments (status, created_at);
CREATE INDEX izly_payments_pending_hook ON izly_payments (pending_hook_since) WHERE pending_hook IS NOT NULL;
CREATE TABLE izly_payment_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payment_id text NOT NULL,
  at timestamptz NOT NULL,
  type text NOT NULL,
  detail jsonb NOT NULL
);
CREATE INDEX izly_payment_events_payment ON izly_payment_events (payment_id, id);
`,
  // One Izly reference per payment (attempt), and what Izly tells staff about the AD. Records made before
  // keep a NULL reference and are read with their order id, the reference they were sent with; NULLs never
  // collide in a unique index, so their repeated order ids do not stop the upgrade.
  `
ALTER TABLE izly_payments
  ADD COLUMN client_order_id text,
  ADD COLUMN customer_client_code text,
  ADD COLUMN customer_assignment_number text;
CREATE UNIQUE INDEX izly_payments_client_order_id ON izly_payments (client_order_id);
`,
  // Spent IzlyConnect login nonces, shared by every instance.
  `
CREATE TABLE izly_login_nonces (
  nonce text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX izly_login_nonces_expiry ON izly_login_nonces (expires_at);
`,
  // Hooks retried until they succeed: the failed attempts, when the next one is due, and a hook given up.
  `
ALTER TABLE izly_payments
  ADD COLUMN hook_attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN hook_retry_at timestamptz,
  ADD COLUMN hook_given_up text CHECK (hook_given_up IN ('onPaid', 'onFailed', 'onRefunded'));
`,
  // Durable refunds: the intent, written before Izly is asked.
  `
ALTER TABLE izly_payments ADD COLUMN refund_requested_at timestamptz;
CREATE INDEX izly_payments_refund_in_flight ON izly_payments (refund_requested_at) WHERE status = 'paid' AND refund_requested_at IS NOT NULL;
`,
  // An order paid at most once: a later payment of an order already paid names the earlier one.
  `
ALTER TABLE izly_payments ADD COLUMN duplicate_of text;
`,
  // Every payment of an order, which each click looks up: the partial index above holds only open ones, so
  // without this one the lookup scanned the whole table.
  `
CREATE INDEX izly_payments_order ON izly_payments (order_id, created_at);
`,
];

/** Column of each record field. */
const COLUMNS = PAYMENT_COLUMNS;

type Field = keyof typeof COLUMNS;
const FIELDS = Object.keys(COLUMNS) as Field[];
/** Fields stored as timestamptz: read back as `Date`, handed out as ISO strings like the other stores. */
const TIMES = new Set<Field>(['createdAt', 'updatedAt', 'paidAt', 'refundedAt', 'pendingHookSince', 'hookRetryAt', 'refundRequestedAt']);
/** Fields a transition may change (the `PaymentPatch` type says the same to the compiler). */
const PATCHABLE = new Set<Field>(FIELDS.filter((field) => !['id', 'idempotencyKey', 'orderId', 'amount', 'currency', 'createdAt', 'version'].includes(field)));
const SELECT_RECORD = FIELDS.map((field) => COLUMNS[field]).join(', ');

type Row = Record<string, unknown>;

function fromRow(row: Row): PaymentRecord {
  const record: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const value = row[COLUMNS[field]];
    record[field] = TIMES.has(field) && value instanceof Date ? value.toISOString() : value;
  }
  // A record made before attempt references was sent to Izly with its order id.
  record.clientOrderId ??= row.order_id;
  return record as unknown as PaymentRecord;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function isUniqueViolation(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError && error.code === '23505';
}

/**
 * A `PaymentStore` in PostgreSQL, shared by every adapter instance that points at the same database. Give
 * a connection URL (the store makes its pool and ends it on `close()`) or your own `pg.Pool` (left open).
 * The tables (`izly_payments`, `izly_payment_events`, `izly_login_nonces`, `izly_pay_migrations`) are created at first use.
 * Long polls wake across instances through LISTEN/NOTIFY, which holds one connection of the pool.
 * @example
 * import { postgresStore } from 'izly-pay/server/postgres';
 * app.route('/izly', izlyPay({ ..., store: postgresStore(process.env.DATABASE_URL!) }));
 */
export function postgresStore(urlOrPool: string | pg.Pool, options: PostgresStoreOptions = {}): PaymentStore {
  const ownPool = typeof urlOrPool === 'string';
  // A database that cannot be reached fails requests after 10 s rather than holding them forever.
  const pool = ownPool ? new pg.Pool({ connectionString: urlOrPool, max: options.maxConnections ?? 10, connectionTimeoutMillis: 10_000 }) : urlOrPool;
  const logger = options.logger ?? console;
  // An idle connection that breaks must not crash the process; the next query gets a new one.
  if (ownPool) pool.on('error', (error) => logger.warn(`izly-pay: postgresStore: idle connection lost: ${error.message}`));
  return new PostgresStore(pool, ownPool, logger);
}

type Logger = NonNullable<PostgresStoreOptions['logger']>;

/** The wake-up connection: LISTENs while anyone subscribes, reconnects after a loss. */
class WakeUpConnection {
  readonly listeners = new Set<(paymentId: string) => void>();
  #listening: Promise<pg.PoolClient> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly schemaReady: () => Promise<void>,
    private readonly logger: Logger,
    private readonly isClosed: () => boolean,
  ) {}

  start(): Promise<pg.PoolClient> {
    if (this.#listening) return this.#listening;
    const attempt: Promise<pg.PoolClient> = (async () => {
      await this.schemaReady();
      const client = await this.pool.connect();
      client.on('notification', (message) => {
        if (message.channel !== CHANNEL || !message.payload) return;
        for (const wake of [...this.listeners]) wake(message.payload);
      });
      client.on('error', (error) => this.#lost(attempt, client, error));
      try {
        await client.query(`LISTEN ${CHANNEL}`);
      } catch (error) {
        client.release(asError(error));
        throw error;
      }
      return client;
    })();
    this.#listening = attempt;
    attempt.catch((error: unknown) => this.#lost(attempt, undefined, error));
    return attempt;
  }

  async stop(): Promise<void> {
    clearTimeout(this.#reconnectTimer);
    const attempt = this.#listening;
    this.#listening = undefined;
    const client = await attempt?.catch(() => undefined);
    if (!client) return;
    try {
      await client.query(`UNLISTEN ${CHANNEL}`);
      client.release();
    } catch (error) {
      client.release(asError(error));
    }
  }

  #lost(attempt: Promise<pg.PoolClient>, client: pg.PoolClient | undefined, error: unknown): void {
    if (this.#listening !== attempt) return; // already stopped or replaced
    this.#listening = undefined;
    client?.release(asError(error));
    if (this.isClosed() || this.listeners.size === 0) return;
    // Until it is back, long polls still wake on their own timer and see the change at their next read.
    this.logger.warn(`izly-pay: postgresStore: wake-up connection lost (${asError(error).message}); retrying in ${RECONNECT_DELAY_MS} ms`);
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => void this.start().catch(() => {}), RECONNECT_DELAY_MS);
    this.#reconnectTimer.unref?.();
  }
}

// The record and its `created` event in one statement, hence one transaction.
const INSERT_PAYMENT = `
  WITH inserted AS (
    INSERT INTO izly_payments (${SELECT_RECORD}) VALUES (${FIELDS.map((_, i) => `$${i + 1}`).join(', ')})
    RETURNING ${SELECT_RECORD}
  ), logged AS (
    INSERT INTO izly_payment_events (payment_id, at, type, detail)
    SELECT id, created_at, 'created', jsonb_build_object('status', status, 'amount', amount, 'orderId', order_id, 'clientOrderId', client_order_id) FROM inserted
  )
  SELECT * FROM inserted`;

// The store's methods are own properties (arrow functions), not prototype methods, so that a partner can
// still wrap a store by spreading it (`{ ...store, transition }`), as with the plain objects of before.
class PostgresStore implements PaymentStore {
  readonly #pool: pg.Pool;
  readonly #ownPool: boolean;
  readonly #wakeUp: WakeUpConnection;
  readonly #logger: Logger;
  readonly #loginNonceSweeps = new LoginNonceSweeps();
  #migrated: Promise<void> | undefined;
  #closed = false;

  constructor(pool: pg.Pool, ownPool: boolean, logger: Logger) {
    this.#pool = pool;
    this.#ownPool = ownPool;
    this.#logger = logger;
    this.#wakeUp = new WakeUpConnection(
      pool,
      () => this.#schemaReady(),
      logger,
      () => this.#closed,
    );
  }

  create = async (record: PaymentRecord): Promise<PaymentRecord> => {
    const saved: PaymentRecord = { ...record, version: 1 };
    const values = FIELDS.map((field) => saved[field]);
    // A conflict's holder is read after the failed insert; if the order's open payment closed in between,
    // the insert is simply tried again.
    for (let attempt = 1; ; attempt++) {
      try {
        const [row] = await this.#query(INSERT_PAYMENT, values);
        return fromRow(row!);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        await this.#throwConflict(record, error);
        if (attempt === 3) throw error;
      }
    }
  };

  get = (id: string): Promise<PaymentRecord | null> => this.#one(`SELECT ${SELECT_RECORD} FROM izly_payments WHERE id = $1`, [id]);

  findByIdempotencyKey = (key: string): Promise<PaymentRecord | null> =>
    this.#one(`SELECT ${SELECT_RECORD} FROM izly_payments WHERE idempotency_key = $1`, [key]);

  findByOrderId = async (orderId: string): Promise<PaymentRecord[]> =>
    (await this.#query(`SELECT ${SELECT_RECORD} FROM izly_payments WHERE order_id = $1 ORDER BY created_at DESC, seq DESC`, [orderId])).map(fromRow);

  transition = async (
    id: string,
    from: readonly PaymentStatus[],
    patch: PaymentPatch,
    condition: TransitionCondition = {},
    events: readonly NewPaymentEvent[] = [],
  ): Promise<PaymentRecord | null> => {
    try {
      return await this.#inTransaction((client) => this.#transitionIn(client, id, from, patch, condition, events));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (error.constraint === REFERENCE_INDEX && patch.clientOrderId !== undefined) {
        const holder = await this.#findByReference(patch.clientOrderId);
        if (holder) throw new PaymentConflictError('client_order_id', holder);
        throw error;
      }
      const record = await this.get(id);
      const open = record && (await this.#findOpen(record.orderId));
      throw open ? new PaymentConflictError('open_payment', open) : error;
    }
  };

  listByStatus = async (statuses: readonly PaymentStatus[], olderThan?: Date): Promise<PaymentRecord[]> => {
    if (statuses.length === 0) return [];
    const rows = olderThan
      ? await this.#query(`SELECT ${SELECT_RECORD} FROM izly_payments WHERE status = ANY($1::text[]) AND created_at < $2 ORDER BY created_at, seq`, [
          statuses,
          olderThan,
        ])
      : await this.#query(`SELECT ${SELECT_RECORD} FROM izly_payments WHERE status = ANY($1::text[]) ORDER BY created_at, seq`, [statuses]);
    return rows.map(fromRow);
  };

  listPendingHooks = async (markedBefore: Date, dueBy?: Date): Promise<PaymentRecord[]> => {
    const rows = await this.#query(
      `SELECT ${SELECT_RECORD} FROM izly_payments
       WHERE pending_hook IS NOT NULL AND (pending_hook_since IS NULL OR pending_hook_since < $1)
         AND ($2::timestamptz IS NULL OR hook_retry_at IS NULL OR hook_retry_at <= $2)
       ORDER BY coalesce(pending_hook_since, hook_retry_at), seq`,
      [markedBefore, dueBy ?? null],
    );
    return rows.map(fromRow);
  };

  listRefundsInFlight = async (): Promise<PaymentRecord[]> =>
    (
      await this.#query(
        `SELECT ${SELECT_RECORD} FROM izly_payments WHERE status = 'paid' AND refund_requested_at IS NOT NULL ORDER BY refund_requested_at, seq`,
      )
    ).map(fromRow);

  appendEvent = async (event: NewPaymentEvent): Promise<void> => {
    await this.#query('INSERT INTO izly_payment_events (payment_id, at, type, detail) VALUES ($1, $2, $3, $4)', [
      event.paymentId,
      event.at,
      event.type,
      JSON.stringify(event.detail),
    ]);
  };

  events = async (paymentId: string): Promise<PaymentEvent[]> => {
    const rows = await this.#query('SELECT id, payment_id, at, type, detail FROM izly_payment_events WHERE payment_id = $1 ORDER BY id', [paymentId]);
    return rows.map((row): PaymentEvent => ({
      id: Number(row.id),
      paymentId: row.payment_id as string,
      at: (row.at as Date).toISOString(),
      type: row.type as PaymentEventType,
      detail: row.detail as PaymentEvent['detail'],
    }));
  };

  subscribe = async (wake: (paymentId: string) => void): Promise<() => Promise<void>> => {
    if (this.#closed) throw new Error('postgresStore: the store is closed');
    const { listeners } = this.#wakeUp;
    listeners.add(wake);
    await this.#wakeUp.start();
    return async () => {
      listeners.delete(wake);
      if (listeners.size === 0) await this.#wakeUp.stop();
    };
  };

  claimStatusRead = async (paymentId: string, intervalMs: number): Promise<boolean> => {
    // The row lock makes concurrent claims queue; each re-checks the condition on the row as the previous
    // claim left it, so one wins per interval. The database's clock is the one clock all instances share.
    const rows = await this.#query(
      `UPDATE izly_payments SET last_read_at = now()
       WHERE id = $1 AND (last_read_at IS NULL OR last_read_at <= now() - make_interval(secs => $2::double precision / 1000))
       RETURNING id`,
      [paymentId, intervalMs],
    );
    return rows.length === 1;
  };

  spendLoginNonce = async (nonce: string, expiresAt: Date): Promise<boolean> => {
    if (this.#loginNonceSweeps.due()) {
      // A failed sweep costs only space, and is tried again at the next one: the login goes on.
      await this.#query(`DELETE FROM izly_login_nonces WHERE expires_at < now() - interval '${LOGIN_NONCE_MARGIN}'`).catch((error: unknown) =>
        this.#logger.warn(`izly-pay: postgresStore: expired login nonces not deleted: ${asError(error).message}`),
      );
    }
    const rows = await this.#query('INSERT INTO izly_login_nonces (nonce, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1', [nonce, expiresAt]);
    return rows.length === 1;
  };

  close = async (): Promise<void> => {
    if (this.#closed) return;
    this.#closed = true;
    this.#wakeUp.listeners.clear();
    await this.#wakeUp.stop();
    await this.#migrated?.catch(() => {});
    if (this.#ownPool) await this.#pool.end();
  };

  /** Resolves once the schema is up to date; a failed attempt is retried by the next call. */
  #schemaReady(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('postgresStore: the store is closed'));
    this.#migrated ??= migrate(this.#pool).catch((error: unknown) => {
      this.#migrated = undefined;
      throw error;
    });
    return this.#migrated;
  }

  async #query(text: string, values?: unknown[]): Promise<Row[]> {
    await this.#schemaReady();
    return (await this.#pool.query(text, values)).rows as Row[];
  }

  async #one(text: string, values: unknown[]): Promise<PaymentRecord | null> {
    const [row] = await this.#query(text, values);
    return row ? fromRow(row) : null;
  }

  #findOpen(orderId: string): Promise<PaymentRecord | null> {
    return this.#one(`SELECT ${SELECT_RECORD} FROM izly_payments WHERE order_id = $1 AND status IN ('created', 'pending') LIMIT 1`, [orderId]);
  }

  #findByReference(clientOrderId: string): Promise<PaymentRecord | null> {
    return this.#one(`SELECT ${SELECT_RECORD} FROM izly_payments WHERE client_order_id = $1`, [clientOrderId]);
  }

  /** After a unique violation on insert: throws the conflict with its holder, or returns when the holder is gone (try again). */
  async #throwConflict(record: PaymentRecord, error: pg.DatabaseError): Promise<void> {
    if (error.constraint === 'izly_payments_idempotency_key') {
      const holder = await this.findByIdempotencyKey(record.idempotencyKey);
      if (holder) throw new PaymentConflictError('idempotency_key', holder);
    } else if (error.constraint === 'izly_payments_one_open_per_order') {
      const open = await this.#findOpen(record.orderId);
      if (open) throw new PaymentConflictError('open_payment', open);
    } else if (error.constraint === REFERENCE_INDEX) {
      const holder = await this.#findByReference(record.clientOrderId);
      if (holder) throw new PaymentConflictError('client_order_id', holder);
    } else {
      throw new Error(`postgresStore: payment ${record.id} already exists`, { cause: error });
    }
  }

  /** Runs `work` in a transaction on one connection of the pool. */
  async #inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.#schemaReady();
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** `transition` inside its transaction. */
  async #transitionIn(
    client: pg.PoolClient,
    id: string,
    from: readonly PaymentStatus[],
    patch: PaymentPatch,
    condition: TransitionCondition,
    events: readonly NewPaymentEvent[],
  ): Promise<PaymentRecord | null> {
    const changes = (Object.entries(patch) as Array<[Field, unknown]>).filter(([field, value]) => value !== undefined && PATCHABLE.has(field));
    // The row lock holds other instances' transitions of this payment until COMMIT, and tells the
    // previous status for the event log.
    const locked = await client.query(`SELECT status, version FROM izly_payments WHERE id = $1 FOR UPDATE`, [id]);
    const before = locked.rows[0] as { status: PaymentStatus; version: number } | undefined;
    if (!before || !from.includes(before.status)) return null;
    if (condition.version !== undefined && before.version !== condition.version) return null;
    const values: unknown[] = [id, from, ...changes.map(([, value]) => value)];
    const assignments = changes.map(([field], i) => `${COLUMNS[field]} = $${i + 3}`);
    const updated = await client.query(
      `UPDATE izly_payments SET ${[...assignments, 'version = version + 1'].join(', ')}
       WHERE id = $1 AND status = ANY($2::text[]) RETURNING ${SELECT_RECORD}`,
      values,
    );
    const row = updated.rows[0] as Row | undefined;
    if (!row) return null;
    const record = fromRow(row);
    for (const event of events) {
      await client.query('INSERT INTO izly_payment_events (payment_id, at, type, detail) VALUES ($1, $2, $3, $4)', [
        event.paymentId,
        event.at,
        event.type,
        JSON.stringify(event.detail),
      ]);
    }
    if (record.status !== before.status) {
      await client.query(`INSERT INTO izly_payment_events (payment_id, at, type, detail) VALUES ($1, $2, 'transition', $3)`, [
        id,
        patch.updatedAt,
        JSON.stringify({ from: before.status, to: record.status }),
      ]);
    }
    // Delivered to every listening instance when (and only if) the transaction commits.
    await client.query('SELECT pg_notify($1, $2)', [CHANNEL, id]);
    return record;
  }
}

/** Creates or upgrades the schema, once per database even when several instances start at once. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS izly_pay_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const [{ version }] = (await client.query('SELECT coalesce(max(version), 0)::integer AS version FROM izly_pay_migrations')).rows as [{ version: number }];
    for (let next = version + 1; next <= MIGRATIONS.length; next++) {
      await client.query(MIGRATIONS[next - 1]!);
      await client.query('INSERT INTO izly_pay_migrations (version) VALUES ($1)', [next]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
