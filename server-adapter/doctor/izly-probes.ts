// The probes of Izly itself, none of which can move money or log anyone in: a GET of an operation that no
// point of sale has (contract 3.4: Izly answers code 356 "Opération introuvable" once it has taken the
// credentials), and the token endpoint with a code Izly never issued (2.2: `invalid_grant` once it has taken
// the client). Each is sent in every request shape the adapter can be set to; the answers tell which this
// Izly takes. The request shapes are the client's (izly/http.ts, izly/call-settings.ts, izly/connect.ts).
import type { IzlyClientOptions } from '../izly/client.js';
import { field, integerField, isJsonObject, textField, type JsonObject } from '../izly/fields.js';
import { describeFailure, sendProbe, type ProbeAnswer } from './http-probe.js';

/** The two `Authorization` forms: `Basic <apiKey>` (esup-papercut's) and `Basic base64(AppIdentifier:apiKey)`. */
export type AuthorizationForm = NonNullable<IzlyClientOptions['authorization']>;

/** Payment calls: the adapter's default form first, so that it is the one advised when both work. */
export const PAYMENT_AUTHORIZATION_FORMS: readonly AuthorizationForm[] = ['raw-key', 'basic'];
/** The token call: standard Basic first, what the adapter sends there. */
export const TOKEN_AUTHORIZATION_FORMS: readonly AuthorizationForm[] = ['basic', 'raw-key'];

/** The type proven in production (the adapter's first choice), then the document's, then Xpollens' newer platform's. */
export const CONTENT_TYPES: readonly string[] = ['application/vnd.s-money.v1+json', 'application/vnd.Xpollens.v1+json', 'application/json'];

/** Int64.MaxValue: an operation id is a long, and no Izly has handed this one out. */
export const IMPOSSIBLE_OPERATION_ID = '9223372036854775807';
/** Not an authorization code Izly could have issued (its codes are random and single-use). */
export const IMPOSSIBLE_CODE = 'izly-pay-doctor-probe-not-a-code';

/** Where and as whom to probe. */
export interface IzlyTarget {
  /** Izly's origin, without a trailing slash. */
  baseUrl: string;
  appIdentifier: string;
  apiKey: string;
  timeoutMs: number;
}

/** How Izly took one probe. */
export type AttemptOutcome = 'accepted' | 'credentials-refused' | 'content-type-refused' | 'point-of-sale-refused' | 'unexpected' | 'not-izly' | 'unreachable';

/** One probe and Izly's answer, in plain words. */
export interface Attempt {
  authorization: AuthorizationForm;
  /** The `Content-Type` sent; null on the token call, which has no body. */
  contentType: string | null;
  outcome: AttemptOutcome;
  httpStatus: number | null;
  /** Izly's `Code`, or the OAuth `error`, when the answer has one. */
  code: number | string | null;
  /** What came back, e.g. `HTTP 404, code 356 "Opération introuvable"`; never holds the API key. */
  answer: string;
}

/** base64 of UTF-8 text, with Web-standard APIs only. */
function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

export function authorizationHeader(target: IzlyTarget, form: AuthorizationForm): string {
  return form === 'raw-key' ? `Basic ${target.apiKey}` : `Basic ${base64(`${target.appIdentifier}:${target.apiKey}`)}`;
}

/** How a form is written, for people. */
export function describeForm(form: AuthorizationForm): string {
  return form === 'raw-key' ? 'Basic <apiKey>' : 'Basic base64(AppIdentifier:apiKey)';
}

/** `text` with the API key and both credential strings replaced, so that an echo of them is never printed. */
export function maskSecrets(target: IzlyTarget, text: string): string {
  const secrets = [target.apiKey, base64(`${target.appIdentifier}:${target.apiKey}`)].sort((a, b) => b.length - a.length);
  return secrets.reduce((masked, secret) => masked.split(secret).join('[API key]'), text);
}

/** Izly's error object `{ Code, ErrorMessage, ... }`, at the top level or under `Error`. */
function izlyError(json: JsonObject | null): { code: number; message: string } | null {
  if (!json) return null;
  const nested = field(json, 'Error');
  const source = isJsonObject(nested) ? nested : json;
  const code = integerField(source, 'Code');
  return code === null ? null : { code, message: textField(source, 'ErrorMessage') ?? textField(source, 'Message') ?? '' };
}

/** An answer that is not JSON, in a few words: its status and type, or where it redirects. */
function describeNonJson(answer: Extract<ProbeAnswer, { reached: true }>): string {
  if (answer.location) return `HTTP ${answer.status}, a redirect to ${answer.location}`;
  return `HTTP ${answer.status}${answer.mediaType ? `, ${answer.mediaType}` : ', no content type'}${answer.text.trim() === '' ? ', empty body' : ''}`;
}

