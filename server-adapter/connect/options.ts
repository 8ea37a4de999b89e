// The `connect` options of `izlyPay()` ("Log in with Izly"), checked at construction like the others.
import type { Context } from 'hono';
import type { IzlyTokens, IzlyUser } from '../izly/connect.js';
import { refuseUnknownKeys } from '../options.js';

/** IzlyConnect tokens as the adapter hands them to the partner. Keep them server-side (a session store, never a cookie). */
export interface ConnectTokens extends IzlyTokens {
  /** When the access token expires, in ms since the epoch; null when Izly sent no `expires_in`. */
  expiresAt: number | null;
}

/** What `GET /connect/session` answers about the current browser: the partner's own public view (never a token). */
export type ConnectSessionView = Readonly<Record<string, unknown>>;

/**
 * How `/connect/callback` treats a `state` that Izly does not return (the contract does not mention `state`):
 * `'if-returned'` (default) checks it when Izly returns it and otherwise relies on the login cookie's
 * single-use nonce; `'required'` refuses a callback without it.
 */
export type ConnectStateCheck = 'required' | 'if-returned';

/** Options of IzlyConnect, given as `izlyPay({ ..., connect: {...} })`; without them there is no `/connect/*` route. */
export interface IzlyConnectOptions {
  /**
   * Called once per successful login, after the code was exchanged and the AD's details read: open the
   * partner's session here (e.g. `setCookie(c, ...)` and keep `tokens` server-side). Return nothing to let the
   * adapter redirect to the return URL, or a `Response` to answer instead (redirect mode only; in popup mode
   * only its `Set-Cookie` headers are kept). If it throws, the login fails with `login_failed`.
   */
  onLogin: (user: IzlyUser, tokens: ConnectTokens, c: Context) => Response | void | Promise<Response | void>;
  /** Return URL when `/connect/login` is given none; on an allowed origin. Default: the first allowed origin + `/`. */
  returnUrl?: string;
  /**
   * Where `/connect/cancel` sends a browser that has no login in progress: a cancelled *payment*, since Izly has one
   * "URL after cancellation" for both. Default: `returnUrl`.
   */
  paymentCancelUrl?: string;
  /**
   * `'if-returned'` (default): `state` is checked when Izly returns it, and a callback without it is bound to the
   * browser by the login cookie's single-use nonce alone; `'required'`: a callback without `state` is refused (see README).
   */
  state?: ConnectStateCheck;
  /** Lifetime of the login cookie (from the click to Izly's answer), in seconds; default 600, between 30 and 3600. */
  loginTimeoutSeconds?: number;
  /** Name of the login cookie; default `izly_connect`. On https the adapter sends it as `__Host-<name>`. */
  cookieName?: string;
  /** Enables `GET /connect/session`: the current browser's session as the partner wants the page to see it, or null. */
  session?: (c: Context) => ConnectSessionView | null | Promise<ConnectSessionView | null>;
}

/** Connect options with defaults filled in. */
export interface ResolvedConnectOptions extends IzlyConnectOptions {
  returnUrl: string;
  paymentCancelUrl: string;
  state: ConnectStateCheck;
  loginTimeoutSeconds: number;
  cookieName: string;
}

function fail(message: string): never {
  throw new Error(`izlyPay: connect.${message}`);
}

const CONNECT_OPTION_KEYS: Record<keyof IzlyConnectOptions, true> = {
  onLogin: true,
  returnUrl: true,
  paymentCancelUrl: true,
  state: true,
  loginTimeoutSeconds: true,
  cookieName: true,
  session: true,
};

function isHttpUrl(value: unknown): value is string {
  return typeof value === 'string' && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

/** Checks the connect options against the adapter's allowed origins; throws an `Error` naming the first bad one. */
export function resolveConnectOptions(options: IzlyConnectOptions, allowedOrigins: readonly string[]): ResolvedConnectOptions {
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  refuseUnknownKeys(options, CONNECT_OPTION_KEYS, 'connect.');
  if (typeof options.onLogin !== 'function') fail('onLogin must be a function (user, tokens, c) => Response | void');
  if (options.session !== undefined && typeof options.session !== 'function') fail('session must be a function (c) => object | null');
  const returnUrl = options.returnUrl ?? `${allowedOrigins[0]}/`;
  if (!isHttpUrl(returnUrl)) fail('returnUrl must be an absolute http(s) URL');
  if (!allowedOrigins.includes(new URL(returnUrl).origin)) fail('returnUrl must be on one of allowedOrigins');
  const paymentCancelUrl = options.paymentCancelUrl ?? returnUrl;
  if (!isHttpUrl(paymentCancelUrl)) fail('paymentCancelUrl must be an absolute http(s) URL');
  // Izly may not echo `state` (the document never mentions it): a default that refused such callbacks would
  // refuse every login there, while the cookie's single-use nonce still binds the login to the browser.
  const state = options.state ?? 'if-returned';
  if (state !== 'required' && state !== 'if-returned') fail("state must be 'required' or 'if-returned'");
  const loginTimeoutSeconds = options.loginTimeoutSeconds ?? 600;
  if (!Number.isInteger(loginTimeoutSeconds) || loginTimeoutSeconds < 30 || loginTimeoutSeconds > 3600) {
    fail('loginTimeoutSeconds must be an integer between 30 and 3600');
  }
  const cookieName = options.cookieName ?? 'izly_connect';
  // RFC 6265 token characters, so the name needs no quoting in any browser.
  if (typeof cookieName !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/.test(cookieName)) fail('cookieName must be a cookie name token');
  if (/^__(host|secure)-/i.test(cookieName)) fail('cookieName must not start with __Host- or __Secure-: the adapter adds __Host- itself on https');
  return { ...options, returnUrl, paymentCancelUrl, state, loginTimeoutSeconds, cookieName };
}
