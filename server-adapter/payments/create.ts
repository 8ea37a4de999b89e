// POST /payments: a new payment for an order, or the one already under way. The amount comes from the
// partner's `order()` hook, never from the browser; an Idempotency-Key replayed gives the same payment; an
// order has at most one open payment, and a paid order none. Each payment (attempt) of an order gets its
// own reference at Izly (`order-reference.ts`).
import type { Context } from 'hono';
import { isValidCents } from '../izly/amounts.js';
import { IzlyApiError, IzlyError } from '../izly/errors.js';
import { IzlyPayError, fromIzlyError } from '../errors.js';
import { requireSafeAuthorizationUrl } from '../authorization-url.js';
import { OPEN_STATUSES, PaymentConflictError, isOpenStatus, newPaymentRecord, type PaymentRecord } from '../stores/payment-store.js';
import type { FlowParts } from './flow-parts.js';
import { attemptReference } from './order-reference.js';
import { redirectUrlFor } from './return-url.js';
import { EXPIRED_WHILE_PENDING, MismatchError } from './transitions.js';

/** What `POST /payments` asks for, checked by the route. */
export interface NewPaymentInput {
  orderId: string;
  returnUrl: string;
  idempotencyKey: string;
  /** The payer id of the requesting browser (its cookie, or one derived from the key): a new payment is bound to it. */
  payer: string;
  /** True when the browser sent no payer cookie (`payer` was derived from the Idempotency-Key). */
  payerFromKey: boolean;
}

/**
 * How long after a payment's creation its Idempotency-Key, sent again with no payer cookie, still makes
 * the sender its payer: long enough for a retry whose first answer was lost (a network cut, a restart of
 * the server), short enough that a key leaked later opens nothing.
 */
export const KEY_AS_PAYER_MS = 120_000;

/** `order_already_paid`, with the paid payment: the route answers its public view beside the error. */
export class OrderAlreadyPaidError extends IzlyPayError {
  constructor(readonly paid: PaymentRecord) {
    super(409, 'order_already_paid', 'This order is already paid');
  }
}

/** Another browser's payment is open for this order: nothing of it is told but that. */
const inAnotherBrowser = () =>
  new IzlyPayError(409, 'payment_in_progress', 'This order is being paid from another browser; finish or cancel that payment first');

/** The order as the partner's hook tells it. */
interface OrderFacts {
  amount: number;
  message: string | null;
}

/** The longest a record of another request may stay `created` before this one gives up waiting for it. */
const SETTLE_WAIT_MS = 30_000;
/**
 * How many numbers an attempt's reference may move past those another record holds (two attempts that
 * raced, or another order whose id ends in `-N`): far more than any real clash, still a bound.
 */
const REFERENCE_TRIES = 20;
/** Xpollens' code for a `ClientOrderId` it has seen before ("OrderId déjà existant."). */
const REFERENCE_TAKEN_AT_IZLY = 710;

export async function createPayment(parts: FlowParts, input: NewPaymentInput, c: Context): Promise<{ record: PaymentRecord; created: boolean }> {
  const { store } = parts.options;
  const sameKey = await store.findByIdempotencyKey(input.idempotencyKey);
  if (sameKey) return { record: await replay(parts, sameKey, input), created: false };
  const order = await readOrder(parts, input.orderId, c);

  for (let round = 0; round < 3; round++) {
    // One lookup gives the order's open payment, whether it is already paid, and how many attempts it had.
    const ofOrder = await settleExpiredAttempts(parts, await store.findByOrderId(input.orderId));
    const open = await existingOpenPayment(
      parts,
      ofOrder.find((record) => isOpenStatus(record.status)),
    );
    if (open) {
      if (!(await parts.binding.isPayerOf(input.payer, open.id))) throw inAnotherBrowser();
      return { record: sameOrder(open, order.amount), created: false };
    }
    const paid = ofOrder.find((record) => record.status === 'paid');
    if (paid) throw new OrderAlreadyPaidError(paid);
    let attempt;
    try {
      attempt = await insertAttempt(parts, input, order, ofOrder.length + 1);
    } catch (error) {
      if (!(error instanceof PaymentConflictError)) throw error;
      if (error.reason === 'idempotency_key') return { record: await replay(parts, error.existing, input), created: false };
      continue; // another click won the order: go round and return its payment
    }
    return { record: await initiate(parts, attempt.record, attempt.number), created: true };
  }
  throw new IzlyPayError(409, 'payment_in_progress', 'This order is being paid in another request; try again');
}

