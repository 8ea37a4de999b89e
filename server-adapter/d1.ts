// The entry point of the Cloudflare D1 store (`izly-pay/server/d1`), for Workers.
export { d1Store, type D1DatabaseLike, type D1PreparedStatementLike } from './stores/sqlite/d1-store.js';
export type { SqliteStoreOptions as D1StoreOptions } from './stores/sqlite/sqlite-payment-store.js';
