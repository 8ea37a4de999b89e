// How a payment changes status, and the hooks a change runs. Izly's word, read with `GET WebPayments/{id}`,
// is the only thing that moves a payment to paid, failed, cancelled or refunded; every move is a
// compare-and-set, and the hook of a move runs only in the caller that won it. The same compare-and-set
// marks the hook as owed (`pendingHook`) and the mark is cleared once the hook returned, so a hook cut
// short by a crash, or one that threw, is run again by `reconcile()` (the retries' schedule is in the store).
import { matchAmount } from '../izly/amounts.js';
import type { IzlyPayment } from '../izly/web-payments.js';
import type { ResolvedIzlyPayOptions } from '../options.js';
import {
  OPEN_STATUSES,
  hookForStatus,
  isOpenStatus,
  type NewPaymentEvent,
  type PaymentHookName,
  type PaymentPatch,
  type PaymentRecord,
  type PaymentStatus,
} from '../stores/payment-store.js';
import type { PaymentWaiters } from './payment-waiters.js';

/** Which flow read the payment at Izly (logged with the read). */
export type ReadSource = 'poll' | 'callback' | 'reconcile' | 'refund' | 'create';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A mismatch between Izly's answer and our record: the answer is not for this payment. */
export class MismatchError extends Error {}

/** Statuses from which Izly's `Completed` still moves a payment to paid: Izly's word wins over our clock. */
const NOT_YET_PAID: readonly PaymentStatus[] = ['created', 'pending', 'failed', 'cancelled', 'expired'];
/** Why a payment that Izly still reported pending was expired by the adapter (its Izly page may still be paid). */
export const EXPIRED_WHILE_PENDING = 'expired_pending_at_izly';

/** What `amountMismatch` holds when Izly reported no amount at all. */
const MISSING_AMOUNT = 'missing';
const NOT_REFUNDED: readonly PaymentStatus[] = ['created', 'pending', 'paid', 'failed', 'cancelled', 'expired'];

/**
 * Why Izly ended a payment, as a read tells it (no failure callback came first): the status, and Izly's
 * `Error` words when it gives some ("Solde insuffisant"), which the public view reads its reason from.
 */
function izlyReason(payment: IzlyPayment): string {
  const reason = `izly_${payment.status.state}`;
  return payment.error ? `${reason}: ${payment.error}`.slice(0, 200) : reason;
}

export class PaymentTransitions {
  /** Hooks running in this process (`paymentId:hook`), which `reconcile()` must not start again. */
  private readonly runningHooks = new Set<string>();
  /** Refunds a duplicate payment (set by the payment service, which owns the refunds). */
  refundDuplicate: ((record: PaymentRecord) => Promise<PaymentRecord>) | undefined;
  /** The hooks `move` started without waiting for them, until they return. */
  private readonly backgroundHooks = new Set<Promise<void>>();

  constructor(
    private readonly options: ResolvedIzlyPayOptions,
    private readonly waiters: PaymentWaiters,
  ) {}

  /** The clock's time as stored in records and events. */
  nowIso(): string {
    return new Date(this.options.clock.now()).toISOString();
  }

  /**
   * Izly names the partner's application (`Beneficiary.ClientId`, `BeneficiaryClientId`): another one than
   * ours is recorded and logged for staff, never a reason to ignore Izly's word on the payment (the
   * document's example shows an id of another form than the app identifier).
   */
  async checkBeneficiary(record: PaymentRecord, clientId: string | null, source: ReadSource | 'initiate'): Promise<void> {
    const expected = this.options.appIdentifier;
    if (clientId === null || clientId === expected) return;
    await this.options.store.appendEvent({
      paymentId: record.id,
      at: this.nowIso(),
      type: 'beneficiary_mismatch',
      detail: { source, expected, izly: clientId },
    });
    this.options.logger.warn(`izly-pay: Izly names the beneficiary ${clientId} for payment ${record.id}, the app identifier is ${expected}`);
  }