/**
 * Stores the order's attempt numbered `first` (or the next number whose reference no record holds).
 * Throws `PaymentConflictError` when the key is taken or the order has an open payment meanwhile.
 */
async function insertAttempt(parts: FlowParts, input: NewPaymentInput, order: OrderFacts, first: number): Promise<{ record: PaymentRecord; number: number }> {
  const { store } = parts.options;
  const id = await parts.binding.newPaymentId(input.payer);
  const at = parts.transitions.nowIso();
  for (let number = first; number < first + REFERENCE_TRIES; number++) {
    const draft = newPaymentRecord({
      id,
      idempotencyKey: input.idempotencyKey,
      orderId: input.orderId,
      clientOrderId: attemptReference(input.orderId, number),
      amount: order.amount,
      returnUrl: input.returnUrl,
      message: order.message,
      at,
    });
    try {
      return { record: await store.create(draft), number };
    } catch (error) {
      if (!(error instanceof PaymentConflictError) || error.reason !== 'client_order_id') throw error;
    }
  }
  throw new Error(`izly-pay: no free Izly reference for order ${input.orderId} after ${REFERENCE_TRIES} tries`);
}

/** The order as the partner's `order()` hook tells it; a hook that fails or answers nonsense is the partner's 500. */
async function readOrder(parts: FlowParts, orderId: string, c: Context): Promise<OrderFacts> {
  const { logger } = parts.options;
  let order;
  try {
    order = await parts.options.order(orderId, c);
  } catch (error) {
    logger.error(`izly-pay: the order() hook failed for order ${orderId}: ${error instanceof Error ? error.message : String(error)}`);
    throw new IzlyPayError(500, 'internal_error', 'The order could not be read');
  }
  if (order === null || order === undefined) throw new IzlyPayError(404, 'unknown_order', 'This order does not exist or cannot be paid');
  if (!isValidCents(order.amount)) {
    logger.error(`izly-pay: the order() hook returned an invalid amount for order ${orderId} (a positive integer of cents is required)`);
    throw new IzlyPayError(500, 'internal_error', 'The order could not be read');
  }
  return { amount: order.amount, message: typeof order.message === 'string' && order.message !== '' ? order.message : null };
}

/**
 * The same Idempotency-Key again: the same payment, once its creation is settled. From another browser (a
 * key that leaked, or guessed) nothing of it: `payment_in_progress` while it is open, the paid view once
 * paid, else the key is spent.
 */
async function replay(parts: FlowParts, record: PaymentRecord, input: NewPaymentInput): Promise<PaymentRecord> {
  if (record.orderId !== input.orderId) throw new IzlyPayError(409, 'idempotency_key_reused', 'This Idempotency-Key was used for another order');
  const keyTooOld = input.payerFromKey && parts.options.clock.now() - Date.parse(record.createdAt) > KEY_AS_PAYER_MS;
  if (keyTooOld || !(await parts.binding.isPayerOf(input.payer, record.id))) {
    if (isOpenStatus(record.status)) throw inAnotherBrowser();
    if (record.status === 'paid') throw new OrderAlreadyPaidError(record);
    throw new IzlyPayError(409, 'idempotency_key_reused', 'This Idempotency-Key was used for another payment attempt; send a new one');
  }
  return parts.reader.refreshQuietly(await settledCreation(parts, record), 'create');
}

function sameOrder(open: PaymentRecord, amount: number): PaymentRecord {
  if (open.amount !== amount) {
    throw new IzlyPayError(409, 'order_amount_changed', 'A payment of another amount is in progress for this order; finish or cancel it first');
  }
  return open;
}

