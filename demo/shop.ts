// The demo partner shop: a Hono app that mounts `izlyPay()` at /izly exactly as a partner would, sells
// the catalogue, and gives its staff an orders page with refunds.
import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { izlyPay, type IzlyPayApp, type PaymentStore } from '../server-adapter/index.js';
import { catalogue, productBySku } from './catalogue.js';
import type { DemoConfig } from './config.js';
import { purchasesFragment, shopPage } from './pages.js';
import type { RefundNotes } from './refund-notes.js';
import type { ShopOrders } from './shop-orders.js';
import type { ShopSessions, ShopStudent } from './shop-sessions.js';
import { LoginThrottle, staffAuth } from './staff-login.js';
import { staffRoutes } from './staff-routes.js';

export interface ShopOptions {
  config: DemoConfig;
  /** The shop's own orders. */
  orders: ShopOrders;
  /** Sessions opened by "Log in with Izly". */
  sessions: ShopSessions;
  /** The reasons staff give for refunds (the adapter's refund takes none). */
  refundNotes: RefundNotes;
  /** Where the adapter keeps payments. */
  store: PaymentStore;
  /** The built-in sandbox's address, shown in the page header; null against a real Izly. */
  sandboxUrl: string | null;
  /** The single-file widget bundle a partner page loads (dist/izly-pay.js). */
  widgetBundle: string;
  /** The client's address, which the staff page's throttle counts by; default the TCP peer's (@hono/node-server). */
  clientAddress?: (c: Context) => string;
  /** Wrong staff passwords per address; default 5 in a minute lock an address out for a minute. */
  staffThrottle?: LoginThrottle;
  /** The time in ms since the epoch, for the adapter and the staff's pages; default `Date.now`. */
  now?: () => number;
}

const VISITOR_COOKIE = 'shop_visitor';
const SESSION_COOKIE = 'shop_session';

const assets = {
  css: readFileSync(new URL('./assets/shop.css', import.meta.url), 'utf8'),
  js: readFileSync(new URL('./assets/shop.js', import.meta.url), 'utf8'),
  staffJs: readFileSync(new URL('./assets/staff.js', import.meta.url), 'utf8'),
  favicon: readFileSync(new URL('./assets/favicon.svg', import.meta.url), 'utf8'),
};

function productName(sku: string): string {
  return productBySku(sku)?.name ?? sku;
}

/** The visitor cookie's value when the browser sent a well-formed one. */
function visitorCookie(c: Context): string | undefined {
  const existing = getCookie(c, VISITOR_COOKIE);
  return existing && /^[a-f0-9-]{36}$/.test(existing) ? existing : undefined;
}

/** The visitor's id (a random cookie) when nobody is logged in: whose orders these are. */
function anonymousVisitorOf(c: Context): string {
  const existing = visitorCookie(c);
  if (existing) return existing;
  const visitor = crypto.randomUUID();
  setCookie(c, VISITOR_COOKIE, visitor, { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 60 * 60 * 24 * 30 });
  return visitor;
}

