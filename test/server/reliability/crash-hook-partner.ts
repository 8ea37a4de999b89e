// A partner app in its own process whose onPaid can be made slow, so that a test can SIGKILL it in the
// middle of the hook. izlyPay() with the SQLite store on PARTNER_DB at /izly on 127.0.0.1:PARTNER_PORT,
// upstream IZLY_BASE_URL; every order "H-…" costs 500 cents. The shop's own orders live in SHOP_DB and are
// fulfilled as the demo does it: `markPaid` only updates an order still open, and a shipment is recorded
// only when it did, so running onPaid twice ships once.
// HOOK_MODE: `normal`; `stall-before-fulfilment` (onPaid never gets to fulfil); `stall-after-fulfilment`
// (fulfils, then never returns); `throw` (the shop's order service is down: onPaid throws, and its retry is
// due at once). onPaid prints "onPaid started <id>" and "onPaid fulfilled <id>"; the adapter's errors are
// printed too ("izly-pay: onPaid failed for payment <id> (attempt 1)..." once the retry is in the store).
// POST /admin/reconcile runs `reconcile({ olderThanMs: 0, hookGraceMs: 0 })` and answers its report.
// Prints "ready" once listening.
import Database from 'better-sqlite3';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { izlyPay } from '../../../server-adapter/index.js';
import { sqliteStore } from '../../../server-adapter/sqlite.js';
import { API_KEY, APP_IDENTIFIER, SECRET } from '../helpers/harness.js';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`crash-hook-partner: ${name} is required`);
  return value;
}

const port = Number(setting('PARTNER_PORT'));
const origin = `http://127.0.0.1:${port}`;
const mode = setting('HOOK_MODE');

const shop = new Database(setting('SHOP_DB'));
shop.pragma('journal_mode = WAL');
shop.exec(`
  CREATE TABLE IF NOT EXISTS shop_orders (order_id TEXT PRIMARY KEY, status TEXT NOT NULL, payment_id TEXT);
  CREATE TABLE IF NOT EXISTS shipments (order_id TEXT NOT NULL, payment_id TEXT NOT NULL);
`);
const openOrder = shop.prepare("INSERT OR IGNORE INTO shop_orders (order_id, status) VALUES (?, 'open')");
const markPaid = shop.prepare("UPDATE shop_orders SET status = 'paid', payment_id = ? WHERE order_id = ? AND status = 'open'");
const ship = shop.prepare('INSERT INTO shipments (order_id, payment_id) VALUES (?, ?)');
/** The demo's fulfilment: idempotent, because a hook may run again after a crash. */
const fulfil = shop.transaction((orderId: string, paymentId: string) => {
  if (markPaid.run(paymentId, orderId).changes === 1) ship.run(orderId, paymentId);
});

const never = () => new Promise<void>(() => {});

const izly = izlyPay({
  baseUrl: setting('IZLY_BASE_URL'),
  appIdentifier: APP_IDENTIFIER,
  apiKey: API_KEY,
  secret: SECRET,
  retryDelayMs: 20,
  store: sqliteStore(setting('PARTNER_DB')),
  allowedOrigins: [origin],
  statusReadIntervalMs: 50,
  order: (orderId) => {
    if (!orderId.startsWith('H-')) return null;
    openOrder.run(orderId);
    return { amount: 500 };
  },
  onPaid: async (payment) => {
    console.log(`onPaid started ${payment.id}`);
    if (mode === 'stall-before-fulfilment') await never();
    if (mode === 'throw') throw new Error('order service down');
    fulfil(payment.orderId, payment.id);
    console.log(`onPaid fulfilled ${payment.id}`);
    if (mode === 'stall-after-fulfilment') await never();
  },
  hookRetryDelaysMs: [0],
  logger: { warn: () => {}, error: (message) => console.log(message) },
});

const app = new Hono().route('/izly', izly);
app.post('/admin/reconcile', async (c) => c.json(await izly.reconcile({ olderThanMs: 0, hookGraceMs: 0 })));

serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log('ready'));