  /** True while the hook the record owes runs in this process. */
  isHookRunning(record: PaymentRecord): boolean {
    return record.pendingHook !== null && this.runningHooks.has(`${record.id}:${record.pendingHook}`);
  }

  /** Resolves once every hook started in the background so far has returned (for a runtime's `waitUntil`, and tests). */
  async hooksSettled(): Promise<void> {
    await Promise.all([...this.backgroundHooks]);
  }

  /** True while a hook started in the background has not returned. */
  hooksRunning(): boolean {
    return this.backgroundHooks.size > 0;
  }

  /**
   * Runs the hook the record owes (its caller holds the attempt: it made the mark, or claimed a retry).
   * Success clears the mark; a throw is recorded and the next attempt scheduled, or, after the last retry,
   * the hook is given up. Returns the record as it now is.
   */
  async runHook(record: PaymentRecord): Promise<PaymentRecord> {
    const name = record.pendingHook;
    if (name === null) return record;
    if (name === 'onPaid') {
      const paidBefore = await this.paidBefore(record);
      if (paidBefore) return this.holdDuplicate(record, paidBefore);
    }
    const hook = this.options[name];
    // `onPaid` is marked owed even when not configured, so that the duplicate check above survives a crash.
    if (!hook) return (await this.updateOwnAttempt(record, { pendingHook: null, pendingHookSince: null })) ?? record;
    const running = `${record.id}:${name}`;
    this.runningHooks.add(running);
    let outcome: { failed: false } | { failed: true; error: unknown } = { failed: false };
    try {
      await hook(record);
    } catch (error) {
      outcome = { failed: true, error };
    } finally {
      this.runningHooks.delete(running);
    }
    const after = outcome.failed
      ? await this.hookFailed(record, name, outcome.error)
      : await this.updateOwnAttempt(record, { pendingHook: null, pendingHookSince: null, hookRetryAt: null });
    return after ?? (await this.options.store.get(record.id)) ?? record;
  }

  /**
   * The order's other payment paid before this one, if any: of two payments of one order both paid, the one
   * whose onPaid ran, else the one paid first (then the smaller id), keeps the order, whichever instance
   * decides, and the other is the duplicate.
   */
  private async paidBefore(record: PaymentRecord): Promise<PaymentRecord | null> {
    const rank = (payment: PaymentRecord) => `${payment.paidAt ?? ''}\u0000${payment.id}`;
    const others = (await this.options.store.findByOrderId(record.orderId)).filter(
      (other) =>
        other.id !== record.id &&
        other.status === 'paid' &&
        other.duplicateOf === null &&
        // One whose onPaid has run (or was never owed) keeps the order, whatever the times say.
        (other.pendingHook !== 'onPaid' || rank(other) < rank(record)),
    );
    return others.sort((a, b) => rank(a).localeCompare(rank(b)))[0] ?? null;
  }

  /**
   * A second payment of an order already paid: its `onPaid` is not run, both payments record why, and it is
   * refunded (`refundDuplicates`) or the partner told to.
   */
  private async holdDuplicate(record: PaymentRecord, paidBefore: PaymentRecord): Promise<PaymentRecord> {
    const { store, logger, refundDuplicates, onDuplicatePayment } = this.options;
    const held = await this.updateOwnAttempt(record, { pendingHook: null, pendingHookSince: null, hookRetryAt: null, duplicateOf: paidBefore.id });
    if (!held) return (await store.get(record.id)) ?? record;
    const at = this.nowIso();
    await store.appendEvent({ paymentId: record.id, at, type: 'duplicate_payment', detail: { paidBefore: paidBefore.id, refund: refundDuplicates } });
    await store.appendEvent({ paymentId: paidBefore.id, at, type: 'duplicate_payment', detail: { duplicate: record.id, refund: refundDuplicates } });
    const what = `payment ${record.id} paid order ${record.orderId} again (already paid by ${paidBefore.id})`;
    if (onDuplicatePayment) {
      await Promise.resolve(onDuplicatePayment(held, paidBefore)).catch((error: unknown) =>
        logger.error(`izly-pay: onDuplicatePayment failed for payment ${record.id}: ${messageOf(error)}`),
      );
    }
    if (!refundDuplicates || !this.refundDuplicate) {
      logger.error(`izly-pay: ${what}: onPaid not run; refund it`);
      return held;
    }
    logger.warn(`izly-pay: ${what}: onPaid not run, refunding it`);
    try {
      return await this.refundDuplicate(held);
    } catch (error) {
      logger.error(`izly-pay: the refund of duplicate payment ${record.id} failed: ${messageOf(error)}; refund it by hand`);
      return (await store.get(record.id)) ?? held;
    }
  }

