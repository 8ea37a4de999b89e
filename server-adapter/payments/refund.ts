// Refunds a paid payment in full (`refund()` on the app, and the opt-in refund route). The intent is
// written before Izly is asked (`refundRequestedAt`, set by a compare-and-set, so one caller on any instance
// sends the refund); a lost or garbled answer is settled by a read of the operation, here when Izly can
// tell at once and by `reconcile()` otherwise. A second request while one is in flight gets its outcome,
// never a second call at Izly.
import { IzlyApiError, IzlyError } from '../izly/errors.js';
import { IzlyPayError, fromIzlyError } from '../errors.js';
import type { PaymentRecord } from '../stores/payment-store.js';
import type { FlowParts } from './flow-parts.js';

/**
 * How long a refund asked of Izly counts as in flight without Izly's word: past it, with Izly still saying
 * the payment is completed, the request never reached Izly, and the mark is dropped so that a refund can
 * be asked again.
 */
export const REFUND_IN_FLIGHT_MS = 60 * 60_000;

export class Refunds {
  /** The refund in flight in this process per payment: a second request shares its outcome. */
  private readonly inProgress = new Map<string, Promise<PaymentRecord>>();
  /** Payments whose refund call from this process ended without Izly's answer (lost, garbled). */
  private readonly answerLost = new Set<string>();

  constructor(private readonly parts: FlowParts) {}

  refund(paymentId: string): Promise<PaymentRecord> {
    const running = this.inProgress.get(paymentId);
    if (running) return running;
    const refund = this.refundOnce(paymentId);
    this.inProgress.set(paymentId, refund);
    const forget = () => this.inProgress.delete(paymentId);
    refund.then(forget, forget);
    return refund;
  }

  private async refundOnce(paymentId: string): Promise<PaymentRecord> {
    const { store } = this.parts.options;
    const { transitions } = this.parts;
    // The mark is a compare-and-set on the version: another change of the record (a hook's mark cleared)
    // makes it try again on the record as it now is; a refund marked meanwhile is settled instead.
    for (let round = 0; round < 5; round++) {
      const record = await store.get(paymentId);
      if (!record) throw new IzlyPayError(404, 'payment_not_found', 'No such payment');
      if (record.status === 'refunded') throw new IzlyPayError(409, 'already_refunded', 'This payment is already refunded');
      if (record.status !== 'paid' || record.operationId === null)
        throw new IzlyPayError(409, 'not_refundable', `Only a paid payment can be refunded (this one is ${record.status})`);
      if (this.isInFlight(record)) return this.settleInFlight(record);
      const at = transitions.nowIso();
      // The intent, durable before Izly is asked; of two instances asking at once, one wins the version.
      const marked = await store.transition(paymentId, ['paid'], { refundRequestedAt: at, updatedAt: record.updatedAt }, { version: record.version });
      if (!marked) continue;
      await store.appendEvent({ paymentId, at, type: 'refund_requested', detail: { amount: record.amount } });
      return this.refundAtIzly(marked, record.operationId);
    }
    throw new IzlyPayError(409, 'refund_in_progress', 'This payment is changing; try the refund again');
  }

  /** True while a refund asked of Izly for this paid payment has no answer yet (here or on another instance). */
  private isInFlight(record: PaymentRecord): boolean {
    const since = record.refundRequestedAt;
    return record.status === 'paid' && since !== null && this.parts.options.clock.now() - Date.parse(since) < REFUND_IN_FLIGHT_MS;
  }

