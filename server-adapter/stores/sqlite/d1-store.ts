// The SQLite store on Cloudflare D1 (`izly-pay/server/d1`), for Workers, where no file and no memory
// outlives a request's isolate. D1 is asynchronous and has no interactive transactions: every write of the
// store is one `batch()` (atomic), its compare-and-set an UPDATE at the version read whose changed-row count
// says whether it won. Portable: the binding is handed in, nothing is imported.
import type { PaymentStore } from '../payment-store.js';
import { sqlitePaymentStore, type SqliteStoreOptions } from './sqlite-payment-store.js';
import type { SqlDriver, SqlRow, SqlStatement, SqlValue } from './sql-driver.js';

/** The part of D1's prepared statement the store uses (`@cloudflare/workers-types`' `D1PreparedStatement`). */
export interface D1PreparedStatementLike {
  bind(...values: unknown[]): D1PreparedStatementLike;
  all(): Promise<{ results: unknown[] }>;
}

/** The part of a D1 binding the store uses (`@cloudflare/workers-types`' `D1Database`, `env.DB`). */
export interface D1DatabaseLike {
  prepare(sql: string): D1PreparedStatementLike;
  batch(statements: D1PreparedStatementLike[]): Promise<{ meta: { changes?: number } }[]>;
}

class D1Driver implements SqlDriver {
  // D1 refuses PRAGMA user_version: the version is kept in a table.
  readonly schemaVersion = 'table' as const;
  readonly #database: D1DatabaseLike;

  constructor(database: D1DatabaseLike) {
    this.#database = database;
  }

  async all(sql: string, params: readonly SqlValue[]): Promise<SqlRow[]> {
    return (
      await this.#database
        .prepare(sql)
        .bind(...params)
        .all()
    ).results as SqlRow[];
  }

  async batch(statements: readonly SqlStatement[]): Promise<number[]> {
    const results = await this.#database.batch(statements.map(({ sql, params }) => this.#database.prepare(sql).bind(...params)));
    return results.map((result) => result.meta.changes ?? 0);
  }

  // The binding belongs to the runtime: there is nothing to release.
  close(): void {}
}

/**
 * A `PaymentStore` in a Cloudflare D1 database: the schema of the SQLite stores, made (and kept up to date)
 * at first use. Every isolate of every Worker bound to the database shares the records and the spent login
 * nonces; long polls are woken within the isolate only, so a poll on another isolate sees a change at its
 * next read.
 * @example
 * import { d1Store } from 'izly-pay/server/d1';
 * export default { fetch: (request, env, ctx) => app(env).fetch(request, env, ctx) }; // store: d1Store(env.DB)
 */
export function d1Store(binding: D1DatabaseLike, options: SqliteStoreOptions = {}): PaymentStore {
  return sqlitePaymentStore(new D1Driver(binding), 'd1Store', options);
}
