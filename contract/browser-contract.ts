// The browser contract: everything the adapter (server-adapter/) and the widget (widget/) both say to each
// other, written once. Types and constants only, importing nothing: the widget takes the types with
// `import type` and the few constants inline, so no server code can reach its bundle through this file
// (test/server/widget/bundle-contents.test.ts checks both).

// ---- Payments: `POST /payments`, `GET /payments/:paymentId` ----

/** A payment's status, in our own words (the adapter maps Izly's statuses onto these). */
export type PaymentStatus = 'created' | 'pending' | 'paid' | 'refunded' | 'failed' | 'cancelled' | 'expired';

/**
 * A payment as `GET /payments/:paymentId` answers it: what a browser may see. Never the idempotency key,
 * the Izly operation, the failure details or (unless the partner opts in) the customer's e-mail.
 */
export interface PaymentView {
  paymentId: string;
  orderId: string;
  status: PaymentStatus;
  /** Integer cents, decided by the partner's server (never by the page). */
  amount: number;
  currency: 'EUR';
  createdAt: string;
  updatedAt: string;
  paidAt?: string;
  refundedAt?: string;
  /** Only with the adapter's `exposeCustomerEmail: true`, once Izly reported it. */
  customerEmail?: string;
  /** Why the payment did not go through; only on a `failed`, `cancelled` or `expired` payment. */
  failureReason?: PaymentFailureReason;
}

/**
 * Why a payment did not go through, in a stable code the adapter derives from Izly's reason (the callback's
 * `Error`, the status, the error code): `insufficient_balance` (balance too low: sandbox code 2002, Xpollens
 * 110; topping up the Izly account and trying again can work), `unpaid_debt` (an unpaid debt to settle with
 * the CROUS first), `account_blocked` (the account may not pay), `cancelled` (the student cancelled on Izly),
 * `expired` (never decided in time), `unknown` (any other refusal, or a payment that could not start at Izly).
 */
export type PaymentFailureReason = 'insufficient_balance' | 'unpaid_debt' | 'account_blocked' | 'cancelled' | 'expired' | 'unknown';

/** A payment as `POST /payments` answers it: the view plus the Izly page to send the student to. */
export interface CreatedPaymentView extends PaymentView {
  /**
   * Izly's authorization page; null when the payment could not be initiated (the same `Idempotency-Key`
   * again, after a creation that failed at Izly, answers that failed payment).
   */
  authorizationUrl: string | null;
}

/** The body of `POST /payments` (any other field, an amount included, is ignored). */
export interface CreatePaymentRequest {
  orderId: string;
  /** Where Izly sends the student back, with {@link PAYMENT_RETURN_PARAM} added. */
  returnUrl: string;
}

/** Added by the adapter to `returnUrl` when Izly sends the student back: `?izly_payment=<paymentId>`. */
export const PAYMENT_RETURN_PARAM = 'izly_payment';

/** The `name` of the popup window `<izly-pay-button mode="popup">` opens: the adapter's cancel page looks for it. */
export const PAY_POPUP_NAME = 'izly-pay';

/**
 * The `type` of the message posted to the button that opened the popup when the student is back from Izly:
 * by the partner's return page (`{ type, paymentId }`), or by the adapter's cancel page (`{ type }`; Izly's
 * one "URL after cancellation" does not say which payment). The button then reads its payment.
 */
export const PAY_RETURN_MESSAGE_TYPE = 'izly-pay:return';

/** `GET /payments/:paymentId?wait=N`: seconds the adapter may hold the answer while the payment is open. */
export const WAIT_PARAM = 'wait';

/**
 * `GET /payments/:paymentId?returned=1`: the student is back from Izly (the button's first read then), so
 * the read may reach Izly sooner (a cancel sends no callback).
 */
export const RETURNED_PARAM = 'returned';

// ---- IzlyConnect: `GET /connect/login`, the way back, the popup's last page ----

/** How a login runs: the whole page goes to Izly, or a small window does. */
export type ConnectMode = 'redirect' | 'popup';

