// The payment routes of `izlyPay()`: POST /payments, GET /payments/:paymentId (long poll), POST /callback
// and, opt-in, POST /payments/:paymentId/refund; a wrong method on one of them answers in the route's
// error shape. A sub-app for `izlyPay()` to mount at its root.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { RETURNED_PARAM, WAIT_PARAM, type ErrorAnswer } from '../../contract/browser-contract.js';
import { IzlyPayError } from '../errors.js';
import { parseIzlyCallback } from '../izly/web-payments.js';
import type { ResolvedIzlyPayOptions } from '../options.js';
import { CALLBACK_CODES, CallbackRefusal } from './callback.js';
import { OrderAlreadyPaidError, type NewPaymentInput } from './create.js';
import type { PaymentService } from './payment-service.js';
import { MAX_ORDER_ID_LENGTH, isValidOrderId } from './order-reference.js';
import { createdPaymentView, paymentView, type PaymentView } from './payment-view.js';
import { returnUrlFacts } from './return-url.js';
import type { PaymentRecord } from '../stores/payment-store.js';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;
const NO_STORE = { 'Cache-Control': 'no-store' } as const;

/** The JSON error answer of every route, never cached. */
export function errorAnswer(c: Context, error: IzlyPayError): Response {
  return c.json(error.toJSON(), error.status, NO_STORE);
}

/** The seconds of a `Retry-After` for a wait of `ms` (at least one). */
function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}

/** The answer of a request over one of the limits: `429`, `Retry-After`, the JSON error shape. */
function rateLimited(c: Context, retryAfterMs: number): Response {
  const body: ErrorAnswer<'rate_limited'> = { error: { code: 'rate_limited', message: 'Too many requests; try again in a moment' } };
  return c.json(body, 429, { ...NO_STORE, 'Retry-After': retryAfterSeconds(retryAfterMs) });
}

/** What a browser that is not a payment's payer may read of it: its status, nothing else. */
function statusView(record: PaymentRecord): Pick<PaymentView, 'paymentId' | 'status'> {
  return { paymentId: record.id, status: record.status };
}

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

/** Cross-site protection for state-changing routes: a browser's Origin, when sent, must be allowed. */
function checkOrigin(c: Context, allowed: ReadonlySet<string>): void {
  const origin = c.req.header('origin');
  if (origin !== undefined && !allowed.has(origin)) throw new IzlyPayError(403, 'origin_not_allowed', 'Requests from this origin are not allowed');
}

/** What a `POST /payments` asks for, checked; throws `IzlyPayError` (4xx) naming what is wrong. */
async function newPaymentRequest(c: Context, allowed: ReadonlySet<string>): Promise<Omit<NewPaymentInput, 'payer' | 'payerFromKey'>> {
  checkOrigin(c, allowed);
  // A JSON content type cannot be sent cross-site without a CORS preflight: an HTML form cannot forge this.
  const contentType = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) throw new IzlyPayError(415, 'unsupported_content_type', 'Send the request as application/json');
  const idempotencyKey = c.req.header('idempotency-key');
  if (!idempotencyKey) throw new IzlyPayError(400, 'missing_idempotency_key', 'The Idempotency-Key header is required');
  if (!IDEMPOTENCY_KEY.test(idempotencyKey))
    throw new IzlyPayError(400, 'invalid_idempotency_key', 'The Idempotency-Key header must be 1 to 200 letters, digits or . _ : -');
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new IzlyPayError(400, 'invalid_request', 'The request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null) throw new IzlyPayError(400, 'invalid_request', 'The request body must be a JSON object');
  // Only `orderId` and `returnUrl` are read: an `amount` sent by the browser is ignored.
  const { orderId, returnUrl } = body as { orderId?: unknown; returnUrl?: unknown };
  // Checked as Izly checks a `ClientOrderId`, so that an id Izly would refuse never makes a failed payment.
  if (!isValidOrderId(orderId)) {
    throw new IzlyPayError(
      400,
      'invalid_order_id',
      `orderId must be a string of 1 to ${MAX_ORDER_ID_LENGTH} characters, not blank, without control characters`,
    );
  }
  const returnUrlRead = typeof returnUrl === 'string' ? returnUrlFacts(returnUrl) : null;
  if (typeof returnUrl !== 'string' || returnUrlRead === null || !/^https?:$/.test(returnUrlRead.protocol)) {
    throw new IzlyPayError(400, 'invalid_return_url', 'returnUrl must be an absolute http(s) URL');
  }
  if (!allowed.has(returnUrlRead.origin)) throw new IzlyPayError(400, 'return_url_not_allowed', 'returnUrl is not on an allowed origin');
  return { orderId, returnUrl, idempotencyKey };
}

