// A hook that throws is retried with backoff until it succeeds, by `reconcile()` once each retry is due; the
// attempts and the next one's time are in the store, so that every instance sharing it sees them and one of
// them runs each retry. After the last retry the hook is given up, loudly. On the memory, SQLite and
// PostgreSQL stores; the clock is moved, never waited on.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { izlyPay, type IzlyPayApp, type PaymentRecord, type PaymentStore } from '../../../server-adapter/index.js';
import { HOOK_RETRY_DELAYS_MS } from '../../../server-adapter/options.js';
import { API_KEY, APP_IDENTIFIER, SECRET, STUDENT, payAsStudent, startHarness, type Harness } from '../helpers/harness.js';
import { ManualClock } from './manual-clock.js';
import { LAST_STORE_KIND, STORE_KINDS, type StoreKind } from './store-kinds.js';
import { recordCheck } from '../reliability/reliability-log.js';

/** Resolves at the store's next recording of a failed attempt (or a give-up) of a hook. */
function watchingFailures(store: PaymentStore): { store: PaymentStore; nextFailure(): Promise<PaymentRecord> } {
  let waiting: Array<(record: PaymentRecord) => void> = [];
  return {
    store: {
      ...store,
      async transition(id, from, patch, condition) {
        const result = await store.transition(id, from, patch, condition);
        if (result && patch.hookAttempts !== undefined && patch.hookAttempts > 0) {
          const resolve = waiting;
          waiting = [];
          for (const done of resolve) done(result);
        }
        return result;
      },
    },
    nextFailure: () => new Promise((resolve) => waiting.push(resolve)),
  };
}