  /**
   * Records the end of the hook attempt that `record` holds, with a compare-and-set on the version, tried
   * again while only other fields changed (a refund's mark, the AD's details): a newer status change (which
   * owes its own hook) or an instance that took the hook over keeps its mark. Null when the attempt is no
   * longer this caller's.
   */
  private async updateOwnAttempt(record: PaymentRecord, patch: Omit<PaymentPatch, 'updatedAt'>): Promise<PaymentRecord | null> {
    const { store } = this.options;
    let current: PaymentRecord | null = record;
    for (let round = 0; current && round < 5; round++) {
      const updated = await store.transition(record.id, [record.status], { ...patch, updatedAt: current.updatedAt }, { version: current.version });
      if (updated) return updated;
      current = await store.get(record.id);
      const sameAttempt =
        current?.status === record.status && current.pendingHook === record.pendingHook && current.pendingHookSince === record.pendingHookSince;
      if (!sameAttempt) return null;
    }
    return null;
  }

  /** A hook threw: the failure is an event, and the next attempt is due after the next delay, or there is none. */
  private async hookFailed(record: PaymentRecord, hook: PaymentHookName, error: unknown): Promise<PaymentRecord | null> {
    const { store, logger, clock, hookRetryDelaysMs } = this.options;
    const attempt = record.hookAttempts + 1;
    const message = messageOf(error);
    const delay = hookRetryDelaysMs[attempt - 1];
    if (delay === undefined) return this.giveUpHook(record, hook, attempt, error);
    const retryAt = new Date(clock.now() + delay).toISOString();
    await store.appendEvent({ paymentId: record.id, at: this.nowIso(), type: 'hook_failed', detail: { hook, message, attempt, nextAttemptAt: retryAt } });
    const scheduled = await this.updateOwnAttempt(record, { pendingHookSince: null, hookAttempts: attempt, hookRetryAt: retryAt });
    // Logged once the retry is in the store: from here a crash loses nothing.
    logger.error(`izly-pay: ${hook} failed for payment ${record.id} (attempt ${attempt}): ${message}; next attempt at ${retryAt}`);
    return scheduled;
  }

  /** The last retry threw: the mark is cleared and the partner told loudly, so that someone acts by hand. */
  private async giveUpHook(record: PaymentRecord, hook: PaymentHookName, attempts: number, error: unknown): Promise<PaymentRecord | null> {
    const { store, logger, onHookGivenUp } = this.options;
    const message = messageOf(error);
    logger.error(`izly-pay: ${hook} for payment ${record.id} given up after ${attempts} attempts: ${message}; act on this payment by hand`);
    await store.appendEvent({ paymentId: record.id, at: this.nowIso(), type: 'hook_given_up', detail: { hook, message, attempts } });
    const given = await this.updateOwnAttempt(record, {
      pendingHook: null,
      pendingHookSince: null,
      hookRetryAt: null,
      hookAttempts: attempts,
      hookGivenUp: hook,
    });
    if (given && onHookGivenUp) {
      try {
        await onHookGivenUp(given, hook, error);
      } catch (failure) {
        logger.error(`izly-pay: onHookGivenUp failed for payment ${record.id}: ${messageOf(failure)}`);
      }
    }
    return given;
  }

