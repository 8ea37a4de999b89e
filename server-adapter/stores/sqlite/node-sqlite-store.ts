// The SQLite store over `node:sqlite` (`izly-pay/server/node-sqlite`): built into Deno 2 and Node >= 22.5,
// so no native module is installed. Not on Node 20, which has no `node:sqlite`: import it only from that entry.
// @ts-expect-error -- @types/node 20 has no `node:sqlite`; the little used here is typed by SyncConnection.
import { DatabaseSync } from 'node:sqlite';
import type { PaymentStore } from '../payment-store.js';
import { sqlitePaymentStore } from './sqlite-payment-store.js';
import { SyncSqliteDriver, makeFolderOf, type SqliteFileOptions, type SyncConnection } from './sqlite-file.js';

const Connection = DatabaseSync as new (path: string) => SyncConnection;

/**
 * A `PaymentStore` in an SQLite file (created with its folder when missing), in WAL mode, through the
 * runtime's own `node:sqlite`: the same schema and behaviour as `sqliteStore()` from `izly-pay/server/sqlite`,
 * and the same files (either can open a file made by the other). Long polls are woken within the process only.
 * @example
 * import { nodeSqliteStore } from 'izly-pay/server/node-sqlite';
 * app.route('/izly', izlyPay({ ..., store: nodeSqliteStore('data/payments.db') }));
 */
export function nodeSqliteStore(path: string, options: SqliteFileOptions = {}): PaymentStore {
  makeFolderOf(path);
  return sqlitePaymentStore(new SyncSqliteDriver(new Connection(path), options, path), 'nodeSqliteStore', options);
}
