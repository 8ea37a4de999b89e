// The entry point of the SQLite store over Bun's `bun:sqlite` (`izly-pay/server/bun-sqlite`).
export { bunSqliteStore } from './stores/sqlite/bun-sqlite-store.js';
export type { SqliteFileOptions as BunSqliteStoreOptions } from './stores/sqlite/sqlite-file.js';
