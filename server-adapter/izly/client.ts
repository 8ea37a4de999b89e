// The typed Izly client: one method per call of the partner contract, each written in the file of its
// resource (`web-payments.ts`, `connect.ts`). Sends what the contract says (PascalCase body, vendor content
// type, `AppIdentifier`, `Basic` + raw key by default, standard Basic for the OAuth token call) and returns
// camelCase types, integer cents, dates and our status names. Where the document and the field disagree
// (the content type, the token call's `Authorization`), the client tries the other form once and keeps
// the one Izly answered, unless the option pins it.
import { HeaderChoice, S_MONEY_CONTENT_TYPE, XPOLLENS_CONTENT_TYPE, type IzlyCallSettings } from './call-settings.js';
import { authorizeUrl, exchangeCode, getUser, refreshToken, type IzlyTokens, type IzlyUser } from './connect.js';
import {
  getPayment,
  initiatePayment,
  refundPayment,
  type InitiatePaymentInput,
  type InitiatedPayment,
  type IzlyPayment,
  type IzlyRefund,
} from './web-payments.js';

/** Izly's pre-production environment. */
export const IZLY_PREPRODUCTION = 'https://rest-pp.izly.fr';
/** Izly's production environment. */
export const IZLY_PRODUCTION = 'https://rest.izly.fr';

/** Settings of `createIzlyClient`. */
export interface IzlyClientOptions {
  /** Izly's origin: `IZLY_PREPRODUCTION`, `IZLY_PRODUCTION`, or a sandbox's URL. */
  baseUrl: string;
  /** The POS's *Identifiant de l'application client* (also the OAuth `client_id`). */
  appIdentifier: string;
  /** The POS's *Clé d'API*. A secret: it never appears in an error or a log. */
  apiKey: string;
  /** `Authorization` of the payment calls: `Basic <apiKey>` (`'raw-key'`, default, as seen in the field) or `Basic base64(appIdentifier:apiKey)` (`'basic'`). */
  authorization?: 'raw-key' | 'basic';
  /**
   * `Content-Type` of the payment calls, pinned: always this one. By default the client sends
   * `application/vnd.s-money.v1+json` (the type proven in production) and, if Izly answers 415, the
   * document's `application/vnd.Xpollens.v1+json` once; the type Izly accepted is kept by this client.
   */
  contentType?: string;
  /**
   * `Authorization` of the OAuth token call, pinned: `'basic'`, standard Basic of `appIdentifier:apiKey`, or
   * `'raw-key'`, `Basic <apiKey>` (a back-office key that is already base64). By default `'basic'`, and
   * `'raw-key'` once after a `401 invalid_client` when the key looks like base64; the form that worked is kept.
   */
  tokenAuthorization?: 'basic' | 'raw-key';
  /** The fetch to use (tests, proxies, other runtimes); default `globalThis.fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Time allowed to each attempt of a call, in ms; default 10000. */
  timeoutMs?: number;
  /** Extra attempts for a GET after 408/429/5xx, a timeout or a network error; default 2. POSTs are never retried. */
  retries?: number;
  /** First backoff delay between GET attempts, doubled each time, in ms; default 250. */
  retryDelayMs?: number;
  /** Longest pause between attempts, in ms; a `Retry-After` asking for more ends the retries; default 5000. */
  maxRetryDelayMs?: number;
}

/** The Izly client: every call of the partner contract. */
export interface IzlyClient {
  /** Settings in force, without the API key. */
  readonly baseUrl: string;
  readonly appIdentifier: string;
  /** The `Content-Type` the payment calls send now (the one Izly accepted, once it answered). */
  readonly contentType: string;
  /** `POST /api/Izly/WebPayments`: creates an operation for the student to authorise. Never retried. */
  initiatePayment(input: InitiatePaymentInput): Promise<InitiatedPayment>;
  /** `GET /api/Izly/WebPayments/{operationId}`: Izly's authoritative view of a payment. */
  getPayment(operationId: string): Promise<IzlyPayment>;
  /** `POST /api/Izly/WebPayments/{operationId}/Refund?clientOrderId=...`: refunds the whole payment. Never retried. */
  refundPayment(operationId: string, clientOrderId: string): Promise<IzlyRefund>;
  /** The IzlyConnect login page's URL, where the browser is sent. `state` is added when given (Izly does not document it). */
  authorizeUrl(options?: { state?: string }): string;
  /** Exchanges an IzlyConnect `code` for tokens. */
  exchangeCode(code: string): Promise<IzlyTokens>;
  /** Gets fresh tokens from a refresh token. */
  refreshToken(refreshToken: string): Promise<IzlyTokens>;
  /** The logged-in AD's details. */
  getUser(accessToken: string): Promise<IzlyUser>;
}

