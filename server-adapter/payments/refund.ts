// Refunds a paid payment in full (`refund()` on the app, and the opt-in refund route). One refund per
// payment at a time in this process; when Izly refuses or its answer is lost, Izly's status tells whether
// the money went back.
import { IzlyApiError, IzlyError } from '../izly/errors.js';
import { IzlyPayError, fromIzlyError } from '../errors.js';
import type { PaymentRecord } from '../stores/payment-store.js';
import type { FlowParts } from './flow-parts.js';

export class Refunds {
  private readonly inProgress = new Set<string>();

  constructor(private readonly parts: FlowParts) {}

  async refund(paymentId: string): Promise<PaymentRecord> {
    const { store } = this.parts.options;
    const record = await store.get(paymentId);
    if (!record) throw new IzlyPayError(404, 'payment_not_found', 'No such payment');
    if (record.status === 'refunded') throw new IzlyPayError(409, 'already_refunded', 'This payment is already refunded');
    if (record.status !== 'paid' || record.operationId === null)
      throw new IzlyPayError(409, 'not_refundable', `Only a paid payment can be refunded (this one is ${record.status})`);
    if (this.inProgress.has(paymentId)) throw new IzlyPayError(409, 'refund_in_progress', 'A refund of this payment is in progress');
    this.inProgress.add(paymentId);
    try {
      await store.appendEvent({ paymentId, at: this.parts.transitions.nowIso(), type: 'refund_requested', detail: { amount: record.amount } });
      return await this.refundAtIzly(record, record.operationId);
    } finally {
      this.inProgress.delete(paymentId);
    }
  }

  private async refundAtIzly(record: PaymentRecord, operationId: string): Promise<PaymentRecord> {
    const { client, reader, transitions } = this.parts;
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
      await this.parts.options.store.appendEvent({
        paymentId: record.id,
        at: transitions.nowIso(),
        type: 'refund_failed',
        detail: { error: error.name, message: error.message },
      });
      // Refused, or the answer was lost: Izly's status tells whether the money went back.
      const after = await reader.read(record, 'fresh', 'refund').catch(() => record);
      if (after.status === 'refunded') {
        if (error instanceof IzlyApiError) throw new IzlyPayError(409, 'already_refunded', 'This payment is already refunded');
        return after;
      }
      throw fromIzlyError(error);
    }
  }
}