/**
 * The places of a callback's URL where Izly may have put our `CallbackParameters`, as query strings: the
 * query (appended with `?` or `&`), the rest of the path after `/callback` (concatenated literally to the
 * back office's `https://shop.example/izly/callback`, whatever the prefix the adapter is mounted under),
 * and the value of a `CallbackParameters` query parameter (URL-encoded as one).
 */
function callbackUrlPlaces(c: Context): string[] {
  const url = new URL(c.req.url);
  const path = url.pathname;
  const places = [url.search, path.slice(path.lastIndexOf('/callback') + '/callback'.length)];
  for (const [name, value] of url.searchParams) if (name.toLowerCase() === 'callbackparameters') places.push(value);
  return places;
}

/** The `?wait=` of a long poll, in seconds (0 without one). */
function waitSecondsOf(c: Context): number {
  const wait = c.req.query(WAIT_PARAM);
  if (wait === undefined || wait === '') return 0;
  const waitSeconds = Number(wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new IzlyPayError(400, 'invalid_wait', 'wait must be a number of seconds ≥ 0');
  return waitSeconds;
}

/**
 * `POST /payments` once its request is checked: the creation limits, the payer (its cookie, else one derived
 * from the key), the payment, and the payer cookie set on every creation (a new browser becomes the payer, a
 * known one keeps its id a while longer).
 */
async function answerCreation(c: Context, request: Omit<NewPaymentInput, 'payer' | 'payerFromKey'>, service: PaymentService, exposeCustomerEmail: boolean) {
  const { binding, limits } = service;
  const retryAfterMs = limits.creation(limits.clientOf(c));
  if (retryAfterMs > 0) return rateLimited(c, retryAfterMs);
  const fromCookie = binding.payerOf(c);
  const payer = fromCookie ?? (await binding.payerForKey(request.idempotencyKey));
  let answer;
  try {
    answer = await service.createPayment({ ...request, payer, payerFromKey: fromCookie === null }, c);
  } catch (error) {
    if (!(error instanceof OrderAlreadyPaidError)) throw error;
    // A paid order is no secret to whoever holds its id, and the view has no Izly page: the button shows
    // it paid. The customer's e-mail goes to its payer only.
    const email = exposeCustomerEmail && (await binding.isPayerOf(payer, error.paid.id));
    return c.json({ ...error.toJSON(), payment: paymentView(error.paid, email) }, 409, NO_STORE);
  }
  c.header('Set-Cookie', binding.cookie(c, payer));
  return c.json(createdPaymentView(answer.record, exposeCustomerEmail), answer.created ? 201 : 200, NO_STORE);
}

/** `GET /payments/:paymentId`: the whole view for its payer, its status for anyone else; a long poll within the caps. */
async function answerRead(c: Context, service: PaymentService, exposeCustomerEmail: boolean): Promise<Response> {
  const { binding, limits } = service;
  const waitSeconds = waitSecondsOf(c);
  const paymentId = c.req.param('paymentId')!;
  const payer = binding.payerOf(c);
  // Without a payer cookie the answer is known: no HMAC, and no await on a status poll's path.
  const isPayer = payer !== null && (await binding.isPayerOf(payer, paymentId));
  let release: (() => void) | undefined;
  if (waitSeconds > 0) {
    const hold = limits.longPoll(limits.clientOf(c));
    if (typeof hold === 'number') return rateLimited(c, hold);
    release = hold;
  }
  try {
    // The request's signal is made on first use (@hono/node-server): only a long poll needs it.
    // `returned=1`: the student is back from Izly (the widget's first read then). A cancel sends no callback,
    // so this read may reach Izly sooner than the safety net of trusted callbacks would (rate-limited still).
    const returned = isPayer && c.req.query(RETURNED_PARAM) === '1';
    const record = await service.readPayment(paymentId, waitSeconds, waitSeconds > 0 ? c.req.raw.signal : undefined, returned);
    return c.json(isPayer ? paymentView(record, exposeCustomerEmail) : statusView(record), 200, NO_STORE);
  } finally {
    release?.();
  }
}

export function paymentRoutes(options: ResolvedIzlyPayOptions, service: PaymentService): Hono {
  const { exposeCustomerEmail, authorizeRefund } = options;
  const allowed = new Set(options.allowedOrigins);
  const app = new Hono();
  const limitBody = limitBodySize(16 * 1024, () => {
    throw new IzlyPayError(400, 'invalid_request', 'The request body is too large');
  });

  app.post('/payments', limitBody, async (c) => answerCreation(c, await newPaymentRequest(c, allowed), service, exposeCustomerEmail));
  app.get('/payments/:paymentId', (c) => answerRead(c, service, exposeCustomerEmail));

  // `/callback*`: Izly may concatenate our parameters to the path itself (`/callbackp=pay_…&s=…`).
  app.post(
    '/callback*',
    limitBodySize(64 * 1024, (c) => c.json({ Code: CALLBACK_CODES.invalidRequest, ErrorMessage: 'Body too large' }, 400)),
    async (c) => {
      let body: unknown = null;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        // The body is only a hint: a signed callback without a readable body is still confirmed with Izly.
      }
      try {
        await service.handleCallback(callbackUrlPlaces(c), parseIzlyCallback(body));
        return c.json({ Code: 0, ErrorMessage: '' }, 200);
      } catch (error) {
        if (error instanceof CallbackRefusal) {
          const retryAfter = error.retryAfterMs === undefined ? undefined : { 'Retry-After': retryAfterSeconds(error.retryAfterMs) };
          return c.json({ Code: error.izlyCode, ErrorMessage: error.message }, error.httpStatus, retryAfter);
        }
        throw error;
      }
    },
  );

  if (authorizeRefund) {
    app.post('/payments/:paymentId/refund', async (c) => {
      checkOrigin(c, allowed);
      if (!(await authorizeRefund(c))) throw new IzlyPayError(403, 'forbidden', 'Not allowed to refund');
      const record = await service.refund(c.req.param('paymentId'));
      return c.json(paymentView(record, exposeCustomerEmail), 200, NO_STORE);
    });
  }

  // A wrong method on one of these paths answers in the route's JSON error shape, not with the host app's
  // plain-text 404 (registered last, so the real handlers above match first).
  const wrongMethod = (allow: string) => (c: Context) =>
    c.json(new IzlyPayError(405, 'method_not_allowed', `Use ${allow} on this route`).toJSON(), 405, { ...NO_STORE, Allow: allow });
  app.all('/payments', wrongMethod('POST'));
  app.all('/payments/:paymentId', wrongMethod('GET'));
  if (authorizeRefund) app.all('/payments/:paymentId/refund', wrongMethod('POST'));
  app.all('/callback*', (c) => c.json({ Code: CALLBACK_CODES.invalidRequest, ErrorMessage: 'Use POST on this route' }, 405, { Allow: 'POST' }));
  return app;
}