  /** Starts the owed hook without waiting for it: the change is durable and the hook marked owed already. */
  private runInBackground(record: PaymentRecord): void {
    this.inBackground(
      this.runHook(record).then(
        () => {},
        (error: unknown) => this.options.logger.error(`izly-pay: ${record.pendingHook} for payment ${record.id} not settled: ${messageOf(error)}`),
      ),
    );
  }

  /** Keeps `work` (which never rejects) among the hooks that `hooksSettled()` waits for. */
  private inBackground(work: Promise<void>): void {
    this.backgroundHooks.add(work);
    void work.finally(() => this.backgroundHooks.delete(work));
  }

  /**
   * A CAS move; on a win, wakes the long polls and starts the status's hook without waiting for it, so that
   * the caller (a callback's answer to Izly, a long poll) answers as soon as the change is durable. Returns
   * the record as it now is. A move into another status marks its hook as owed in the same compare-and-set
   * (replacing any older mark and its attempts), so that a crash before the hook returns leaves a trace
   * for `reconcile()`.
   */
  async move(
    record: PaymentRecord,
    from: readonly PaymentStatus[],
    patch: PaymentPatch,
    { withoutHook = false, events = [] }: { withoutHook?: boolean; events?: readonly NewPaymentEvent[] } = {},
  ): Promise<PaymentRecord> {
    const { store } = this.options;
    const entering = patch.status !== undefined && !from.includes(patch.status) ? patch.status : null;
    const hook = entering === null || withoutHook ? null : hookForStatus(entering);
    // `onPaid` is always owed: its run first checks that the order was not paid by another payment.
    const owed = hook !== null && (this.options[hook] || hook === 'onPaid') ? hook : null;
    const marked: PaymentPatch =
      entering === null ? patch : { ...patch, pendingHook: owed, pendingHookSince: owed === null ? null : patch.updatedAt, hookAttempts: 0, hookRetryAt: null };
    const updated = await store.transition(record.id, from, marked, {}, events);
    if (!updated) return (await store.get(record.id)) ?? record;
    this.waiters.notify(record.id);
    if (entering !== null && updated.pendingHook !== null) this.runInBackground(updated);
    return updated;
  }

  /**
   * Izly says the payment is complete for an amount that is ours neither as euros nor as cents (or for no
   * amount): it is recorded paid, as Izly reports it, but `onPaid` is not owed — fulfilment waits for
   * someone to look — and the partner is told (`onAmountMismatch`, else the logger's error).
   */
  private async holdFulfilment(record: PaymentRecord, paid: PaymentPatch, izlyAmount: string): Promise<PaymentRecord> {
    const { logger, onAmountMismatch } = this.options;
    const moved = await this.move(record, NOT_YET_PAID, paid, { withoutHook: true });
    if (moved.status !== 'paid' || record.status === 'paid' || moved.version === record.version) return moved;
    const figures = { expected: record.amount, izly: izlyAmount };
    logger.error(`izly-pay: payment ${record.id} is paid at Izly for ${izlyAmount}, not ${record.amount} cents: onPaid held, check it by hand`);
    if (onAmountMismatch) {
      this.inBackground(
        Promise.resolve()
          .then(() => onAmountMismatch(moved, figures))
          .catch((error: unknown) => logger.error(`izly-pay: onAmountMismatch failed for payment ${record.id}: ${messageOf(error)}`)),
      );
    }
    return moved;
  }