/**
 * Asks Izly for the operation and moves the record to pending with its authorization URL, or to failed. A
 * reference Izly says it has seen (710) is replaced by the next one and tried once more: Izly created
 * nothing, and the reference may have been used outside this store (another process on the same point of
 * sale, a database restored from an older backup).
 */
async function initiate(parts: FlowParts, record: PaymentRecord, attempt: number): Promise<PaymentRecord> {
  const { transitions } = parts;
  let current = record;
  for (let tries = 1; ; tries++) {
    try {
      return await askIzly(parts, current);
    } catch (error) {
      if (!(error instanceof IzlyError)) throw error;
      await parts.options.store.appendEvent({
        paymentId: current.id,
        at: transitions.nowIso(),
        type: 'izly_initiate_failed',
        detail: { error: error.name, message: error.message, clientOrderId: current.clientOrderId },
      });
      const renumbered = tries === 1 && isReferenceTaken(error) ? await withNextReference(parts, current, attempt) : null;
      if (renumbered) {
        current = renumbered;
        continue;
      }
      // Whether Izly refused or the answer was lost, its authorization URL never reached anyone, so no one
      // can pay that operation: the record fails and a new click starts a new payment.
      const failure = fromIzlyError(error);
      await transitions.move(current, ['created'], { status: 'failed', failureReason: failure.code, updatedAt: transitions.nowIso() });
      throw failure;
    }
  }
}

function isReferenceTaken(error: IzlyError): boolean {
  return error instanceof IzlyApiError && Number(error.code) === REFERENCE_TAKEN_AT_IZLY;
}

/** The record, still `created`, with the reference of the next free attempt number; null when it moved meanwhile. */
async function withNextReference(parts: FlowParts, record: PaymentRecord, attempt: number): Promise<PaymentRecord | null> {
  for (let number = attempt + 1; number <= attempt + REFERENCE_TRIES; number++) {
    try {
      return await parts.options.store.transition(record.id, ['created'], {
        clientOrderId: attemptReference(record.orderId, number),
        updatedAt: parts.transitions.nowIso(),
      });
    } catch (error) {
      if (!(error instanceof PaymentConflictError) || error.reason !== 'client_order_id') throw error;
    }
  }
  return null;
}

/** One initiate call at Izly for the record; on success the record is pending. Throws Izly's error as is. */
async function askIzly(parts: FlowParts, record: PaymentRecord): Promise<PaymentRecord> {
  const { client, signer, reader, transitions } = parts;
  const { store, software } = parts.options;
  const initiated = await client.initiatePayment({
    amount: record.amount,
    clientOrderId: record.clientOrderId,
    callbackParameters: await signer.callbackParameters(record.id),
    redirectUrlAfterPayment: redirectUrlFor(record.returnUrl, record.id),
    ...(record.message !== null ? { message: record.message } : {}),
    ...(software !== undefined ? { software } : {}),
  });
  requireSafeAuthorizationUrl(initiated.authorizationUrl, client.baseUrl);
  const at = transitions.nowIso();
  await transitions.checkBeneficiary(record, initiated.beneficiary.clientId, 'initiate');
  // Izly just told the status: no poll needs to ask before the interval, here or, through a shared store, elsewhere.
  reader.readAgainLater(initiated.operationId);
  await store.claimStatusRead?.(record.id, 0);
  // Izly's answer, its log entry and the move to pending in one transaction: one commit for this step.
  const initiatedEvent = {
    paymentId: record.id,
    at,
    type: 'izly_initiated' as const,
    detail: { operationId: initiated.operationId, izlyStatus: initiated.status.raw, clientOrderId: record.clientOrderId },
  };
  return transitions.move(
    record,
    ['created'],
    {
      status: 'pending',
      operationId: initiated.operationId,
      authorizationUrl: initiated.authorizationUrl,
      izlyStatus: initiated.status.raw || null,
      updatedAt: at,
    },
    { events: [initiatedEvent] },
  );
}

