// Izly's operation statuses mapped to ours. Only `Completed` and `Refund` are documented; the former
// S-money API's names and numeric forms (contract, sections 4 and 5) may surface too. Names are matched
// case-insensitively; anything else means "not final yet" and the raw value is kept for diagnosis.

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

const BY_NAME: Record<string, IzlyOperationState> = {
  pending: 'pending',
  waitingvalidation: 'pending',
  inprogress: 'pending',
  completed: 'paid',
  succeeded: 'paid',
  success: 'paid',
  refund: 'refunded',
  refunded: 'refunded',
  canceled: 'cancelled',
  cancelled: 'cancelled',
  failed: 'failed',
  refused: 'failed',
  expired: 'expired',
};

// The S-money numeric forms: 0 pending, 1 completed, 2 refunded, 3 failed/refused, 4 waiting
// validation, 5 cancelled, 6 in progress, 7 expired.
const BY_NUMBER: readonly IzlyOperationState[] = ['pending', 'paid', 'refunded', 'failed', 'pending', 'cancelled', 'pending', 'expired'];

/**
 * Maps an Izly `OperationStatus` (string or number) to our state; never throws.
 * @example mapIzlyStatus('Completed').state === 'paid'; mapIzlyStatus(5).state === 'cancelled'
 */
export function mapIzlyStatus(value: unknown): IzlyStatus {
  const raw = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : value == null ? '' : JSON.stringify(value);
  const text = raw.trim();
  if (/^\d+$/.test(text)) {
    const state = BY_NUMBER[Number(text)];
    return state ? { state, raw, known: true } : { state: 'pending', raw, known: false };
  }
  const state = BY_NAME[text.toLowerCase().replace(/[\s_-]/g, '')];
  return state ? { state, raw, known: true } : { state: 'pending', raw, known: false };
}
