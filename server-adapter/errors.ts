// Errors of the adapter itself, with the one JSON shape that reaches a browser:
// `{ "error": { "code": "...", "message": "..." } }`. Nothing secret in either field.
import type { IzlyPayErrorCode } from '../contract/browser-contract.js';
import { IzlyApiError, IzlyError, IzlyTimeoutError, IzlyUnexpectedAnswerError } from './izly/errors.js';

// The codes are part of the browser contract, which the widget reads too.
export type { IzlyPayErrorCode };

export type IzlyPayErrorStatus = 400 | 403 | 404 | 405 | 408 | 409 | 415 | 500 | 502 | 504;

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

/**
 * The one mapping of an Izly client error to an answer, shared by the payment and the IzlyConnect routes:
 * 504 when Izly took too long, 502 otherwise; the code tells a refusal of this request (`izly_error`) from
 * an outage or an unreadable answer (try again).
 */
export const IZLY_ERROR_ANSWERS = {
  izly_error: [502, 'Izly refused the request'],
  izly_unavailable: [502, 'Izly is unavailable; try again'],
  izly_bad_answer: [502, 'Izly sent an answer that could not be read; try again'],
  izly_timeout: [504, 'Izly did not answer in time; try again'],
} as const satisfies Record<string, readonly [IzlyPayErrorStatus, string]>;

/** The codes of `IZLY_ERROR_ANSWERS`. */
export type IzlyErrorAnswerCode = keyof typeof IZLY_ERROR_ANSWERS;

/** Which of the answers to Izly errors `error` gets. */
export function izlyErrorAnswerCode(error: IzlyError): IzlyErrorAnswerCode {
  if (error instanceof IzlyTimeoutError) return 'izly_timeout';
  if (error instanceof IzlyUnexpectedAnswerError) return 'izly_bad_answer';
  // A 4xx other than 408/429 is Izly refusing this very request; the rest may pass on a new attempt.
  if (error instanceof IzlyApiError && error.httpStatus < 500 && ![408, 429].includes(error.httpStatus)) return 'izly_error';
  return 'izly_unavailable';
}

/**
 * An Izly client error as the adapter's error (see `IZLY_ERROR_ANSWERS`), in our words only: Izly's own
 * text (French, unstable, possibly naming internals) stays on `cause`, which the mount's error handler logs.
 */
export function fromIzlyError(error: IzlyError): IzlyPayError {
  const code = izlyErrorAnswerCode(error);
  const [status, message] = IZLY_ERROR_ANSWERS[code];
  return new IzlyPayError(status, code, message, { cause: error });
}
