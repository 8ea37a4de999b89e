// The Node-only entry point (`izly-pay/server/postgres`): the PostgreSQL store needs the `pg` package and
// TCP sockets, which the portable core must not import.
export { postgresStore, type PostgresStoreOptions } from './stores/postgres-store.js';
