// `izly-pay/server`: the `izlyPay()` sub-app, the Izly client and the portable store, with only what a
// partner calls, catches or implements (a `PaymentStore`, the hooks); the rest stays internal. Web-standard
// only; the SQLite and PostgreSQL stores are in `izly-pay/server/sqlite` and `izly-pay/server/postgres` (Node).

// The sub-app, its options and what its hooks receive.
export { izlyPay, type IzlyPayApp } from './izly-pay.js';
export type { IzlyPayOptions, IzlyPayLogger, OrderInfo } from './options.js';
export type { Clock } from './payments/clock.js';
/** The query parameter that carries the payment id on the student's way back from Izly (`?izly_payment=pay_…`). */
export { PAYMENT_RETURN_PARAM } from '../contract/browser-contract.js';
export type { CallbackMode } from './payments/status-read-policy.js';
export type { ReconcileOptions, ReconcileReport } from './payments/reconcile.js';
export type { ReconcilingOptions } from './payments/reconciling.js';
export { IzlyPayError, type IzlyPayErrorCode, type IzlyPayErrorStatus } from './errors.js';

// IzlyConnect: its options, the tokens and user handed to `onLogin`, the token helpers, its error.
export type { IzlyConnectOptions, ConnectTokens, ConnectSessionView, ConnectStateCheck } from './connect/options.js';
export type { IzlyConnectTokens } from './connect/tokens.js';
export { IzlyConnectError, type IzlyConnectErrorCode, type IzlyConnectErrorStatus } from './connect/errors.js';

// The Izly client on its own, the types of its calls and its error tree.
export { createIzlyClient, IZLY_PREPRODUCTION, IZLY_PRODUCTION, type IzlyClient, type IzlyClientOptions } from './izly/client.js';
export type { InitiatePaymentInput, InitiatedPayment, IzlyPayment, IzlyRefund } from './izly/web-payments.js';
export type { IzlyTokens, IzlyUser } from './izly/connect.js';
export type { IzlyStatus, IzlyOperationState } from './izly/status.js';
export { IzlyError, IzlyApiError, IzlyTimeoutError, IzlyNetworkError, IzlyUnexpectedAnswerError, type IzlyCall } from './izly/errors.js';

// Stores: the one in memory, and what another store implements.
export { memoryStore } from './stores/memory-store.js';
export {
  PaymentConflictError,
  type PaymentStore,
  type PaymentRecord,
  type PaymentStatus,
  type PaymentHookName,
  type PaymentPatch,
  type TransitionCondition,
  type PaymentEvent,
  type PaymentEventType,
  type NewPaymentEvent,
} from './stores/payment-store.js';
