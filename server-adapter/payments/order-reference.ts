// What the adapter sends Izly as `ClientOrderId`: its own reference per payment (attempt), because Izly
// refuses one it has seen before (Xpollens' 710 "OrderId déjà existant.") and a student must be able to pay
// an order again after a cancel, a refusal or an expiry. Staff read it in Izly's back office: the order id
// for the first attempt, then `<orderId>-2`, `<orderId>-3`…

/**
 * The longest order id accepted, in UTF-16 code units as Izly's .NET counts them: Izly (like the sandbox)
 * takes a `ClientOrderId` of at most 50, and this leaves room for a `-N` suffix of up to 9 characters.
 */
export const MAX_ORDER_ID_LENGTH = 40;

/** C0, DEL and C1 control characters: Izly refuses them, and the reference travels on in URLs and logs. */
const CONTROL_CHARACTER = /\p{Cc}/u;

/** True for an order id Izly accepts in a reference: 1 to 40 characters, not all blank, no control character. */
export function isValidOrderId(orderId: unknown): orderId is string {
  return typeof orderId === 'string' && orderId.length <= MAX_ORDER_ID_LENGTH && orderId.trim() !== '' && !CONTROL_CHARACTER.test(orderId);
}

/** The reference of an order's `attempt`-th payment (1 for the first). */
export function attemptReference(orderId: string, attempt: number): string {
  return attempt === 1 ? orderId : `${orderId}-${attempt}`;
}
