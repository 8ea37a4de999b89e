// The entry point of the SQLite store over `node:sqlite` (`izly-pay/server/node-sqlite`): Deno 2, Node >= 22.5.
export { nodeSqliteStore } from './stores/sqlite/node-sqlite-store.js';
export type { SqliteFileOptions as NodeSqliteStoreOptions } from './stores/sqlite/sqlite-file.js';
