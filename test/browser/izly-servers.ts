// The real servers the browser tests talk to, mounted on the test server's own origin by
// web-test-runner.config.mjs: the adapter `izlyPay()` under /izly (as a partner mounts it, IzlyConnect
// included) and the Izly sandbox under /sandbox-izly, its `publicUrl`: the adapter calls its partner API
// there over HTTP, and its pages (payment form, login form, stylesheet) link there.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createSandbox, DEFAULT_POINT_OF_SALE } from '../../sandbox/index.js';
import { izlyPay, memoryStore } from '../../server-adapter/index.js';

export interface Mount {
  prefix: string;
  fetch: (request: Request) => Response | Promise<Response>;
}

/** The test shop's orders: the amount in cents is the id's last dash-separated number (`T-abc-350`). */
export function amountOfOrder(orderId: string): number | null {
  const match = /-(\d+)$/.exec(orderId);
  return match ? Number(match[1]) : null;
}

/** The test shop's session cookie, set by the `onLogin` hook; its value keys `sessions` below. */
export const SESSION_COOKIE = 'test_shop_session';

/**
 * The browser tests set the sandbox's faults from the page (`/sandbox-izly/sandbox/api/faults`), as a
 * developer's script would with the token the sandbox prints: the test server adds the token on the way, so
 * the page never holds it and the sandbox's control API keeps its rules.
 */
function withControlToken(request: Request, token: string): Request {
  if (!new URL(request.url).pathname.startsWith('/sandbox-izly/sandbox/api/')) return request;
  const headers = new Headers(request.headers);
  headers.set('authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

/** The second point of sale, whose adapter trusts callbacks. */
const TRUSTED_APP = 'izly-pay-trusted';
const TRUSTED_API_KEY = 'browser-tests-trusted-api-key';

/**
 * The adapter scopes its plain-http payer cookie to its `/payments` path; the fault proxy puts the same adapter
 * under `/test-proxy/<channel>/izly/`, where the browser would not send it. On this test server only, the
 * cookie is widened to `/`, so that the button is the payment's payer whichever way its requests go.
 */
async function payerCookieEverywhere(answer: Response | Promise<Response>): Promise<Response> {
  const response = await answer;
  const cookies = response.headers.getSetCookie();
  if (cookies.length === 0) return response;
  const widened = new Response(response.body, response);
  widened.headers.delete('set-cookie');
  for (const cookie of cookies) widened.headers.append('set-cookie', cookie.replace(/; Path=[^;]*/i, '; Path=/'));
  return widened;
}

export async function mountIzly(origin: string): Promise<Mount[]> {
  const shopPage = `${origin}/test/browser/fixtures/shop.html`;
  const sandboxUrl = `${origin}/sandbox-izly`;
  const sandbox = createSandbox({
    publicUrl: sandboxUrl,
    callbackRetryDelayMs: 50,
    pointsOfSale: [
      {
        callbackUrl: `${origin}/izly/callback`,
        urlAfterPayment: shopPage,
        // One cancellation URL for logins and payments: the adapter sends a cancelled payment on to the shop.
        urlAfterCancellation: `${origin}/izly/connect/cancel`,
        urlAfterConnection: `${origin}/izly/connect/callback`,
      },
      {
        // The point of sale of the adapter that trusts callbacks (/izly-trusted): its own cancellation URL.
        appIdentifier: TRUSTED_APP,
        apiKey: TRUSTED_API_KEY,
        callbackUrl: `${origin}/izly-trusted/callback`,
        urlAfterPayment: shopPage,
        urlAfterCancellation: `${origin}/izly-trusted/connect/cancel`,
        urlAfterConnection: `${origin}/izly-trusted/connect/callback`,
      },
    ],
  });
  // The shop's own sessions, as a partner keeps them: the Izly tokens stay here, the browser gets an id.
  const sessions = new Map<string, { name: string; clientCode: string | null; accessToken: string }>();
  const shop = new Hono();
  shop.route(
    '/izly',
    izlyPay({
      baseUrl: sandboxUrl,
      appIdentifier: 'izly-pay-demo',
      apiKey: DEFAULT_POINT_OF_SALE.apiKey,
      secret: 'browser-tests-secret-at-least-32-characters',
      store: memoryStore(),
      allowedOrigins: [origin],
      // Izly read quickly, callbacks or not (a cancel on Izly sends none): the tests are about the widget, and
      // a read 30 s away (the adapter's safety net once callbacks arrive) would only slow them down.
      statusReadIntervalMs: 100,
      safetyNetReadIntervalMs: 100,
      order: (orderId) => {
        const amount = amountOfOrder(orderId);
        return amount ? { amount, message: `Test order ${orderId}` } : null;
      },
      connect: {
        paymentCancelUrl: shopPage,
        onLogin: (user, tokens, c) => {
          const id = crypto.randomUUID();
          sessions.set(id, { name: `${user.firstName} ${user.lastName}`, clientCode: user.clientCode, accessToken: tokens.accessToken });
          setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Lax', path: '/' });
        },
        session: (c) => {
          const found = sessions.get(getCookie(c, SESSION_COOKIE) ?? '');
          return found ? { name: found.name, clientCode: found.clientCode } : null;
        },
      },
      logger: { warn: () => {}, error: (message) => console.error(message) },
    }),
  );
  // As a partner whose callbacks Izly's host has allow-listed runs: callbacks trusted from the start, and the
  // adapter's default intervals (a status read 2 s apart at most, the safety net 30 s): a cancel, which Izly
  // calls nobody about, must still be seen at once, through the cancel page and the button's return read.
  shop.route(
    '/izly-trusted',
    izlyPay({
      baseUrl: sandboxUrl,
      appIdentifier: TRUSTED_APP,
      apiKey: TRUSTED_API_KEY,
      secret: 'browser-tests-trusted-secret-at-least-32-characters',
      store: memoryStore(),
      allowedOrigins: [origin],
      callbacks: 'allow-listed',
      order: (orderId) => {
        const amount = amountOfOrder(orderId);
        return amount ? { amount } : null;
      },
      connect: { paymentCancelUrl: shopPage, onLogin: () => {} },
      logger: { warn: () => {}, error: (message) => console.error(message) },
    }),
  );
  // A stand-in for an adapter answering a click on an order already paid (409 order_already_paid with the
  // paid payment's view), until the real adapter's answer is there to test against.
  shop.post('/fake-paid-adapter/payments', (c) => {
    const at = new Date().toISOString();
    const payment = {
      paymentId: 'pay_fake_paid',
      orderId: 'T-paid-330',
      status: 'paid',
      amount: 330,
      currency: 'EUR',
      createdAt: at,
      updatedAt: at,
      paidAt: at,
    };
    return c.json({ error: { code: 'order_already_paid', message: 'This order is already paid' }, payment }, 409);
  });
  // Logging out of the test shop, so that each test starts without a session (the cookie is HttpOnly).
  shop.post('/test-shop/logout', (c) => {
    sessions.delete(getCookie(c, SESSION_COOKIE) ?? '');
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });
  return [
    { prefix: '/izly/', fetch: (request) => payerCookieEverywhere(shop.fetch(request)) },
    { prefix: '/izly-trusted/', fetch: (request) => payerCookieEverywhere(shop.fetch(request)) },
    { prefix: '/fake-paid-adapter/', fetch: (request) => shop.fetch(request) },
    { prefix: '/test-shop/', fetch: (request) => shop.fetch(request) },
    { prefix: '/sandbox-izly/', fetch: (request) => sandbox.fetch(withControlToken(request, sandbox.control.controlToken())) },
  ];
}
