// The status reader on a manual clock, against the real sandbox (called in-process): one read in flight per
// operation, the rate limits of the read policy, fresh reads that always reach Izly, the missed-callback
// check, and the waiters' timers. Time moves only when the test moves it.
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox, type Sandbox } from '../../../sandbox/index.js';
import { createIzlyClient } from '../../../server-adapter/izly/client.js';
import { resolveIzlyPayOptions, type IzlyPayOptions, type ResolvedIzlyPayOptions } from '../../../server-adapter/options.js';
import { PaymentWaiters } from '../../../server-adapter/payments/payment-waiters.js';
import { StatusReader } from '../../../server-adapter/payments/status-reader.js';
import { PaymentTransitions } from '../../../server-adapter/payments/transitions.js';
import { memoryStore } from '../../../server-adapter/stores/memory-store.js';
import { newPaymentRecord, type PaymentRecord } from '../../../server-adapter/stores/payment-store.js';
import { API_KEY, APP_IDENTIFIER, SECRET, STUDENT } from '../helpers/harness.js';
import { ManualClock } from './manual-clock.js';

const BASE = 'http://sandbox.test';
const RATE_LIMIT_MS = 50;
/** An interval with the policy's largest jitter (20%). */
const longest = (ms: number) => ms * 1.2;

describe('StatusReader', () => {
  let sandbox: Sandbox;
  let clock: ManualClock;
  let gets: number;
  let warnings: string[];
  let onWarning: () => void;
  let options: ResolvedIzlyPayOptions;
  let waiters: PaymentWaiters;
  let reader: StatusReader;
  let orders = 0;

  function build(adapter: Partial<IzlyPayOptions> = {}) {
    options = resolveIzlyPayOptions({
      baseUrl: BASE,
      appIdentifier: APP_IDENTIFIER,
      apiKey: API_KEY,
      fetch: async (request) => {
        if (request.method === 'GET') gets += 1;
        return sandbox.fetch(request);
      },
      secret: SECRET,
      store: memoryStore(),
      allowedOrigins: ['https://shop.test'],
      order: () => null,
      statusReadIntervalMs: RATE_LIMIT_MS,
      logger: {
        warn: (message) => {
          warnings.push(message);
          onWarning();
        },
        error() {},
      },
      clock,
      ...adapter,
    });
    const client = createIzlyClient(options);
    waiters = new PaymentWaiters(clock);
    reader = new StatusReader(options, client, new PaymentTransitions(options, waiters));
    return client;
  }

  /** A pending payment known to Izly, as `POST /payments` leaves it (its next polite read an interval away). */
  async function pendingPayment(client: ReturnType<typeof build>): Promise<PaymentRecord> {
    const orderId = `A-${++orders}`;
    const at = new Date(clock.now()).toISOString();
    const record = await options.store.create(
      newPaymentRecord({
        id: `pay_${orders}`,
        idempotencyKey: `key-${orders}`,
        orderId,
        clientOrderId: orderId,
        amount: 250,
        returnUrl: 'https://shop.test/',
        message: null,
        at,
      }),
    );
    const initiated = await client.initiatePayment({
      amount: 250,
      clientOrderId: orderId,
      callbackParameters: `p=${record.id}`,
      redirectUrlAfterPayment: 'https://shop.test/',
    });
    reader.readAgainLater(initiated.operationId);
    const pending = await options.store.transition(record.id, ['created'], { status: 'pending', operationId: initiated.operationId, updatedAt: at });
    gets = 0;
    return pending!;
  }

  beforeEach(() => {
    gets = 0;
    warnings = [];
    onWarning = () => {};
    clock = new ManualClock();
    sandbox = createSandbox({ publicUrl: BASE, callbackRetryDelayMs: 1, fetch: async () => new Response('{"Code":0,"ErrorMessage":""}') });
  });
  afterEach(async () => {
    await sandbox.control.settled();
    sandbox.control.close();
    await options.store.close();
  });

  describe('polite reads', () => {
    test('wait for the rate limit: before it the stored record is returned, after it Izly is read', async () => {
      const payment = await pendingPayment(build());
      clock.advance(RATE_LIMIT_MS - 1);
      assert.equal((await reader.read(payment, 'polite', 'poll')).status, 'pending');
      assert.equal(gets, 0);
      clock.advance(longest(RATE_LIMIT_MS));
      sandbox.control.authorize(Number(payment.operationId), STUDENT);
      assert.equal((await reader.read(payment, 'polite', 'poll')).status, 'paid');
      assert.equal(gets, 1);
    });

    test('share the read in flight: ten at once cost Izly one call', async () => {
      const payment = await pendingPayment(build());
      clock.advance(longest(RATE_LIMIT_MS));
      const read = await Promise.all(Array.from({ length: 10 }, () => reader.read(payment, 'polite', 'poll')));
      assert.equal(gets, 1);
      assert.ok(read.every((record) => record.status === 'pending'));
    });

    test('a fresh read reaches Izly at once, whatever the rate limit', async () => {
      const payment = await pendingPayment(build());
      assert.equal((await reader.read(payment, 'fresh', 'callback')).status, 'pending');
      assert.equal(gets, 1);
    });
  });

  describe('with trusted callbacks', () => {
    test('a polite read waits for the safety net; a returned one only for the rate limit', async () => {
      const payment = await pendingPayment(build({ callbacks: 'allow-listed', safetyNetReadIntervalMs: 1_000 }));
      clock.advance(longest(RATE_LIMIT_MS));
      await reader.read(payment, 'polite', 'poll');
      assert.equal(gets, 0);
      await reader.read(payment, 'returned', 'poll');
      assert.equal(gets, 1);
      clock.advance(longest(1_000));
      await reader.read(payment, 'polite', 'poll');
      assert.equal(gets, 2);
    });

    test('a poll that finds the payment paid without its callback ends the trust once the grace has passed', async () => {
      const client = build({ safetyNetReadIntervalMs: 1_000 });
      const payment = await pendingPayment(client);
      reader.noteCallback();
      clock.advance(longest(1_000));
      sandbox.control.authorize(Number(payment.operationId), STUDENT);
      assert.equal((await reader.read(payment, 'polite', 'poll')).status, 'paid');
      assert.ok(reader.msUntilNextRead((await pendingPayment(client)).operationId) > longest(RATE_LIMIT_MS), 'still read as a safety net');
      assert.deepEqual(warnings, []);
      // The check reads the store's event log: wait for its word.
      const warned = new Promise<void>((resolve) => (onWarning = resolve));
      clock.advance(1_000);
      await warned;
      assert.match(warnings[0] ?? '', /callback never came/);
      assert.ok(reader.msUntilNextRead((await pendingPayment(client)).operationId) <= longest(RATE_LIMIT_MS), 'read at the rate limit again');
    });
  });

  describe('PaymentWaiters on the clock', () => {
    test('a wait ends when the clock passes its time, or at once on a notify', async () => {
      build();
      let woken = 0;
      const timed = waiters.wait('pay_1', 100).then(() => woken++);
      clock.advance(99);
      await Promise.resolve();
      assert.equal(woken, 0);
      clock.advance(1);
      await timed;
      assert.equal(woken, 1);
      const notified = waiters.wait('pay_1', 100);
      waiters.notify('pay_1');
      await notified;
      assert.equal(waiters.size, 0);
    });
  });
});
