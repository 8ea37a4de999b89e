// The shop's own sessions, opened by "Log in with Izly". The student's IzlyConnect tokens stay here, on
// the server; the browser only holds a random session id in an HttpOnly cookie. A session ends after
// `idleMs` without a request and, however busy, `lifetimeMs` after it opened: a session id copied from a
// shared campus computer or an old cookie opens nothing for ever.
import type Database from 'better-sqlite3';
import type { ConnectTokens, IzlyUser } from '../server-adapter/index.js';

/** A logged-in student as the shop shows them. */
export interface ShopStudent {
  izlyId: string;
  email: string;
  firstName: string;
  lastName: string;
  /** CROUS client code. */
  clientCode: string;
  /** CROUS assignment number (NumeroAffectation). */
  assignmentNumber: string;
}

interface SessionRow {
  session_id: string;
  izly_id: string;
  email: string;
  first_name: string;
  last_name: string;
  client_code: string;
  assignment_number: string;
  opened_ms: number | null;
  seen_ms: number | null;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
/** A session's last-seen time is written at most this often, not on every request. */
const SEEN_WRITE_EVERY_MS = 60_000;

/** How long sessions last. */
export interface SessionLifetimes {
  /** Without a request for this long, a session ends; default 30 minutes. */
  idleMs?: number;
  /** However busy, a session ends this long after it opened; default 8 hours. */
  lifetimeMs?: number;
  /** The time in ms since the epoch; default `Date.now`. */
  now?: () => number;
}

function randomSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Buffer.from(bytes).toString('base64url');
}

export class ShopSessions {
  readonly idleMs: number;
  readonly lifetimeMs: number;
  readonly #now: () => number;

  constructor(
    private readonly db: Database.Database,
    { idleMs = 30 * 60_000, lifetimeMs = 8 * 60 * 60_000, now = Date.now }: SessionLifetimes = {},
  ) {
    this.idleMs = idleMs;
    this.lifetimeMs = lifetimeMs;
    this.#now = now;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sessions (
        session_id TEXT PRIMARY KEY,
        izly_id TEXT NOT NULL,
        email TEXT NOT NULL,
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        client_code TEXT NOT NULL,
        assignment_number TEXT NOT NULL,
        access_token TEXT NOT NULL,
        refresh_token TEXT NOT NULL,
        expires_at INTEGER,
        created_at TEXT NOT NULL
      );
    `);
    // Sessions kept by a demo from before expiry existed have neither time, and so count as expired.
    const columns = (this.db.prepare('PRAGMA table_info(sessions)').all() as { name: string }[]).map((column) => column.name);
    if (!columns.includes('opened_ms')) this.db.exec('ALTER TABLE sessions ADD COLUMN opened_ms INTEGER');
    if (!columns.includes('seen_ms')) this.db.exec('ALTER TABLE sessions ADD COLUMN seen_ms INTEGER');
  }

  /** Opens a session for a student who just logged in with Izly; returns its id (the cookie's value). */
  open(user: IzlyUser, tokens: ConnectTokens): string {
    if (!user.id) throw new Error('Izly returned no account id for this student');
    const sessionId = randomSessionId();
    const now = this.#now();
    // Ended sessions go when a new one opens: the table holds no more than the sessions of the last hours.
    this.db.prepare('DELETE FROM sessions WHERE opened_ms IS NULL OR opened_ms <= ? OR seen_ms <= ?').run(now - this.lifetimeMs, now - this.idleMs);
    this.db
      .prepare(
        `INSERT INTO sessions (session_id, izly_id, email, first_name, last_name, client_code, assignment_number,
           access_token, refresh_token, expires_at, created_at, opened_ms, seen_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        sessionId,
        user.id,
        user.email ?? '',
        user.firstName ?? '',
        user.lastName ?? '',
        user.clientCode ?? '',
        user.assignmentNumber ?? '',
        tokens.accessToken,
        tokens.refreshToken,
        tokens.expiresAt,
        new Date(now).toISOString(),
        now,
        now,
      );
    return sessionId;
  }

  /** The student of a session id, or undefined for an unknown, malformed or ended one; a request keeps it alive. */
  student(sessionId: string | undefined): ShopStudent | undefined {
    if (!sessionId || !SESSION_ID.test(sessionId)) return undefined;
    const row = this.db.prepare('SELECT * FROM sessions WHERE session_id = ?').get(sessionId) as SessionRow | undefined;
    if (!row) return undefined;
    const now = this.#now();
    if (row.opened_ms === null || row.seen_ms === null || now - row.opened_ms >= this.lifetimeMs || now - row.seen_ms >= this.idleMs) {
      this.close(sessionId);
      return undefined;
    }
    if (now - row.seen_ms >= SEEN_WRITE_EVERY_MS) this.db.prepare('UPDATE sessions SET seen_ms = ? WHERE session_id = ?').run(now, sessionId);
    return {
      izlyId: row.izly_id,
      email: row.email,
      firstName: row.first_name,
      lastName: row.last_name,
      clientCode: row.client_code,
      assignmentNumber: row.assignment_number,
    };
  }

  close(sessionId: string): void {
    this.db.prepare('DELETE FROM sessions WHERE session_id = ?').run(sessionId);
  }
}
