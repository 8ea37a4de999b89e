// The shop's own sessions, opened by "Log in with Izly". The student's IzlyConnect tokens stay here, on
// the server; the browser only holds a random session id in an HttpOnly cookie.
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
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

function randomSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Buffer.from(bytes).toString('base64url');
}

export class ShopSessions {
  constructor(private readonly db: Database.Database) {
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
  }

  /** Opens a session for a student who just logged in with Izly; returns its id (the cookie's value). */
  open(user: IzlyUser, tokens: ConnectTokens): string {
    if (!user.id) throw new Error('Izly returned no account id for this student');
    const sessionId = randomSessionId();
    this.db
      .prepare(
        `INSERT INTO sessions (session_id, izly_id, email, first_name, last_name, client_code, assignment_number,
           access_token, refresh_token, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        new Date().toISOString(),
      );
    return sessionId;
  }

  /** The student of a session id, or undefined for an unknown or malformed one. */
  student(sessionId: string | undefined): ShopStudent | undefined {
    if (!sessionId || !SESSION_ID.test(sessionId)) return undefined;
    const row = this.db.prepare('SELECT * FROM sessions WHERE session_id = ?').get(sessionId) as SessionRow | undefined;
    if (!row) return undefined;
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
