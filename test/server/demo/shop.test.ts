// The demo shop as a partner should build one: a page view creates no order, an order is created when the
// student clicks (POST /shop/orders) with an id nobody can guess, only the visitor who owns an order can
// pay it, the staff page locks out an address after repeated wrong passwords, and sessions end.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import type { Hono } from 'hono';
import { loadDemoConfig } from '../../../demo/config.js';
import { createShop } from '../../../demo/shop.js';
import { openShopDatabase, ShopOrders } from '../../../demo/shop-orders.js';
import { ShopSessions } from '../../../demo/shop-sessions.js';
import { RefundNotes } from '../../../demo/refund-notes.js';
import { LoginThrottle } from '../../../demo/staff-login.js';
import { createSandbox, type Sandbox } from '../../../sandbox/index.js';
import { memoryStore, type IzlyUser } from '../../../server-adapter/index.js';
import { closeServer, listen, type ListeningServer } from '../helpers/http-server.js';

const config = loadDemoConfig({});
const ORIGIN = config.publicUrl;
const ORDER_ID = /^A-[0-9A-HJKMNP-TV-Z]{10}$/;
const basic = (password: string) => `Basic ${btoa(`equipe:${password}`)}`;

describe('the demo shop', () => {
  let sandbox: Sandbox;
  let sandboxServer: ListeningServer;
  let db: Database.Database;
  let orders: ShopOrders;
  let app: Hono;
  let now: number;

  before(async () => {
    sandboxServer = await listen((request) => sandbox.fetch(request));
    sandbox = createSandbox({
      publicUrl: sandboxServer.url,
      pointsOfSale: [{ appIdentifier: config.appIdentifier, apiKey: config.apiKey, callbackUrl: `${ORIGIN}/izly/callback` }],
    });
  });

  after(async () => {
    sandbox.control.close();
    await closeServer(sandboxServer.server);
  });

  beforeEach(() => {
    now = Date.parse('2026-03-01T12:00:00Z');
    db = openShopDatabase(':memory:');
    orders = new ShopOrders(db);
    const sessions = new ShopSessions(db, { now: () => now });
    const staffThrottle = new LoginThrottle({ now: () => now });
    ({ app } = createShop({
      config,
      orders,
      sessions,
      refundNotes: new RefundNotes(db),
      store: memoryStore(),
      sandboxUrl: sandboxServer.url,
      widgetBundle: '',
      staffThrottle,
    }));
  });

  /** A request from `address` (the TCP peer the shop counts by) with the visitor's cookie, if any. */
  const request = (path: string, init: RequestInit & { visitor?: string } = {}, address = '127.0.0.1') => {
    const headers = new Headers(init.headers);
    if (init.visitor) headers.set('cookie', `shop_visitor=${init.visitor}`);
    return app.request(`${ORIGIN}${path}`, { ...init, headers }, { incoming: { socket: { remoteAddress: address } } });
  };
  const newOrder = (visitor: string, sku = 'cafe') =>
    request('/shop/orders', { method: 'POST', visitor, headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ sku }) });
  const orderCount = () => (db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;

  describe('orders', () => {
    test('a page view creates no order, however often and with or without a cookie', async () => {
      for (const visitor of [undefined, undefined, crypto.randomUUID()]) {
        const page = await (await request('/', { visitor })).text();
        assert.match(page, /<izly-pay-button amount="330"/);
        assert.doesNotMatch(page, /<izly-pay-button order=/);
      }
      assert.equal(orderCount(), 0);
    });

    test('a click creates the order: a random id, the same one again for the same visitor and product, shown on the page', async () => {
      const visitor = crypto.randomUUID();
      const first = (await (await newOrder(visitor)).json()) as { orderId: string; amount: number };
      assert.match(first.orderId, ORDER_ID);
      assert.equal(first.amount, 90);
      assert.equal(((await (await newOrder(visitor)).json()) as { orderId: string }).orderId, first.orderId);
      const other = (await (await newOrder(crypto.randomUUID())).json()) as { orderId: string };
      assert.notEqual(other.orderId, first.orderId);
      assert.match(await (await request('/', { visitor })).text(), new RegExp(`order="${first.orderId}"`));
      assert.equal(orderCount(), 2);
    });

    test('the order endpoint refuses another origin, another content type and an unknown product, creating nothing', async () => {
      const visitor = crypto.randomUUID();
      const post = (headers: Record<string, string>, body: string) => request('/shop/orders', { method: 'POST', visitor, headers, body });
      assert.equal((await post({ origin: 'https://evil.example', 'content-type': 'application/json' }, '{"sku":"cafe"}')).status, 403);
      assert.equal((await post({ origin: ORIGIN, 'content-type': 'text/plain' }, '{"sku":"cafe"}')).status, 415);
      assert.equal((await post({ origin: ORIGIN, 'content-type': 'application/json' }, '{"sku":"yacht"}')).status, 400);
      assert.equal(orderCount(), 0);
    });

    test("only the visitor who owns an order can pay it: another one's POST /izly/payments is unknown_order, Izly never asked", async () => {
      const owner = crypto.randomUUID();
      const { orderId } = (await (await newOrder(owner)).json()) as { orderId: string };
      const pay = (visitor: string | undefined) =>
        request('/izly/payments', {
          method: 'POST',
          visitor,
          headers: { origin: ORIGIN, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
          body: JSON.stringify({ orderId, returnUrl: `${ORIGIN}/` }),
        });
      const operationsBefore = sandbox.control.operations().length;
      for (const stranger of [crypto.randomUUID(), undefined]) {
        const answer = await pay(stranger);
        assert.equal(answer.status, 404);
        assert.equal(((await answer.json()) as { error: { code: string } }).error.code, 'unknown_order');
      }
      assert.equal(sandbox.control.operations().length, operationsBefore);
      const mine = await pay(owner);
      assert.equal(mine.status, 201);
      assert.equal(sandbox.control.operations().length, operationsBefore + 1);
    });
  });

  describe("the staff's page", () => {
    const staff = (password: string | null, address: string) =>
      request('/orders', { headers: password === null ? {} : { authorization: basic(password) } }, address);

    test('5 wrong passwords in a minute lock that address out for a minute (429, the right password too); other addresses go on', async () => {
      assert.equal((await staff(null, '127.0.0.2')).status, 401, 'no credentials yet: asked, not counted');
      for (let i = 0; i < 5; i++) assert.equal((await staff(`guess-${i}`, '127.0.0.2')).status, 401);
      const locked = await staff(config.adminPassword, '127.0.0.2');
      assert.equal(locked.status, 429);
      assert.equal(locked.headers.get('retry-after'), '60');
      assert.equal((await staff(config.adminPassword, '127.0.0.1')).status, 200, 'another address is not locked out');
      now += 60_000;
      assert.equal((await staff(config.adminPassword, '127.0.0.2')).status, 200, 'a minute later');
    });

    test('wrong passwords spread over more than a minute, or cleared by the right one, lock nothing', async () => {
      for (let i = 0; i < 8; i++) {
        assert.equal((await staff(`guess-${i}`, '127.0.0.2')).status, 401);
        now += 15_000;
      }
      for (let i = 0; i < 4; i++) await staff(`guess-${i}`, '127.0.0.3');
      assert.equal((await staff(config.adminPassword, '127.0.0.3')).status, 200);
      for (let i = 0; i < 4; i++) await staff(`guess-${i}`, '127.0.0.3');
      assert.equal((await staff(config.adminPassword, '127.0.0.3')).status, 200);
    });
  });
});

