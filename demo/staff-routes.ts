// The staff's routes, behind the staff login: the orders page (search, totals, notices), the CSV export,
// the refund's confirmation page and the refund itself (with its optional reason).
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { IzlyPayError, type IzlyPayApp, type PaymentStatus, type PaymentStore } from '../server-adapter/index.js';
import { paymentsCsv } from './payments-csv.js';
import { cleanRefundReason, REFUND_REASON_MAX, type RefundNotes } from './refund-notes.js';
import type { ShopOrders } from './shop-orders.js';
import { ordersPage, refundConfirmPage, refundedNotice, refundErrorNotice, type StaffNotice } from './staff-pages.js';
import { ALL_STATUSES, filterRows, parisDay, staffRows, totalsPerDay, type StaffFilter, type StaffPaymentRow } from './staff-payments.js';

export interface StaffRoutesOptions {
  /** The staff login (Basic authentication with its throttle). */
  staffOnly: MiddlewareHandler;
  izly: IzlyPayApp;
  store: PaymentStore;
  orders: ShopOrders;
  refundNotes: RefundNotes;
  /** The shop's origin: a refund posted from anywhere else is refused. */
  publicOrigin: string;
  sandboxUrl: string | null;
  /** The time in ms since the epoch (the refund reasons' time, the export's file name). */
  now: () => number;
}

const SEARCH_MAX = 100;

/** The search of the query string; an unknown status is dropped and said (`unknownStatus`). */
function filterOf(c: Context): { filter: StaffFilter; unknownStatus: string | null } {
  const q = (c.req.query('q') ?? '').trim().slice(0, SEARCH_MAX);
  const status = c.req.query('status') ?? '';
  if (status === '' || ALL_STATUSES.includes(status as PaymentStatus)) return { filter: { q, status: status as PaymentStatus | '' }, unknownStatus: null };
  return { filter: { q, status: '' }, unknownStatus: status.slice(0, 40) };
}

/** The notice the page shows after a refund (named by ?refunded= or ?error=&payment=). */
function noticeOf(c: Context, rows: StaffPaymentRow[], unknownStatus: string | null): StaffNotice | null {
  const byId = (id: string | undefined) => rows.find((row) => row.paymentId === id);
  const refunded = byId(c.req.query('refunded'));
  if (refunded) return refundedNotice(refunded);
  // Only the code travels in the address, never a text: a link cannot make the page say anything else.
  const error = c.req.query('error');
  if (error) return refundErrorNotice(error, byId(c.req.query('payment')));
  if (unknownStatus !== null) return { kind: 'error', text: `État « ${unknownStatus} » inconnu : tous les états sont affichés.` };
  return null;
}

export function staffRoutes({ staffOnly, izly, store, orders, refundNotes, publicOrigin, sandboxUrl, now }: StaffRoutesOptions): Hono {
  const app = new Hono();
  const allRows = () => staffRows(store, orders, refundNotes.all());

  app.get('/orders', staffOnly, async (c) => {
    const rows = await allRows();
    const { filter, unknownStatus } = filterOf(c);
    const shown = filterRows(rows, filter);
    c.header('Cache-Control', 'no-store');
    return c.html(ordersPage({ rows: shown, total: rows.length, filter, totals: totalsPerDay(shown), notice: noticeOf(c, rows, unknownStatus), sandboxUrl }));
  });

  app.get('/orders.csv', staffOnly, async (c) => {
    const shown = filterRows(await allRows(), filterOf(c).filter);
    return c.body(paymentsCsv(shown), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="paiements-boutique-demo-${parisDay(new Date(now()).toISOString())}.csv"`,
      'cache-control': 'no-store',
    });
  });

  app.get('/orders/:paymentId/refund', staffOnly, async (c) => {
    const paymentId = c.req.param('paymentId');
    const row = (await allRows()).find((candidate) => candidate.paymentId === paymentId);
    if (!row) return c.redirect(`/orders?error=payment_not_found`, 303);
    if (!row.refundable)
      return c.redirect(`/orders?error=${row.status === 'refunded' ? 'already_refunded' : 'not_refundable'}&payment=${encodeURIComponent(paymentId)}`, 303);
    c.header('Cache-Control', 'no-store');
    return c.html(refundConfirmPage(row, sandboxUrl));
  });

  app.post('/orders/:paymentId/refund', staffOnly, async (c) => {
    // The browser sends Basic credentials with any request, even a cross-site form: check where it came from.
    if (c.req.header('origin') !== publicOrigin) return c.text('Refusé : origine inconnue', 403);
    const paymentId = c.req.param('paymentId');
    const back = (code: string) => c.redirect(`/orders?error=${code}&payment=${encodeURIComponent(paymentId)}`, 303);
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const reason = typeof body.reason === 'string' ? cleanRefundReason(body.reason) : null;
    if (reason !== null && reason.length > REFUND_REASON_MAX) return back('reason_too_long');
    // The reason is kept only for a refund that is asked of a paid payment: a stale tab's second refund adds nothing.
    if (reason !== null && (await store.get(paymentId))?.status === 'paid') refundNotes.add({ paymentId, at: new Date(now()).toISOString(), reason });
    try {
      await izly.refund(paymentId);
      return c.redirect(`/orders?refunded=${encodeURIComponent(paymentId)}`, 303);
    } catch (error) {
      return back(error instanceof IzlyPayError ? error.code : 'unexpected');
    }
  });

  return app;
}
