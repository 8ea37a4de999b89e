// `izlyPay(options)`: the Hono sub-app a partner mounts (`app.route('/izly', izlyPay({...}))`) with
// POST /payments, GET /payments/:paymentId (long poll), POST /callback and, opt-in, the refund route.
// The returned app also carries `refund()`, `reconcile()`, `store` and `client` for server-side use.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createCallbackSigner } from './payments/callback-signature.js';
import { resolveConnectOptions } from './connect/options.js';
import { connectRoutes } from './connect/routes.js';
import { createConnectTokens, type IzlyConnectTokens } from './connect/tokens.js';
import { createIzlyClient, type IzlyClient } from './izly/client.js';
import { IzlyPayError } from './errors.js';
import { resolveIzlyPayOptions, type IzlyPayOptions } from './options.js';
import { CALLBACK_CODES, CallbackRefusal, createPaymentService, type ReconcileOptions, type ReconcileReport } from './payments/payment-service.js';
import type { PaymentRecord, PaymentStore } from './stores/payment-store.js';
import { PaymentWaiters } from './payments/payment-waiters.js';
import { createdPaymentView, paymentView } from './payments/payment-view.js';
import { parseIzlyCallback } from './izly/web-payments.js';

/** What `izlyPay()` returns: the Hono sub-app, plus server-side methods. */
export type IzlyPayApp = Hono & {
  /** Refunds a paid payment in full; throws `IzlyPayError` (`already_refunded`, `not_refundable`, `payment_not_found`, Izly's errors). */
  refund(paymentId: string): Promise<PaymentRecord>;
  /**
   * Settles every open payment created more than `olderThanMs` ago (default 60000) by asking Izly, and runs
   * again the hooks that never returned (owed for more than `hookGraceMs`, default 30000); run it on a schedule.
   */
  reconcile(options?: ReconcileOptions): Promise<ReconcileReport>;
  /** The store given in the options. */
  readonly store: PaymentStore;
  /** The Izly client built from the options. */
  readonly client: IzlyClient;
  /** IzlyConnect tokens on the server: `refresh`, `refreshIfExpired`, `getUser` (with or without the `connect` routes). */
  readonly connect: IzlyConnectTokens;
};

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;
const NO_STORE = { 'Cache-Control': 'no-store' } as const;

/**
 * Refuses a request body over `maxSize` bytes. A declared `Content-Length` is checked without touching the
 * body (the HTTP server never delivers more than it declares, and on @hono/node-server reading
 * `c.req.raw.body` would build a whole `Request`); a chunked body goes through Hono's `bodyLimit`, which
 * counts as it reads.
 */
function limitBodySize(maxSize: number, onError: (c: Context) => Response): MiddlewareHandler {
  const counting = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return counting(c, next);
    if (Number(declared) > maxSize) return onError(c);
    await next();
  };
}

