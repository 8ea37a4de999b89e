// The payment flows behind the routes: create, read (with coalesced, rate-limited status reads at Izly),
// confirm a callback, refund, reconcile. Izly's word, read with `GET WebPayments/{id}`, is the only thing
// that moves a payment to paid, failed, cancelled or refunded; every move is a compare-and-set, and the
// hook of a move runs only in the caller that won it. The same compare-and-set marks the hook as owed
// (`pendingHook`) and the mark is cleared once the hook returned, so a hook cut short by a crash is run
// again by `reconcile()`.
import type { Context } from 'hono';
import { isValidCents, matchAmount } from '../izly/amounts.js';
import type { IzlyClient } from '../izly/client.js';
import { IzlyApiError, IzlyError } from '../izly/errors.js';
import { IzlyPayError, fromIzlyError } from '../errors.js';
import type { ResolvedIzlyPayOptions } from '../options.js';
import type { CallbackSigner } from './callback-signature.js';
import { newPaymentId } from './callback-signature.js';
import {
  PaymentConflictError,
  hookForStatus,
  isOpenStatus,
  newPaymentRecord,
  type PaymentHookName,
  type PaymentPatch,
  type PaymentRecord,
  type PaymentStatus,
} from '../stores/payment-store.js';
import type { PaymentWaiters } from './payment-waiters.js';
import { StatusReadPolicy } from './status-read-policy.js';
import type { IzlyCallback, IzlyPayment } from '../izly/web-payments.js';

/** What `reconcile()` did. */
export interface ReconcileReport {
  /** Payments looked at. */
  checked: number;
  /** Payments whose status changed. */
  changed: Array<{ paymentId: string; from: PaymentStatus; to: PaymentStatus }>;
  /** Payments that could not be settled this time (Izly failing...); they are tried again next run. */
  errors: Array<{ paymentId: string; message: string }>;
  /** Hooks run again because their first run never returned (the process stopped during the hook). */
  hooks: Array<{ paymentId: string; hook: PaymentHookName }>;
}

/** Options of `reconcile()`. */
export interface ReconcileOptions {
  /** Open payments created more than this long ago are settled with Izly, in ms; default 60000. */
  olderThanMs?: number;
  /**
   * A hook owed for more than this long, in ms, and not running in this process, is run again; default
   * 30000. Keep it above your hooks' longest run: another instance may still be running it.
   */
  hookGraceMs?: number;
}

