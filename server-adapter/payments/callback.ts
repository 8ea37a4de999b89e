// POST /callback: Izly says a payment changed. The callback is only a hint: once its signature (ours, in
// `CallbackParameters`) checks out, the payment is read at Izly, and that read decides. A refused callback
// is answered with Izly's `{ Code, ErrorMessage }` shape and a code of our own.
import { IzlyError } from '../izly/errors.js';
import type { IzlyCallback } from '../izly/web-payments.js';
import type { CallbackSigner } from './callback-signature.js';
import type { PaymentRecord, PaymentStatus } from '../stores/payment-store.js';
import type { FlowParts } from './flow-parts.js';
import { MismatchError } from './transitions.js';

/** Why a callback was refused, with the answer Izly gets (`{ Code, ErrorMessage }`). */
export class CallbackRefusal extends Error {
  override name = 'CallbackRefusal' as const;
  constructor(
    readonly httpStatus: 400 | 403 | 404 | 409 | 429 | 502,
    readonly izlyCode: number,
    message: string,
    /** With a 429: the ms after which the callback is welcome again (`Retry-After`). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Callback answer codes (our own; Izly documents only 0 for success). */
export const CALLBACK_CODES = { invalidSignature: 1, unknownPayment: 2, mismatch: 3, izlyUnavailable: 4, invalidRequest: 5, rateLimited: 6 } as const;

/**
 * The signed payment id of a callback, wherever this Izly put our `CallbackParameters`
 * (`izly-partner-api.md` 4b): `inUrl` holds the URL's places as query strings (its query, the path after
 * `/callback` when Izly concatenates literally, the value of one encoded `CallbackParameters` parameter),
 * then the body's `OperationSMoney.CallbackParameters` and `ClientParameters`. The first place holding both
 * `p` and `s` decides: a wrong signature there is not rescued by another place. Null when unsigned.
 */
async function signedPaymentId(signer: CallbackSigner, inUrl: readonly string[], callback: IzlyCallback): Promise<string | null> {
  for (const place of [...inUrl, callback.callbackParameters, callback.clientParameters]) {
    if (!place) continue;
    const parameters = new URLSearchParams(place.replace(/^[/?&]+/, ''));
    const p = parameters.get('p');
    const s = parameters.get('s');
    if (p && s) return (await signer.verify(p, s)) ? p : null;
  }
  return null;
}

/** Every status: keeping what Izly says of the AD changes no status, whatever the payment's. */
const ANY_STATUS: readonly PaymentStatus[] = ['created', 'pending', 'paid', 'refunded', 'failed', 'cancelled', 'expired'];

/**
 * Keeps the callback's `User.ClientCode` and `NumeroAffectation` on the record for staff. The GET's
 * `CustomerClientCode`, applied by the read that follows, wins over the callback's.
 */
async function keepCustomerDetails(parts: FlowParts, record: PaymentRecord, user: IzlyCallback['user']): Promise<void> {
  const clientCode = record.customerClientCode ?? user.clientCode;
  const assignmentNumber = user.assignmentNumber ?? record.customerAssignmentNumber;
  if (clientCode === record.customerClientCode && assignmentNumber === record.customerAssignmentNumber) return;
  await parts.options.store.transition(record.id, ANY_STATUS, {
    customerClientCode: clientCode,
    customerAssignmentNumber: assignmentNumber,
    updatedAt: record.updatedAt,
  });
}

/** Handles a callback; `inUrl` are the places of its URL where the signature may be (see `signedPaymentId`). */
export async function handleCallback(parts: FlowParts, inUrl: readonly string[], callback: IzlyCallback): Promise<PaymentRecord> {
  const { signer, reader, transitions } = parts;
  const { store, logger } = parts.options;
  const paymentId = await signedPaymentId(signer, inUrl, callback);
  if (paymentId === null) {
    logger.warn('izly-pay: callback refused: missing or invalid signature');
    throw new CallbackRefusal(403, CALLBACK_CODES.invalidSignature, 'Invalid callback signature');
  }
  const record = await store.get(paymentId);
  if (!record) throw new CallbackRefusal(404, CALLBACK_CODES.unknownPayment, 'Unknown payment');
  // A signed callback replayed in a loop (its URL seen somewhere) must not grow the log or reach Izly at
  // will. Past the limit, a paid or refunded payment's is acknowledged with nothing recorded (there is
  // nothing to confirm); another is refused for a while: Izly retries it, and status reads settle it anyway.
  const retryAfterMs = parts.limits.callback(paymentId);
  if (retryAfterMs > 0) {
    if (record.status === 'paid' || record.status === 'refunded') return record;
    throw new CallbackRefusal(429, CALLBACK_CODES.rateLimited, 'Too many callbacks for this payment; try again later', retryAfterMs);
  }
  // Signed by us and about a payment we made: only Izly, which alone received the signature, sends this.
  reader.noteCallback();
  const at = transitions.nowIso();
  await store.appendEvent({
    paymentId: record.id,
    at,
    type: 'callback',
    detail: { operationId: callback.operationId, izlyStatus: callback.status.raw, errorCode: callback.error?.code ?? null, amount: callback.amountRaw },
  });
  const refuse = async (reason: string) => {
    await store.appendEvent({ paymentId: record.id, at, type: 'callback_refused', detail: { reason } });
    logger.warn(`izly-pay: callback for payment ${record.id} refused: ${reason}`);
    return new CallbackRefusal(409, CALLBACK_CODES.mismatch, reason);
  };
  if (callback.operationId !== null && record.operationId !== null && callback.operationId !== record.operationId) {
    throw await refuse('the callback names another operation');
  }
  // The callback's `ClientOrderId` is the reference this payment was sent with.
  if (callback.clientOrderId !== null && callback.clientOrderId !== record.clientOrderId) throw await refuse('the callback names another order');
  const operationId = record.operationId ?? callback.operationId;
  if (operationId === null) throw await refuse('no operation id to confirm');
  await keepCustomerDetails(parts, record, callback.user);
  // Nothing a callback says can change a paid or refunded payment (refunds go through this adapter):
  // acknowledge replays without asking Izly again.
  if (record.status === 'paid' || record.status === 'refunded') return record;

  const failureHint =
    callback.error && callback.error.code !== 0 ? `izly_error_${callback.error.code}${callback.error.message ? `: ${callback.error.message}` : ''}` : undefined;
  try {
    return await reader.read(record, 'fresh', 'callback', failureHint?.slice(0, 200), operationId);
  } catch (error) {
    if (error instanceof MismatchError) throw await refuse(error.message);
    if (error instanceof IzlyError) {
      // Izly will call again (or reconcile will settle it): nothing was decided.
      throw new CallbackRefusal(502, CALLBACK_CODES.izlyUnavailable, 'Could not confirm the payment with Izly; try again later');
    }
    throw error;
  }
}