function unreachable(target: IzlyTarget, form: AuthorizationForm, contentType: string | null, answer: Extract<ProbeAnswer, { reached: false }>): Attempt {
  return { authorization: form, contentType, outcome: 'unreachable', httpStatus: null, code: null, answer: describeFailure(answer, target.timeoutMs) };
}

// Izly's codes for refused credentials (362, with 401) and the sandbox's own (1001-1003), 1004 its 415.
const CREDENTIALS_CODES = new Set([362, 1001, 1002, 1003]);
const CONTENT_TYPE_CODES = new Set([1004]);

function paymentAttempt(target: IzlyTarget, form: AuthorizationForm, contentType: string, answer: ProbeAnswer): Attempt {
  if (!answer.reached) return unreachable(target, form, contentType, answer);
  const error = izlyError(answer.json);
  const base = { authorization: form, contentType, httpStatus: answer.status, code: error?.code ?? null };
  const words = error ? `HTTP ${answer.status}, code ${error.code}${error.message ? ` "${maskSecrets(target, error.message)}"` : ''}` : describeNonJson(answer);
  let outcome: AttemptOutcome;
  if (error?.code === 356) outcome = 'accepted';
  else if (answer.status === 415 || (error && CONTENT_TYPE_CODES.has(error.code))) outcome = 'content-type-refused';
  else if (answer.status === 401 || (error && CREDENTIALS_CODES.has(error.code))) outcome = 'credentials-refused';
  else if (error && answer.status === 403) outcome = 'point-of-sale-refused';
  else if (!answer.json) outcome = 'not-izly';
  else outcome = 'unexpected';
  return { ...base, outcome, answer: words };
}

/**
 * `GET {base}/api/Izly/WebPayments/{an id that cannot exist}` with the common headers (contract 3), in every
 * `Authorization` form and content type (the `Content-Type` is sent on this GET so that an Izly that checks
 * it says so). Stops at the first probe that gets no answer from Izly: more would only repeat it.
 */
export async function probePayments(target: IzlyTarget): Promise<Attempt[]> {
  const url = `${target.baseUrl}/api/Izly/WebPayments/${IMPOSSIBLE_OPERATION_ID}`;
  const attempts: Attempt[] = [];
  for (const form of PAYMENT_AUTHORIZATION_FORMS) {
    for (const contentType of CONTENT_TYPES) {
      const headers = {
        Authorization: authorizationHeader(target, form),
        AppIdentifier: target.appIdentifier,
        Accept: 'application/json',
        'Content-Type': contentType,
      };
      const attempt = paymentAttempt(target, form, contentType, await sendProbe({ method: 'GET', url, headers }, target.timeoutMs));
      attempts.push(attempt);
      if (attempt.outcome === 'unreachable' || attempt.outcome === 'not-izly') return attempts;
    }
  }
  return attempts;
}

function tokenAttempt(target: IzlyTarget, form: AuthorizationForm, answer: ProbeAnswer): Attempt {
  if (!answer.reached) return unreachable(target, form, null, answer);
  const oauthError = answer.json ? textField(answer.json, 'error') : null;
  const description = answer.json ? textField(answer.json, 'error_description') : null;
  const base = { authorization: form, contentType: null, httpStatus: answer.status, code: oauthError };
  const words = oauthError
    ? `HTTP ${answer.status}, ${oauthError}${description ? ` "${maskSecrets(target, description)}"` : ''}`
    : answer.json
      ? `HTTP ${answer.status}, JSON without an OAuth error`
      : describeNonJson(answer);
  let outcome: AttemptOutcome;
  if (oauthError === 'invalid_grant') outcome = 'accepted';
  else if (answer.status === 401 || oauthError === 'invalid_client' || oauthError === 'unauthorized_client') outcome = 'credentials-refused';
  else if (!answer.json) outcome = 'not-izly';
  else outcome = 'unexpected';
  return { ...base, outcome, answer: words };
}

/**
 * `POST {base}/oauth/Home/Token?grant_type=authorization_code&code={a code never issued}` (parameters in the
 * query string, contract 2.2) in both `Authorization` forms. A code is single-use, and this one was never
 * issued: nobody is logged in and nothing is spent.
 */
export async function probeToken(target: IzlyTarget): Promise<Attempt[]> {
  const url = new URL(`${target.baseUrl}/oauth/Home/Token`);
  url.searchParams.set('grant_type', 'authorization_code');
  url.searchParams.set('code', IMPOSSIBLE_CODE);
  const attempts: Attempt[] = [];
  for (const form of TOKEN_AUTHORIZATION_FORMS) {
    const headers = { Authorization: authorizationHeader(target, form), Accept: 'application/json' };
    const attempt = tokenAttempt(target, form, await sendProbe({ method: 'POST', url: url.href, headers }, target.timeoutMs));
    attempts.push(attempt);
    if (attempt.outcome === 'unreachable' || attempt.outcome === 'not-izly') return attempts;
  }
  return attempts;
}
