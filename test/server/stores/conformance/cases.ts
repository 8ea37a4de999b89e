// The cases every PaymentStore must pass, as plain functions, so that one source runs under node:test
// (`../store-conformance.ts`) and, bundled, on Bun, Deno and workerd (test/runtimes/stores/), where a small
// runner reports each case's outcome as JSON. Only `node:assert` is used, which every one of them has.
import assert from 'node:assert/strict';
import { PaymentConflictError, newPaymentRecord, type PaymentRecord, type PaymentStore } from '../../../../server-adapter/stores/payment-store.js';
import { LOGIN_NONCE_SWEEP_EVERY } from '../../../../server-adapter/stores/spent-login-nonces.js';

/** How the suite gets stores: `open` a fresh one; `reopen` the same data as a new instance (restart). */
export interface StoreFactory {
  /** A store with no records. */
  open(): PaymentStore | Promise<PaymentStore>;
  /** A second instance over the same data (another process or a restart); omitted for memory. */
  reopen?: () => PaymentStore | Promise<PaymentStore>;
  cleanup?: () => void | Promise<void>;
  /** Makes `ms` pass on the clock by which the store's spent login nonces expire. */
  passTime(ms: number): void | Promise<void>;
  /** Why the suite cannot run here (e.g. no database to test against); it is then skipped with this message. */
  skip?: string | false;
}

let counter = 0;

function newRecord(overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  counter += 1;
  const at = new Date(Date.UTC(2025, 0, 1, 12, 0, counter)).toISOString();
  const fresh = newPaymentRecord({
    id: `pay_test${counter}`,
    idempotencyKey: `key-${counter}`,
    orderId: `order-${counter}`,
    clientOrderId: `ref-${counter}`,
    amount: 250,
    returnUrl: 'https://shop.test/order',
    message: null,
    at,
  });
  return { ...fresh, version: 0, ...overrides };
}

const later = () => new Date().toISOString();

/** A time `ms` from now, as a login cookie's expiry. */
const inMs = (ms: number) => new Date(Date.now() + ms);

/** The store's `spendLoginNonce`, which every store of this package has. */
function nonceSpender(store: PaymentStore): (nonce: string, expiresAt: Date) => Promise<boolean> {
  assert.ok(store.spendLoginNonce, 'the store spends login nonces');
  return store.spendLoginNonce.bind(store);
}

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** What a case may ask of its runner: to be counted as skipped, with the reason. */
export interface CaseContext {
  skip(reason: string): void;
}

/** One case: where it sits (its groups, then its name) and what it runs between `setUp` and `tearDown`. */
export interface ConformanceCase {
  path: string[];
  run(t: CaseContext): Promise<void>;
}

/** The whole suite for one store factory. */
export interface ConformanceSuite {
  cases: ConformanceCase[];
  /** Opens the store a case uses. */
  setUp(): Promise<void>;
  /** Closes it, and any second instance the case opened, and cleans up. */
  tearDown(): Promise<void>;
}

