// The real servers the browser tests talk to, mounted on the test server's own origin by
// web-test-runner.config.mjs: the adapter `izlyPay()` under /izly (as a partner mounts it) and the Izly
// sandbox, whose partner API the adapter calls over HTTP under /sandbox-izly, and whose pages (payment
// form, stylesheet) live at the root paths they link to.
import { Hono } from 'hono';
import { createSandbox } from '../../sandbox/index.js';
import { izlyPay, memoryStore } from '../../server-adapter/index.js';

export interface Mount {
  prefix: string;
  /** The app expects paths without the prefix. */
  strip?: boolean;
  fetch: (request: Request) => Response | Promise<Response>;
}

/** The test shop's orders: the amount in cents is the id's last dash-separated number (`T-abc-350`). */
export function amountOfOrder(orderId: string): number | null {
  const match = /-(\d+)$/.exec(orderId);
  return match ? Number(match[1]) : null;
}

export async function mountIzly(origin: string): Promise<Mount[]> {
  const shopPage = `${origin}/test/browser/fixtures/shop.html`;
  const sandbox = createSandbox({
    publicUrl: origin,
    callbackRetryDelayMs: 50,
    pointsOfSale: [{
      callbackUrl: `${origin}/izly/callback`,
      urlAfterPayment: shopPage,
      urlAfterCancellation: shopPage,
      urlAfterConnection: shopPage,
    }],
  });
  const shop = new Hono();
  shop.route('/izly', izlyPay({
    baseUrl: `${origin}/sandbox-izly`,
    appIdentifier: 'izly-pay-demo',
    apiKey: 'sandbox-api-key',
    secret: 'browser-tests-secret-at-least-32-characters',
    store: memoryStore(),
    allowedOrigins: [origin],
    statusReadIntervalMs: 100,
    order: (orderId) => {
      const amount = amountOfOrder(orderId);
      return amount ? { amount, message: `Test order ${orderId}` } : null;
    },
    logger: { warn: () => {}, error: (message) => console.error(message) },
  }));
  return [
    { prefix: '/izly/', fetch: (request) => shop.fetch(request) },
    { prefix: '/sandbox-izly', strip: true, fetch: (request) => sandbox.fetch(request) },
    { prefix: '/payment/', fetch: (request) => sandbox.fetch(request) },
    { prefix: '/sandbox/assets/', fetch: (request) => sandbox.fetch(request) },
  ];
}
