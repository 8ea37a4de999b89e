// The SQLite store on Node with better-sqlite3 (`izly-pay/server/sqlite`). Node-only: better-sqlite3 is a
// native module, which Bun, Deno and Workers do not load (see the node:sqlite and bun:sqlite stores).
import Database from 'better-sqlite3';
import type { PaymentStore } from '../payment-store.js';
import { sqlitePaymentStore } from './sqlite-payment-store.js';
import { SyncSqliteDriver, makeFolderOf, type SqliteFileOptions, type SyncConnection } from './sqlite-file.js';

export type { SqliteFileOptions as SqliteStoreOptions };

/**
 * A `PaymentStore` in an SQLite file (created with its folder when missing), in WAL mode, through
 * better-sqlite3. Payments survive restarts, and several processes may share the file: spent login nonces
 * are shared by every store open on it. Long polls are woken within the process only.
 * @example
 * import { sqliteStore } from 'izly-pay/server/sqlite';
 * app.route('/izly', izlyPay({ ..., store: sqliteStore('data/payments.db') }));
 */
export function sqliteStore(path: string, options: SqliteFileOptions = {}): PaymentStore {
  makeFolderOf(path);
  const database = new Database(path);
  // better-sqlite3 binds numbers, strings and null as SQLite values, as SyncConnection says.
  return sqlitePaymentStore(new SyncSqliteDriver(database as unknown as SyncConnection, options, path), 'sqliteStore', options);
}