/** The conformance cases for the stores `factory` opens. */
export function conformanceCases(factory: StoreFactory): ConformanceSuite {
  const cases: ConformanceCase[] = [];
  const groups: string[] = [];
  // The cases below read as the node:test suite they were written as.
  const describe = (name: string, body: () => void) => {
    groups.push(name);
    body();
    groups.pop();
  };
  const test = (name: string, run: (t: CaseContext) => Promise<void>) => void cases.push({ path: [...groups, name], run });
  let store: PaymentStore;
  const extra: PaymentStore[] = [];

  describe('create and read', () => {
    test('returns the record with version 1 and finds it by id, key and order', async () => {
      const created = await store.create(newRecord({ operationId: '52795', status: 'pending' }));
      assert.equal(created.version, 1);
      assert.deepEqual(await store.get(created.id), created);
      assert.deepEqual(await store.findByIdempotencyKey(created.idempotencyKey), created);
      assert.deepEqual(await store.findByOrderId(created.orderId), [created]);
      assert.equal(await store.get('pay_missing'), null);
    });

    test('refuses a second record with the same idempotency key, naming the holder', async () => {
      const first = await store.create(newRecord());
      const error = await store.create(newRecord({ idempotencyKey: first.idempotencyKey })).catch((e: unknown) => e);
      assert.ok(error instanceof PaymentConflictError);
      assert.equal(error.reason, 'idempotency_key');
      assert.equal(error.existing.id, first.id);
    });

    test('allows one open payment per order, and a new one once the last is final', async () => {
      const first = await store.create(newRecord({ orderId: 'A-1' }));
      const error = await store.create(newRecord({ orderId: 'A-1' })).catch((e: unknown) => e);
      assert.ok(error instanceof PaymentConflictError);
      assert.equal(error.reason, 'open_payment');
      assert.equal(error.existing.id, first.id);
      await store.transition(first.id, ['created'], { status: 'failed', updatedAt: later() });
      const second = await store.create(newRecord({ orderId: 'A-1' }));
      assert.deepEqual(
        (await store.findByOrderId('A-1')).map((r) => r.id),
        [second.id, first.id],
      );
    });

    test('concurrent creates for one order: exactly one wins', async () => {
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => store.create(newRecord({ orderId: 'A-race' }))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const result of results) {
        if (result.status === 'rejected') assert.ok(result.reason instanceof PaymentConflictError);
      }
    });
  });

  describe('Izly references (clientOrderId) and the AD details', () => {
    test('refuses a second record with the same reference, naming the holder, whatever its order', async () => {
      const first = await store.create(newRecord({ orderId: 'A', clientOrderId: 'A-2', status: 'failed' }));
      const error = await store.create(newRecord({ orderId: 'A-2', clientOrderId: 'A-2' })).catch((e: unknown) => e);
      assert.ok(error instanceof PaymentConflictError);
      assert.equal(error.reason, 'client_order_id');
      assert.equal(error.existing.id, first.id);
      assert.deepEqual(await store.findByOrderId('A-2'), []);
    });

    test('concurrent creates with one reference: exactly one wins', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.create(newRecord({ orderId: `R-${i}`, clientOrderId: 'R-race', status: 'failed' }))),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const result of results) {
        if (result.status === 'rejected') assert.equal((result.reason as PaymentConflictError).reason, 'client_order_id');
      }
    });

    test('a transition may give a record another reference, but not one another record holds', async () => {
      const holder = await store.create(newRecord({ clientOrderId: 'B-2', status: 'failed' }));
      const created = await store.create(newRecord({ orderId: 'B', clientOrderId: 'B' }));
      const error = await store.transition(created.id, ['created'], { clientOrderId: 'B-2', updatedAt: later() }).catch((e: unknown) => e);
      assert.ok(error instanceof PaymentConflictError);
      assert.equal(error.reason, 'client_order_id');
      assert.equal(error.existing.id, holder.id);
      assert.deepEqual(await store.get(created.id), created);
      const moved = await store.transition(created.id, ['created'], { clientOrderId: 'B-3', updatedAt: later() });
      assert.equal(moved?.clientOrderId, 'B-3');
      // The reference it left is free again.
      const reused = await store.create(newRecord({ orderId: 'B', clientOrderId: 'B', status: 'failed' }));
      assert.equal(reused.clientOrderId, 'B');
    });

    test('keeps the reference and the AD details through transitions', async () => {
      const created = await store.create(newRecord({ clientOrderId: 'K-1042-2' }));
      const updated = await store.transition(created.id, ['created'], {
        customerClientCode: 'cmartin01',
        customerAssignmentNumber: '75012345',
        updatedAt: later(),
      });
      assert.equal(updated?.clientOrderId, 'K-1042-2');
      assert.equal(updated?.customerClientCode, 'cmartin01');
      assert.equal(updated?.customerAssignmentNumber, '75012345');
      assert.deepEqual(await store.get(created.id), updated);
      assert.equal(created.customerClientCode, null);
      assert.equal(created.customerAssignmentNumber, null);
    });
  });

  describe('transition (compare-and-set)', () => {
    test('applies the patch from an expected status, bumps the version, logs the change', async () => {
      const created = await store.create(newRecord());
      const updated = await store.transition(created.id, ['created'], {
        status: 'pending',
        operationId: '9',
        authorizationUrl: 'https://izly.test/payment/x',
        updatedAt: later(),
      });
      assert.equal(updated?.status, 'pending');
      assert.equal(updated?.operationId, '9');
      assert.equal(updated?.version, 2);
      assert.deepEqual(await store.get(created.id), updated);
      const events = await store.events(created.id);
      assert.deepEqual(
        events.map((e) => e.type),
        ['created', 'transition'],
      );
      assert.deepEqual(events[1]!.detail, { from: 'created', to: 'pending' });
    });

    test('returns null and changes nothing from an unexpected status or for an unknown id', async () => {
      const created = await store.create(newRecord());
      assert.equal(await store.transition(created.id, ['pending'], { status: 'paid', updatedAt: later() }), null);
      assert.deepEqual(await store.get(created.id), created);
      assert.equal(await store.transition('pay_missing', ['created'], { status: 'paid', updatedAt: later() }), null);
    });

    test('ignores undefined fields of a patch', async () => {
      const created = await store.create(newRecord({ message: 'kept' }));
      const updated = await store.transition(created.id, ['created'], { message: undefined, updatedAt: later() });
      assert.equal(updated?.message, 'kept');
      assert.equal(updated?.status, 'created');
    });

    test('concurrent transitions from one status: exactly one wins', async () => {
      const created = await store.create(newRecord({ status: 'pending', operationId: '77' }));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.transition(created.id, ['created', 'pending'], { status: 'paid', paidAt: `2025-01-0${(i % 9) + 1}T00:00:00.000Z`, updatedAt: later() }),
        ),
      );
      assert.equal(results.filter((r) => r !== null).length, 1);
      assert.equal((await store.get(created.id))?.version, 2);
      // The losers logged nothing: one transition entry, that of the winner.
      assert.deepEqual(
        (await store.events(created.id)).map((e) => e.type),
        ['created', 'transition'],
      );
    });

    test('with a version condition: applies at that version only', async () => {
      const created = await store.create(newRecord());
      assert.equal(await store.transition(created.id, ['created'], { message: 'stale', updatedAt: later() }, { version: 2 }), null);
      assert.deepEqual(await store.get(created.id), created);
      const updated = await store.transition(created.id, ['created'], { message: 'fresh', updatedAt: later() }, { version: 1 });
      assert.equal(updated?.message, 'fresh');
      assert.equal(updated?.version, 2);
      assert.equal(await store.transition(created.id, ['created'], { message: 'late', updatedAt: later() }, { version: 1 }), null);
    });

    test('concurrent transitions at one version: exactly one wins', async () => {
      const created = await store.create(newRecord({ status: 'paid', pendingHook: 'onPaid', pendingHookSince: '2025-01-01T00:00:00.000Z' }));
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          store.transition(created.id, ['paid'], { pendingHookSince: later(), updatedAt: created.updatedAt }, { version: created.version }),
        ),
      );
      assert.equal(results.filter((r) => r !== null).length, 1);
    });

    test('events given with a transition are appended when it applies, before its transition entry, and not when it does not', async () => {
      const created = await store.create(newRecord());
      const initiated = { paymentId: created.id, at: later(), type: 'izly_initiated' as const, detail: { operationId: '7' } };
      assert.equal(await store.transition(created.id, ['pending'], { status: 'paid', updatedAt: later() }, {}, [initiated]), null);
      assert.deepEqual(
        (await store.events(created.id)).map((e) => e.type),
        ['created'],
      );
      const moved = await store.transition(created.id, ['created'], { status: 'pending', operationId: '7', updatedAt: later() }, {}, [initiated]);
      assert.equal(moved?.status, 'pending');
      const events = await store.events(created.id);
      assert.deepEqual(
        events.map((e) => e.type),
        ['created', 'izly_initiated', 'transition'],
      );
      assert.deepEqual(events[1]!.detail, { operationId: '7' });
    });

    test('refuses to reopen a payment when its order has another open one', async () => {
      const old = await store.create(newRecord({ orderId: 'A-2' }));
      await store.transition(old.id, ['created'], { status: 'expired', updatedAt: later() });
      await store.create(newRecord({ orderId: 'A-2' }));
      await assert.rejects(store.transition(old.id, ['expired'], { status: 'pending', updatedAt: later() }), PaymentConflictError);
    });
  });

  describe('lists and events', () => {
    test('listByStatus filters by status and creation time, oldest first', async () => {
      const a = await store.create(newRecord({ createdAt: '2025-01-01T10:00:00.000Z' }));
      const b = await store.create(newRecord({ status: 'pending', createdAt: '2025-01-01T11:00:00.000Z' }));
      const c = await store.create(newRecord({ status: 'paid', createdAt: '2025-01-01T09:00:00.000Z' }));
      assert.deepEqual(
        (await store.listByStatus(['created', 'pending'])).map((r) => r.id),
        [a.id, b.id],
      );
      assert.deepEqual(
        (await store.listByStatus(['created', 'pending'], new Date('2025-01-01T10:30:00Z'))).map((r) => r.id),
        [a.id],
      );
      assert.deepEqual(
        (await store.listByStatus(['paid'])).map((r) => r.id),
        [c.id],
      );
      assert.deepEqual(await store.listByStatus([]), []);
    });

    test('listPendingHooks lists the records whose hook mark is older than a time, oldest mark first', async () => {
      const marked = (since: string) => ({ status: 'paid' as const, pendingHook: 'onPaid' as const, pendingHookSince: since });
      const late = await store.create(newRecord(marked('2025-01-01T10:05:00.000Z')));
      const early = await store.create(newRecord(marked('2025-01-01T10:00:00.000Z')));
      const recent = await store.create(newRecord({ status: 'failed', pendingHook: 'onFailed', pendingHookSince: '2025-01-01T11:00:00.000Z' }));
      await store.create(newRecord({ status: 'paid' }));
      assert.deepEqual(
        (await store.listPendingHooks(new Date('2025-01-01T10:30:00Z'))).map((r) => r.id),
        [early.id, late.id],
      );
      const all = await store.listPendingHooks(new Date('2025-01-02T00:00:00Z'));
      assert.deepEqual(
        all.map((r) => r.id),
        [early.id, late.id, recent.id],
      );
      assert.deepEqual(all[2], recent);
      await store.transition(early.id, ['paid'], { pendingHook: null, pendingHookSince: null, updatedAt: later() });
      assert.deepEqual(
        (await store.listPendingHooks(new Date('2025-01-02T00:00:00Z'))).map((r) => r.id),
        [late.id, recent.id],
      );
    });

    test('listPendingHooks with a due time: a retry waits for its time, an attempt running since markedBefore or later is left to its runner', async () => {
      const retry = (at: string, attempts: number) => ({
        status: 'paid' as const,
        pendingHook: 'onPaid' as const,
        pendingHookSince: null,
        hookAttempts: attempts,
        hookRetryAt: at,
      });
      const dueSoon = await store.create(newRecord(retry('2025-01-01T10:00:30.000Z', 1)));
      const dueLater = await store.create(newRecord(retry('2025-01-01T12:00:00.000Z', 4)));
      const running = await store.create(
        newRecord({
          status: 'paid',
          pendingHook: 'onPaid',
          pendingHookSince: '2025-01-01T10:00:50.000Z',
          hookAttempts: 2,
          hookRetryAt: '2025-01-01T10:00:40.000Z',
        }),
      );
      const markedBefore = new Date('2025-01-01T10:00:45Z');
      assert.deepEqual(
        (await store.listPendingHooks(markedBefore, new Date('2025-01-01T10:01:00Z'))).map((r) => r.id),
        [dueSoon.id],
      );
      const all = await store.listPendingHooks(new Date('2025-01-01T10:01:00Z'), new Date('2025-01-02T00:00:00Z'));
      assert.deepEqual(
        all.map((r) => r.id),
        [dueSoon.id, running.id, dueLater.id],
      );
      assert.deepEqual(all[2], dueLater);
      const givenUp = await store.transition(
        dueSoon.id,
        ['paid'],
        { pendingHook: null, hookRetryAt: null, hookAttempts: 17, hookGivenUp: 'onPaid', updatedAt: later() },
        { version: dueSoon.version },
      );
      assert.equal(givenUp?.hookGivenUp, 'onPaid');
      assert.deepEqual(await store.get(dueSoon.id), givenUp);
      assert.deepEqual(
        (await store.listPendingHooks(new Date('2025-01-02T00:00:00Z'), new Date('2025-01-02T00:00:00Z'))).map((r) => r.id),
        [running.id, dueLater.id],
      );
    });

    test('listRefundsInFlight lists the paid records with a refund asked, oldest request first', async () => {
      const late = await store.create(newRecord({ status: 'paid', refundRequestedAt: '2025-01-01T10:05:00.000Z' }));
      const early = await store.create(newRecord({ status: 'paid', refundRequestedAt: '2025-01-01T10:00:00.000Z' }));
      await store.create(newRecord({ status: 'refunded', refundRequestedAt: '2025-01-01T09:00:00.000Z' }));
      await store.create(newRecord({ status: 'paid' }));
      const inFlight = await store.listRefundsInFlight!();
      assert.deepEqual(
        inFlight.map((r) => r.id),
        [early.id, late.id],
      );
      assert.deepEqual(inFlight[0], early);
      await store.transition(early.id, ['paid'], { status: 'refunded', refundedAt: later(), updatedAt: later() });
      assert.deepEqual(
        (await store.listRefundsInFlight!()).map((r) => r.id),
        [late.id],
      );
    });

    test('keeps an event log per payment, in order', async () => {
      const a = await store.create(newRecord());
      const b = await store.create(newRecord());
      await store.appendEvent({ paymentId: a.id, at: later(), type: 'callback', detail: { operationId: '1', errorCode: 0 } });
      await store.appendEvent({ paymentId: b.id, at: later(), type: 'izly_read', detail: { izlyStatus: 'Pending' } });
      await store.appendEvent({ paymentId: a.id, at: later(), type: 'izly_read', detail: { izlyStatus: 'Completed', ok: true, none: null } });
      const events = await store.events(a.id);
      assert.deepEqual(
        events.map((e) => e.type),
        ['created', 'callback', 'izly_read'],
      );
      assert.deepEqual(events[2]!.detail, { izlyStatus: 'Completed', ok: true, none: null });
      assert.ok(events[0]!.id < events[1]!.id && events[1]!.id < events[2]!.id);
      assert.deepEqual(await store.events('pay_missing'), []);
    });
  });

  describe('spendLoginNonce', () => {
    test('the first spend of a nonce is true, every later one false; other nonces are unaffected', async () => {
      const spend = nonceSpender(store);
      assert.equal(await spend('nonce-a', inMs(600_000)), true);
      assert.equal(await spend('nonce-a', inMs(600_000)), false);
      assert.equal(await spend('nonce-a', inMs(3_600_000)), false, 'another expiry does not make it new');
      assert.equal(await spend('nonce-b', inMs(600_000)), true);
    });

    test('concurrent spends of one nonce: exactly one is true', async () => {
      const spend = nonceSpender(store);
      const results = await Promise.all(Array.from({ length: 10 }, () => spend('nonce-raced', inMs(600_000))));
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('an expired nonce is forgotten at a later sweep, a live one is kept', async () => {
      const spend = nonceSpender(store);
      const hour = 3_600_000;
      assert.equal(await spend('nonce-old', inMs(600_000)), true);
      assert.equal(await spend('nonce-live', inMs(24 * hour)), true);
      await factory.passTime(hour);
      // From here the store's clock is an hour ahead of `Date.now()`.
      for (let i = 0; i < LOGIN_NONCE_SWEEP_EVERY; i++) assert.equal(await spend(`nonce-fresh-${i}`, inMs(hour + 600_000)), true);
      // Its cookie is refused as expired by then: forgetting it lets the store shrink, and opens nothing.
      assert.equal(await spend('nonce-old', inMs(hour + 600_000)), true);
      assert.equal(await spend('nonce-live', inMs(hour + 600_000)), false);
      assert.equal(await spend('nonce-fresh-0', inMs(hour + 600_000)), false);
    });
  });

  if (factory.reopen) {
    const reopen = factory.reopen;
    describe('persistence', () => {
      test('a restart (a new instance on the same data) loses nothing', async () => {
        const created = await store.create(newRecord({ orderId: 'A-persist' }));
        const paid = await store.transition(created.id, ['created'], { status: 'paid', paidAt: later(), izlyStatus: 'Completed', updatedAt: later() });
        await store.appendEvent({ paymentId: created.id, at: later(), type: 'callback', detail: { errorCode: 0 } });
        const open = await store.create(newRecord({ orderId: 'A-open' }));
        const owed = await store.create(
          newRecord({
            status: 'paid',
            clientOrderId: 'owed-2',
            customerClientCode: 'cmartin01',
            customerAssignmentNumber: '75012345',
            pendingHook: 'onPaid',
            pendingHookSince: '2025-01-01T10:00:00.000Z',
          }),
        );
        await store.close();
        store = await reopen();
        assert.deepEqual(await store.get(created.id), paid);
        assert.deepEqual(await store.get(owed.id), owed);
        assert.deepEqual(
          (await store.events(created.id)).map((e) => e.type),
          ['created', 'transition', 'callback'],
        );
        assert.deepEqual(await store.get(open.id), open);
        await assert.rejects(store.create(newRecord({ orderId: 'A-open' })), PaymentConflictError);
        await assert.rejects(store.create(newRecord({ clientOrderId: 'owed-2', status: 'failed' })), PaymentConflictError);
      });

      test('two instances on the same data: one open payment per order, one CAS winner', async () => {
        const other = await reopen();
        extra.push(other);
        const outcomes = await Promise.allSettled([store.create(newRecord({ orderId: 'A-two' })), other.create(newRecord({ orderId: 'A-two' }))]);
        assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
        const [winner] = await other.findByOrderId('A-two');
        assert.ok(winner);
        const results = await Promise.all([
          store.transition(winner.id, ['created'], { status: 'failed', updatedAt: later() }),
          other.transition(winner.id, ['created'], { status: 'cancelled', updatedAt: later() }),
        ]);
        assert.equal(results.filter((r) => r !== null).length, 1);
        assert.equal((await store.get(winner.id))?.version, 2);
      });

      test('subscribe (if the store has it): a transition on another instance wakes every listener with the payment id', async (t) => {
        if (!store.subscribe) return t.skip('this store wakes long polls in-process only');
        const other = await reopen();
        extra.push(other);
        const first: string[] = [];
        const second: string[] = [];
        const stopFirst = await store.subscribe((id) => first.push(id));
        let heard = deferred();
        await store.subscribe((id) => {
          second.push(id);
          heard.resolve();
        });
        const created = await other.create(newRecord());
        await other.transition(created.id, ['created'], { status: 'pending', operationId: '5', updatedAt: later() });
        await heard.promise;
        assert.deepEqual(first, [created.id]);
        assert.deepEqual(second, [created.id]);
        await stopFirst();
        heard = deferred();
        await other.transition(created.id, ['pending'], { status: 'paid', updatedAt: later() });
        await heard.promise;
        assert.deepEqual(second, [created.id, created.id]);
        assert.deepEqual(first, [created.id], 'a listener that stopped hears nothing more');
      });

      test('claimStatusRead (if the store has it): one claim per interval, across instances', async (t) => {
        const other = await reopen();
        extra.push(other);
        const [here, there] = [store.claimStatusRead?.bind(store), other.claimStatusRead?.bind(other)];
        if (!here || !there) return t.skip('this store rate-limits status reads in-process only');
        const created = await store.create(newRecord({ status: 'pending', operationId: '8' }));
        const claims = await Promise.all([
          ...Array.from({ length: 5 }, () => here(created.id, 60_000)),
          ...Array.from({ length: 5 }, () => there(created.id, 60_000)),
        ]);
        assert.equal(claims.filter(Boolean).length, 1);
        assert.equal(await there(created.id, 0), true, 'an interval of 0 always claims');
        assert.deepEqual(await store.get(created.id), created, 'a claim is not a transition');
      });

      test('spendLoginNonce across instances: a nonce spent on one is spent for all, and a race has one winner', async () => {
        const other = await reopen();
        extra.push(other);
        const [here, there] = [nonceSpender(store), nonceSpender(other)];
        assert.equal(await here('nonce-shared', inMs(600_000)), true);
        assert.equal(await there('nonce-shared', inMs(600_000)), false);
        const results = await Promise.all([
          ...Array.from({ length: 5 }, () => here('nonce-raced-across', inMs(600_000))),
          ...Array.from({ length: 5 }, () => there('nonce-raced-across', inMs(600_000))),
        ]);
        assert.equal(results.filter(Boolean).length, 1);
        await store.close();
        store = await reopen();
        assert.equal(await nonceSpender(store)('nonce-shared', inMs(600_000)), false, 'a restart forgets no live nonce');
      });
    });
  }

  return {
    cases,
    async setUp() {
      store = await factory.open();
    },
    async tearDown() {
      await store.close();
      for (const other of extra.splice(0)) await other.close();
      await factory.cleanup?.();
    },
  };
}
