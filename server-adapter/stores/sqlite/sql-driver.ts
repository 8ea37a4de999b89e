// The little the SQLite payment store asks of a database driver, so that one implementation (one schema,
// one set of statements) runs on better-sqlite3, node:sqlite, bun:sqlite and Cloudflare D1. A driver runs
// a read, and runs a list of writes as one atomic batch; it never holds a transaction open across calls,
// because D1 cannot. Portable: no driver is imported here.

/** A value bound to a `?` placeholder, or read from a column. */
export type SqlValue = string | number | null;

/** A row as the driver returns it: column name → value. */
export type SqlRow = Record<string, SqlValue>;

/** One statement with its positional parameters. */
export interface SqlStatement {
  sql: string;
  params: readonly SqlValue[];
}

/** What a driver gives the store. A method may answer at once (synchronous drivers) or with a promise (D1). */
export interface SqlDriver {
  /** The rows of one read. */
  all(sql: string, params: readonly SqlValue[]): SqlRow[] | Promise<SqlRow[]>;
  /**
   * Runs the statements in order as one atomic write: all of them or none. Resolves with how many rows each
   * one changed; a statement that fails undoes the whole batch and rejects with its error.
   */
  batch(statements: readonly SqlStatement[]): number[] | Promise<number[]>;
  /**
   * Where the schema's version is kept: SQLite's `PRAGMA user_version` in a file, or a one-row table where
   * PRAGMAs are not allowed (D1).
   */
  readonly schemaVersion: 'user_version' | 'table';
  /**
   * Optional, for a driver whose statements run synchronously on one connection: a number that changes
   * whenever another connection commits (`PRAGMA data_version`), so that the store may reuse the records it
   * read or wrote lately while nothing else changed the database. Without it, every read goes to the database.
   */
  dataVersion?(): number;
  /** Releases the connection. */
  close(): void | Promise<void>;
}
