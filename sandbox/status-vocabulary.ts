// How an operation's state is named on the wire (`OperationSMoney.Status`, `OperationStatus`), by the
// `statusVocabulary` switch. The sandbox keeps the document's names inside; only the answers change.
import type { IzlyBehaviour } from './izly-behaviour.js';
import type { Operation, OperationStatus } from './sandbox-state.js';

/**
 * S-money's names (izly-partner-api.md 4 and 4b). A pending operation is `WaitingValidation` once the AD
 * has the page in front of them; `WaitingRemittance`, `Registered` and `InProgress` name moments the
 * sandbox's flow does not have, so they are never sent.
 */
const S_MONEY_NAMES: Record<OperationStatus, string> = {
  Pending: 'Pending',
  Completed: 'Succeeded',
  Canceled: 'Canceled',
  Failed: 'Failed',
  Expired: 'Expired',
  Refund: 'Refund',
};

/**
 * The numeric forms of sections 4 and 4b: 0 pending, 1 completed, 2 refunded, 3 failed/refused, 4 waiting
 * validation, 5 cancelled, 7 expired (4 only; 4b has 6 for "waiting to be sent" and -1 for unknown).
 */
const NUMERIC_CODES: Record<OperationStatus, number> = {
  Pending: 0,
  Completed: 1,
  Refund: 2,
  Failed: 3,
  Canceled: 5,
  Expired: 7,
};
const NUMERIC_WAITING_VALIDATION = 4;

/** The operation's status as the chosen vocabulary writes it: a name, or a JSON number. */
export function wireStatus(operation: Operation, vocabulary: IzlyBehaviour['statusVocabulary']): string | number {
  const waitingValidation = operation.status === 'Pending' && operation.pageOpenedAt !== null;
  switch (vocabulary) {
    case 'document':
      return operation.status;
    case 's-money':
      return waitingValidation ? 'WaitingValidation' : S_MONEY_NAMES[operation.status];
    case 'numeric':
      return waitingValidation ? NUMERIC_WAITING_VALIDATION : NUMERIC_CODES[operation.status];
  }
}