describe('shop sessions', () => {
  const user: IzlyUser = {
    id: 'izly-1',
    email: 'etudiant@izly.test',
    clientCode: 'c1',
    assignmentNumber: 'n1',
    firstName: 'Camille',
    lastName: 'Martin',
    phone: null,
    raw: {},
  };
  const tokens = { accessToken: 'a', refreshToken: 'r', tokenType: null, expiresIn: null, expiresAt: null };
  const MINUTE = 60_000;

  test('a session ends after 30 minutes without a request; each request keeps it alive', () => {
    let now = 0;
    const sessions = new ShopSessions(openShopDatabase(':memory:'), { now: () => now });
    const id = sessions.open(user, tokens);
    now += 29 * MINUTE;
    assert.equal(sessions.student(id)?.izlyId, 'izly-1');
    now += 29 * MINUTE;
    assert.equal(sessions.student(id)?.izlyId, 'izly-1', 'kept alive by the request 29 minutes ago');
    now += 30 * MINUTE;
    assert.equal(sessions.student(id), undefined);
    now -= 30 * MINUTE;
    assert.equal(sessions.student(id), undefined, 'ended for good');
  });

  test('a session ends 8 hours after it opened, however busy', () => {
    let now = 0;
    const sessions = new ShopSessions(openShopDatabase(':memory:'), { now: () => now });
    const id = sessions.open(user, tokens);
    while (now < 8 * 60 * MINUTE - 20 * MINUTE) {
      now += 20 * MINUTE;
      assert.ok(sessions.student(id), `alive at ${now / MINUTE} min`);
    }
    now = 8 * 60 * MINUTE;
    assert.equal(sessions.student(id), undefined);
  });

  test('a session kept by a demo from before sessions expired opens nothing', () => {
    const db = openShopDatabase(':memory:');
    db.exec(`CREATE TABLE sessions (session_id TEXT PRIMARY KEY, izly_id TEXT NOT NULL, email TEXT NOT NULL, first_name TEXT NOT NULL,
      last_name TEXT NOT NULL, client_code TEXT NOT NULL, assignment_number TEXT NOT NULL, access_token TEXT NOT NULL,
      refresh_token TEXT NOT NULL, expires_at INTEGER, created_at TEXT NOT NULL)`);
    const old = 'o'.repeat(43);
    db.prepare(`INSERT INTO sessions VALUES (?, 'izly-1', '', '', '', '', '', 'a', 'r', NULL, '2025-01-01T00:00:00Z')`).run(old);
    assert.equal(new ShopSessions(db).student(old), undefined);
  });
});