  /**
   * A refund was asked of Izly before this request: its outcome is this request's. While the call may still
   * be in flight on another instance, wait (bounded) for it in the store; then ask Izly's word. Refunded is
   * the first caller's outcome; otherwise the answer was lost, and it stays in flight for `reconcile()`.
   */
  private async settleInFlight(record: PaymentRecord): Promise<PaymentRecord> {
    const { store, clock, timeoutMs } = this.parts.options;
    if (record.status === 'refunded' || record.refundRequestedAt === null) return record;
    // A call of this process that ended without an answer is not waited for.
    const callEnds = this.answerLost.has(record.id) ? 0 : Date.parse(record.refundRequestedAt) + 2 * (timeoutMs ?? 10_000);
    let current = record;
    while (current.status === 'paid' && current.refundRequestedAt !== null && clock.now() < callEnds) {
      await this.parts.waiters.wait(current.id, callEnds - clock.now());
      current = (await store.get(current.id)) ?? current;
    }
    if (current.status !== 'paid') return current;
    const read = await this.parts.reader.read(current, 'fresh', 'refund').catch(() => current);
    if (read.status === 'refunded') {
      this.answerLost.delete(read.id);
      return read;
    }
    throw new IzlyPayError(409, 'refund_in_progress', 'A refund of this payment is in progress; its outcome is not known yet');
  }

  private async refundAtIzly(record: PaymentRecord, operationId: string): Promise<PaymentRecord> {
    const { client, reader, transitions } = this.parts;
    const { store } = this.parts.options;
    try {
      const answer = await client.refundPayment(operationId, record.clientOrderId);
      const at = transitions.nowIso();
      return await transitions.move(record, ['paid'], {
        status: 'refunded',
        refundedAt: answer.refundDate?.toISOString() ?? at,
        izlyStatus: answer.status.raw || record.izlyStatus,
        updatedAt: at,
      });
    } catch (error) {
      if (!(error instanceof IzlyError)) throw error;
      await store.appendEvent({ paymentId: record.id, at: transitions.nowIso(), type: 'refund_failed', detail: { error: error.name, message: error.message } });
      // Refused, or the answer was lost: Izly's status tells whether the money went back.
      const after = await reader.read(record, 'fresh', 'refund').catch(() => null);
      if (after?.status === 'refunded') {
        if (error instanceof IzlyApiError) throw new IzlyPayError(409, 'already_refunded', 'This payment is already refunded');
        return after;
      }
      // Izly refused: nothing is in flight, a refund may be asked again. A lost answer keeps the mark for
      // `reconcile()` (or the next request) to settle with Izly's word.
      if (error instanceof IzlyApiError) {
        const current = after ?? (await store.get(record.id)) ?? record;
        await store.transition(record.id, ['paid'], { refundRequestedAt: null, updatedAt: current.updatedAt }, { version: current.version });
      } else {
        this.answerLost.add(record.id);
      }
      throw fromIzlyError(error);
    }
  }
}

/**
 * `reconcile()`'s part: settles the refunds in flight with a read of the operation; one that Izly still
 * reports completed after `REFUND_IN_FLIGHT_MS` never reached Izly, and its mark is dropped.
 */
export async function settleRefundsInFlight(
  parts: FlowParts,
): Promise<Array<{ record: PaymentRecord; after: PaymentRecord } | { record: PaymentRecord; error: unknown }>> {
  const { store, clock, logger } = parts.options;
  const inFlight = store.listRefundsInFlight
    ? await store.listRefundsInFlight()
    : (await store.listByStatus(['paid'])).filter((record) => record.refundRequestedAt !== null);
  const results = [];
  for (const record of inFlight) {
    try {
      let after = await parts.reader.read(record, 'fresh', 'reconcile');
      if (after.status === 'paid' && after.refundRequestedAt !== null && clock.now() - Date.parse(after.refundRequestedAt) >= REFUND_IN_FLIGHT_MS) {
        const dropped = await store.transition(after.id, ['paid'], { refundRequestedAt: null, updatedAt: after.updatedAt }, { version: after.version });
        if (dropped) {
          await store.appendEvent({
            paymentId: after.id,
            at: parts.transitions.nowIso(),
            type: 'refund_abandoned',
            detail: { requestedAt: after.refundRequestedAt },
          });
          logger.warn(
            `izly-pay: the refund of payment ${after.id} asked at ${after.refundRequestedAt} never reached Izly (still completed there); it may be asked again`,
          );
          after = dropped;
        }
      }
      results.push({ record, after });
    } catch (error) {
      results.push({ record, error });
    }
  }
  return results;
}
