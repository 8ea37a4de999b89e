// What the three file drivers (better-sqlite3, node:sqlite, bun:sqlite) share: the folder made on a first
// run, the connection's settings, and one `SqlDriver` over any synchronous SQLite connection. Each runs
// where `node:fs` exists (Node, Deno, Bun), never on Workers: import only from their entry points.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate } from 'node:timers';
import type { SqlDriver, SqlRow, SqlStatement, SqlValue } from './sql-driver.js';
import { WalIndexHeader } from './wal-index.js';

/** How hard a commit is pushed to the disk (SQLite's `PRAGMA synchronous`, in WAL mode). */
export type SqliteSynchronous = 'NORMAL' | 'FULL';

/** Options of the file stores (`sqliteStore`, `nodeSqliteStore`, `bunSqliteStore`). */
export interface SqliteFileOptions {
  /** The time in ms since the epoch, by which spent login nonces expire; default `Date.now` (tests pass the adapter's clock). */
  now?: () => number;
  /**
   * `NORMAL` (default): a commit is written to the WAL without waiting for the disk, which survives a crash of
   * the process but may lose the last commits (never consistency) if the machine loses power or the OS
   * crashes before the OS or a checkpoint wrote them. `FULL`: every commit waits for the disk; it survives a
   * power loss too, at a price: a quarter of NORMAL's creations per second in the benchmark (136 against 559).
   */
  synchronous?: SqliteSynchronous;
}

/**
 * Makes the file's folder on a first run (the drivers would throw "unable to open database file" for
 * `data/payments.db` without `data/`). `:memory:` and `''` (a temporary database) have no folder.
 */
export function makeFolderOf(path: string): void {
  if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
}

/** A prepared statement, as better-sqlite3, node:sqlite and bun:sqlite all have it. */
export interface SyncStatement {
  run(...params: SqlValue[]): { changes: number | bigint };
  all(...params: SqlValue[]): unknown[];
  /** The first row, or undefined when there is none. */
  get(...params: SqlValue[]): unknown;
}

/** A synchronous SQLite connection, as the three drivers all have it. */
export interface SyncConnection {
  prepare(sql: string): SyncStatement;
  exec(sql: string): unknown;
  close(): unknown;
}

/** Pages of WAL between two automatic checkpoints (see the constructor of `SyncSqliteDriver`). */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;
/** What the WAL file is truncated to after a checkpoint, at most. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** Prepared statements kept per connection: the store's statements are few, and dynamic ones (the columns an UPDATE sets, a list's statuses) a bounded family. */
const MAX_CACHED_STATEMENTS = 500;

/** A batch waiting for the next group commit, with the promise of its caller. */
interface QueuedBatch {
  statements: readonly SqlStatement[];
  resolve(changes: number[]): void;
  reject(error: unknown): void;
}

/**
 * `SqlDriver` over a synchronous connection: WAL, a busy timeout, the chosen durability, statements prepared
 * once, and group commits. The batches asked for during one turn of the event loop (the creations and
 * status changes of every request that turn) run together at its end in one transaction, each in a
 * savepoint of its own: a batch that fails is undone alone and rejects alone, the others commit, and every
 * caller's promise settles once the one commit is done. A commit writes each page it changed once, whatever
 * the number of batches in it (the tables' last pages, the status index's), and takes the write lock once:
 * under load, most of what a payment's commit cost.
 */
export class SyncSqliteDriver implements SqlDriver {
  readonly schemaVersion = 'user_version' as const;
  readonly #connection: SyncConnection;
  readonly #statements = new Map<string, SyncStatement>();
  readonly #begin: SyncStatement;
  readonly #commit: SyncStatement;
  readonly #rollback: SyncStatement;
  readonly #dataVersion: SyncStatement;
  readonly #savepoint: SyncStatement;
  readonly #release: SyncStatement;
  readonly #rollbackToSavepoint: SyncStatement;
  #queue: QueuedBatch[] = [];
  /** The database's file, whose WAL index tells cheaply whether anything was committed; '' when none is known. */
  readonly #path: string;
  #walIndex: WalIndexHeader | null = null;
  /** True until the WAL index was looked for since this connection's last commit (a new file has none before its first). */
  #walIndexLookupDue = true;
  #knownDataVersion: number | null = null;

