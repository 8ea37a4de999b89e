// `izly-pay serve`'s service built in-process (createServeApp, as the bin builds it) and served over real
// HTTP, in front of a real sandbox, with a partner shop of its own: a Node server that answers the order
// callout from a map of orders and receives the webhooks, checking their signature and keeping each event
// id once, as examples/php does. The shop can be stopped and started again on its port (the partner down),
// answer 500, or answer late; tests wait on its events and on the service's log lines, never on time.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox } from '../../../sandbox/index.js';
import type { Clock, OrderInfo, PaymentStore } from '../../../server-adapter/index.js';
import { createServeApp, type ServeApp } from '../../../server-adapter/serve/app.js';
import { loadServeConfig, type ServeConfig } from '../../../server-adapter/serve/config.js';
import { SIGNATURE_HEADER, verifySignature } from '../../../server-adapter/serve/signature.js';
import type { WebhookEvent } from '../../../server-adapter/serve/webhooks.js';
import { API_KEY, APP_IDENTIFIER } from '../helpers/harness.js';
import { closeServer, listen } from '../helpers/http-server.js';
import { BACK_OFFICE_KEY, CALLBACK_SECRET, SIGNING_SECRET } from './serve-process.js';

/** How the shop answers webhooks: at once (2xx, or 409 for an event it has), 500, or late (after processing it). */
export type WebhookMode = 'ok' | 'error' | 'late';

/** One webhook request the shop received, whatever it answered. */
export interface WebhookAttempt {
  eventId: string;
  type: string;
  status: number;
  signature: 'ok' | string;
}

export interface PartnerShop {
  url: string;
  orders: Map<string, OrderInfo>;
  /** How the order callout answers: from `orders`, late (never within the service's timeout), 500, or a body that is not an amount. */
  calloutMode: 'ok' | 'late' | 'error' | 'bad-amount';
  webhookMode: WebhookMode;
  /** The callouts received: the order id and whether their signature was good. */
  callouts: Array<{ orderId: string; signature: 'ok' | string }>;
  /** Every webhook request, in arrival order. */
  attempts: WebhookAttempt[];
  /** The events processed (signature good, id not seen before), in order. */
  processed: WebhookEvent[];
  /** Resolves when the shop has processed `count` events in all. */
  processedCount(count: number): Promise<void>;
  /** The partner down: the port closed. */
  stop(): Promise<void>;
  /** The partner back, on the same port. */
  start(): Promise<void>;
}

/** Lets the late answers go: called when the test ends. */
const releaseLate = new Set<() => void>();

async function startPartnerShop(now: () => number): Promise<PartnerShop> {
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const app = new Hono();
  const shop: PartnerShop = {
    url: '',
    orders: new Map(),
    calloutMode: 'ok',
    webhookMode: 'ok',
    callouts: [],
    attempts: [],
    processed: [],
    processedCount: (count) => new Promise((resolve) => (shop.processed.length >= count ? resolve() : waiters.push({ count, resolve }))),
    stop: async () => {},
    start: async () => {},
  };
  const late = () => new Promise<void>((resolve) => releaseLate.add(resolve));
  const checked = (header: string | undefined, body: string) => {
    const check = verifySignature(SIGNING_SECRET, header, body, Math.floor(now() / 1000));
    return check.ok ? 'ok' : check.reason;
  };

  app.post('/order', async (c) => {
    const body = await c.req.text();
    const { orderId } = JSON.parse(body) as { orderId: string };
    shop.callouts.push({ orderId, signature: checked(c.req.header(SIGNATURE_HEADER), body) });
    if (shop.calloutMode === 'late') await late();
    if (shop.calloutMode === 'error') return c.json({ error: 'down' }, 500);
    if (shop.calloutMode === 'bad-amount') return c.json({ amount: '3.30' });
    const order = shop.orders.get(orderId);
    return order ? c.json(order) : c.json({ error: 'unknown' }, 404);
  });

  app.post('/webhook', async (c) => {
    const body = await c.req.text();
    const event = JSON.parse(body) as WebhookEvent;
    const signature = checked(c.req.header(SIGNATURE_HEADER), body);
    const attempt: WebhookAttempt = { eventId: event.id, type: event.type, status: 0, signature };
    shop.attempts.push(attempt);
    if (shop.webhookMode === 'error') return c.json({ error: 'down' }, (attempt.status = 500));
    if (signature !== 'ok') return c.json({ error: signature }, (attempt.status = 401));
    if (shop.processed.some((seen) => seen.id === event.id)) return c.json({ error: 'already processed' }, (attempt.status = 409));
    shop.processed.push(event);
    for (const waiter of waiters.filter((waiting) => shop.processed.length >= waiting.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    // Late: processed, but the answer comes after the service stopped waiting for it.
    if (shop.webhookMode === 'late') await late();
    return c.json({ received: true }, (attempt.status = 200));
  });

  let server: ServerType | null = null;
  let port = 0;
  shop.start = () =>
    new Promise((resolve) => {
      server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        port = info.port;
        resolve();
      });
    });
  shop.stop = async () => {
    const running = server;
    server = null;
    if (running) await closeServer(running);
  };
  await shop.start();
  shop.url = `http://127.0.0.1:${port}`;
  return shop;
}