for (const kind of STORE_KINDS) {
  describe(`a hook that throws is retried until it succeeds (${kind.name})`, { skip: kind.skip }, () => {
    let stores: Awaited<ReturnType<StoreKind['setUp']>>;
    let h: Harness;
    let clock: ManualClock;
    let failuresLeft: number;
    let calls: string[];
    let errors: string[];
    let givenUp: Array<{ payment: PaymentRecord; hook: string; error: unknown }>;
    let watched: ReturnType<typeof watchingFailures>;

    before(async () => {
      stores = await kind.setUp();
    });
    after(() => stores.cleanup());

    async function start(adapter: { hookRetryDelaysMs?: number[] } = {}): Promise<void> {
      clock = new ManualClock();
      calls = [];
      errors = [];
      givenUp = [];
      watched = watchingFailures(stores.open());
      h = await startHarness({
        adapter: {
          clock,
          store: watched.store,
          logger: { warn() {}, error: (line) => void errors.push(line) },
          onPaid: (payment) => {
            calls.push(payment.id);
            if (failuresLeft > 0) {
              failuresLeft -= 1;
              throw new Error('order service down');
            }
          },
          onHookGivenUp: (payment, hook, error) => void givenUp.push({ payment, hook, error }),
          ...adapter,
        },
      });
    }

    async function paid(orderId: string): Promise<string> {
      h.orders.set(orderId, { amount: 330 });
      const payment = (await (await h.createPayment(orderId)).json()) as { paymentId: string; authorizationUrl: string };
      const failed = watched.nextFailure();
      await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
      await failed;
      return payment.paymentId;
    }

    test('with the default backoff: retried 30 s then 2 min after, each failure an event; once it succeeds it is never run again', async () => {
      await start();
      try {
        failuresLeft = 2;
        const paymentId = await paid(`R-${kind.name}-1`);
        let record = (await h.izly.store.get(paymentId))!;
        assert.equal(record.status, 'paid');
        assert.equal(record.pendingHook, 'onPaid');
        assert.equal(record.hookAttempts, 1);
        assert.equal(record.hookRetryAt, new Date(clock.now() + HOOK_RETRY_DELAYS_MS[0]!).toISOString());
        assert.ok(errors.some((line) => line.includes('onPaid failed') && line.includes('attempt 1')));

        assert.deepEqual((await h.izly.reconcile({ olderThanMs: 0 })).hooks, [], 'not due yet');
        assert.equal(calls.length, 1);
        clock.advance(30_000);
        const second = watched.nextFailure();
        assert.deepEqual((await h.izly.reconcile({ olderThanMs: 0 })).hooks, [{ paymentId, hook: 'onPaid' }]);
        record = await second;
        assert.equal(record.hookAttempts, 2);
        assert.equal(record.hookRetryAt, new Date(clock.now() + 120_000).toISOString());

        clock.advance(119_999);
        assert.deepEqual((await h.izly.reconcile({ olderThanMs: 0 })).hooks, []);
        clock.advance(1);
        assert.deepEqual((await h.izly.reconcile({ olderThanMs: 0 })).hooks, [{ paymentId, hook: 'onPaid' }]);
        record = (await h.izly.store.get(paymentId))!;
        assert.equal(record.pendingHook, null);
        assert.equal(record.hookRetryAt, null);
        assert.equal(calls.length, 3);

        clock.advance(7 * 24 * 3_600_000);
        assert.deepEqual((await h.izly.reconcile({ olderThanMs: 0 })).hooks, [], 'a hook that succeeded is never run again');
        await h.sandbox.control.settled();
        assert.equal(calls.length, 3);
        const failures = (await h.izly.store.events(paymentId)).filter((event) => event.type === 'hook_failed');
        assert.deepEqual(
          failures.map((event) => [event.detail.hook, event.detail.attempt, event.detail.message]),
          [
            ['onPaid', 1, 'order service down'],
            ['onPaid', 2, 'order service down'],
          ],
        );
        assert.equal(typeof failures[0]!.detail.nextAttemptAt, 'string');
        assert.deepEqual(givenUp, []);
      } finally {
        await h.close();
      }
    });

    test('after the last retry it is given up: onHookGivenUp, the logger, an event, and the record says so', async () => {
      await start({ hookRetryDelaysMs: [1_000, 5_000] });
      try {
        failuresLeft = Infinity;
        const paymentId = await paid(`R-${kind.name}-2`);
        for (const delay of [1_000, 5_000]) {
          clock.advance(delay);
          const failed = watched.nextFailure();
          await h.izly.reconcile({ olderThanMs: 0 });
          await failed;
        }
        const record = (await h.izly.store.get(paymentId))!;
        assert.equal(calls.length, 3);
        assert.equal(record.pendingHook, null);
        assert.equal(record.hookGivenUp, 'onPaid');
        assert.equal(record.hookAttempts, 3);
        assert.equal(givenUp.length, 1);
        assert.equal(givenUp[0]!.hook, 'onPaid');
        assert.equal(givenUp[0]!.payment.id, paymentId);
        assert.equal((givenUp[0]!.error as Error).message, 'order service down');
        assert.ok(errors.some((line) => line.includes('given up after 3 attempts')));
        const event = (await h.izly.store.events(paymentId)).find((e) => e.type === 'hook_given_up');
        assert.deepEqual(event?.detail, { hook: 'onPaid', message: 'order service down', attempts: 3 });
        clock.advance(30 * 24 * 3_600_000);
        assert.deepEqual((await h.izly.reconcile({ olderThanMs: 0 })).hooks, []);
        assert.equal(calls.length, 3);
      } finally {
        await h.close();
      }
    });

    test('two instances reconciling at once when a retry is due: one of them runs it', async () => {
      await start();
      const other: IzlyPayApp = izlyPay({
        baseUrl: h.sandboxUrl,
        appIdentifier: APP_IDENTIFIER,
        apiKey: API_KEY,
        secret: SECRET,
        store: stores.open(),
        allowedOrigins: [h.partnerUrl],
        order: () => null,
        clock,
        onPaid: (payment) => void calls.push(payment.id),
        logger: { warn() {}, error() {} },
      });
      try {
        failuresLeft = 1;
        const paymentId = await paid(`R-${kind.name}-3`);
        clock.advance(30_000);
        const reports = await Promise.all([h.izly.reconcile({ olderThanMs: 0 }), other.reconcile({ olderThanMs: 0 })]);
        assert.equal(reports.flatMap((report) => report.hooks).length, 1, 'one instance claimed the retry');
        assert.equal(calls.length, 2, 'the first attempt and one retry');
        assert.equal((await h.izly.store.get(paymentId))?.pendingHook, null);
        clock.advance(HOOK_RETRY_DELAYS_MS[1]!);
        await Promise.all([h.izly.reconcile({ olderThanMs: 0 }), other.reconcile({ olderThanMs: 0 })]);
        assert.equal(calls.length, 2);
        if (kind === LAST_STORE_KIND) {
          recordCheck({
            id: 'hook-retries',
            area: 'Faults',
            tried:
              'onPaid throwing on its first attempts, on the memory, SQLite and PostgreSQL stores: retried by reconcile() at 30 s and 2 min, given up after the last retry of a short schedule, and one retry due on two instances reconciling at once',
            cases: STORE_KINDS.filter((k) => !k.skip).length * 3,
            held: 'each failure an event with its attempt and next time; the hook ran again only once due, exactly once per retry across two instances, never after it succeeded; given up loudly (onHookGivenUp, the logger, the record)',
          });
        }
      } finally {
        await other.store.close();
        await h.close();
      }
    });
  });
}
