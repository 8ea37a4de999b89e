// `izly-pay/server`: the Izly client, the `izlyPay()` sub-app and the portable stores. Web-standard only;
// the SQLite store is in `izly-pay/server/sqlite` (Node).
export { izlyPay, type IzlyPayApp } from './izly-pay.js';
export type { IzlyPayOptions, IzlyPayLogger, OrderInfo } from './options.js';
export type { CallbackMode } from './payments/status-read-policy.js';
export { IzlyPayError, type IzlyPayErrorCode, type IzlyPayErrorStatus } from './errors.js';
export { CALLBACK_CODES, type ReconcileOptions, type ReconcileReport } from './payments/payment-service.js';
export type { PaymentView, CreatedPaymentView } from './payments/payment-view.js';
export { createIzlyClient, IZLY_PREPRODUCTION, IZLY_PRODUCTION, type IzlyClient, type IzlyClientOptions } from './izly/client.js';
export { IzlyError, IzlyApiError, IzlyTimeoutError, IzlyNetworkError, IzlyUnexpectedAnswerError, type IzlyCall } from './izly/errors.js';
export type { InitiatePaymentInput, InitiatedPayment, IzlyPayment, IzlyRefund, IzlyCallback } from './izly/web-payments.js';
export { parseIzlyCallback } from './izly/web-payments.js';
export type { IzlyTokens, IzlyUser } from './izly/connect.js';
export type { IzlyConnectOptions, ConnectTokens, ConnectSessionView, ConnectStateCheck } from './connect/options.js';
export type { IzlyConnectTokens } from './connect/tokens.js';
export { IzlyConnectError, type IzlyConnectErrorCode, type IzlyConnectErrorStatus } from './connect/errors.js';
export { POPUP_MESSAGE_TYPE as CONNECT_POPUP_MESSAGE_TYPE, RETURN_PARAM as CONNECT_RETURN_PARAM } from './connect/pages.js';
export { mapIzlyStatus, type IzlyStatus, type IzlyOperationState } from './izly/status.js';
export { centsFromEuros, centsFromCentsDecimal, matchAmount, type AmountMatch } from './izly/amounts.js';
export { parseIzlyDate } from './izly/dates.js';
export { memoryStore } from './stores/memory-store.js';
export {
  PaymentConflictError,
  OPEN_STATUSES,
  isOpenStatus,
  hookForStatus,
  newPaymentRecord,
  type NewPaymentFields,
  type PaymentHookName,
  type TransitionCondition,
  type PaymentStore,
  type PaymentRecord,
  type PaymentStatus,
  type PaymentPatch,
  type PaymentEvent,
  type PaymentEventType,
  type NewPaymentEvent,
} from './stores/payment-store.js';
