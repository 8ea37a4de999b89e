// Izly's operation statuses mapped to ours. Only `Completed` and `Refund` are documented; the former
// S-money API's names and Xpollens' (contract, sections 4, 4b and 5) and their numeric forms may surface
// too. The mapping is exact, since a status is what decides that a payment is paid: a name counts once
// trimmed and compared without regard to case, a number only as a JSON integer or its plain decimal text
// (`"1"`, `"-1"`; not `"01"`, `" 1 "`, `"1.0"`). Anything else means "not final yet" (never paid) and the
// raw value is kept for diagnosis.

/** Where Izly says an operation stands, in our words. `pending` also covers every unknown value. */
export type IzlyOperationState = 'pending' | 'paid' | 'refunded' | 'failed' | 'cancelled' | 'expired';

/** Izly's status read: our name, Izly's raw value as text, and whether the value was one we know. */
export interface IzlyStatus {
  state: IzlyOperationState;
  /** Izly's value verbatim (`"Completed"`, `"1"`, `""`), for diagnosis. */
  raw: string;
  /** False when Izly sent a value this mapping does not know (then `state` is `pending`). */
  known: boolean;
}

/** Every name of the document, of S-money and of Xpollens' swagger, lower case. */
const BY_NAME: ReadonlyMap<string, IzlyOperationState> = new Map([
  ['pending', 'pending'],
  ['waitingvalidation', 'pending'],
  ['waitingremittance', 'pending'],
  ['registered', 'pending'],
  ['inprogress', 'pending'],
  ['completed', 'paid'],
  ['succeeded', 'paid'],
  ['refund', 'refunded'],
  ['refunded', 'refunded'],
  ['failed', 'failed'],
  ['refused', 'failed'],
  ['canceled', 'cancelled'],
  ['cancelled', 'cancelled'],
  ['expired', 'expired'],
]);

// The numeric forms: -1 unknown (to Izly: not final), 0 pending, 1 completed, 2 refunded, 3 failed or
// refused, 4 waiting validation, 5 cancelled, 6 in progress or waiting to be sent, 7 expired.
const BY_NUMBER: ReadonlyMap<number, IzlyOperationState> = new Map([
  [-1, 'pending'],
  [0, 'pending'],
  [1, 'paid'],
  [2, 'refunded'],
  [3, 'failed'],
  [4, 'pending'],
  [5, 'cancelled'],
  [6, 'pending'],
  [7, 'expired'],
]);

/** The number a status value stands for: a JSON integer, or the integer's own decimal text; else null. */
function statusNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^(0|-?[1-9]\d{0,2})$/.test(value)) return Number(value);
  return null;
}

function rawText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value == null ? '' : JSON.stringify(value);
}

/**
 * Maps an Izly `OperationStatus` (string or number) to our state; never throws.
 * @example mapIzlyStatus('Completed').state === 'paid'; mapIzlyStatus(5).state === 'cancelled'; mapIzlyStatus('Success').known === false
 */
export function mapIzlyStatus(value: unknown): IzlyStatus {
  const raw = rawText(value);
  const number = statusNumber(value);
  const state = number === null ? (typeof value === 'string' ? BY_NAME.get(value.trim().toLowerCase()) : undefined) : BY_NUMBER.get(number);
  return state ? { state, raw, known: true } : { state: 'pending', raw, known: false };
}
