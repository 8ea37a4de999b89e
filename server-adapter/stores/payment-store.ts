// Where the adapter keeps its payment records. A small async interface so that an embedded store
// (memory, SQLite) and a shared one (PostgreSQL) fit alike. Every state change is a compare-and-set:
// whoever loses a race sees null and changes nothing, which is what makes callbacks, polls and clicks
// idempotent.

import type { PaymentStatus } from '../../contract/browser-contract.js';

export type { PaymentStatus };

/** Statuses in which a payment may still move on its own (at most one such payment per order). */
export const OPEN_STATUSES: readonly PaymentStatus[] = ['created', 'pending'];

/** True for `created` and `pending`. */
export function isOpenStatus(status: PaymentStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** One payment as the adapter records it. Times are ISO 8601 strings (UTC). */
export interface PaymentRecord {
  /** Our id, given to the browser (`pay_...`). */
  id: string;
  /** The `Idempotency-Key` of the request that created it; unique. */
  idempotencyKey: string;
  /** The partner's order reference, as the browser and the `order()` hook name it. */
  orderId: string;
  /**
   * This payment's own reference at Izly (`ClientOrderId`), unique among the records: the order id for an
   * order's first payment, then `<orderId>-2`, `-3`… for the next attempts (Izly refuses a reference used
   * before). Staff find the payment in Izly's back office by it.
   */
  clientOrderId: string;
  /** Amount in cents, as the partner's `order()` hook decided it. */
  amount: number;
  currency: 'EUR';
  status: PaymentStatus;
  /** Izly's operation id; null until Izly answered the initiate call. */
  operationId: string | null;
  /** Izly's authorization page for this payment; null until Izly answered. */
  authorizationUrl: string | null;
  /** Where the student returns after Izly (without our `izly_payment` parameter). */
  returnUrl: string;
  /** The message sent to Izly with the payment, if any. */
  message: string | null;
  /** Izly's last `OperationStatus`, verbatim (kept for diagnosis, including values we do not know). */
  izlyStatus: string | null;
  /** The AD's e-mail as Izly reported it once paid. Not in the public view unless the partner opts in. */
  customerEmail: string | null;
  /** The AD's CROUS client code, for staff: the GET's `CustomerClientCode`, else the callback's `User.ClientCode`. Never in the public view. */
  customerClientCode: string | null;
  /** The AD's `NumeroAffectation`, for staff, as the callback's `User` gave it. Never in the public view. */
  customerAssignmentNumber: string | null;
  /** Izly's amount, verbatim, when it matched ours neither as euros nor as cents. */
  amountMismatch: string | null;
  /**
   * The order's payment that was paid before this one, when this one became paid too (the student paid an
   * old attempt's page as well): this one's `onPaid` is not run, and it is refunded (`refundDuplicates`).
   */
  duplicateOf: string | null;
  /** Why the payment failed or what went wrong last (a machine code and short text; never a secret). */
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
  paidAt: string | null;
  refundedAt: string | null;
  /**
   * When a refund was asked of Izly, written before the call: while the payment is still `paid`, a refund is
   * in flight (or its answer was lost) and no second one is sent; `reconcile()` settles it with a read.
   * Null when none was asked, or the last one was refused.
   */
  refundRequestedAt: string | null;
  /**
   * The hook that this payment's last status change owes the partner, set in the same compare-and-set as
   * the change and cleared once the hook has returned; still set after a crash mid-hook or a hook that
   * threw, so that `reconcile()` runs it again. Null when no hook is owed (or none is configured).
   */
  pendingHook: PaymentHookName | null;
  /**
   * When the attempt of `pendingHook` now running started (set with the mark, or by the instance that
   * claimed a retry): the claim's lease, which other instances respect for `reconcile()`'s `hookGraceMs`.
   * Null when no attempt runs (none owed, or the last one threw and a retry waits for `hookRetryAt`).
   */
  pendingHookSince: string | null;
  /** How many attempts of `pendingHook` threw so far (0 with a fresh mark); kept once given up. */
  hookAttempts: number;
  /** When the owed hook's next attempt is due, after one threw; null before any failure. */
  hookRetryAt: string | null;
  /** The last hook the adapter gave up on after its last retry (shown to staff); null when none. */
  hookGivenUp: PaymentHookName | null;
  /** Bumped by every transition. */
  version: number;
}

/** The partner's hooks that a status change calls. */
export type PaymentHookName = 'onPaid' | 'onFailed' | 'onRefunded';

/** The hook owed when a payment enters `status`, if any. */
export function hookForStatus(status: PaymentStatus): PaymentHookName | null {
  if (status === 'paid') return 'onPaid';
  if (status === 'refunded') return 'onRefunded';
  return isOpenStatus(status) ? null : 'onFailed';
}

/** Fields a transition may change (never the id, order, amount, key or creation time). */
export type PaymentPatch = Partial<Omit<PaymentRecord, 'id' | 'idempotencyKey' | 'orderId' | 'amount' | 'currency' | 'createdAt' | 'version'>> & {
  /** Always given: the time of the change. */
  updatedAt: string;
};

/** What happened to a payment, for the partner's orders page and for diagnosis. */
export type PaymentEventType =
  | 'created'
  | 'transition'
  | 'izly_initiated'
  | 'izly_initiate_failed'
  | 'izly_read'
  | 'izly_read_failed'
  | 'callback'
  | 'callback_refused'
  | 'amount_mismatch'
  | 'beneficiary_mismatch'
  | 'refund_requested'
  | 'refund_failed'
  | 'refund_abandoned'
  | 'duplicate_payment'
  | 'hook_failed'
  | 'hook_given_up'
  /** Written by `izly-pay serve`: a webhook its receiver accepted (detail: event, eventId, status, attempt). */
  | 'webhook_delivered'
  /** Written by `izly-pay serve`: a webhook the adapter does not retry, owed until delivered (detail: event, eventId, data). */
  | 'webhook_owed'
  /** Written by `izly-pay serve`: an owed webhook given up after its last attempt (detail: event, eventId, attempts, message). */
  | 'webhook_given_up';

/** One entry of a payment's event log. `detail` never holds a secret. */
export interface PaymentEvent {
  /** Increasing within a store. */
  id: number;
  paymentId: string;
  at: string;
  type: PaymentEventType;
  detail: Record<string, string | number | boolean | null>;
}

/** A new event, before the store numbers it. */
export type NewPaymentEvent = Omit<PaymentEvent, 'id'>;

/** Which rule of the store a new or changed record broke. */
export type PaymentConflictReason = 'idempotency_key' | 'open_payment' | 'client_order_id';

const CONFLICT_MESSAGES: Record<PaymentConflictReason, string> = {
  idempotency_key: 'A payment already uses this idempotency key',
  open_payment: 'This order already has a payment in progress',
  client_order_id: 'A payment already uses this Izly reference (ClientOrderId)',
};

/**
 * Thrown by `create` when the idempotency key or the Izly reference is taken or the order already has an
 * open payment, and by `transition` when a patch would break the open-payment or the reference rule.
 */
export class PaymentConflictError extends Error {
  override name = 'PaymentConflictError' as const;
  /** Which rule the record broke. */
  readonly reason: PaymentConflictReason;
  /** The record that holds the key, the order or the reference, as it is now. */
  readonly existing: PaymentRecord;

  constructor(reason: PaymentConflictReason, existing: PaymentRecord) {
    super(CONFLICT_MESSAGES[reason]);
    this.reason = reason;
    this.existing = existing;
  }
}

/** Extra condition of a transition. */
export interface TransitionCondition {
  /** Only if the record is still at this version (nobody changed it since it was read). */
  version?: number;
}

/** Storage of payment records. Implementations must make `create` and `transition` atomic. */
export interface PaymentStore {
  /**
   * Saves a new record (its `version` is ignored and set to 1) and logs a `created` event. Throws
   * `PaymentConflictError` when its idempotency key or its `clientOrderId` is taken, or when the record is
   * open and its order already has an open payment: at most one open payment per order and one record per
   * Izly reference, checked atomically.
   */
  create(record: PaymentRecord): Promise<PaymentRecord>;
  get(id: string): Promise<PaymentRecord | null>;
  findByIdempotencyKey(key: string): Promise<PaymentRecord | null>;
  /** Every payment of an order, newest first. */
  findByOrderId(orderId: string): Promise<PaymentRecord[]>;
  /**
   * Compare-and-set: applies `patch` only if the record's status is one of `from`, bumps `version`, logs
   * a `transition` event when the status changes, and returns the updated record; returns null when the
   * record is missing or its status is not in `from` (someone else moved it first).
   * Moving a record into an open status must not break the one-open-payment-per-order rule, nor a new
   * `clientOrderId` the one-record-per-reference rule (`PaymentConflictError`). With `condition.version`,
   * also returns null when the record is at another version. `events` are appended in the same atomic
   * step when the transition applies (and not otherwise), so that a change and its log cost one commit.
   */
  transition(
    id: string,
    from: readonly PaymentStatus[],
    patch: PaymentPatch,
    condition?: TransitionCondition,
    events?: readonly NewPaymentEvent[],
  ): Promise<PaymentRecord | null>;
  /** Records in these statuses, oldest first; with `olderThan`, only those created before it. */
  listByStatus(statuses: readonly PaymentStatus[], olderThan?: Date): Promise<PaymentRecord[]>;
  /**
   * Records whose hook may be run now: `pendingHook` set, no attempt running since `markedBefore` or later
   * (`pendingHookSince` null or before it) and, with `dueBy`, no retry due after it (`hookRetryAt` null or
   * not after it); oldest first.
   */
  listPendingHooks(markedBefore: Date, dueBy?: Date): Promise<PaymentRecord[]>;
  /**
   * Optional: the `paid` records with a refund in flight (`refundRequestedAt` set), oldest request first.
   * Without it, `reconcile()` filters `listByStatus(['paid'])`.
   */
  listRefundsInFlight?(): Promise<PaymentRecord[]>;
  /** Appends to a payment's event log. */
  appendEvent(event: NewPaymentEvent): Promise<void>;
  /** A payment's event log, oldest first. */
  events(paymentId: string): Promise<PaymentEvent[]>;
  /**
   * Optional, for a store shared by several adapter instances: calls `listener(paymentId)` after any
   * instance's transition of a payment, so that long polls on every instance wake. Resolves once changes
   * are delivered, with a function that stops the delivery. Without it, wake-ups stay within the process.
   */
  subscribe?(listener: (paymentId: string) => void): Promise<() => Promise<void>>;
  /**
   * Optional, for a store shared by several adapter instances: true when this caller may read the
   * payment's status at Izly now, i.e. no instance claimed a read of it in the last `intervalMs`; the
   * claim is atomic, so one instance wins per interval. Without it, reads are rate-limited per process.
   */
  claimStatusRead?(paymentId: string, intervalMs: number): Promise<boolean>;
  /**
   * Optional, and what makes an IzlyConnect login single use across instances: records the login cookie's
   * `nonce` as spent and resolves true, or resolves false when it was spent before; atomic, so that of two
   * concurrent calls with one nonce (on any instance sharing the store) exactly one gets true. The store may
   * forget a nonce once `expiresAt` has passed (the adapter refuses its cookie as expired from then on) and
   * deletes the expired ones now and then. Without it, nonces are spent in the adapter's process, so behind
   * a load balancer a cookie could be spent once per instance within its lifetime.
   */
  spendLoginNonce?(nonce: string, expiresAt: Date): Promise<boolean>;
  /** Releases resources (the SQLite file handle, the PostgreSQL connections); the store is unusable afterwards. */
  close(): Promise<void>;
}

/** What a new payment is made of; every other field starts empty. */
export interface NewPaymentFields {
  id: string;
  idempotencyKey: string;
  orderId: string;
  /** The payment's reference at Izly (see `PaymentRecord.clientOrderId`). */
  clientOrderId: string;
  amount: number;
  returnUrl: string;
  message: string | null;
  /** Creation time, ISO 8601. */
  at: string;
}

/** A payment as it is first stored: `created`, not yet known to Izly. One place lists every field's start. */
export function newPaymentRecord({ id, idempotencyKey, orderId, clientOrderId, amount, returnUrl, message, at }: NewPaymentFields): PaymentRecord {
  return {
    id,
    idempotencyKey,
    orderId,
    clientOrderId,
    amount,
    currency: 'EUR',
    status: 'created',
    operationId: null,
    authorizationUrl: null,
    returnUrl,
    message,
    izlyStatus: null,
    customerEmail: null,
    customerClientCode: null,
    customerAssignmentNumber: null,
    amountMismatch: null,
    duplicateOf: null,
    failureReason: null,
    createdAt: at,
    updatedAt: at,
    paidAt: null,
    refundedAt: null,
    refundRequestedAt: null,
    pendingHook: null,
    pendingHookSince: null,
    hookAttempts: 0,
    hookRetryAt: null,
    hookGivenUp: null,
    version: 1,
  };
}

/** The record with the patch's defined fields applied and the version bumped. */
export function applyPatch(record: PaymentRecord, patch: PaymentPatch): PaymentRecord {
  const updated: PaymentRecord = { ...record, version: record.version + 1 };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (updated as unknown as Record<string, unknown>)[key] = value;
  }
  return updated;
}