function errorAnswer(c: Context, error: IzlyPayError): Response {
  return c.json(error.toJSON(), error.status, NO_STORE);
}

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
  const resolved = resolveIzlyPayOptions(options);
  const client = createIzlyClient(resolved);
  const waiters = new PaymentWaiters();
  waiters.listenTo(resolved.store, (error) =>
    resolved.logger.warn(`izly-pay: no wake-ups from other instances yet: ${error instanceof Error ? error.message : String(error)}`),
  );
  const service = createPaymentService(resolved, client, createCallbackSigner(resolved.secret), waiters);
  const allowed = new Set(resolved.allowedOrigins);

  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof IzlyPayError) {
      if (error.status >= 500) resolved.logger.warn(`izly-pay: ${c.req.method} ${c.req.routePath}: ${error.cause instanceof Error ? error.cause.message : error.message}`);
      return errorAnswer(c, error);
    }
    resolved.logger.error(`izly-pay: ${c.req.method} ${c.req.routePath} failed: ${error instanceof Error ? error.message : String(error)}`);
    return errorAnswer(c, new IzlyPayError(500, 'internal_error', 'Something went wrong'));
  });

  /** Cross-site protection for state-changing routes: a browser's Origin, when sent, must be allowed. */
  const checkOrigin = (c: Context) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && !allowed.has(origin)) throw new IzlyPayError(403, 'origin_not_allowed', 'Requests from this origin are not allowed');
  };

  const limitBody = limitBodySize(16 * 1024, () => {
    throw new IzlyPayError(400, 'invalid_request', 'The request body is too large');
  });

  app.post('/payments', limitBody, async (c) => {
    checkOrigin(c);
    // A JSON content type cannot be sent cross-site without a CORS preflight: an HTML form cannot forge this.
    const contentType = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) throw new IzlyPayError(415, 'unsupported_content_type', 'Send the request as application/json');
    const idempotencyKey = c.req.header('idempotency-key');
    if (!idempotencyKey) throw new IzlyPayError(400, 'missing_idempotency_key', 'The Idempotency-Key header is required');
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) throw new IzlyPayError(400, 'invalid_idempotency_key', 'The Idempotency-Key header must be 1 to 200 letters, digits or . _ : -');
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new IzlyPayError(400, 'invalid_request', 'The request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null) throw new IzlyPayError(400, 'invalid_request', 'The request body must be a JSON object');
    // Only `orderId` and `returnUrl` are read: an `amount` sent by the browser is ignored.
    const { orderId, returnUrl } = body as { orderId?: unknown; returnUrl?: unknown };
    if (typeof orderId !== 'string' || orderId.length === 0 || orderId.length > 128 || /[\u0000-\u001f\u007f]/.test(orderId)) {
      throw new IzlyPayError(400, 'invalid_order_id', 'orderId must be a string of 1 to 128 printable characters');
    }
    if (typeof returnUrl !== 'string' || !URL.canParse(returnUrl) || !/^https?:$/.test(new URL(returnUrl).protocol)) {
      throw new IzlyPayError(400, 'invalid_return_url', 'returnUrl must be an absolute http(s) URL');
    }
    if (!allowed.has(new URL(returnUrl).origin)) throw new IzlyPayError(400, 'return_url_not_allowed', 'returnUrl is not on an allowed origin');

    const { record, created } = await service.createPayment({ orderId, returnUrl, idempotencyKey }, c);
    return c.json(createdPaymentView(record, resolved.exposeCustomerEmail), created ? 201 : 200, NO_STORE);
  });

  app.get('/payments/:paymentId', async (c) => {
    const wait = c.req.query('wait');
    let waitSeconds = 0;
    if (wait !== undefined && wait !== '') {
      waitSeconds = Number(wait);
      if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new IzlyPayError(400, 'invalid_wait', 'wait must be a number of seconds ≥ 0');
    }
    // The request's signal is made on first use (@hono/node-server): only a long poll needs it.
    // `returned=1`: the student is back from Izly (the widget's first read then). A cancel sends no callback,
    // so this read may reach Izly sooner than the safety net of trusted callbacks would (rate-limited still).
    const returned = c.req.query('returned') === '1';
    const record = await service.readPayment(c.req.param('paymentId'), waitSeconds, waitSeconds > 0 ? c.req.raw.signal : undefined, returned);
    return c.json(paymentView(record, resolved.exposeCustomerEmail), 200, NO_STORE);
  });

  app.post('/callback', limitBodySize(64 * 1024, (c) => c.json({ Code: CALLBACK_CODES.invalidRequest, ErrorMessage: 'Body too large' }, 400)), async (c) => {
    let body: unknown = null;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      // The body is only a hint: a signed callback without a readable body is still confirmed with Izly.
    }
    try {
      await service.handleCallback({ p: c.req.query('p'), s: c.req.query('s') }, parseIzlyCallback(body));
      return c.json({ Code: 0, ErrorMessage: '' }, 200);
    } catch (error) {
      if (error instanceof CallbackRefusal) return c.json({ Code: error.izlyCode, ErrorMessage: error.message }, error.httpStatus);
      throw error;
    }
  });

  if (resolved.authorizeRefund) {
    const authorize = resolved.authorizeRefund;
    app.post('/payments/:paymentId/refund', async (c) => {
      checkOrigin(c);
      if (!(await authorize(c))) throw new IzlyPayError(403, 'forbidden', 'Not allowed to refund');
      const record = await service.refund(c.req.param('paymentId'));
      return c.json(paymentView(record, resolved.exposeCustomerEmail), 200, NO_STORE);
    });
  }

  // A wrong method on one of these paths answers in the route's JSON error shape, not with the host app's
  // plain-text 404 (registered last, so the real handlers above match first).
  const wrongMethod = (allow: string) => (c: Context) =>
    c.json(new IzlyPayError(405, 'method_not_allowed', `Use ${allow} on this route`).toJSON(), 405, { ...NO_STORE, Allow: allow });
  app.all('/payments', wrongMethod('POST'));
  app.all('/payments/:paymentId', wrongMethod('GET'));
  if (resolved.authorizeRefund) app.all('/payments/:paymentId/refund', wrongMethod('POST'));
  app.all('/callback', (c) => c.json({ Code: CALLBACK_CODES.invalidRequest, ErrorMessage: 'Use POST on this route' }, 405, { Allow: 'POST' }));

  if (resolved.connect) {
    const connect = resolveConnectOptions(resolved.connect, resolved.allowedOrigins);
    app.route('/connect', connectRoutes({ options: connect, client, secret: resolved.secret, allowedOrigins: resolved.allowedOrigins, logger: resolved.logger, now: resolved.now }));
  }

  return Object.assign(app, {
    connect: createConnectTokens(client, resolved.now),
    refund: service.refund,
    reconcile: service.reconcile,
    store: resolved.store,
    client,
  });
}