  /**
   * Applies what `GET WebPayments/{id}` said to the record. Throws `MismatchError` when the answer is not
   * for this payment (other operation or order). `failureHint` is a failure callback's reason.
   */
  async applyIzlyPayment(record: PaymentRecord, payment: IzlyPayment, source: ReadSource, failureHint?: string): Promise<PaymentRecord> {
    const { store, logger } = this.options;
    const at = this.nowIso();
    const amountMatch = matchAmount(record.amount, payment.amountRaw);
    // A poll's read that finds what the record already says is not logged: hundreds of waiting payments
    // would otherwise grow the log by hundreds of entries a second, saying nothing.
    const saysNothingNew =
      source === 'poll' && payment.status.raw === record.izlyStatus && payment.operationId === record.operationId && amountMatch !== 'mismatch';
    if (!saysNothingNew) {
      await store.appendEvent({
        paymentId: record.id,
        at,
        type: 'izly_read',
        detail: { source, izlyStatus: payment.status.raw, state: payment.status.state, amount: payment.amountRaw, amountMatch, orderId: payment.orderId },
      });
      await this.checkBeneficiary(record, payment.beneficiaryClientId, source);
    }
    if (record.operationId !== null && payment.operationId !== record.operationId) {
      throw new MismatchError(`Izly answered for operation ${payment.operationId}, the payment has ${record.operationId}`);
    }
    // Izly's `OrderId` is the reference this payment was sent with, not the partner's order id.
    if (payment.orderId !== null && payment.orderId !== record.clientOrderId) {
      throw new MismatchError(`Izly's order id ${payment.orderId} differs from the payment's reference ${record.clientOrderId}`);
    }
    // A record that never learnt its operation id (initiation answered ambiguously) adopts one only when
    // both the reference and the amount agree.
    if (record.operationId === null && (payment.orderId !== record.clientOrderId || amountMatch === 'mismatch')) {
      throw new MismatchError('Izly operation does not match this payment');
    }

    // The amount's unit is uncertain: a mismatch both ways is recorded, never a reason to refuse Izly's status.
    const patch: PaymentPatch = { updatedAt: at, izlyStatus: payment.status.raw, operationId: payment.operationId };
    if (payment.customerClientCode !== null && payment.customerClientCode !== record.customerClientCode) patch.customerClientCode = payment.customerClientCode;
    const izlyAmount = payment.amountRaw ?? MISSING_AMOUNT;
    if (amountMatch === 'mismatch' && record.amountMismatch !== izlyAmount) {
      patch.amountMismatch = izlyAmount;
      await store.appendEvent({ paymentId: record.id, at, type: 'amount_mismatch', detail: { expected: record.amount, izly: izlyAmount } });
      logger.warn(`izly-pay: amount mismatch on payment ${record.id}: expected ${record.amount} cents, Izly says ${izlyAmount}`);
    }

    switch (payment.status.state) {
      case 'paid': {
        const paid: PaymentPatch = { ...patch, status: 'paid', paidAt: at, customerEmail: payment.customerEmail ?? record.customerEmail };
        return amountMatch === 'mismatch' ? this.holdFulfilment(record, paid, izlyAmount) : this.move(record, NOT_YET_PAID, paid);
      }
      case 'refunded':
        return this.move(record, NOT_REFUNDED, { ...patch, status: 'refunded', refundedAt: at, customerEmail: payment.customerEmail ?? record.customerEmail });
      case 'failed':
      case 'cancelled':
      case 'expired':
        return this.move(record, OPEN_STATUSES, { ...patch, status: payment.status.state, failureReason: failureHint ?? izlyReason(payment) });
      case 'pending': {
        if (record.status === 'pending' && this.options.clock.now() - Date.parse(record.createdAt) >= this.options.expireAfterMs) {
          return this.move(record, ['pending'], { ...patch, status: 'expired', failureReason: failureHint ?? EXPIRED_WHILE_PENDING });
        }
        if (failureHint !== undefined) patch.failureReason = failureHint;
        const changed =
          patch.izlyStatus !== record.izlyStatus ||
          patch.amountMismatch !== undefined ||
          patch.failureReason !== undefined ||
          patch.customerClientCode !== undefined ||
          record.operationId === null;
        return changed && isOpenStatus(record.status) ? this.move(record, OPEN_STATUSES, patch) : record;
      }
    }
  }
}