export interface ServiceFixture {
  shop: PartnerShop;
  sandbox: Sandbox;
  service: ServeApp;
  config: ServeConfig;
  /** The service's origin (what the sandbox calls back, what the widget would call). */
  url: string;
  /** Every line the service logged (warn and error). */
  log: string[];
  /** Resolves at the first logged line matching `pattern` (it may be logged already). */
  logged(pattern: RegExp): Promise<string>;
  /** `POST {service}/izly/payments` as the widget sends it from the shop's page. */
  createPayment(orderId: string): Promise<Response>;
  /** Resolves once the adapter has recorded the payment's owed webhook as delivered (its mark cleared). */
  delivered(paymentId: string): Promise<void>;
  /** The back-office API, with the key. */
  backOffice(path: string, init?: RequestInit): Promise<Response>;
  /**
   * The service stopped as a crash would stop it (its in-process retries gone, its store closed) and built
   * again on `store` (the same database opened anew), then `resumeOwed()` run as the bin runs it at start;
   * resolves with the count of owed webhooks it sent again.
   */
  restart(store: PaymentStore): Promise<number>;
  close(): Promise<void>;
}

/** The service in front of a fresh sandbox, for a fresh shop; `env` adds or overrides settings. */
/** The store, telling `delivered()` when a transition clears a payment's owed hook. */
function watchingDeliveries(store: PaymentStore) {
  const waiters: Array<{ paymentId: string; resolve: () => void }> = [];
  const watched: PaymentStore = {
    ...store,
    async transition(id, from, patch, condition, events) {
      const updated = await store.transition(id, from, patch, condition, events);
      if (updated && patch.pendingHook === null && updated.pendingHook === null) {
        for (const waiter of waiters.filter((waiting) => waiting.paymentId === id)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      return updated;
    },
  };
  const delivered = async (paymentId: string) => {
    const waiting = new Promise<void>((resolve) => waiters.push({ paymentId, resolve }));
    if ((await store.get(paymentId))?.pendingHook === null) return;
    await waiting;
  };
  return { watched, delivered };
}

export async function startServiceFixture({
  env = {},
  store: given,
  clock,
  fetch: outgoing,
}: {
  env?: Record<string, string>;
  store: PaymentStore;
  clock?: Clock;
  /** What the service's outgoing requests go through (to Izly, the callout, the webhooks); `fetch` unless given. */
  fetch?: (request: Request) => Promise<Response>;
}): Promise<ServiceFixture> {
  let { watched: store, delivered } = watchingDeliveries(given);
  const now = () => (clock ?? Date).now();
  const shop = await startPartnerShop(now);
  let sandbox: Sandbox | undefined;
  let service: ServeApp | undefined;
  const sandboxServer = await listen((request) => sandbox!.fetch(request));
  const serviceServer = await listen((request) => service!.app.fetch(request));
  const config = loadServeConfig({
    IZLY_BASE_URL: sandboxServer.url,
    IZLY_APP_IDENTIFIER: APP_IDENTIFIER,
    IZLY_API_KEY: API_KEY,
    IZLY_PAY_CALLBACK_SECRET: CALLBACK_SECRET,
    IZLY_PAY_SIGNING_SECRET: SIGNING_SECRET,
    IZLY_PAY_ALLOWED_ORIGINS: shop.url,
    IZLY_PAY_ORDER_URL: `${shop.url}/order`,
    IZLY_PAY_WEBHOOK_URL: `${shop.url}/webhook`,
    IZLY_PAY_BACK_OFFICE_KEY: BACK_OFFICE_KEY,
    IZLY_PAY_CALLOUT_TIMEOUT_MS: '300',
    IZLY_PAY_WEBHOOK_TIMEOUT_MS: '300',
    ...env,
  });
  sandbox = createSandbox({
    publicUrl: sandboxServer.url,
    callbackRetryDelayMs: 20,
    pointsOfSale: [{ callbackUrl: `${serviceServer.url}/izly/callback`, urlAfterPayment: `${shop.url}/`, urlAfterCancellation: `${shop.url}/` }],
  });
  const log: string[] = [];
  const logWaiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const write = (line: string) => {
    log.push(line);
    for (const waiter of logWaiters.filter((waiting) => waiting.pattern.test(line))) {
      logWaiters.splice(logWaiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  };
  const build = () =>
    createServeApp(config, {
      store,
      widgetBundle: 'export const bundle = true;\n',
      logger: { warn: write, error: write },
      ...(clock ? { clock } : {}),
      ...(outgoing ? { fetch: outgoing } : {}),
    });
  service = build();
  return {
    shop,
    sandbox,
    get service() {
      return service!;
    },
    config,
    url: serviceServer.url,
    log,
    logged: (pattern) =>
      new Promise((resolve) => {
        const seen = log.find((line) => pattern.test(line));
        if (seen !== undefined) resolve(seen);
        else logWaiters.push({ pattern, resolve });
      }),
    createPayment: (orderId) =>
      fetch(`${serviceServer.url}/izly/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID(), origin: shop.url },
        body: JSON.stringify({ orderId, returnUrl: `${shop.url}/order/${orderId}` }),
      }),
    delivered: (paymentId) => delivered(paymentId),
    backOffice: (path, init = {}) => fetch(`${serviceServer.url}/api${path}`, { ...init, headers: { 'Izly-Pay-Api-Key': BACK_OFFICE_KEY, ...init.headers } }),
    async restart(reopened) {
      service!.webhooks.close();
      await store.close();
      ({ watched: store, delivered } = watchingDeliveries(reopened));
      service = build();
      return service.webhooks.resumeOwed();
    },
    async close() {
      for (const release of releaseLate) release();
      releaseLate.clear();
      service!.webhooks.close();
      await sandbox!.control.settled();
      sandbox!.control.close();
      await store.close();
      await Promise.all([closeServer(sandboxServer.server), closeServer(serviceServer.server), shop.stop()]);
    },
  };
}
