// A payment as `izly-pay serve` shows it to the partner's server (webhook bodies, the back-office API):
// what staff and fulfilment need, in the adapter's words. Not the Izly page's URL (it belongs to the
// student's browser) nor the idempotency key.
import type { PaymentRecord, PaymentStatus } from '../index.js';

export interface PartnerPayment {
  id: string;
  orderId: string;
  /** The payment's reference in Izly's back office (`ClientOrderId`). */
  clientOrderId: string;
  /** Integer cents, as the order callout gave it. */
  amount: number;
  currency: 'EUR';
  status: PaymentStatus;
  /** Izly's operation id, once Izly answered. */
  operationId: string | null;
  /** Izly's last status, verbatim. */
  izlyStatus: string | null;
  customerEmail: string | null;
  customerClientCode: string | null;
  failureReason: string | null;
  /** Izly's amount when it matched the order's in neither unit (fulfilment held). */
  amountMismatch: string | null;
  /** The order's payment paid before this one, when this one is a duplicate. */
  duplicateOf: string | null;
  createdAt: string;
  paidAt: string | null;
  refundedAt: string | null;
}

export function partnerPayment(record: PaymentRecord): PartnerPayment {
  return {
    id: record.id,
    orderId: record.orderId,
    clientOrderId: record.clientOrderId,
    amount: record.amount,
    currency: record.currency,
    status: record.status,
    operationId: record.operationId,
    izlyStatus: record.izlyStatus,
    customerEmail: record.customerEmail,
    customerClientCode: record.customerClientCode,
    failureReason: record.failureReason,
    amountMismatch: record.amountMismatch,
    duplicateOf: record.duplicateOf,
    createdAt: record.createdAt,
    paidAt: record.paidAt,
    refundedAt: record.refundedAt,
  };
}
