// The Node-only entry point (`izly-pay/server/sqlite`): the SQLite store needs better-sqlite3 and the
// file system, which the portable core must not import.
export { sqliteStore } from './stores/sqlite-store.js';
