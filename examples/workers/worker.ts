// A shop on Cloudflare Workers: the izly-pay adapter mounted at /izly with its D1 store, reconcile() run by
// a Cron trigger. The runtime matrix (npm test) runs this file as it is in workerd, through Miniflare.
import { Hono, type ExecutionContext } from 'hono';
import { izlyPay, IZLY_PREPRODUCTION, type IzlyPayApp } from 'izly-pay/server';
import { d1Store, type D1DatabaseLike } from 'izly-pay/server/d1';

/** The Worker's bindings (wrangler.toml): the D1 database and the settings, secrets with `wrangler secret put`. */
interface Env {
  DB: D1DatabaseLike;
  IZLY_BASE_URL?: string;
  IZLY_APP_IDENTIFIER: string;
  IZLY_API_KEY: string;
  IZLY_CALLBACK_SECRET: string;
  SHOP_ORIGIN: string;
  ADMIN_TOKEN: string;
}

// Your orders (a database read in a real shop): the server decides the amount, never the browser.
const orders = new Map([['order-1001', { amount: 250, message: 'Café et croissant' }]]);

// Built on the first request, not at module scope: the bindings only exist then, and workerd refuses
// timers and random values outside a request. One per isolate, reused by the requests it serves.
let shop: { app: Hono; izly: IzlyPayApp } | undefined;

function shopFor(env: Env): { app: Hono; izly: IzlyPayApp } {
  if (shop) return shop;
  const izly = izlyPay({
    baseUrl: env.IZLY_BASE_URL ?? IZLY_PREPRODUCTION,
    appIdentifier: env.IZLY_APP_IDENTIFIER,
    apiKey: env.IZLY_API_KEY,
    secret: env.IZLY_CALLBACK_SECRET,
    store: d1Store(env.DB),
    allowedOrigins: [env.SHOP_ORIGIN],
    // Who a request comes from, for the per-client limits: Cloudflare sets this header to the client's address.
    clientKey: (c) => c.req.header('cf-connecting-ip'),
    order: (orderId) => orders.get(orderId) ?? null,
    onPaid: (payment) => console.log(`paid: ${payment.orderId}`),
    onRefunded: (payment) => console.log(`refunded: ${payment.orderId}`),
    // Your own staff authentication here: this route refunds a payment in full.
    authorizeRefund: (c) => c.req.header('authorization') === `Bearer ${env.ADMIN_TOKEN}`,
  });
  const app = new Hono();
  app.route('/izly', izly);
  shop = { app, izly };
  return shop;
}

export default {
  // The execution context goes to Hono, whose `c.executionCtx.waitUntil` keeps the adapter's work after
  // the answer (hooks, the missed-callback check) alive.
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => shopFor(env).app.fetch(request, env, ctx),

  // The Cron trigger of wrangler.toml: no setInterval on Workers (startReconciling() is for Node, Bun, Deno).
  scheduled: (_controller: unknown, env: Env, ctx: ExecutionContext) => {
    ctx.waitUntil(
      shopFor(env)
        .izly.reconcile()
        .then((report) => console.log(`reconciled: ${report.checked} checked, ${report.changed.length} changed, ${report.errors.length} errors`)),
    );
  },
};