  /**
   * `path` is the database's file: with it, a read asks SQLite whether another connection committed only when
   * the file's WAL index says that someone did (see `dataVersion`).
   */
  constructor(connection: SyncConnection, { synchronous = 'NORMAL' }: SqliteFileOptions = {}, path = '') {
    this.#connection = connection;
    this.#path = path;
    connection.exec('PRAGMA journal_mode = WAL');
    // Another process holding the write lock is waited for, up to 5 s, instead of failing at once.
    connection.exec('PRAGMA busy_timeout = 5000');
    connection.exec(`PRAGMA synchronous = ${synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    // A checkpoint (copying the WAL back into the file, with two fsyncs) every 10,000 pages of WAL instead of
    // SQLite's 1,000: at 1,000, one creation in about seventy paid for a checkpoint that blocked the event loop,
    // which cost a quarter of the creations per second. The WAL then grows to about 40 MB between checkpoints,
    // and is cut back to 64 MB at most after one.
    connection.exec(`PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    connection.exec(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    // IMMEDIATE takes the write lock before the first statement, so that two connections never both write.
    this.#begin = connection.prepare('BEGIN IMMEDIATE');
    this.#commit = connection.prepare('COMMIT');
    this.#rollback = connection.prepare('ROLLBACK');
    this.#dataVersion = connection.prepare('PRAGMA data_version');
    this.#savepoint = connection.prepare('SAVEPOINT batch');
    this.#release = connection.prepare('RELEASE batch');
    this.#rollbackToSavepoint = connection.prepare('ROLLBACK TO batch');
  }

  all(sql: string, params: readonly SqlValue[]): SqlRow[] {
    return this.#prepared(sql).all(...params) as SqlRow[];
  }

  batch(statements: readonly SqlStatement[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ statements, resolve, reject });
      if (this.#queue.length === 1) setImmediate(() => this.#commitQueued());
    });
  }

  dataVersion(): number {
    // Asked before each read of a kept record (every status poll), so it should cost as little as it can: while
    // the WAL index's header is the one seen last time, nothing was committed by anyone and the version is the
    // one SQLite gave last time. The header is read before SQLite is asked, so that a commit landing between
    // the two is seen by the next call.
    const maybeChanged = this.#walIndex?.changed() ?? true;
    if (!maybeChanged && this.#knownDataVersion !== null) return this.#knownDataVersion;
    this.#knownDataVersion = Number((this.#dataVersion.get() as SqlRow).data_version);
    if (this.#walIndex === null && this.#walIndexLookupDue && this.#path !== '') {
      this.#walIndexLookupDue = false;
      this.#walIndex = WalIndexHeader.of(this.#path);
    }
    return this.#knownDataVersion;
  }

  close(): void {
    this.#commitQueued();
    this.#statements.clear();
    this.#connection.close();
  }

  /** Runs every queued batch in one transaction, a savepoint each; settles their promises after the commit. */
  #commitQueued(): void {
    const group = this.#queue;
    this.#queue = [];
    if (group.length === 0) return;
    const outcomes: Array<{ changes: number[] } | { error: unknown }> = [];
    try {
      this.#begin.run();
    } catch (error) {
      for (const batch of group) batch.reject(error); // the write lock was not had within the busy timeout
      return;
    }
    // A batch alone needs no savepoint: its failure undoes the transaction, which is all it wrote.
    const alone = group.length === 1;
    try {
      for (const { statements } of group) {
        if (!alone) this.#savepoint.run();
        try {
          outcomes.push({ changes: statements.map(({ sql, params }) => Number(this.#prepared(sql).run(...params).changes)) });
          if (!alone) this.#release.run();
        } catch (error) {
          if (alone) throw error;
          this.#rollbackToSavepoint.run();
          this.#release.run();
          outcomes.push({ error });
        }
      }
      this.#commit.run();
      this.#walIndexLookupDue = true;
    } catch (error) {
      // The batch alone failed, or the transaction itself (the disk, the commit): nothing of the group was written.
      this.#rollBackIfOpen();
      for (const batch of group) batch.reject(error);
      return;
    }
    group.forEach((batch, index) => {
      const outcome = outcomes[index]!;
      if ('error' in outcome) batch.reject(outcome.error);
      else batch.resolve(outcome.changes);
    });
  }

  #rollBackIfOpen(): void {
    try {
      this.#rollback.run();
    } catch {
      // SQLite rolled the transaction back itself (some errors do): nothing is open any more.
    }
  }

  #prepared(sql: string): SyncStatement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) this.#statements.clear();
      statement = this.#connection.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
