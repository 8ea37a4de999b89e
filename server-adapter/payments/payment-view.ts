// The public view of a payment: what a browser may see. Never the idempotency key, the Izly operation,
// the failure details or (unless the partner opts in) the customer's e-mail.
// The two types are the browser contract's, which the widget reads too; re-exported for the package entry.
import type { CreatedPaymentView, PaymentView } from '../../contract/browser-contract.js';
import type { PaymentRecord } from '../stores/payment-store.js';

export type { CreatedPaymentView, PaymentView };

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