function requireText(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`createIzlyClient: ${name} must be a non-empty string`);
  return value;
}

function requireCount(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new Error(`createIzlyClient: ${name} must be an integer ≥ ${min}`);
  return value;
}

/** base64 of UTF-8 text, with Web-standard APIs only. */
function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** Text that could be the base64 string after `Basic` (the document's example key is one): only then is `Basic <apiKey>` worth a try. */
function looksLikeBase64(text: string): boolean {
  return text.length >= 8 && text.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text);
}

/** The content type of the payment calls: pinned by the option, or s-money's first and the document's after a 415. */
function contentTypeChoice(contentType: string | undefined): HeaderChoice {
  if (contentType === undefined) return new HeaderChoice(S_MONEY_CONTENT_TYPE, XPOLLENS_CONTENT_TYPE);
  // A media type (`type/subtype`, parameters allowed), and nothing that could end the header line.
  if (typeof contentType !== 'string' || !/^[\w.+-]+\/[\w.+-]+(\s*;[ -~]*)?$/.test(contentType)) {
    throw new Error('createIzlyClient: contentType must be a media type such as application/vnd.s-money.v1+json');
  }
  return new HeaderChoice(contentType, null);
}

/** The token call's `Authorization`: pinned by the option, or standard Basic with `Basic <apiKey>` to fall back on. */
function tokenAuthorizationChoice(option: IzlyClientOptions['tokenAuthorization'], basic: string, apiKey: string): HeaderChoice {
  if (option !== undefined && option !== 'basic' && option !== 'raw-key') throw new Error("createIzlyClient: tokenAuthorization must be 'basic' or 'raw-key'");
  if (option === 'raw-key') return new HeaderChoice(`Basic ${apiKey}`, null);
  if (option === 'basic') return new HeaderChoice(basic, null);
  return new HeaderChoice(basic, looksLikeBase64(apiKey) ? `Basic ${apiKey}` : null);
}

/** The options checked (throwing `Error` on a wrong one) and turned into what every call needs. */
function resolveCallSettings(options: IzlyClientOptions): IzlyCallSettings {
  const baseUrl = requireText('baseUrl', options.baseUrl).replace(/\/+$/, '');
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) throw new Error('createIzlyClient: baseUrl must be an http(s) URL');
  const appIdentifier = requireText('appIdentifier', options.appIdentifier);
  const apiKey = requireText('apiKey', options.apiKey);
  const authorization = options.authorization ?? 'raw-key';
  if (authorization !== 'raw-key' && authorization !== 'basic') throw new Error("createIzlyClient: authorization must be 'raw-key' or 'basic'");
  const basicAuthorization = `Basic ${base64(`${appIdentifier}:${apiKey}`)}`;
  return {
    transport: {
      baseUrl,
      fetch: options.fetch,
      timeoutMs: requireCount('timeoutMs', options.timeoutMs, 10_000, 1),
      retries: requireCount('retries', options.retries, 2, 0),
      retryDelayMs: requireCount('retryDelayMs', options.retryDelayMs, 250, 0),
      maxRetryDelayMs: requireCount('maxRetryDelayMs', options.maxRetryDelayMs, 5_000, 0),
      contentType: contentTypeChoice(options.contentType),
    },
    appIdentifier,
    paymentAuthorization: authorization === 'raw-key' ? `Basic ${apiKey}` : basicAuthorization,
    tokenAuthorization: tokenAuthorizationChoice(options.tokenAuthorization, basicAuthorization, apiKey),
  };
}

/**
 * Creates a client for Izly's partner API.
 * @example
 * const izly = createIzlyClient({ baseUrl: IZLY_PREPRODUCTION, appIdentifier: 'my-shop', apiKey: process.env.IZLY_API_KEY! });
 * const { authorizationUrl, operationId } = await izly.initiatePayment({ amount: 250, clientOrderId: 'A-1042' });
 */
export function createIzlyClient(options: IzlyClientOptions): IzlyClient {
  const settings = resolveCallSettings(options);
  return {
    baseUrl: settings.transport.baseUrl,
    appIdentifier: settings.appIdentifier,
    get contentType() {
      return settings.transport.contentType.current;
    },
    initiatePayment: (input) => initiatePayment(settings, input),
    getPayment: (operationId) => getPayment(settings, operationId),
    refundPayment: (operationId, clientOrderId) => refundPayment(settings, operationId, clientOrderId),
    authorizeUrl: (options) => authorizeUrl(settings, options),
    exchangeCode: (code) => exchangeCode(settings, code),
    refreshToken: (token) => refreshToken(settings, token),
    getUser: (accessToken) => getUser(settings, accessToken),
  };
}