/** Why a callback was refused, with the answer Izly gets (`{ Code, ErrorMessage }`). */
export class CallbackRefusal extends Error {
  override name = 'CallbackRefusal' as const;
  constructor(
    readonly httpStatus: 400 | 403 | 404 | 409 | 502,
    readonly izlyCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Callback answer codes (our own; Izly documents only 0 for success). */
export const CALLBACK_CODES = { invalidSignature: 1, unknownPayment: 2, mismatch: 3, izlyUnavailable: 4, invalidRequest: 5 } as const;

/** Statuses from which Izly's `Completed` still moves a payment to paid: Izly's word wins over our clock. */
const NOT_YET_PAID: readonly PaymentStatus[] = ['created', 'pending', 'failed', 'cancelled', 'expired'];
const NOT_REFUNDED: readonly PaymentStatus[] = ['created', 'pending', 'paid', 'failed', 'cancelled', 'expired'];
const OPEN: readonly PaymentStatus[] = ['created', 'pending'];

type ReadSource = 'poll' | 'callback' | 'reconcile' | 'refund' | 'create';
type ReadMode = 'polite' | 'returned' | 'fresh';

/** A mismatch between Izly's answer and our record: the answer is not for this payment. */
class MismatchError extends Error {}

/**
 * How long after a read found a payment paid its callback may still come before it counts as missed (or
 * one safety-net interval, when that is shorter: a callback later than that is as good as missing).
 */
const CALLBACK_GRACE_MS = 10_000;

export function createPaymentService(options: ResolvedIzlyPayOptions, client: IzlyClient, signer: CallbackSigner, waiters: PaymentWaiters) {
  const { store, logger } = options;
  const nowIso = () => new Date(options.now()).toISOString();
  const inFlightReads = new Map<string, { promise: Promise<PaymentRecord>; number: number }>();
  let readsStarted = 0;
  const policy = new StatusReadPolicy(options);
  // When each operation may next be read politely. Real time (not `options.now`): the rate limit is about
  // load on Izly, not about the payment's age.
  const nextReadAt = new Map<string, number>();
  // When each operation was last read: a student back from Izly may ask for a read sooner than the policy's
  // next one, but never more than once per `statusReadIntervalMs`.
  const lastReadAt = new Map<string, number>();
  const readAgainLater = (operationId: string) => {
    lastReadAt.set(operationId, Date.now());
    nextReadAt.set(operationId, Date.now() + policy.nextIntervalMs());
  };
  const refundsInProgress = new Set<string>();
  /** Hooks running in this process (`paymentId:hook`), which `reconcile()` must not start again. */
  const runningHooks = new Set<string>();

  /** Runs the hook the record owes, then clears the mark. Returns the record as it now is. */
  async function runHook(record: PaymentRecord): Promise<PaymentRecord> {
    const name = record.pendingHook;
    const hook = name === null ? undefined : options[name];
    if (name === null || !hook) return record;
    const running = `${record.id}:${name}`;
    runningHooks.add(running);
    try {
      await hook(record);
    } catch (error) {
      // A hook that throws returned: it is logged and recorded for the partner to act on, not run again.
      const message = error instanceof Error ? error.message : String(error);
      logger.error(`izly-pay: ${name} failed for payment ${record.id}: ${message}`);
      await store.appendEvent({ paymentId: record.id, at: nowIso(), type: 'hook_failed', detail: { hook: name, message } });
    } finally {
      runningHooks.delete(running);
    }
    // Compare-and-set on the version: a newer status change (which owes its own hook) or a `reconcile()`
    // that took the hook over keeps its mark.
    const cleared = await store.transition(record.id, [record.status], { pendingHook: null, pendingHookSince: null, updatedAt: record.updatedAt }, { version: record.version });
    return cleared ?? (await store.get(record.id)) ?? record;
  }

  /**
   * A CAS move; on a win, runs the status's hook, then wakes the long polls. Returns the record as it now is.
   * A move into another status marks its hook as owed in the same compare-and-set (replacing any older
   * mark), so that a crash before the hook returns leaves a trace for `reconcile()`.
   */
  async function move(record: PaymentRecord, from: readonly PaymentStatus[], patch: PaymentPatch): Promise<PaymentRecord> {
    const entering = patch.status !== undefined && !from.includes(patch.status) ? patch.status : null;
    const hook = entering === null ? null : hookForStatus(entering);
    const owed = hook !== null && options[hook] ? hook : null;
    const marked: PaymentPatch = entering === null ? patch : { ...patch, pendingHook: owed, pendingHookSince: owed === null ? null : patch.updatedAt };
    let updated = await store.transition(record.id, from, marked);
    if (!updated) return (await store.get(record.id)) ?? record;
    if (entering !== null && updated.pendingHook !== null) updated = await runHook(updated);
    waiters.notify(record.id);
    return updated;
  }

  /**
   * Applies what `GET WebPayments/{id}` said to the record. Throws `MismatchError` when the answer is not
   * for this payment (other operation or order). `failureHint` is a failure callback's reason.
   */
  async function applyIzlyPayment(record: PaymentRecord, payment: IzlyPayment, source: ReadSource, failureHint?: string): Promise<PaymentRecord> {
    const at = nowIso();
    const amountMatch = matchAmount(record.amount, payment.amountRaw);
    // A poll's read that finds what the record already says is not logged: hundreds of waiting payments
    // would otherwise grow the log by hundreds of entries a second, saying nothing.
    const saysNothingNew = source === 'poll' && payment.status.raw === record.izlyStatus && payment.operationId === record.operationId && amountMatch !== 'mismatch';
    if (!saysNothingNew) {
      await store.appendEvent({
        paymentId: record.id,
        at,
        type: 'izly_read',
        detail: { source, izlyStatus: payment.status.raw, state: payment.status.state, amount: payment.amountRaw, amountMatch, orderId: payment.orderId },
      });
    }
    if (record.operationId !== null && payment.operationId !== record.operationId) {
      throw new MismatchError(`Izly answered for operation ${payment.operationId}, the payment has ${record.operationId}`);
    }
    if (payment.orderId !== null && payment.orderId !== record.orderId) {
      throw new MismatchError(`Izly's order id ${payment.orderId} differs from the payment's ${record.orderId}`);
    }
    // A record that never learnt its operation id (initiation answered ambiguously) adopts one only when
    // both the order and the amount agree.
    if (record.operationId === null && (payment.orderId !== record.orderId || amountMatch === 'mismatch')) {
      throw new MismatchError('Izly operation does not match this payment');
    }

    // The amount's unit is uncertain: a mismatch both ways is recorded, never a reason to refuse Izly's status.
    const patch: PaymentPatch = { updatedAt: at, izlyStatus: payment.status.raw, operationId: payment.operationId };
    if (amountMatch === 'mismatch' && payment.amountRaw !== null && record.amountMismatch !== payment.amountRaw) {
      patch.amountMismatch = payment.amountRaw;
      await store.appendEvent({ paymentId: record.id, at, type: 'amount_mismatch', detail: { expected: record.amount, izly: payment.amountRaw } });
      logger.warn(`izly-pay: amount mismatch on payment ${record.id}: expected ${record.amount} cents, Izly says ${payment.amountRaw}`);
    }

    switch (payment.status.state) {
      case 'paid':
        return move(record, NOT_YET_PAID, { ...patch, status: 'paid', paidAt: at, customerEmail: payment.customerEmail ?? record.customerEmail });
      case 'refunded':
        return move(record, NOT_REFUNDED, { ...patch, status: 'refunded', refundedAt: at, customerEmail: payment.customerEmail ?? record.customerEmail });
      case 'failed':
      case 'cancelled':
      case 'expired':
        return move(record, OPEN, { ...patch, status: payment.status.state, failureReason: failureHint ?? `izly_${payment.status.state}` });
      case 'pending': {
        if (record.status === 'pending' && options.now() - Date.parse(record.createdAt) >= options.expireAfterMs) {
          return move(record, ['pending'], { ...patch, status: 'expired', failureReason: failureHint ?? 'expired_pending_at_izly' });
        }
        if (failureHint !== undefined) patch.failureReason = failureHint;
        const changed =
          patch.izlyStatus !== record.izlyStatus || patch.amountMismatch !== undefined || patch.failureReason !== undefined || record.operationId === null;
        return changed && isOpenStatus(record.status) ? move(record, OPEN, patch) : record;
      }
    }
  }

  /**
   * Reads the payment at Izly and applies the answer. One read in flight per operation: concurrent callers
   * share it. `polite` reads are also rate-limited (they return the stored record when the last read is
   * recent); `returned` reads (the student is back from Izly, where a cancel sends no callback) are polite
   * reads held only to the base rate limit, not to the slower safety net of trusted callbacks; `fresh` reads
   * (callbacks, reconcile, refunds) always reach Izly after any read in flight.
   */
  async function readAtIzly(record: PaymentRecord, mode: ReadMode, source: ReadSource, failureHint?: string, operationId = record.operationId): Promise<PaymentRecord> {
    if (operationId === null) return record;
    // A fresh read must have started after it was asked for (an older one may predate the change it was
    // told of): it joins such a read, or waits for the older one and starts its own.
    const askedAt = readsStarted;
    for (let inFlight = inFlightReads.get(operationId); inFlight; inFlight = inFlightReads.get(operationId)) {
      if (mode !== 'fresh' || inFlight.number > askedAt) return inFlight.promise;
      const shared = await inFlight.promise.catch(() => null);
      if (shared && !isOpenStatus(shared.status)) return shared;
      if (shared) record = shared;
    }
    if (mode === 'polite' && Date.now() < (nextReadAt.get(operationId) ?? 0)) return record;
    if (mode === 'returned' && Date.now() - (lastReadAt.get(operationId) ?? -Infinity) < options.statusReadIntervalMs) return record;
    if (mode !== 'fresh' && store.claimStatusRead) {
      // A store shared by several instances lets one of them read per interval: the others learn the
      // answer from the store (and are woken by its notifications).
      const interval = mode === 'returned' ? options.statusReadIntervalMs : policy.nextIntervalMs();
      if (!(await store.claimStatusRead(record.id, interval))) {
        readAgainLater(operationId);
        return (await store.get(record.id)) ?? record;
      }
      const started = inFlightReads.get(operationId);
      if (started) return started.promise;
    }
    const read = (async () => {
      readAgainLater(operationId);
      try {
        const payment = await client.getPayment(operationId);
        const current = (await store.get(record.id)) ?? record;
        const applied = await applyIzlyPayment(current, payment, source, failureHint);
        if (source === 'poll' && applied.status === 'paid' && current.status !== 'paid' && policy.watchesForMissedCallbacks) expectCallback(applied.id);
        return applied;
      } catch (error) {
        if (error instanceof IzlyError) {
          await store.appendEvent({ paymentId: record.id, at: nowIso(), type: 'izly_read_failed', detail: { source, error: error.name, message: error.message } });
        }
        throw error;
      }
    })();
    const entry = { promise: read, number: ++readsStarted };
    inFlightReads.set(operationId, entry);
    const forget = () => {
      if (inFlightReads.get(operationId) === entry) inFlightReads.delete(operationId);
      forgetOldReads();
    };
    read.then(forget, forget);
    return read;
  }

  /** A payment this instance saw paid: if its callback reached some instance, callbacks arrive. */
  async function learnOfCallback(paymentId: string): Promise<void> {
    try {
      if ((await store.events(paymentId)).some((event) => event.type === 'callback')) policy.noteCallback();
    } catch {
      // Only a hint: the next payment tells again.
    }
  }

  /** Keeps the rate-limit maps from growing without bound. */
  function forgetOldReads(): void {
    if (nextReadAt.size < 1000) return;
    const now = Date.now();
    for (const [operationId, at] of nextReadAt) {
      if (at < now && now - (lastReadAt.get(operationId) ?? 0) >= options.statusReadIntervalMs) {
        nextReadAt.delete(operationId);
        lastReadAt.delete(operationId);
      }
    }
  }

  /**
   * A safety-net read found this payment paid while callbacks were trusted: unless its callback reaches
   * some instance (its event is in the store) within the grace, callbacks stopped arriving, and waiting
   * payments go back to being read at the rate limit.
   */
  function expectCallback(paymentId: string): void {
    const timer = setTimeout(async () => {
      try {
        const events = await store.events(paymentId);
        if (events.some((event) => event.type === 'callback')) return;
        policy.noteMissedCallback();
        logger.warn(`izly-pay: payment ${paymentId} was found paid at Izly but its callback never came; status reads go back to every ${options.statusReadIntervalMs} ms`);
      } catch {
        // The store is closed (the adapter is shutting down): nothing to adjust.
      }
    }, Math.min(CALLBACK_GRACE_MS, options.safetyNetReadIntervalMs));
    // A pending check must not keep the process alive.
    (timer as { unref?: () => void }).unref?.();
  }

  /** A polite read whose failure leaves the stored record as it is (a poll must not fail because Izly does). */
  async function refreshQuietly(record: PaymentRecord, source: ReadSource, mode: ReadMode = 'polite'): Promise<PaymentRecord> {
    if (!isOpenStatus(record.status) || record.operationId === null) return record;
    try {
      return await readAtIzly(record, mode, source);
    } catch (error) {
      if (error instanceof IzlyError || error instanceof MismatchError) {
        logger.warn(`izly-pay: status read for payment ${record.id} failed: ${error.message}`);
        return (await store.get(record.id)) ?? record;
      }
      throw error;
    }
  }

  // The longest a creation can be in flight: Izly's answer is awaited at most `timeoutMs` (an initiation is
  // never retried), plus slack for the store. A record still `created` after that was left by a crash.
  const abandonedCreationMs = (options.timeoutMs ?? 10_000) + 5_000;

  /** Waits (bounded) for a record still being created by another request to get its Izly answer. */
  async function settledCreation(record: PaymentRecord): Promise<PaymentRecord> {
    const deadline = Date.now() + 30_000;
    let current = record;
    while (current.status === 'created' && current.operationId === null && Date.now() < deadline) {
      if (options.now() - Date.parse(current.createdAt) >= abandonedCreationMs) {
        // Abandoned: its authorization URL, if Izly made one, never reached anyone, so no one can pay it.
        return move(current, ['created'], { status: 'failed', failureReason: 'initiation_incomplete', updatedAt: nowIso() });
      }
      await waiters.wait(current.id, Math.min(1_000, deadline - Date.now()));
      current = (await store.get(current.id)) ?? current;
    }
    if (current.status === 'created') throw new IzlyPayError(409, 'payment_in_progress', 'This payment is still being created; try again in a moment');
    return current;
  }

  /** The order's open payment (from its payments) for a new click: settled, and refreshed so that a failed one does not block. */
  async function existingOpenPayment(open: PaymentRecord | undefined): Promise<PaymentRecord | null> {
    if (!open) return null;
    // A new click is rare and deliberate: read Izly now, so that a payment the student cancelled or that
    // was refused (callback not come yet) does not block the retry.
    const settled = await refreshQuietly(await settledCreation(open), 'create', 'fresh');
    return isOpenStatus(settled.status) ? settled : null;
  }

  async function createPayment(input: { orderId: string; returnUrl: string; idempotencyKey: string }, c: Context): Promise<{ record: PaymentRecord; created: boolean }> {
    const sameKey = await store.findByIdempotencyKey(input.idempotencyKey);
    if (sameKey) return { record: await replay(sameKey, input.orderId), created: false };

    let order;
    try {
      order = await options.order(input.orderId, c);
    } catch (error) {
      logger.error(`izly-pay: the order() hook failed for order ${input.orderId}: ${error instanceof Error ? error.message : String(error)}`);
      throw new IzlyPayError(500, 'internal_error', 'The order could not be read');
    }
    if (order === null || order === undefined) throw new IzlyPayError(404, 'unknown_order', 'This order does not exist or cannot be paid');
    if (!isValidCents(order.amount)) {
      logger.error(`izly-pay: the order() hook returned an invalid amount for order ${input.orderId} (a positive integer of cents is required)`);
      throw new IzlyPayError(500, 'internal_error', 'The order could not be read');
    }
    const message = typeof order.message === 'string' && order.message !== '' ? order.message : null;

    for (let attempt = 0; attempt < 3; attempt++) {
      // One lookup gives both the order's open payment and whether it is already paid.
      const ofOrder = await store.findByOrderId(input.orderId);
      const open = await existingOpenPayment(ofOrder.find((record) => isOpenStatus(record.status)));
      if (open) return { record: sameOrder(open, order.amount), created: false };
      if (ofOrder.some((record) => record.status === 'paid')) throw new IzlyPayError(409, 'order_already_paid', 'This order is already paid');

      const at = nowIso();
      const draft = newPaymentRecord({
        id: newPaymentId(),
        idempotencyKey: input.idempotencyKey,
        orderId: input.orderId,
        amount: order.amount,
        returnUrl: input.returnUrl,
        message,
        at,
      });
      let record: PaymentRecord;
      try {
        record = await store.create(draft);
      } catch (error) {
        if (!(error instanceof PaymentConflictError)) throw error;
        if (error.reason === 'idempotency_key') return { record: await replay(error.existing, input.orderId), created: false };
        continue; // another click won the order: go round and return its payment
      }
      return { record: await initiate(record), created: true };
    }
    throw new IzlyPayError(409, 'payment_in_progress', 'This order is being paid in another request; try again');
  }

  /** The same Idempotency-Key again: the same payment, once its creation is settled. */
  async function replay(record: PaymentRecord, orderId: string): Promise<PaymentRecord> {
    if (record.orderId !== orderId) throw new IzlyPayError(409, 'idempotency_key_reused', 'This Idempotency-Key was used for another order');
    return refreshQuietly(await settledCreation(record), 'create');
  }

  function sameOrder(open: PaymentRecord, amount: number): PaymentRecord {
    if (open.amount !== amount) {
      throw new IzlyPayError(409, 'order_amount_changed', 'A payment of another amount is in progress for this order; finish or cancel it first');
    }
    return open;
  }

  async function initiate(record: PaymentRecord): Promise<PaymentRecord> {
    const redirect = new URL(record.returnUrl);
    redirect.searchParams.set('izly_payment', record.id);
    try {
      const initiated = await client.initiatePayment({
        amount: record.amount,
        clientOrderId: record.orderId,
        callbackParameters: await signer.callbackParameters(record.id),
        redirectUrlAfterPayment: redirect.href,
        ...(record.message !== null ? { message: record.message } : {}),
      });
      const at = nowIso();
      await store.appendEvent({ paymentId: record.id, at, type: 'izly_initiated', detail: { operationId: initiated.operationId, izlyStatus: initiated.status.raw } });
      // Izly just told the status: no poll needs to ask before the interval, here or, through a shared store, elsewhere.
      readAgainLater(initiated.operationId);
      await store.claimStatusRead?.(record.id, 0);
      return move(record, ['created'], {
        status: 'pending',
        operationId: initiated.operationId,
        authorizationUrl: initiated.authorizationUrl,
        izlyStatus: initiated.status.raw || null,
        updatedAt: at,
      });
    } catch (error) {
      if (!(error instanceof IzlyError)) throw error;
      // Whether Izly refused or the answer was lost, its authorization URL never reached anyone, so no one
      // can pay that operation: the record fails and a new click starts a new payment.
      const failure = fromIzlyError(error);
      await store.appendEvent({ paymentId: record.id, at: nowIso(), type: 'izly_initiate_failed', detail: { error: error.name, message: error.message } });
      await move(record, ['created'], { status: 'failed', failureReason: failure.code, updatedAt: nowIso() });
      throw failure;
    }
  }

  /** A payment as a poll sees it; `returned`: the student is back from Izly, so its first read may come sooner. */
  async function readPayment(paymentId: string, waitSeconds: number, signal?: AbortSignal, returned = false): Promise<PaymentRecord> {
    const firstRead: ReadMode = returned ? 'returned' : 'polite';
    const deadline = Date.now() + Math.min(waitSeconds, options.maxWaitSeconds) * 1000;
    if (deadline <= Date.now()) {
      const found = await store.get(paymentId);
      if (!found) throw new IzlyPayError(404, 'payment_not_found', 'No such payment');
      return refreshQuietly(found, 'poll', firstRead);
    }
    // Listening before the first read: a change made by another instance after it still wakes this poll.
    await waiters.ready();
    const stop = new AbortController();
    const stopOnAbort = () => stop.abort();
    signal?.addEventListener('abort', stopOnAbort, { once: true });
    // Each sleep is armed before the read that precedes it, so that a change committed during that read is
    // not missed (the wake-up from another instance may arrive before the read's answer). It lasts until the
    // operation's next status read is due (the policy's longest interval before the operation is known).
    const arm = (operationId: string | null) => {
      const due = operationId === null ? undefined : nextReadAt.get(operationId);
      const untilRead = due === undefined ? policy.longestIntervalMs() : due - Date.now();
      return waiters.wait(paymentId, Math.min(deadline - Date.now(), Math.max(untilRead, 50)), stop.signal);
    };
    try {
      let woken = arm(null);
      const found = await store.get(paymentId);
      if (!found) throw new IzlyPayError(404, 'payment_not_found', 'No such payment');
      const initialStatus = found.status;
      let record = await refreshQuietly(found, 'poll', firstRead);
      while (isOpenStatus(record.status) && record.status === initialStatus && !signal?.aborted && Date.now() < deadline) {
        // Sleep until woken by a change, or until the next status read is due (callbacks may never come).
        await woken;
        woken = arm(record.operationId);
        record = (await store.get(paymentId)) ?? record;
        if (record.status !== initialStatus || Date.now() >= deadline) break;
        record = await refreshQuietly(record, 'poll');
      }
      // Awaited (one store read, only while the policy wants news) so that the next poll already knows.
      if (record.status === 'paid' && initialStatus !== 'paid' && policy.wantsCallbackNews) await learnOfCallback(record.id);
      return record;
    } finally {
      stop.abort();
      signal?.removeEventListener('abort', stopOnAbort);
    }
  }

  async function handleCallback(query: { p?: string; s?: string }, callback: IzlyCallback): Promise<PaymentRecord> {
    let { p, s } = query;
    if ((!p || !s) && callback.callbackParameters) {
      const echoed = new URLSearchParams(callback.callbackParameters.replace(/^[?&]/, ''));
      p = echoed.get('p') ?? undefined;
      s = echoed.get('s') ?? undefined;
    }
    if (!p || !s || !(await signer.verify(p, s))) {
      logger.warn('izly-pay: callback refused: missing or invalid signature');
      throw new CallbackRefusal(403, CALLBACK_CODES.invalidSignature, 'Invalid callback signature');
    }
    const record = await store.get(p);
    if (!record) throw new CallbackRefusal(404, CALLBACK_CODES.unknownPayment, 'Unknown payment');
    // Signed by us and about a payment we made: only Izly, which alone received the signature, sends this.
    policy.noteCallback();
    const at = nowIso();
    await store.appendEvent({
      paymentId: record.id,
      at,
      type: 'callback',
      detail: { operationId: callback.operationId, izlyStatus: callback.status.raw, errorCode: callback.error?.code ?? null, amount: callback.amountRaw },
    });
    const refuse = async (reason: string) => {
      await store.appendEvent({ paymentId: record.id, at, type: 'callback_refused', detail: { reason } });
      logger.warn(`izly-pay: callback for payment ${record.id} refused: ${reason}`);
      return new CallbackRefusal(409, CALLBACK_CODES.mismatch, reason);
    };
    if (callback.operationId !== null && record.operationId !== null && callback.operationId !== record.operationId) {
      throw await refuse('the callback names another operation');
    }
    if (callback.clientOrderId !== null && callback.clientOrderId !== record.orderId) throw await refuse('the callback names another order');
    const operationId = record.operationId ?? callback.operationId;
    if (operationId === null) throw await refuse('no operation id to confirm');
    // Nothing a callback says can change a paid or refunded payment (refunds go through this adapter):
    // acknowledge replays without asking Izly again.
    if (record.status === 'paid' || record.status === 'refunded') return record;

    const failureHint = callback.error && callback.error.code !== 0 ? `izly_error_${callback.error.code}${callback.error.message ? `: ${callback.error.message}` : ''}` : undefined;
    try {
      return await readAtIzly(record, 'fresh', 'callback', failureHint?.slice(0, 200), operationId);
    } catch (error) {
      if (error instanceof MismatchError) throw await refuse(error.message);
      if (error instanceof IzlyError) {
        // Izly will call again (or reconcile will settle it): nothing was decided.
        throw new CallbackRefusal(502, CALLBACK_CODES.izlyUnavailable, 'Could not confirm the payment with Izly; try again later');
      }
      throw error;
    }
  }

  async function refund(paymentId: string): Promise<PaymentRecord> {
    const record = await store.get(paymentId);
    if (!record) throw new IzlyPayError(404, 'payment_not_found', 'No such payment');
    if (record.status === 'refunded') throw new IzlyPayError(409, 'already_refunded', 'This payment is already refunded');
    if (record.status !== 'paid' || record.operationId === null) throw new IzlyPayError(409, 'not_refundable', `Only a paid payment can be refunded (this one is ${record.status})`);
    if (refundsInProgress.has(paymentId)) throw new IzlyPayError(409, 'refund_in_progress', 'A refund of this payment is in progress');
    refundsInProgress.add(paymentId);
    try {
      await store.appendEvent({ paymentId, at: nowIso(), type: 'refund_requested', detail: { amount: record.amount } });
      try {
        const answer = await client.refundPayment(record.operationId, record.orderId);
        const at = nowIso();
        return await move(record, ['paid'], {
          status: 'refunded',
          refundedAt: answer.refundDate?.toISOString() ?? at,
          izlyStatus: answer.status.raw || record.izlyStatus,
          updatedAt: at,
        });
      } catch (error) {
        if (!(error instanceof IzlyError)) throw error;
        await store.appendEvent({ paymentId, at: nowIso(), type: 'refund_failed', detail: { error: error.name, message: error.message } });
        // Refused, or the answer was lost: Izly's status tells whether the money went back.
        const after = await readAtIzly(record, 'fresh', 'refund').catch(() => record);
        if (after.status === 'refunded') {
          if (error instanceof IzlyApiError) throw new IzlyPayError(409, 'already_refunded', 'This payment is already refunded');
          return after;
        }
        throw fromIzlyError(error);
      }
    } finally {
      refundsInProgress.delete(paymentId);
    }
  }

  async function reconcile({ olderThanMs = 60_000, hookGraceMs = 30_000 }: ReconcileOptions = {}): Promise<ReconcileReport> {
    const report: ReconcileReport = { checked: 0, changed: [], errors: [], hooks: [] };
    const candidates = await store.listByStatus(OPEN, new Date(options.now() - olderThanMs));
    for (const record of candidates) {
      report.checked += 1;
      try {
        let after: PaymentRecord;
        if (record.operationId === null) {
          // Creation never finished (a crash between our record and Izly's answer): no one has a URL to pay it.
          const stale = options.now() - Date.parse(record.createdAt) > Math.max(olderThanMs, 120_000);
          after = stale ? await move(record, ['created'], { status: 'failed', failureReason: 'initiation_incomplete', updatedAt: nowIso() }) : record;
        } else {
          after = await readAtIzlyForReconcile(record);
        }
        if (after.status !== record.status) report.changed.push({ paymentId: record.id, from: record.status, to: after.status });
      } catch (error) {
        report.errors.push({ paymentId: record.id, message: error instanceof Error ? error.message : String(error) });
      }
    }
    await rerunUnfinishedHooks(hookGraceMs, report);
    return report;
  }

  /** Runs again the hooks whose first run never returned (the process stopped during the hook). */
  async function rerunUnfinishedHooks(graceMs: number, report: ReconcileReport): Promise<void> {
    for (const record of await store.listPendingHooks(new Date(options.now() - graceMs))) {
      if (record.pendingHook === null || runningHooks.has(`${record.id}:${record.pendingHook}`)) continue;
      try {
        // Take the hook over with a compare-and-set on the version: of several instances reconciling at
        // once, one runs it.
        const taken = await store.transition(record.id, [record.status], { pendingHookSince: nowIso(), updatedAt: record.updatedAt }, { version: record.version });
        if (!taken || taken.pendingHook === null) continue;
        logger.warn(`izly-pay: ${taken.pendingHook} for payment ${taken.id} never returned (the process stopped?); running it again`);
        report.hooks.push({ paymentId: taken.id, hook: taken.pendingHook });
        await runHook(taken);
      } catch (error) {
        report.errors.push({ paymentId: record.id, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  async function readAtIzlyForReconcile(record: PaymentRecord): Promise<PaymentRecord> {
    try {
      return await readAtIzly(record, 'fresh', 'reconcile');
    } catch (error) {
      // Izly does not know the operation (356): it can never be paid; past the expiry age it ends.
      if (error instanceof IzlyApiError && error.isUnknownOperation && options.now() - Date.parse(record.createdAt) >= options.expireAfterMs) {
        return move(record, OPEN, { status: 'expired', failureReason: 'izly_unknown_operation', updatedAt: nowIso() });
      }
      throw error;
    }
  }

  return { createPayment, readPayment, handleCallback, refund, reconcile };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