/** Waits (bounded) for a record still being created by another request to get its Izly answer. */
async function settledCreation(parts: FlowParts, record: PaymentRecord): Promise<PaymentRecord> {
  const { store, clock, timeoutMs } = parts.options;
  // The longest a creation can be in flight: each of Izly's answers is awaited at most `timeoutMs` (an
  // initiation is tried again only once, after a 710), plus slack for the store. A record still `created`
  // after that was left by a crash.
  const abandonedCreationMs = 2 * (timeoutMs ?? 10_000) + 5_000;
  // The deadline is a timer, not a reading, so that it passes even on a clock that is never moved.
  const pastDeadline = new AbortController();
  const cancelDeadline = clock.setTimer(SETTLE_WAIT_MS, () => pastDeadline.abort());
  let current = record;
  try {
    while (current.status === 'created' && current.operationId === null && !pastDeadline.signal.aborted) {
      if (clock.now() - Date.parse(current.createdAt) >= abandonedCreationMs) {
        // Abandoned: its authorization URL, if Izly made one, never reached anyone, so no one can pay it.
        return parts.transitions.move(current, ['created'], {
          status: 'failed',
          failureReason: 'initiation_incomplete',
          updatedAt: parts.transitions.nowIso(),
        });
      }
      await parts.waiters.wait(current.id, 1_000, pastDeadline.signal);
      current = (await store.get(current.id)) ?? current;
    }
  } finally {
    cancelDeadline();
  }
  if (current.status === 'created') throw new IzlyPayError(409, 'payment_in_progress', 'This payment is still being created; try again in a moment');
  return current;
}

/**
 * The order's payments, with those the adapter expired while Izly still said pending read again first: Izly
 * has no cancel call, so such an attempt's page may have been paid since, and a new attempt would then make
 * the student pay twice (`order_already_paid` instead). A read that fails leaves the attempt as it is.
 */
async function settleExpiredAttempts(parts: FlowParts, ofOrder: PaymentRecord[]): Promise<PaymentRecord[]> {
  if (!ofOrder.some((record) => record.status === 'expired')) return ofOrder;
  return Promise.all(
    ofOrder.map(async (record) => {
      if (record.status !== 'expired' || record.operationId === null || record.failureReason !== EXPIRED_WHILE_PENDING) return record;
      return parts.reader.read(record, 'fresh', 'create').catch(() => record);
    }),
  );
}

/** The order's open payment (from its payments) for a new click: settled, and refreshed so that a failed one does not block. */
async function existingOpenPayment(parts: FlowParts, open: PaymentRecord | undefined): Promise<PaymentRecord | null> {
  if (!open) return null;
  // A new click is rare and deliberate: read Izly now, so that a payment the student cancelled or that
  // was refused (callback not come yet) does not block the retry.
  const current = await settledCreation(parts, open);
  let settled: PaymentRecord;
  try {
    settled = isOpenStatus(current.status) ? await parts.reader.read(current, 'fresh', 'create') : current;
  } catch (error) {
    if (!(error instanceof IzlyApiError && error.isUnknownOperation)) {
      // Izly failing (or answering for another payment) must not fail the click: the payment stays as stored.
      if (!(error instanceof IzlyError || error instanceof MismatchError)) throw error;
      parts.options.logger.warn(`izly-pay: status read for payment ${current.id} failed: ${error.message}`);
      return openOrNull((await parts.options.store.get(current.id)) ?? current);
    }
    // Izly no longer knows the operation (356: purged, or a sandbox restarted): no one can pay its page, so
    // it is closed and the click starts a new attempt at once rather than handing back a dead page.
    settled = await parts.transitions.move(current, OPEN_STATUSES, {
      status: 'expired',
      failureReason: 'izly_unknown_operation',
      updatedAt: parts.transitions.nowIso(),
    });
  }
  return openOrNull(settled);
}

function openOrNull(record: PaymentRecord): PaymentRecord | null {
  return isOpenStatus(record.status) ? record : null;
}
