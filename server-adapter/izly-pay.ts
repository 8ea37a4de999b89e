// `izlyPay(options)`: the Hono sub-app a partner mounts (`app.route('/izly', izlyPay({...}))`) with
// POST /payments, GET /payments/:paymentId (long poll), POST /callback and, opt-in, the refund route.
// The returned app also carries `refund()`, `reconcile()`, `store` and `client` for server-side use.
import { Hono } from 'hono';
import { BackgroundWork } from './background-work.js';
import { bodyDeadline } from './body-deadline.js';
import { createCallbackSigner } from './payments/callback-signature.js';
import { resolveConnectOptions } from './connect/options.js';
import { connectRoutes } from './connect/routes.js';
import { createConnectTokens, type IzlyConnectTokens } from './connect/tokens.js';
import { createIzlyClient, type IzlyClient } from './izly/client.js';
import { IzlyPayError } from './errors.js';
import { resolveIzlyPayOptions, type IzlyPayOptions } from './options.js';
import { createPaymentService, type ReconcileOptions, type ReconcileReport } from './payments/payment-service.js';
import type { PaymentRecord, PaymentStore } from './stores/payment-store.js';
import { PaymentWaiters } from './payments/payment-waiters.js';
import { errorAnswer, paymentRoutes } from './payments/routes.js';
import { startReconciling, type ReconcilingOptions } from './payments/reconciling.js';

/** What `izlyPay()` returns: the Hono sub-app, plus server-side methods. */
export type IzlyPayApp = Hono & {
  /** Refunds a paid payment in full; throws `IzlyPayError` (`already_refunded`, `not_refundable`, `payment_not_found`, Izly's errors). */
  refund(paymentId: string): Promise<PaymentRecord>;
  /**
   * Settles every open payment created more than `olderThanMs` ago (default 60000) by asking Izly, and runs
   * again the hooks that never returned (owed for more than `hookGraceMs`, default 30000); run it on a schedule.
   */
  reconcile(options?: ReconcileOptions): Promise<ReconcileReport>;
  /** Runs `reconcile(options)` at once and then `everyMs` (default 30000) after each run ends, never overlapping; returns the function that stops it (Node, Bun, Deno; on Workers use a Cron trigger). */
  startReconciling(options?: ReconcilingOptions): () => Promise<void>;
  /** The store given in the options. */
  readonly store: PaymentStore;
  /** The Izly client built from the options. */
  readonly client: IzlyClient;
  /** IzlyConnect tokens on the server: `refresh`, `refreshIfExpired`, `getUser` (with or without the `connect` routes). */
  readonly connect: IzlyConnectTokens;
};

/**
 * Creates the adapter. Throws `Error` at once on a bad option.
 * @example
 * const izly = izlyPay({
 *   baseUrl: IZLY_PREPRODUCTION, appIdentifier: 'my-shop', apiKey: process.env.IZLY_API_KEY!,
 *   secret: process.env.IZLY_CALLBACK_SECRET!, store: sqliteStore('payments.db'),
 *   allowedOrigins: ['https://shop.example'],
 *   order: async (orderId) => { const o = await orders.find(orderId); return o && { amount: o.totalCents } },
 *   onPaid: async (payment) => orders.markPaid(payment.orderId),
 * });
 * app.route('/izly', izly);
 */
export function izlyPay(options: IzlyPayOptions): IzlyPayApp {
  const checked = resolveIzlyPayOptions(options);
  // Background timers and the store calls they make are tracked, for a runtime's `waitUntil` (Workers).
  const background = new BackgroundWork();
  const resolved = { ...checked, clock: background.trackedClock(checked.clock), store: background.trackedStore(checked.store) };
  const client = createIzlyClient(resolved);
  const waiters = new PaymentWaiters(resolved.clock);
  waiters.listenTo(resolved.store, (error) =>
    resolved.logger.warn(`izly-pay: no wake-ups from other instances yet: ${error instanceof Error ? error.message : String(error)}`),
  );
  const service = createPaymentService(resolved, client, createCallbackSigner(resolved.secret), waiters);

  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof IzlyPayError) {
      if (error.status >= 500)
        resolved.logger.warn(`izly-pay: ${c.req.method} ${c.req.routePath}: ${error.cause instanceof Error ? error.cause.message : error.message}`);
      return errorAnswer(c, error);
    }
    resolved.logger.error(`izly-pay: ${c.req.method} ${c.req.routePath} failed: ${error instanceof Error ? error.message : String(error)}`);
    return errorAnswer(c, new IzlyPayError(500, 'internal_error', 'Something went wrong'));
  });

  background.alsoHandOver({ running: () => service.hooksRunning(), settled: () => service.hooksSettled() });
  app.use('*', background.handOver());
  // Only where a body may come: a GET or a HEAD has none, and skips this step.
  app.on(
    ['POST', 'PUT', 'PATCH', 'DELETE'],
    '*',
    bodyDeadline(resolved.bodyTimeoutMs, resolved.clock, (c) =>
      errorAnswer(c, new IzlyPayError(408, 'request_timeout', 'The request body took too long to arrive')),
    ),
  );

  app.route('/', paymentRoutes(resolved, service));

  if (resolved.connect) {
    const connect = resolveConnectOptions(resolved.connect, resolved.allowedOrigins);
    app.route(
      '/connect',
      connectRoutes({
        options: connect,
        client,
        secret: resolved.secret,
        allowedOrigins: resolved.allowedOrigins,
        logger: resolved.logger,
        now: resolved.now,
        store: resolved.store,
      }),
    );
  }

  // Registered last, so that every route above matches first: any other path under the mount answers in
  // the JSON error shape rather than with the host app's plain-text 404 (a sub-app's own `notFound` is
  // never called once mounted with `app.route()`). The mount owns every path under its prefix.
  app.all('*', (c) => errorAnswer(c, new IzlyPayError(404, 'not_found', 'There is no such route here')));

  return Object.assign(app, {
    connect: createConnectTokens(client, resolved.now),
    refund: service.refund,
    reconcile: service.reconcile,
    startReconciling: (reconciling?: ReconcilingOptions) => startReconciling(service.reconcile, resolved, reconciling),
    store: checked.store,
    client,
  });
}
