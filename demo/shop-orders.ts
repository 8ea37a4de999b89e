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
  };
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
  }

  /** The visitor's open order for a product, created on first need; its id looks like "A-1042". */
  openOrderFor(visitor: string, sku: string): ShopOrder {
    const product = productBySku(sku);
    if (!product) throw new Error(`unknown product ${sku}`);
    const create = this.db.transaction((): OrderRow => {
      const open = this.db.prepare(`SELECT * FROM orders WHERE visitor = ? AND sku = ? AND status = 'open' ORDER BY seq DESC LIMIT 1`).get(visitor, sku) as
        OrderRow | undefined;
      if (open) return open;
      const next = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM orders').get() as { seq: number }).seq;
      const orderId = `A-${1000 + next}`;
      this.db
        .prepare('INSERT INTO orders (order_id, visitor, sku, amount, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(orderId, visitor, sku, product.price, new Date().toISOString());
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

  /** The visitor's paid and refunded orders, newest first. */
  purchasesOf(visitor: string): ShopOrder[] {
    const rows = this.db.prepare(`SELECT * FROM orders WHERE visitor = ? AND status != 'open' ORDER BY seq DESC`).all(visitor) as OrderRow[];
    return rows.map(fromRow);
  }
}