/** Builds the shop. Returns the Hono app and the mounted adapter (for `reconcile()` on a schedule). */
export function createShop({
  config,
  orders,
  sessions,
  refundNotes,
  store,
  sandboxUrl,
  widgetBundle,
  clientAddress = (c) => getConnInfo(c).remote.address ?? 'unknown',
  staffThrottle = new LoginThrottle(),
  now = Date.now,
}: ShopOptions): { app: Hono; izly: IzlyPayApp } {
  const publicOrigin = new URL(config.publicUrl).origin;
  const studentOf = (c: Context): ShopStudent | undefined => sessions.student(getCookie(c, SESSION_COOKIE));
  // A logged-in student's orders follow their Izly account across browsers; otherwise, the browser's.
  const visitorOf = (c: Context): string => {
    const student = studentOf(c);
    return student ? `izly:${student.izlyId}` : anonymousVisitorOf(c);
  };
  // Whose request this is, without giving a cookie-less one a new visitor id: it then owns nothing.
  const existingVisitorOf = (c: Context): string | undefined => {
    const student = studentOf(c);
    return student ? `izly:${student.izlyId}` : visitorCookie(c);
  };
  const izly = izlyPay({
    baseUrl: config.izlyBaseUrl ?? sandboxUrl!,
    appIdentifier: config.appIdentifier,
    apiKey: config.apiKey,
    authorization: config.authorization,
    secret: config.callbackSecret,
    store,
    now,
    allowedOrigins: [publicOrigin],
    // The server decides: an order that is not open (unknown, paid, refunded), or that is another visitor's,
    // cannot be paid from this browser.
    order: (orderId, c) => {
      const order = orders.get(orderId);
      if (!order || order.status !== 'open' || order.visitor !== existingVisitorOf(c)) return null;
      return { amount: order.amount, message: `${productName(order.sku)} (${order.orderId})` };
    },
    onPaid: (payment) => {
      orders.markPaid(payment.orderId, payment.id);
    },
    onRefunded: (payment) => {
      orders.markRefunded(payment.orderId);
    },
    connect: {
      // "Log in with Izly": open the shop's own session; the tokens stay in the shop's database.
      onLogin: (user, tokens, c) => {
        const sessionId = sessions.open(user, tokens);
        // What the student bought or was paying before logging in, in this browser, is theirs: it follows
        // them to their account (else "Mes achats" would empty at login).
        const anonymous = visitorCookie(c);
        if (anonymous) orders.moveOrders(anonymous, `izly:${user.id}`, user.email || null);
        setCookie(c, SESSION_COOKIE, sessionId, {
          httpOnly: true,
          sameSite: 'Lax',
          path: '/',
          secure: config.publicUrl.startsWith('https:'),
          maxAge: Math.floor(sessions.lifetimeMs / 1000),
        });
      },
      returnUrl: `${config.publicUrl}/`,
      // Izly has one "URL after cancellation" for logins and payments: the sandbox's point at
      // /izly/connect/cancel, which sends a cancelled payment on to the shop's page.
      paymentCancelUrl: `${config.publicUrl}/`,
    },
  });

  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    if (c.res.headers.get('content-type')?.startsWith('text/html')) {
      c.header(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
      );
    }
  });

  app.route('/izly', izly);

  app.get('/assets/shop.css', (c) => c.body(assets.css, 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.get('/assets/shop.js', (c) => c.body(assets.js, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/assets/staff.js', (c) => c.body(assets.staffJs, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/assets/favicon.svg', (c) => c.body(assets.favicon, 200, { 'content-type': 'image/svg+xml' }));
  app.get('/assets/izly-pay.js', (c) => c.body(widgetBundle, 200, { 'content-type': 'text/javascript; charset=utf-8' }));

  app.get('/', async (c) => {
    const visitor = visitorOf(c);
    // Back from Izly: show the order that was being paid, so its button resumes and shows the outcome,
    // even if the payment was confirmed (and a new order opened) in the meantime.
    const returning = c.req.query('izly_payment');
    const returningOrder = returning ? orders.get((await store.get(returning))?.orderId ?? '') : undefined;
    const items = catalogue.map((product) => ({
      product,
      order:
        returningOrder && returningOrder.sku === product.sku && returningOrder.visitor === visitor ? returningOrder : orders.openOrderOf(visitor, product.sku),
    }));
    const purchases = purchasesFragment(orders.purchasesOf(visitor), productName);
    return c.html(shopPage({ items, purchases, sandboxUrl, student: studentOf(c) ?? null }));
  });

  // The order a button pays, created when the student clicks it (shop.js, on izly-pay-start), not when a
  // page is shown: a page view creates nothing. One open order per visitor and product: the same again.
  app.post('/shop/orders', async (c) => {
    if (c.req.header('origin') !== publicOrigin) return c.json({ error: { code: 'origin_not_allowed', message: 'Unknown origin' } }, 403);
    if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
      return c.json({ error: { code: 'unsupported_content_type', message: 'Send the request as application/json' } }, 415);
    }
    const body = (await c.req.json().catch(() => null)) as { sku?: unknown } | null;
    const product = typeof body?.sku === 'string' ? productBySku(body.sku) : undefined;
    if (!product) return c.json({ error: { code: 'unknown_product', message: 'sku must be a product of the catalogue' } }, 400);
    const order = orders.openOrderFor(visitorOf(c), product.sku, studentOf(c)?.email || null);
    c.header('Cache-Control', 'no-store');
    return c.json({ orderId: order.orderId, amount: order.amount });
  });

  app.get('/purchases', (c) => {
    const visitor = visitorOf(c);
    c.header('Cache-Control', 'no-store');
    return c.html(purchasesFragment(orders.purchasesOf(visitor), productName));
  });

  app.post('/logout', (c) => {
    if (c.req.header('origin') !== publicOrigin) return c.text('Refusé : origine inconnue', 403);
    const sessionId = getCookie(c, SESSION_COOKIE);
    if (sessionId) sessions.close(sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });

  const staffOnly = staffAuth({
    username: 'equipe',
    password: config.adminPassword,
    realm: 'Boutique demo - staff',
    throttle: staffThrottle,
    clientAddress,
  });
  app.route('/', staffRoutes({ staffOnly, izly, store, orders, refundNotes, publicOrigin, sandboxUrl, now }));

  return { app, izly };
}
