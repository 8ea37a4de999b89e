// Why staff refunded a payment, in their own words. The adapter's `refund()` takes no reason, so the shop
// keeps it in its own database beside its orders, and the orders page shows it in the payment's history.
import type Database from 'better-sqlite3';

/** The longest reason kept, in characters: a line of a history, not a letter. */
export const REFUND_REASON_MAX = 200;

/** One reason given when a refund was asked. */
export interface RefundNote {
  paymentId: string;
  /** When staff asked for the refund (ISO 8601, UTC). */
  at: string;
  reason: string;
}

/**
 * A reason as typed, made fit for one line of a history: control characters and runs of spaces become
 * one space, the ends trimmed. Null when nothing is left (the reason is optional).
 */
export function cleanRefundReason(raw: string): string | null {
  // eslint-disable-next-line no-control-regex
  const reason = raw.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  return reason === '' ? null : reason;
}

export class RefundNotes {
  constructor(private readonly db: Database.Database) {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS refund_notes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        payment_id TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS refund_notes_by_payment ON refund_notes (payment_id);
    `);
  }

  add(note: RefundNote): void {
    if (note.reason.length > REFUND_REASON_MAX) throw new Error(`a refund reason is at most ${REFUND_REASON_MAX} characters`);
    this.db.prepare('INSERT INTO refund_notes (payment_id, at, reason) VALUES (?, ?, ?)').run(note.paymentId, note.at, note.reason);
  }

  /** Every payment's notes, oldest first, by payment id (one query for the whole page). */
  all(): Map<string, RefundNote[]> {
    const rows = this.db.prepare('SELECT payment_id, at, reason FROM refund_notes ORDER BY seq').all() as { payment_id: string; at: string; reason: string }[];
    const byPayment = new Map<string, RefundNote[]>();
    for (const row of rows) {
      const notes = byPayment.get(row.payment_id) ?? [];
      notes.push({ paymentId: row.payment_id, at: row.at, reason: row.reason });
      byPayment.set(row.payment_id, notes);
    }
    return byPayment;
  }
}
