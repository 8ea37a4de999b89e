// The public view of a payment: what a browser may see. Never the idempotency key, the Izly operation,
// the failure details or (unless the partner opts in) the customer's e-mail.
import type { PaymentRecord, PaymentStatus } from '../stores/payment-store.js';

/** A payment as `GET /payments/:paymentId` answers it. */
export interface PaymentView {
  paymentId: string;
  orderId: string;
  status: PaymentStatus;
  /** Cents. */
  amount: number;
  currency: 'EUR';
  createdAt: string;
  updatedAt: string;
  paidAt?: string;
  refundedAt?: string;
  /** Only with `exposeCustomerEmail: true`, once Izly reported it. */
  customerEmail?: string;
}

/** A payment as `POST /payments` answers it: the view plus where to send the student. */
export interface CreatedPaymentView extends PaymentView {
  /** Izly's authorization page; null when the payment could not be initiated. */
  authorizationUrl: string | null;
}

export function paymentView(record: PaymentRecord, exposeCustomerEmail: boolean): PaymentView {
  const view: PaymentView = {
    paymentId: record.id,
    orderId: record.orderId,
    status: record.status,
    amount: record.amount,
    currency: record.currency,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  if (record.paidAt) view.paidAt = record.paidAt;
  if (record.refundedAt) view.refundedAt = record.refundedAt;
  if (exposeCustomerEmail && record.customerEmail) view.customerEmail = record.customerEmail;
  return view;
}

export function createdPaymentView(record: PaymentRecord, exposeCustomerEmail: boolean): CreatedPaymentView {
  const { paymentId, orderId, status, amount, currency, ...rest } = paymentView(record, exposeCustomerEmail);
  return { paymentId, orderId, status, amount, currency, authorizationUrl: record.authorizationUrl, ...rest };
}