/** Added by the adapter to the return URL after a login: `izly_connect=<outcome>`. */
export const CONNECT_RETURN_PARAM = 'izly_connect';

/** The `type` of the message the adapter's last page in a popup login posts to `window.opener`. */
export const CONNECT_POPUP_MESSAGE_TYPE = 'izly-connect:done';

/** What a login ended with, as {@link CONNECT_RETURN_PARAM} carries it. */
export type ConnectOutcome = 'success' | IzlyConnectErrorCode;

/** The message the adapter's last page in a popup login posts to `window.opener`. */
export type ConnectPopupMessage =
  | { type: typeof CONNECT_POPUP_MESSAGE_TYPE; ok: true }
  | { type: typeof CONNECT_POPUP_MESSAGE_TYPE; ok: false; error: { code: IzlyConnectErrorCode; message: string } };

// ---- Errors: `{ "error": { "code": "...", "message": "..." } }` ----

/** The one shape of an error answer that reaches a browser; nothing secret in either field. */
export interface ErrorAnswer<Code extends string> {
  error: { code: Code; message: string };
  /**
   * The payment the error is about, when there is one to show: with `order_already_paid` (HTTP 409 to
   * `POST /payments`), the order's paid payment, so that a stale tab shows it paid rather than an error.
   */
  payment?: PaymentView;
}

/** Stable machine codes of the payment routes' error answers (README, *Error answers*). */
export type IzlyPayErrorCode =
  | 'invalid_request'
  | 'unsupported_content_type'
  | 'missing_idempotency_key'
  | 'invalid_idempotency_key'
  | 'invalid_order_id'
  | 'invalid_return_url'
  | 'return_url_not_allowed'
  | 'invalid_wait'
  | 'origin_not_allowed'
  | 'method_not_allowed'
  | 'not_found'
  | 'request_timeout'
  | 'forbidden'
  | 'unknown_order'
  | 'payment_not_found'
  | 'idempotency_key_reused'
  | 'order_already_paid'
  | 'order_amount_changed'
  | 'payment_in_progress'
  | 'already_refunded'
  | 'not_refundable'
  | 'refund_in_progress'
  | 'izly_error'
  | 'izly_unavailable'
  | 'izly_bad_answer'
  | 'izly_timeout'
  | 'rate_limited'
  | 'internal_error';

/** Stable machine codes of the IzlyConnect errors (JSON answers, pages, the return URL, the popup's message). */
export type IzlyConnectErrorCode =
  | 'invalid_mode'
  | 'invalid_return_url'
  | 'return_url_not_allowed'
  | 'cross_site_request'
  | 'login_not_started'
  | 'login_expired'
  | 'state_mismatch'
  | 'state_missing'
  | 'missing_code'
  | 'login_cancelled'
  | 'code_rejected'
  | 'refresh_rejected'
  | 'login_failed'
  | 'izly_error'
  | 'izly_unavailable'
  | 'izly_bad_answer'
  | 'izly_timeout'
  | 'method_not_allowed'
  | 'internal_error';

/**
 * The widget's own codes for a call to the adapter that brought no error answer: `network_error` (no
 * answer, or one cut short), `http_<status>` (an answer not in the adapter's shape: a proxy's error page,
 * an `endpoint` where the adapter is not mounted).
 */
export type AdapterClientErrorCode = 'network_error' | `http_${number}`;

/**
 * The `code` of `izly-pay-error`: the adapter's, the client's, or the button's own: `verification_timeout`
 * (the server did not confirm the payment in time) and `unexpected` (the widget itself failed).
 */
export type PayButtonErrorCode = IzlyPayErrorCode | AdapterClientErrorCode | 'verification_timeout' | 'unexpected';

/** The `code` of `izly-connect-error`: the adapter's, or `popup_closed` (closed before the login ended). */
export type ConnectButtonErrorCode = IzlyConnectErrorCode | 'popup_closed';
