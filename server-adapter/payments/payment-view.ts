// The public view of a payment: what a browser may see. Never the idempotency key, the Izly operation,
// the failure details or (unless the partner opts in) the customer's e-mail. Why a payment did not go
// through is shown as a stable code (`failureReason`), never Izly's own words or codes.
// The types are the browser contract's, which the widget reads too; re-exported for the package entry.
import type { CreatedPaymentView, PaymentFailureReason, PaymentView } from '../../contract/browser-contract.js';
import type { PaymentRecord } from '../stores/payment-store.js';

export type { CreatedPaymentView, PaymentFailureReason, PaymentView };

/** Izly's refusal codes, as the callback's `Error.Code` carries them (sandbox codes, and Xpollens' where known). */
const REASON_BY_IZLY_CODE: Readonly<Record<string, PaymentFailureReason>> = {
  '2002': 'insufficient_balance',
  '110': 'insufficient_balance',
  '2001': 'unpaid_debt',
};

/**
 * Izly's words, where no code says more (the GET's `Error` is a message only): French first, as Izly
 * speaks it, and English. The debt is looked for before the balance: "impayé" says more than a balance.
 */
const REASON_BY_WORDS: ReadonlyArray<[RegExp, PaymentFailureReason]> = [
  [/impay|unpaid|dette|debt|non [ée]ligible|not eligible/i, 'unpaid_debt'],
  [/bloqu|block|suspen|oppos|désactiv|disabled|clôtur|closed/i, 'account_blocked'],
  [/solde|provision|balance|insufficient|funds/i, 'insufficient_balance'],
];

/**
 * The stable reason of a payment that did not go through, from its status and the reason kept on the
 * record (`izly_error_<code>: <message>` from a failure callback, `izly_failed: <message>` from Izly's
 * `Error` on a read, or the adapter's own codes); undefined while the payment is open, paid or refunded.
 */
export function publicFailureReason(record: Pick<PaymentRecord, 'status' | 'failureReason'>): PaymentFailureReason | undefined {
  if (record.status === 'cancelled' || record.status === 'expired') return record.status;
  if (record.status !== 'failed') return undefined;
  const kept = record.failureReason ?? '';
  const code = /^izly_error_(\d+)/.exec(kept)?.[1];
  const byCode = code === undefined ? undefined : REASON_BY_IZLY_CODE[code];
  return byCode ?? REASON_BY_WORDS.find(([words]) => words.test(kept))?.[1] ?? 'unknown';
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
  const failureReason = publicFailureReason(record);
  if (failureReason) view.failureReason = failureReason;
  return view;
}

export function createdPaymentView(record: PaymentRecord, exposeCustomerEmail: boolean): CreatedPaymentView {
  const { paymentId, orderId, status, amount, currency, ...rest } = paymentView(record, exposeCustomerEmail);
  return { paymentId, orderId, status, amount, currency, authorizationUrl: record.authorizationUrl, ...rest };
}
