// The Node entry point of the SQLite store (`izly-pay/server/sqlite`), over better-sqlite3 and the file
// system, which the portable core must not import. On Deno or Node >= 22.5 without a native module, see
// `izly-pay/server/node-sqlite`; on Bun, `izly-pay/server/bun-sqlite`; on Workers, `izly-pay/server/d1`.
export { sqliteStore, type SqliteStoreOptions } from './stores/sqlite/better-sqlite3-store.js';
