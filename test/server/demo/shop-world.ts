// The real demo shop (`createShop`, SQLite orders and memory payments) and a real Izly sandbox, each on
// its own loopback port, wired as `npm start` wires them, with one injected clock; and a `ShopBrowser`
// (a cookie jar for the shop's origin) that plays a student or the staff over HTTP.
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import type { Hono } from 'hono';
import { loadDemoConfig, type DemoConfig } from '../../../demo/config.js';
import { RefundNotes } from '../../../demo/refund-notes.js';
import { createShop } from '../../../demo/shop.js';
import { openShopDatabase, ShopOrders } from '../../../demo/shop-orders.js';
import { ShopSessions } from '../../../demo/shop-sessions.js';
import { createSandbox, type Sandbox } from '../../../sandbox/index.js';
import { memoryStore, type PaymentStore } from '../../../server-adapter/index.js';
import { payAsStudent } from '../helpers/harness.js';
import { closeServer, listen } from '../helpers/http-server.js';

export const PASSWORD = 'izly1234';

export interface ShopWorld {
  shopUrl: string;
  sandbox: Sandbox;
  store: PaymentStore;
  db: Database.Database;
  config: DemoConfig;
  /** A new browser: no cookie yet, so a new anonymous visitor. */
  browser(): ShopBrowser;
  /** A browser that sends the staff's Basic credentials. */
  staff(): ShopBrowser;
  close(): Promise<void>;
}

/** Starts the shop and the sandbox; `now` is the clock of the shop, its adapter and the sandbox. */
export async function startShopWorld(now: () => number): Promise<ShopWorld> {
  let app: Hono | undefined;
  let sandbox: Sandbox | undefined;
  const shopServer = await listen((request) => app!.fetch(request));
  const sandboxServer = await listen((request) => sandbox!.fetch(request));
  const config = loadDemoConfig({ PUBLIC_URL: shopServer.url });
  sandbox = createSandbox({
    publicUrl: sandboxServer.url,
    callbackRetryDelayMs: 20,
    now,
    pointsOfSale: [
      {
        appIdentifier: config.appIdentifier,
        apiKey: config.apiKey,
        siteName: 'Boutique démo',
        callbackUrl: `${shopServer.url}/izly/callback`,
        urlAfterConnection: `${shopServer.url}/izly/connect/callback`,
        urlAfterPayment: `${shopServer.url}/`,
        urlAfterCancellation: `${shopServer.url}/izly/connect/cancel`,
      },
    ],
  });
  const db = openShopDatabase(':memory:');
  const store = memoryStore();
  ({ app } = createShop({
    config,
    orders: new ShopOrders(db),
    sessions: new ShopSessions(db, { now }),
    refundNotes: new RefundNotes(db),
    store,
    sandboxUrl: sandboxServer.url,
    widgetBundle: '',
    now,
    // The shop is served through a plain fetch handler here, without Node's socket to count by.
    clientAddress: () => '127.0.0.1',
  }));
  const staffAuthorization = `Basic ${btoa(`equipe:${config.adminPassword}`)}`;
  return {
    shopUrl: shopServer.url,
    sandbox,
    store,
    db,
    config,
    browser: () => new ShopBrowser(shopServer.url),
    staff: () => new ShopBrowser(shopServer.url, { authorization: staffAuthorization }),
    async close() {
      await sandbox!.control.settled();
      sandbox!.control.close();
      await store.close();
      db.close();
      await Promise.all([closeServer(shopServer.server), closeServer(sandboxServer.server)]);
    },
  };
}

/** An answer as the browser read it. */
export interface ShopAnswer {
  status: number;
  headers: Headers;
  body: string;
  bytes: Uint8Array;
  location: string | null;
}

/** A browser reduced to a cookie jar for the shop's origin; redirects are steps of the test, not followed. */
export class ShopBrowser {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly shopUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async request(pathOrUrl: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<ShopAnswer> {
    const url = new URL(pathOrUrl, this.shopUrl);
    const headers: Record<string, string> = { ...this.headers, ...init.headers };
    if (url.origin === new URL(this.shopUrl).origin && this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body, redirect: 'manual' });
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (url.origin === new URL(this.shopUrl).origin) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const equals = pair.indexOf('=');
        if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(pair.slice(0, equals));
        else this.cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
      }
    }
    return { status: response.status, headers: response.headers, body: new TextDecoder().decode(bytes), bytes, location: response.headers.get('location') };
  }

  /** A form posted from the shop's own page (its Origin). */
  postForm(path: string, fields: Record<string, string>, origin = this.shopUrl): Promise<ShopAnswer> {
    return this.request(path, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** The student clicks a product's button: the shop creates (or gives back) the order, the adapter the payment. */
  async startPayment(sku: string): Promise<{ orderId: string; paymentId: string; authorizationUrl: string }> {
    const json = { origin: this.shopUrl, 'content-type': 'application/json' };
    const order = await this.request('/shop/orders', { method: 'POST', headers: json, body: JSON.stringify({ sku }) });
    assert.equal(order.status, 200, order.body);
    const { orderId } = JSON.parse(order.body) as { orderId: string };
    const payment = await this.request('/izly/payments', {
      method: 'POST',
      headers: { ...json, 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({ orderId, returnUrl: `${this.shopUrl}/` }),
    });
    assert.equal(payment.status, 201, payment.body);
    const { paymentId, authorizationUrl } = JSON.parse(payment.body) as { paymentId: string; authorizationUrl: string };
    return { orderId, paymentId, authorizationUrl };
  }

  /** Long-polls the payment until it is no longer open; resolves with its status. */
  async settledStatus(paymentId: string): Promise<string> {
    for (;;) {
      const answer = await this.request(`/izly/payments/${paymentId}?wait=10`);
      const { status } = JSON.parse(answer.body) as { status: string };
      if (status !== 'created' && status !== 'pending') return status;
    }
  }

  /** Pays (or cancels) a product on Izly's page as `identifier`; resolves once the shop knows the outcome. */
  async pay(sku: string, identifier: string, action: 'validate' | 'cancel' = 'validate'): Promise<{ orderId: string; paymentId: string; status: string }> {
    const { orderId, paymentId, authorizationUrl } = await this.startPayment(sku);
    await payAsStudent(authorizationUrl, { identifier, password: PASSWORD, action });
    return { orderId, paymentId, status: await this.settledStatus(paymentId) };
  }
}
