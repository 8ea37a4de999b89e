// The SQL column of each payment record field, shared by the SQLite and PostgreSQL stores so that their
// schemas cannot drift apart. Portable: no driver is imported here.
import type { PaymentRecord } from './payment-store.js';

export const PAYMENT_COLUMNS = {
  id: 'id',
  idempotencyKey: 'idempotency_key',
  orderId: 'order_id',
  clientOrderId: 'client_order_id',
  amount: 'amount',
  currency: 'currency',
  status: 'status',
  operationId: 'operation_id',
  authorizationUrl: 'authorization_url',
  returnUrl: 'return_url',
  message: 'message',
  izlyStatus: 'izly_status',
  customerEmail: 'customer_email',
  customerClientCode: 'customer_client_code',
  customerAssignmentNumber: 'customer_assignment_number',
  amountMismatch: 'amount_mismatch',
  failureReason: 'failure_reason',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  paidAt: 'paid_at',
  refundedAt: 'refunded_at',
  refundRequestedAt: 'refund_requested_at',
  pendingHook: 'pending_hook',
  pendingHookSince: 'pending_hook_since',
  hookAttempts: 'hook_attempts',
  hookRetryAt: 'hook_retry_at',
  hookGivenUp: 'hook_given_up',
  version: 'version',
} as const satisfies Record<keyof PaymentRecord, string>;
