// The SQLite store over Bun's built-in `bun:sqlite` (`izly-pay/server/bun-sqlite`), where better-sqlite3
// does not load. Bun only: import it only from that entry.
// @ts-expect-error -- no bun-types in this project; the little used here is typed by SyncConnection.
import { Database } from 'bun:sqlite';
import type { PaymentStore } from '../payment-store.js';
import { sqlitePaymentStore } from './sqlite-payment-store.js';
import { SyncSqliteDriver, makeFolderOf, type SqliteFileOptions, type SyncConnection } from './sqlite-file.js';

const Connection = Database as new (path: string, options: { create: boolean }) => SyncConnection;

/**
 * A `PaymentStore` in an SQLite file (created with its folder when missing), in WAL mode, through Bun's
 * `bun:sqlite`: the same schema and behaviour as `sqliteStore()` from `izly-pay/server/sqlite`, and the same
 * files. Long polls are woken within the process only.
 * @example
 * import { bunSqliteStore } from 'izly-pay/server/bun-sqlite';
 * app.route('/izly', izlyPay({ ..., store: bunSqliteStore('data/payments.db') }));
 */
export function bunSqliteStore(path: string, options: SqliteFileOptions = {}): PaymentStore {
  makeFolderOf(path);
  return sqlitePaymentStore(new SyncSqliteDriver(new Connection(path, { create: true }), options, path), 'bunSqliteStore', options);
}
