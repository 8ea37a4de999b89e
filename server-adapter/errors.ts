// Errors of the adapter itself, with the one JSON shape that reaches a browser:
// `{ "error": { "code": "...", "message": "..." } }`. Nothing secret in either field.
import { IzlyApiError, IzlyError, IzlyTimeoutError, IzlyUnexpectedAnswerError } from './izly/errors.js';

/** Stable machine codes of the adapter's error answers. */
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
  | 'internal_error';

export type IzlyPayErrorStatus = 400 | 403 | 404 | 405 | 409 | 415 | 500 | 502 | 504;

/** An error the adapter answers with (routes) or throws (`refund`, `reconcile`). */
export class IzlyPayError extends Error {
  override name = 'IzlyPayError' as const;
  readonly code: IzlyPayErrorCode;
  readonly status: IzlyPayErrorStatus;

  constructor(status: IzlyPayErrorStatus, code: IzlyPayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.code = code;
  }

  /** The JSON body of the answer. */
  toJSON(): { error: { code: IzlyPayErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** An Izly client error as the adapter's error: 504 for a timeout, 502 otherwise. */
export function fromIzlyError(error: IzlyError): IzlyPayError {
  if (error instanceof IzlyTimeoutError) return new IzlyPayError(504, 'izly_timeout', 'Izly did not answer in time; try again', { cause: error });
  if (error instanceof IzlyUnexpectedAnswerError) return new IzlyPayError(502, 'izly_bad_answer', 'Izly sent an answer that could not be read; try again', { cause: error });
  if (error instanceof IzlyApiError && error.httpStatus < 500 && ![408, 429].includes(error.httpStatus)) {
    const reason = error.errorMessage || error.title || `HTTP ${error.httpStatus}`;
    return new IzlyPayError(502, 'izly_error', `Izly refused the request: ${reason}`, { cause: error });
  }
  return new IzlyPayError(502, 'izly_unavailable', 'Izly is unavailable; try again', { cause: error });
}
