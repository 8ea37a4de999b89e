// Errors of the IzlyConnect routes and helpers. Same JSON shape as the payment routes,
// `{ "error": { "code", "message" } }`, plus a sentence in French and in English for the HTML page a student sees.
// Nothing secret in any of them: no token, no code, no state.
import type { IzlyConnectErrorCode } from '../../contract/browser-contract.js';
import { IZLY_ERROR_ANSWERS, izlyErrorAnswerCode } from '../errors.js';
import { IzlyApiError, IzlyError } from '../izly/errors.js';

export type IzlyConnectErrorStatus = 400 | 401 | 403 | 405 | 500 | 502 | 504;

/**
 * Stable machine codes, each with its HTTP status, an English message (JSON, for developers), and the
 * sentence a student reads on a page, in French and in English (the shop's language picks one).
 */
const CONNECT_ERRORS = {
  invalid_mode: [400, 'mode must be "redirect" or "popup"', 'Le mode de connexion demandé est inconnu.', 'The requested login mode is unknown.'],
  invalid_return_url: [400, 'returnUrl must be an absolute http(s) URL', 'L’adresse de retour n’est pas valide.', 'The return address is not valid.'],
  return_url_not_allowed: [400, 'returnUrl is not on an allowed origin', 'L’adresse de retour n’est pas autorisée.', 'The return address is not allowed.'],
  cross_site_request: [
    403,
    'A login cannot be started from another site',
    'La connexion ne peut pas être lancée depuis un autre site.',
    'A login cannot be started from another site.',
  ],
  login_not_started: [
    400,
    'No login is in progress in this browser (cookie missing or invalid)',
    'Aucune connexion n’est en cours dans ce navigateur. Recommencez depuis le site.',
    'No login is in progress in this browser. Start again from the site.',
  ],
  login_expired: [
    400,
    'The login took too long; start again',
    'La connexion a pris trop de temps. Recommencez depuis le site.',
    'The login took too long. Start again from the site.',
  ],
  state_mismatch: [
    400,
    'The state returned by Izly does not match this browser’s login',
    'Cette réponse d’Izly ne correspond pas à la connexion lancée dans ce navigateur.',
    'This answer from Izly does not match the login started in this browser.',
  ],
  state_missing: [
    400,
    'Izly returned no state, which this site requires',
    'La réponse d’Izly est incomplète (paramètre state absent).',
    'Izly’s answer is incomplete (no state parameter).',
  ],
  missing_code: [400, 'Izly returned no authorization code', 'La réponse d’Izly ne contient pas de code de connexion.', 'Izly’s answer holds no login code.'],
  login_cancelled: [403, 'The login was cancelled on Izly', 'La connexion avec Izly a été annulée.', 'The Izly login was cancelled.'],
  code_rejected: [
    400,
    'Izly refused the authorization code (expired, already used or issued to another site)',
    'Le code de connexion a expiré ou a déjà servi. Recommencez depuis le site.',
    'The login code has expired or was already used. Start again from the site.',
  ],
  refresh_rejected: [
    401,
    'Izly refused the refresh token (unknown, already used or revoked): log in again',
    'La session Izly a expiré. Reconnectez-vous.',
    'The Izly session has expired. Log in again.',
  ],
  login_failed: [500, 'The site could not open its session', 'Le site n’a pas pu ouvrir votre session.', 'The site could not open your session.'],
  // Status and English message as the payment routes answer them: one mapping of Izly's errors.
  izly_error: [...IZLY_ERROR_ANSWERS.izly_error, 'Izly a refusé la demande.', 'Izly refused the request.'],
  izly_unavailable: [
    ...IZLY_ERROR_ANSWERS.izly_unavailable,
    'Izly est indisponible pour le moment. Réessayez dans quelques instants.',
    'Izly is unavailable for the moment. Try again in a few moments.',
  ],
  izly_bad_answer: [
    ...IZLY_ERROR_ANSWERS.izly_bad_answer,
    'La réponse d’Izly est illisible. Réessayez dans quelques instants.',
    'Izly’s answer could not be read. Try again in a few moments.',
  ],
  izly_timeout: [
    ...IZLY_ERROR_ANSWERS.izly_timeout,
    'Izly n’a pas répondu à temps. Réessayez dans quelques instants.',
    'Izly did not answer in time. Try again in a few moments.',
  ],
  method_not_allowed: [405, 'Use GET on this route', 'Cette adresse ne s’ouvre que par un lien.', 'This address only opens from a link.'],
  internal_error: [500, 'Something went wrong', 'Une erreur inattendue est survenue.', 'An unexpected error occurred.'],
} as const satisfies Record<IzlyConnectErrorCode, readonly [IzlyConnectErrorStatus, string, string, string]>;

// The codes are part of the browser contract, which the widget reads too; the table above has exactly them.
export type { IzlyConnectErrorCode };

/** An error of the IzlyConnect routes (answered as a page or JSON) or helpers (thrown). */
export class IzlyConnectError extends Error {
  override name = 'IzlyConnectError' as const;
  readonly code: IzlyConnectErrorCode;
  readonly status: IzlyConnectErrorStatus;
  /** The sentence shown to the student on an HTML page, in French. */
  readonly frenchMessage: string;
  /** The same sentence in English, for a shop that speaks English. */
  readonly englishMessage: string;

  constructor(code: IzlyConnectErrorCode, options?: { cause?: unknown }) {
    const [status, message, frenchMessage, englishMessage] = CONNECT_ERRORS[code];
    super(message, options);
    this.code = code;
    this.status = status;
    this.frenchMessage = frenchMessage;
    this.englishMessage = englishMessage;
  }

  /** The JSON body of the answer. */
  toJSON(): { error: { code: IzlyConnectErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/**
 * An Izly client error as an IzlyConnect error, mapped as for the payment routes (`izlyErrorAnswerCode`)
 * but for `invalid_grant` (a bad authorization code, or a bad refresh token), the one refusal the student
 * or partner can act on: `rejected` is its code.
 */
export function connectErrorFromIzly(error: unknown, rejected: 'code_rejected' | 'refresh_rejected'): IzlyConnectError {
  if (!(error instanceof IzlyError)) return new IzlyConnectError('internal_error', { cause: error });
  if (error instanceof IzlyApiError && error.call === 'token' && error.code === 'invalid_grant') return new IzlyConnectError(rejected, { cause: error });
  return new IzlyConnectError(izlyErrorAnswerCode(error), { cause: error });
}
