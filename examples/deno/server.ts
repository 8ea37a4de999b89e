// A shop server on Deno: the izly-pay adapter mounted at /izly with its node:sqlite store and the reconcile
// sweep, served by Deno.serve. The runtime matrix (npm test) runs this file as it is against the sandbox.
import { Hono } from 'hono';
import { izlyPay, IZLY_PREPRODUCTION } from 'izly-pay/server';
import { nodeSqliteStore } from 'izly-pay/server/node-sqlite';

function setting(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`Set ${name} in the environment`);
  return value;
}

// Your orders (a database read in a real shop): the server decides the amount, never the browser.
const orders = new Map([['order-1001', { amount: 250, message: 'Café et croissant' }]]);

const izly = izlyPay({
  baseUrl: Deno.env.get('IZLY_BASE_URL') ?? IZLY_PREPRODUCTION,
  appIdentifier: setting('IZLY_APP_IDENTIFIER'),
  apiKey: setting('IZLY_API_KEY'),
  secret: setting('IZLY_CALLBACK_SECRET'),
  store: nodeSqliteStore(Deno.env.get('DATABASE_PATH') ?? 'data/payments.db'),
  allowedOrigins: [setting('SHOP_ORIGIN')],
  order: (orderId) => orders.get(orderId) ?? null,
  onPaid: (payment) => console.log(`paid: ${payment.orderId}`),
  onRefunded: (payment) => console.log(`refunded: ${payment.orderId}`),
  // Your own staff authentication here: this route refunds a payment in full.
  authorizeRefund: (c) => c.req.header('authorization') === `Bearer ${setting('ADMIN_TOKEN')}`,
});

const app = new Hono();
app.route('/izly', izly);

const server = Deno.serve(
  {
    hostname: Deno.env.get('HOST') ?? '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 8787),
    onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
  },
  // app.fetch itself, so that Deno's second argument (the client's address) reaches the adapter's limits.
  app.fetch,
);

// Settles payments nobody is watching and runs again hooks that never returned, every 30 s.
const stopReconciling = izly.startReconciling();

Deno.addSignalListener('SIGTERM', () => {
  void server
    .shutdown()
    .then(stopReconciling)
    .then(() => izly.store.close());
});
