// A complete minimal shop server on Node: the izly-pay adapter mounted at /izly with its SQLite store, the
// reconcile sweep, and an HTTP server whose timeouts suit long polls while refusing slow clients.
// The runtime matrix (npm test) runs this file as it is against the sandbox.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import { izlyPay, IZLY_PREPRODUCTION } from 'izly-pay/server';
import { sqliteStore } from 'izly-pay/server/sqlite';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} in the environment`);
  return value;
}

// Your orders (a database read in a real shop): the server decides the amount, never the browser.
const orders = new Map([['order-1001', { amount: 250, message: 'Café et croissant' }]]);

const izly = izlyPay({
  baseUrl: process.env.IZLY_BASE_URL ?? IZLY_PREPRODUCTION,
  appIdentifier: setting('IZLY_APP_IDENTIFIER'),
  apiKey: setting('IZLY_API_KEY'),
  secret: setting('IZLY_CALLBACK_SECRET'),
  store: sqliteStore(process.env.DATABASE_PATH ?? 'data/payments.db'),
  allowedOrigins: [setting('SHOP_ORIGIN')],
  order: (orderId) => orders.get(orderId) ?? null,
  onPaid: (payment) => console.log(`paid: ${payment.orderId}`),
  onRefunded: (payment) => console.log(`refunded: ${payment.orderId}`),
  // Your own staff authentication here: this route refunds a payment in full.
  authorizeRefund: (c) => c.req.header('authorization') === `Bearer ${setting('ADMIN_TOKEN')}`,
});

const app = new Hono();
app.route('/izly', izly);

const server = serve(
  {
    fetch: app.fetch,
    hostname: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? 8787),
    // Headers within 10 s and a whole request within 30 s (a long poll's answer may take 30 s more),
    // idle keep-alive connections closed after 5 s, and these limits checked every second.
    serverOptions: { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 },
  },
  (info) => console.log(`listening on http://127.0.0.1:${info.port}`),
);
(server as Server).maxConnections = 2_000;

// Settles payments nobody is watching and runs again hooks that never returned, every 30 s.
const stopReconciling = izly.startReconciling();

process.once('SIGTERM', () => {
  server.close(() => void stopReconciling().then(() => izly.store.close()));
});
