// A shop server on Bun: the izly-pay adapter mounted at /izly with its bun:sqlite store and the reconcile
// sweep, served by Bun.serve. The runtime matrix (npm test) runs this file as it is against the sandbox.
import { Hono } from 'hono';
import { izlyPay, IZLY_PREPRODUCTION } from 'izly-pay/server';
import { bunSqliteStore } from 'izly-pay/server/bun-sqlite';

function setting(name: string): string {
  const value = Bun.env[name];
  if (!value) throw new Error(`Set ${name} in the environment`);
  return value;
}

// Your orders (a database read in a real shop): the server decides the amount, never the browser.
const orders = new Map([['order-1001', { amount: 250, message: 'Café et croissant' }]]);

const izly = izlyPay({
  baseUrl: Bun.env.IZLY_BASE_URL ?? IZLY_PREPRODUCTION,
  appIdentifier: setting('IZLY_APP_IDENTIFIER'),
  apiKey: setting('IZLY_API_KEY'),
  secret: setting('IZLY_CALLBACK_SECRET'),
  store: bunSqliteStore(Bun.env.DATABASE_PATH ?? 'data/payments.db'),
  allowedOrigins: [setting('SHOP_ORIGIN')],
  order: (orderId) => orders.get(orderId) ?? null,
  onPaid: (payment) => console.log(`paid: ${payment.orderId}`),
  onRefunded: (payment) => console.log(`refunded: ${payment.orderId}`),
  // Your own staff authentication here: this route refunds a payment in full.
  authorizeRefund: (c) => c.req.header('authorization') === `Bearer ${setting('ADMIN_TOKEN')}`,
});

const app = new Hono();
app.route('/izly', izly);

const server = Bun.serve({
  fetch: app.fetch,
  hostname: Bun.env.HOST ?? '127.0.0.1',
  port: Number(Bun.env.PORT ?? 8787),
  // Bun closes a connection silent for 10 s by default, which cuts the widget's long polls (up to 30 s):
  // allow 60 s (Bun's maximum is 255).
  idleTimeout: 60,
});
console.log(`listening on ${server.url.origin}`);

// Settles payments nobody is watching and runs again hooks that never returned, every 30 s.
const stopReconciling = izly.startReconciling();

process.once('SIGTERM', () => {
  void server
    .stop()
    .then(stopReconciling)
    .then(() => izly.store.close());
});
