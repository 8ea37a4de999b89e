// The shop's own orders, kept in SQLite beside the payment records. An order belongs to one visitor
// (a cookie) and one product; its amount is copied from the catalogue when it is created, so the price
// charged is the one decided on the server.
import Database from 'better-sqlite3';
import { productBySku } from './catalogue.js';

export type OrderStatus = 'open' | 'paid' | 'refunded';

/** One order of the shop. */
export interface ShopOrder {
  orderId: string;
  visitor: string;
  sku: string;
  amount: number;
  status: OrderStatus;
  paymentId: string | null;
  createdAt: string;
  paidAt: string | null;
  /** The student's e-mail when a student logged in with Izly owns the order; null for an anonymous visitor's. */
  studentEmail: string | null;
}

interface OrderRow {
  order_id: string;
  visitor: string;
  sku: string;
  amount: number;
  status: OrderStatus;
  payment_id: string | null;
  created_at: string;
  paid_at: string | null;
  student_email: string | null;
}

function fromRow(row: OrderRow): ShopOrder {
  return {
    orderId: row.order_id,
    visitor: row.visitor,
    sku: row.sku,
    amount: row.amount,
    status: row.status,
    paymentId: row.payment_id,
    createdAt: row.created_at,
    paidAt: row.paid_at,
    studentEmail: row.student_email,
  };
}

// Crockford's base32: no I, L, O or U, so that an id read aloud or copied by hand stays right.
const ORDER_ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new order id, "A-" and 10 random base32 characters (50 bits): an order cannot be found by counting
 * (sequential ids let anyone reach other students' orders), and its payment attempts' Izly references
 * ("A-…-2") stay far below Izly's 40 characters.
 */
export function newOrderId(): string {
  // 256 is a multiple of 32: each byte's low five bits are uniform.
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `A-${Array.from(bytes, (byte) => ORDER_ID_ALPHABET[byte & 31]).join('')}`;
}

/** The shop's SQLite file (orders and sessions), in WAL mode so readers never wait for a writer. */
export function openShopDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  return db;
}

/** Orders of the demo shop. */
export class ShopOrders {
  constructor(private readonly db: Database.Database) {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS orders (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        order_id TEXT NOT NULL UNIQUE,
        visitor TEXT NOT NULL,
        sku TEXT NOT NULL,
        amount INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'open',
        payment_id TEXT,
        created_at TEXT NOT NULL,
        paid_at TEXT
      );
      CREATE INDEX IF NOT EXISTS orders_by_visitor ON orders (visitor, sku, status);
    `);
    // A shop database from before orders knew their student's e-mail gains the column (null: unknown).
    const columns = (this.db.prepare('PRAGMA table_info(orders)').all() as { name: string }[]).map((column) => column.name);
    if (!columns.includes('student_email')) this.db.exec('ALTER TABLE orders ADD COLUMN student_email TEXT');
  }

  /** The visitor's open order for a product, if there is one; a page view shows it and creates nothing. */
  openOrderOf(visitor: string, sku: string): ShopOrder | undefined {
    const row = this.#openRow(visitor, sku);
    return row ? fromRow(row) : undefined;
  }

  #openRow(visitor: string, sku: string): OrderRow | undefined {
    return this.db.prepare(`SELECT * FROM orders WHERE visitor = ? AND sku = ? AND status = 'open' ORDER BY seq DESC LIMIT 1`).get(visitor, sku) as
      OrderRow | undefined;
  }

  /** The visitor's open order for a product, created when there is none (the student clicked "pay"). */
  openOrderFor(visitor: string, sku: string, studentEmail: string | null = null): ShopOrder {
    const product = productBySku(sku);
    if (!product) throw new Error(`unknown product ${sku}`);
    const create = this.db.transaction((): OrderRow => {
      const open = this.#openRow(visitor, sku);
      if (open) return open;
      const orderId = newOrderId();
      this.db
        .prepare('INSERT INTO orders (order_id, visitor, sku, amount, created_at, student_email) VALUES (?, ?, ?, ?, ?, ?)')
        .run(orderId, visitor, sku, product.price, new Date().toISOString(), studentEmail);
      return this.db.prepare('SELECT * FROM orders WHERE order_id = ?').get(orderId) as OrderRow;
    });
    return fromRow(create());
  }

  get(orderId: string): ShopOrder | undefined {
    const row = this.db.prepare('SELECT * FROM orders WHERE order_id = ?').get(orderId) as OrderRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Marks an open order paid; false when it was not open (a second notification changes nothing). */
  markPaid(orderId: string, paymentId: string): boolean {
    const result = this.db
      .prepare(`UPDATE orders SET status = 'paid', payment_id = ?, paid_at = ? WHERE order_id = ? AND status = 'open'`)
      .run(paymentId, new Date().toISOString(), orderId);
    return result.changes === 1;
  }

  /** Marks a paid order refunded; false when it was not paid. */
  markRefunded(orderId: string): boolean {
    const result = this.db.prepare(`UPDATE orders SET status = 'refunded' WHERE order_id = ? AND status = 'paid'`).run(orderId);
    return result.changes === 1;
  }

  /**
   * Gives every order of `from` (an anonymous visitor who just logged in with Izly) to `to` (the student's
   * account), so that what they bought, and what they were paying, follows them; returns how many moved.
   */
  moveOrders(from: string, to: string, studentEmail: string | null): number {
    if (from === to) return 0;
    const result = this.db.prepare('UPDATE orders SET visitor = ?, student_email = COALESCE(student_email, ?) WHERE visitor = ?').run(to, studentEmail, from);
    return result.changes;
  }

  /** The visitor's paid and refunded orders, newest first. */
  purchasesOf(visitor: string): ShopOrder[] {
    const rows = this.db.prepare(`SELECT * FROM orders WHERE visitor = ? AND status != 'open' ORDER BY seq DESC`).all(visitor) as OrderRow[];
    return rows.map(fromRow);
  }
}
