// The partner's back office over HTTP (`/api`, beside the adapter's mount, not under it, so that a
// reverse proxy forwarding only `/izly/` never exposes it): a payment with its webhook deliveries (the
// failed and the accepted ones), the payments of an order or in a status, and a refund. Authenticated by the `Izly-Pay-Api-Key` header,
// compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { IzlyPayError, type IzlyPayApp, type PaymentEvent, type PaymentHookName, type PaymentRecord, type PaymentStatus } from '../index.js';
import { partnerPayment, type PartnerPayment } from './partner-payment.js';
import { owedNotifications, type WebhookEventType } from './webhooks.js';

export const API_KEY_HEADER = 'Izly-Pay-Api-Key';

const STATUSES: readonly PaymentStatus[] = ['created', 'pending', 'paid', 'refunded', 'failed', 'cancelled', 'expired'];
const WEBHOOK_OF: Record<PaymentHookName, WebhookEventType> = { onPaid: 'payment.paid', onFailed: 'payment.failed', onRefunded: 'payment.refunded' };
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** Where a payment's webhook stands: owed (with its attempts and next one), given up, or nothing owed. */
export interface WebhookState {
  /** The webhook still owed (being sent, or waiting for its next attempt); null once delivered. */
  owed: WebhookEventType | null;
  /** Failed attempts of the owed webhook so far. */
  failedAttempts: number;
  nextAttemptAt: string | null;
  /** The last webhook given up after its last attempt: act on this order by hand. */
  givenUp: WebhookEventType | null;
  /** Every failed attempt and give-up, oldest first, with the partner endpoint's answer. */
  failures: Array<{ at: string; type: 'hook_failed' | 'hook_given_up'; detail: PaymentEvent['detail'] }>;
  /** Every webhook the endpoint accepted (2xx, or 409: it had it), oldest first: event, eventId, status, attempt. */
  deliveries: Array<{ at: string; detail: PaymentEvent['detail'] }>;
}

/** The last notification serve gave up on this payment, if any. */
function notificationGivenUp(events: PaymentEvent[]): WebhookEventType | null {
  const last = events.filter((event) => event.type === 'webhook_given_up').at(-1);
  return last === undefined ? null : (last.detail.event as WebhookEventType);
}

function webhookState(record: PaymentRecord, events: PaymentEvent[]): WebhookState {
  return {
    // The adapter's owed hook first; else a notification serve owes itself (amount mismatch, duplicate).
    owed: record.pendingHook === null ? (owedNotifications(events)[0]?.type ?? null) : WEBHOOK_OF[record.pendingHook],
    failedAttempts: record.pendingHook === null ? 0 : record.hookAttempts,
    nextAttemptAt: record.hookRetryAt,
    givenUp: record.hookGivenUp === null ? notificationGivenUp(events) : WEBHOOK_OF[record.hookGivenUp],
    failures: events
      .filter((event): event is PaymentEvent & { type: 'hook_failed' | 'hook_given_up' } => event.type === 'hook_failed' || event.type === 'hook_given_up')
      .map(({ at, type, detail }) => ({ at, type, detail })),
    deliveries: events.filter((event) => event.type === 'webhook_delivered').map(({ at, detail }) => ({ at, detail })),
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function refuse(c: Context, status: 400 | 401 | 404, code: string, message: string) {
  return c.json({ error: { code, message } }, status);
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1 || limit > MAX_LIMIT) throw new IzlyPayError(400, 'invalid_request', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  return limit;
}

/**
 * The back-office routes, for `app.route('/api', backOffice(izly, key))`.
 * @example
 * curl -H 'Izly-Pay-Api-Key: …' http://127.0.0.1:8787/api/payments?orderId=A-1042
 */
export function backOffice(izly: IzlyPayApp, apiKey: string): Hono {
  const expected = digest(apiKey);
  const api = new Hono();

  api.onError((error, c) => {
    if (error instanceof IzlyPayError) return c.json(error.toJSON(), error.status);
    throw error;
  });

  api.use('*', async (c, next) => {
    // Both sides hashed first: equal lengths for timingSafeEqual, and no hint of the key's length.
    const given = c.req.header(API_KEY_HEADER);
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      return refuse(c, 401, 'unauthorized', `The ${API_KEY_HEADER} header is missing or wrong`);
    }
    await next();
  });

  api.get('/payments/:paymentId', async (c) => {
    const record = await izly.store.get(c.req.param('paymentId'));
    if (!record) return refuse(c, 404, 'payment_not_found', 'There is no such payment');
    const events = await izly.store.events(record.id);
    return c.json({ payment: partnerPayment(record), webhook: webhookState(record, events), events });
  });

  api.get('/payments', async (c) => {
    const { orderId, status, limit, ...others } = c.req.query();
    const unknown = Object.keys(others);
    if (unknown.length > 0) return refuse(c, 400, 'invalid_request', `Unknown parameter ${unknown[0]} (orderId, status, limit)`);
    if ((orderId === undefined) === (status === undefined)) return refuse(c, 400, 'invalid_request', 'Give exactly one of orderId and status');
    let records: PaymentRecord[];
    if (orderId !== undefined) records = await izly.store.findByOrderId(orderId);
    else if (STATUSES.includes(status as PaymentStatus)) records = (await izly.store.listByStatus([status as PaymentStatus])).reverse();
    else return refuse(c, 400, 'invalid_request', `status must be one of ${STATUSES.join(', ')}`);
    const payments: PartnerPayment[] = records.slice(0, limitOf(limit)).map(partnerPayment);
    return c.json({ payments });
  });

  api.post('/payments/:paymentId/refund', async (c) => c.json({ payment: partnerPayment(await izly.refund(c.req.param('paymentId'))) }));

  api.all('*', (c) => refuse(c, 404, 'not_found', 'There is no such route here'));
  return api;
}
