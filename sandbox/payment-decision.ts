// What happens when the AD decides on the payment page. Each function checks and changes the operation
// without awaiting anything in between, so two tabs posting at once cannot both decide it.
import type { CallbackDispatcher } from './callbacks.js';
import { REFUSAL_ERRORS, refusalCode } from './partner-errors.js';
import type { Operation, OperationStatus, SandboxState } from './sandbox-state.js';

export type ValidationOutcome =
  | { kind: 'accepted' }
  | { kind: 'refused'; reason: 'unpaid-debt' | 'insufficient-balance'; message: string }
  | { kind: 'bad-credentials' }
  | { kind: 'already-decided'; status: OperationStatus };

/**
 * Validate, in the contract's order: identifier and password, then eligibility (no unpaid debt), then
 * balance. Accepted: the account is debited, the POS credited, the operation `Completed`, the callback
 * scheduled. Refused: the operation `Failed` and a failure callback scheduled. Wrong credentials change nothing.
 */
export function validatePayment(
  state: SandboxState,
  callbacks: CallbackDispatcher,
  operation: Operation,
  identifier: string,
  password: string,
): ValidationOutcome {
  if (operation.status !== 'Pending') return { kind: 'already-decided', status: operation.status };
  const account = state.findAccount(identifier);
  if (!account || account.password !== password) return { kind: 'bad-credentials' };

  const pos = state.pointOfSale(operation.appIdentifier);
  const refusal = account.unpaidDebt
    ? { reason: 'unpaid-debt' as const, ...REFUSAL_ERRORS.unpaidDebt }
    : account.balance < operation.amount
      ? { reason: 'insufficient-balance' as const, ...REFUSAL_ERRORS.insufficientBalance }
      : undefined;

  operation.customerEmail = account.email;
  operation.decidedAt = new Date(state.now()).toISOString();
  if (refusal) {
    operation.status = 'Failed';
    operation.errorCode = refusalCode(state.izly.errorCodes, refusal);
    operation.errorMessage = refusal.message;
  } else {
    account.balance -= operation.amount;
    if (pos) pos.balance += operation.amount;
    operation.status = 'Completed';
  }
  callbacks.schedule(operation, account);
  return refusal ? { kind: 'refused', reason: refusal.reason, message: refusal.message } : { kind: 'accepted' };
}

/** Cancel (the Annuler button or "Mot de passe oublié ?"): `Canceled`, no callback. False when already decided. */
export function cancelPayment(state: SandboxState, operation: Operation): boolean {
  if (operation.status !== 'Pending') return false;
  operation.status = 'Canceled';
  operation.decidedAt = new Date(state.now()).toISOString();
  return true;
}
