// The limits' options and parts: strict option checks, the client key (the partner's, or the address as
// the runtime tells it), and memory kept bounded. The limits at work over HTTP are in
// test/server/reliability/abuse.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { izlyPay, memoryStore, type IzlyPayOptions } from '../../../server-adapter/index.js';
import { addressKey } from '../../../server-adapter/limits/client-key.js';
import { ConcurrencyLimiter } from '../../../server-adapter/limits/concurrency-limiter.js';
import { RateLimiter } from '../../../server-adapter/limits/rate-limiter.js';
import { ManualClock } from '../payments/manual-clock.js';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

function options(overrides: Partial<IzlyPayOptions> = {}): IzlyPayOptions {
  return {
    baseUrl: 'http://127.0.0.1:9',
    appIdentifier: 'shop',
    apiKey: 'key',
    secret: SECRET,
    store: memoryStore(),
    allowedOrigins: ['https://shop.example'],
    // No order exists: each creation is counted, then answered 404 without calling Izly.
    order: () => null,
    logger: { warn() {}, error() {} },
    ...overrides,
  };
}

const create = (app: ReturnType<typeof izlyPay>, headers: Record<string, string> = {}) =>
  app.request('/payments', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), ...headers },
    body: JSON.stringify({ orderId: 'A-1', returnUrl: 'https://shop.example/back' }),
  });

describe('limits: options', () => {
  test('an unknown key under limits is refused, naming it', () => {
    assert.throws(() => izlyPay(options({ limits: { creationsPerClient: 5 } as never })), /unknown option "limits\.creationsPerClient"/);
  });

  test('each limit is an integer ≥ 1 or Infinity', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '10']) {
      assert.throws(() => izlyPay(options({ limits: { longPolls: bad as number } })), /limits\.longPolls must be an integer ≥ 1, or Infinity/);
    }
    assert.doesNotThrow(() => izlyPay(options({ limits: { longPolls: Infinity, creationsPerMinute: 5 } })));
    assert.throws(() => izlyPay(options({ limits: 'none' as never })), /limits must be an object/);
  });

  test('clientKey must be a function', () => {
    assert.throws(() => izlyPay(options({ clientKey: 'x-forwarded-for' as never })), /clientKey must be a function/);
  });
});

describe('limits: who a client is', () => {
  test("clientKey(c) decides: behind a proxy, two students' addresses have a budget each", async () => {
    const app = izlyPay(options({ limits: { creationsPerClientPerMinute: 2 }, clientKey: (c) => c.req.header('x-forwarded-for') }));
    const from = (address: string) => create(app, { 'X-Forwarded-For': address });
    assert.deepEqual([(await from('10.0.0.1')).status, (await from('10.0.0.1')).status, (await from('10.0.0.1')).status], [404, 404, 429]);
    assert.equal((await from('10.0.0.2')).status, 404, 'another key has its own budget');
  });

  test('where the runtime tells no address, such requests share one budget, and the logger says so once', async () => {
    const warnings: string[] = [];
    const app = izlyPay(options({ limits: { creationsPerClientPerMinute: 1 }, logger: { warn: (m) => void warnings.push(m), error() {} } }));
    assert.equal((await create(app)).status, 404);
    const refused = await create(app);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '60');
    assert.deepEqual(await refused.json(), { error: { code: 'rate_limited', message: 'Too many requests; try again in a moment' } });
    await create(app);
    assert.equal(warnings.filter((w) => /clientKey/.test(w)).length, 1);
  });

  test('a creation refused by a limit creates nothing and calls no hook', async () => {
    let orders = 0;
    const app = izlyPay(
      options({
        limits: { creationsPerMinute: 1 },
        order: () => {
          orders += 1;
          return null;
        },
      }),
    );
    await create(app);
    assert.equal((await create(app)).status, 429);
    assert.equal(orders, 1);
  });

  test('an address key: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64', () => {
    assert.equal(addressKey('127.0.0.2'), '127.0.0.2');
    assert.equal(addressKey('::ffff:10.1.2.3'), '10.1.2.3');
    assert.equal(addressKey('2001:db8:0:12:aaaa::1'), '2001:db8:0:12::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('2001:0db8:0000:0012:1:2:3:4'), addressKey('2001:db8:0:12:ffff::'));
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
  });
});

describe('limits: their parts', () => {
  test('a token bucket refills steadily on the clock and says how long to wait', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(2, 60_000, clock);
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 30_000);
    clock.advance(30_000);
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('b'), 0, 'keys are apart');
  });

  test('the buckets stay bounded: full ones are swept, and past the cap the oldest go', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(5, 60_000, clock, 100);
    for (let i = 0; i < 1000; i++) limiter.take(`client-${i}`);
    assert.ok(limiter.size <= 100, `${limiter.size} buckets`);
    clock.advance(60_000);
    limiter.take('late');
    for (let i = 0; i < 200; i++) limiter.take(`again-${i}`);
    assert.ok(limiter.size <= 100);
  });

  test('the concurrency cap counts per key and overall, and forgets a key once its requests end', () => {
    const cap = new ConcurrencyLimiter(2, 3);
    const a1 = cap.enter('a')!;
    const a2 = cap.enter('a')!;
    assert.equal(cap.enter('a'), null);
    const b1 = cap.enter('b')!;
    assert.equal(cap.enter('c'), null, 'overall cap');
    a1();
    a1(); // leaving twice counts once
    assert.equal(cap.held(), 2);
    assert.ok(cap.enter('c'));
    a2();
    b1();
    assert.equal(cap.held('a'), 0);
  });
});
