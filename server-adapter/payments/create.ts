// POST /payments: a new payment for an order, or the one already under way. The amount comes from the
// partner's `order()` hook, never from the browser; an Idempotency-Key replayed gives the same payment; an
// order has at most one open payment, and a paid order none.
import type { Context } from 'hono';
import { isValidCents } from '../izly/amounts.js';
import { IzlyError } from '../izly/errors.js';
import { IzlyPayError, fromIzlyError } from '../errors.js';
import { PaymentConflictError, isOpenStatus, newPaymentRecord, type PaymentRecord } from '../stores/payment-store.js';
import { PAYMENT_RETURN_PARAM } from '../../contract/browser-contract.js';
import { newPaymentId } from './callback-signature.js';
import type { FlowParts } from './flow-parts.js';

/** What `POST /payments` asks for, checked by the route. */
export interface NewPaymentInput {
  orderId: string;
  returnUrl: string;
  idempotencyKey: string;
}

/** The longest a record of another request may stay `created` before this one gives up waiting for it. */
const SETTLE_WAIT_MS = 30_000;

export async function createPayment(parts: FlowParts, input: NewPaymentInput, c: Context): Promise<{ record: PaymentRecord; created: boolean }> {
  const { store } = parts.options;
  const sameKey = await store.findByIdempotencyKey(input.idempotencyKey);
  if (sameKey) return { record: await replay(parts, sameKey, input.orderId), created: false };
  const order = await readOrder(parts, input.orderId, c);

  for (let attempt = 0; attempt < 3; attempt++) {
    // One lookup gives both the order's open payment and whether it is already paid.
    const ofOrder = await store.findByOrderId(input.orderId);
    const open = await existingOpenPayment(
      parts,
      ofOrder.find((record) => isOpenStatus(record.status)),
    );
    if (open) return { record: sameOrder(open, order.amount), created: false };
    if (ofOrder.some((record) => record.status === 'paid')) throw new IzlyPayError(409, 'order_already_paid', 'This order is already paid');

    const draft = newPaymentRecord({
      id: newPaymentId(),
      idempotencyKey: input.idempotencyKey,
      orderId: input.orderId,
      amount: order.amount,
      returnUrl: input.returnUrl,
      message: order.message,
      at: parts.transitions.nowIso(),
    });
    let record: PaymentRecord;
    try {
      record = await store.create(draft);
    } catch (error) {
      if (!(error instanceof PaymentConflictError)) throw error;
      if (error.reason === 'idempotency_key') return { record: await replay(parts, error.existing, input.orderId), created: false };
      continue; // another click won the order: go round and return its payment
    }
    return { record: await initiate(parts, record), created: true };
  }
  throw new IzlyPayError(409, 'payment_in_progress', 'This order is being paid in another request; try again');
}

/** The order as the partner's `order()` hook tells it; a hook that fails or answers nonsense is the partner's 500. */
async function readOrder(parts: FlowParts, orderId: string, c: Context): Promise<{ amount: number; message: string | null }> {
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

/** The same Idempotency-Key again: the same payment, once its creation is settled. */
async function replay(parts: FlowParts, record: PaymentRecord, orderId: string): Promise<PaymentRecord> {
  if (record.orderId !== orderId) throw new IzlyPayError(409, 'idempotency_key_reused', 'This Idempotency-Key was used for another order');
  return parts.reader.refreshQuietly(await settledCreation(parts, record), 'create');
}

function sameOrder(open: PaymentRecord, amount: number): PaymentRecord {
  if (open.amount !== amount) {
    throw new IzlyPayError(409, 'order_amount_changed', 'A payment of another amount is in progress for this order; finish or cancel it first');
  }
  return open;
}

/** Asks Izly for the operation and moves the record to pending with its authorization URL, or to failed. */
async function initiate(parts: FlowParts, record: PaymentRecord): Promise<PaymentRecord> {
  const { client, signer, reader, transitions } = parts;
  const { store } = parts.options;
  const redirect = new URL(record.returnUrl);
  redirect.searchParams.set(PAYMENT_RETURN_PARAM, record.id);
  try {
    const initiated = await client.initiatePayment({
      amount: record.amount,
      clientOrderId: record.orderId,
      callbackParameters: await signer.callbackParameters(record.id),
      redirectUrlAfterPayment: redirect.href,
      ...(record.message !== null ? { message: record.message } : {}),
    });
    const at = transitions.nowIso();
    await store.appendEvent({
      paymentId: record.id,
      at,
      type: 'izly_initiated',
      detail: { operationId: initiated.operationId, izlyStatus: initiated.status.raw },
    });
    // Izly just told the status: no poll needs to ask before the interval, here or, through a shared store, elsewhere.
    reader.readAgainLater(initiated.operationId);
    await store.claimStatusRead?.(record.id, 0);
    return transitions.move(record, ['created'], {
      status: 'pending',
      operationId: initiated.operationId,
      authorizationUrl: initiated.authorizationUrl,
      izlyStatus: initiated.status.raw || null,
      updatedAt: at,
    });
  } catch (error) {
    if (!(error instanceof IzlyError)) throw error;
    // Whether Izly refused or the answer was lost, its authorization URL never reached anyone, so no one
    // can pay that operation: the record fails and a new click starts a new payment.
    const failure = fromIzlyError(error);
    await store.appendEvent({
      paymentId: record.id,
      at: transitions.nowIso(),
      type: 'izly_initiate_failed',
      detail: { error: error.name, message: error.message },
    });
    await transitions.move(record, ['created'], { status: 'failed', failureReason: failure.code, updatedAt: transitions.nowIso() });
    throw failure;
  }
}

/** Waits (bounded) for a record still being created by another request to get its Izly answer. */
async function settledCreation(parts: FlowParts, record: PaymentRecord): Promise<PaymentRecord> {
  const { store, clock, timeoutMs } = parts.options;
  // The longest a creation can be in flight: Izly's answer is awaited at most `timeoutMs` (an initiation is
  // never retried), plus slack for the store. A record still `created` after that was left by a crash.
  const abandonedCreationMs = (timeoutMs ?? 10_000) + 5_000;
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

/** The order's open payment (from its payments) for a new click: settled, and refreshed so that a failed one does not block. */
async function existingOpenPayment(parts: FlowParts, open: PaymentRecord | undefined): Promise<PaymentRecord | null> {
  if (!open) return null;
  // A new click is rare and deliberate: read Izly now, so that a payment the student cancelled or that
  // was refused (callback not come yet) does not block the retry.
  const settled = await parts.reader.refreshQuietly(await settledCreation(parts, open), 'create', 'fresh');
  return isOpenStatus(settled.status) ? settled : null;
}
