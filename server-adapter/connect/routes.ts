// The IzlyConnect routes, mounted by `izlyPay()` at `/connect` when `connect` options are given:
//   GET /connect/login     starts a login: login cookie (state nonce, return URL, mode), 302 to Izly
//   GET /connect/callback  Izly's "URL after connection": checks the cookie, spends its nonce, checks
//                          state, exchanges the code, reads the AD, calls onLogin, redirects to the
//                          return URL (or ends the popup)
//   GET /connect/cancel    Izly's "URL after cancellation": a cancelled login when one is in progress (back
//                          to its return URL with `izly_connect=login_cancelled`, or the popup's last page),
//                          otherwise a cancelled (or refused) payment: a page that tells the pay button's popup
//                          opener and closes, or goes on to `paymentCancelUrl` (a 303 there for a non-HTML client)
//   GET /connect/session   the partner's `session(c)` view, when that hook is given
//   GET /connect/popup.js, /connect/cancel.js, /connect/page.css   assets of the pages (no inline script or style)
// Tokens never leave the server: not in an answer, a redirect, a cookie or a log line.
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { IzlyConnectError, connectErrorFromIzly, type IzlyConnectErrorCode } from './errors.js';
import { createLoginCookieSealer, newNonce, sameText, type LoginCookieSealer, type LoginInProgress } from './login-cookie.js';
import { loginNonces, type LoginNonces } from './login-nonces.js';
import type { ConnectTokens, ResolvedConnectOptions } from './options.js';
import {
  PAGE_HEADERS,
  PAGE_STYLES,
  PAYMENT_CANCEL_SCRIPT,
  POPUP_SCRIPT,
  errorPage,
  pageLangFrom,
  paymentCancelPage,
  popupPage,
  returnUrlWith,
  type PageLang,
} from './pages.js';
import { withExpiry } from './tokens.js';
import type { IzlyClient } from '../izly/client.js';
import type { IzlyUser } from '../izly/connect.js';
import type { IzlyPayLogger } from '../options.js';
import type { PaymentStore } from '../stores/payment-store.js';

/** What the routes need from the adapter. */
export interface ConnectRouteSettings {
  options: ResolvedConnectOptions;
  client: IzlyClient;
  /** The adapter's secret: signs the login cookie. */
  secret: string;
  allowedOrigins: readonly string[];
  logger: IzlyPayLogger;
  now: () => number;
  /** The adapter's store: spends the logins' nonces when it offers `spendLoginNonce`; without it, this process does. */
  store?: PaymentStore;
}

const JSON_HEADERS = { 'Cache-Control': 'no-store' } as const;

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

/** The `lang` a button passed to `/connect/login`, when it is one the pages speak. */
function langParameter(value: string | undefined): PageLang | undefined {
  return value === 'fr' || value === 'en' ? value : undefined;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const ASSET_HEADERS = { 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' } as const;

/** The IzlyConnect sub-app; see the file's header for its routes. */
export function connectRoutes(settings: ConnectRouteSettings): Hono {
  const handlers = new ConnectHandlers(settings);
  const app = new Hono();

  app.onError((error, c) => {
    settings.logger.error(`izly-pay: connect: ${c.req.method} ${c.req.path} failed: ${reason(error)}`);
    return handlers.answerError(c, error instanceof IzlyConnectError ? error : new IzlyConnectError('internal_error'), null);
  });
  app.get('/login', (c) => handlers.login(c));
  app.get('/callback', (c) => handlers.callback(c));
  app.get('/cancel', (c) => handlers.cancel(c));
  const session = settings.options.session;
  if (session) {
    app.get('/session', async (c) => c.json({ session: (await session(c)) ?? null }, 200, { ...JSON_HEADERS, Vary: 'Cookie' }));
  }

  // Another method on these paths answers in the routes' own error shape, not with the host's plain 404.
  for (const path of ['/login', '/callback', '/cancel', ...(session ? ['/session'] : [])]) {
    app.all(path, (c) => {
      c.header('Allow', 'GET');
      return handlers.fail(c, 'method_not_allowed', null);
    });
  }

  app.get('/popup.js', (c) => c.body(POPUP_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', ...ASSET_HEADERS }));
  app.get('/cancel.js', (c) => c.body(PAYMENT_CANCEL_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', ...ASSET_HEADERS }));
  app.get('/page.css', (c) => c.body(PAGE_STYLES, 200, { 'Content-Type': 'text/css; charset=utf-8', ...ASSET_HEADERS }));
  return app;
}

/** The routes' handlers, and the login cookie and error answers they share. */
class ConnectHandlers {
  readonly #settings: ConnectRouteSettings;
  readonly #options: ResolvedConnectOptions;
  readonly #sealer: LoginCookieSealer;
  readonly #allowed: Set<string>;
  readonly #nonces: LoginNonces;

  constructor(settings: ConnectRouteSettings) {
    this.#settings = settings;
    this.#options = settings.options;
    this.#sealer = createLoginCookieSealer(settings.secret);
    this.#allowed = new Set(settings.allowedOrigins);
    this.#nonces = loginNonces(settings.store, settings.now);
  }

  /** `GET /login`: checks the mode and return URL, sets the login cookie (with the button's `lang`), sends the browser to Izly. */
  async login(c: Context): Promise<Response> {
    const mode = c.req.query('mode') ?? 'redirect';
    if (mode !== 'redirect' && mode !== 'popup') return this.fail(c, 'invalid_mode', null);
    const returnUrl = c.req.query('returnUrl') ?? this.#options.returnUrl;
    if (!isHttpUrl(returnUrl)) return this.fail(c, 'invalid_return_url', null);
    if (!this.#allowed.has(new URL(returnUrl).origin)) return this.fail(c, 'return_url_not_allowed', null);
    if (this.#startedElsewhere(c)) return this.fail(c, 'cross_site_request', null);
    const { loginTimeoutSeconds } = this.#options;
    const lang = langParameter(c.req.query('lang'));
    const login: LoginInProgress = {
      nonce: newNonce(),
      returnUrl,
      mode,
      expiresAt: this.#settings.now() + loginTimeoutSeconds * 1000,
      ...(lang ? { lang } : {}),
    };
    c.header('Set-Cookie', this.#cookieHeader(c, await this.#sealer.seal(login), loginTimeoutSeconds));
    c.header('Cache-Control', 'no-store');
    return c.redirect(this.#settings.client.authorizeUrl({ state: login.nonce }), 302);
  }

  /** `GET /callback`: checks the cookie, spends its nonce, checks state, exchanges the code, reads the AD, calls `onLogin`, answers. */
  async callback(c: Context): Promise<Response> {
    const login = await this.#readLogin(c);
    c.header('Set-Cookie', this.#clearLogin(c));
    if (!login) return this.fail(c, 'login_not_started', null);
    if (login.expiresAt <= this.#settings.now()) return this.fail(c, 'login_expired', login);
    // One cookie, one callback, whatever its outcome: the same cookie replayed, or planted in another
    // browser after its own callback, opens nothing. Spent before Izly is called, so two at once cannot both pass.
    if (!(await this.#nonces.spend(login.nonce, login.expiresAt))) {
      this.#settings.logger.warn('izly-pay: connect: a login cookie came back after its callback (replayed or planted): refused');
      return this.fail(c, 'login_not_started', login);
    }
    const refused = this.#refusedCallback(c, login);
    if (refused === 'login_cancelled') return this.#cancelled(c, login);
    if (refused) return this.fail(c, refused, login);
    const code = c.req.query('code');
    if (!code) return this.fail(c, 'missing_code', login);

    let user: IzlyUser;
    let tokens: ConnectTokens;
    try {
      tokens = withExpiry(await this.#settings.client.exchangeCode(code), this.#settings.now());
      user = await this.#settings.client.getUser(tokens.accessToken);
    } catch (error) {
      // The client's messages name calls by their path template: no code, no token in this line.
      this.#settings.logger.warn(`izly-pay: connect: login failed at Izly: ${reason(error)}`);
      return this.answerError(c, connectErrorFromIzly(error, 'code_rejected'), login);
    }

    let hookAnswer: Response | void;
    try {
      hookAnswer = await this.#options.onLogin(user, tokens, c);
    } catch (error) {
      this.#settings.logger.error(`izly-pay: connect: onLogin failed: ${reason(error)}`);
      // Never half logged in: set, not appended, this header replaces any cookie the hook set before it threw.
      c.header('Set-Cookie', this.#clearLogin(c));
      return this.fail(c, 'login_failed', login);
    }
    return this.#loggedIn(c, login, hookAnswer);
  }

  /** `GET /cancel`: a cancelled login when one is in progress, otherwise a cancelled payment. */
  async cancel(c: Context): Promise<Response> {
    const login = await this.#readLogin(c);
    if (login && login.expiresAt > this.#settings.now()) {
      c.header('Set-Cookie', this.#clearLogin(c));
      return this.#cancelled(c, login);
    }
    // No login in progress: Izly sent a cancelled payment here (one URL after cancellation for both).
    if (getCookie(c, this.#cookieScope(c).name) !== undefined) c.header('Set-Cookie', this.#clearLogin(c));
    const { paymentCancelUrl } = this.#options;
    if (/\btext\/html\b/i.test(c.req.header('accept') ?? '')) {
      const lang = langParameter(c.req.query('lang')) ?? pageLangFrom(c.req.header('accept-language'));
      return c.html(paymentCancelPage(lang, paymentCancelUrl, this.#settings.allowedOrigins), 200, PAGE_HEADERS);
    }
    c.header('Cache-Control', 'no-store');
    return c.redirect(paymentCancelUrl, 303);
  }

  /**
   * A failed login ends here: the popup page (it tells the opener) for a popup login, an HTML page for a
   * browser, JSON otherwise. The way back carries `izly_connect=<code>` so that the page can say what happened.
   */
  answerError(c: Context, error: IzlyConnectError, login: LoginInProgress | null): Response | Promise<Response> {
    const returnUrl = login?.returnUrl ?? this.#options.returnUrl;
    const returnLink = returnUrlWith(returnUrl, error.code);
    const lang = this.#pageLang(c, login);
    if (login?.mode === 'popup') {
      return c.html(popupPage({ ok: false, error }, lang, new URL(returnUrl).origin, returnLink), error.status, PAGE_HEADERS);
    }
    if (/\btext\/html\b/i.test(c.req.header('accept') ?? '')) return c.html(errorPage(error, lang, returnLink), error.status, PAGE_HEADERS);
    return c.json(error.toJSON(), error.status, JSON_HEADERS);
  }

  fail(c: Context, code: IzlyConnectErrorCode, login: LoginInProgress | null): Response | Promise<Response> {
    return this.answerError(c, new IzlyConnectError(code), login);
  }

  /**
   * A login the student cancelled on Izly is no failure: a redirect login goes straight back to the page it
   * left, whose button says so politely; a popup login ends on the popup's page, which tells the opener.
   */
  #cancelled(c: Context, login: LoginInProgress): Response | Promise<Response> {
    if (login.mode === 'popup') return this.fail(c, 'login_cancelled', login);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.redirect(returnUrlWith(login.returnUrl, 'login_cancelled'), 303);
  }

  /** The pages' language: the button's (kept by the login, or passed to `/login`), else the browser's. */
  #pageLang(c: Context, login: LoginInProgress | null): PageLang {
    return login?.lang ?? langParameter(c.req.query('lang')) ?? pageLangFrom(c.req.header('accept-language'));
  }

  /**
   * A login started by another site, or by a sibling site of the same registrable domain (which could also
   * plant cookies), unless the page that started it is on an allowed origin. Only the start is checked:
   * the callback comes from Izly, cross-site by nature.
   */
  #startedElsewhere(c: Context): boolean {
    const site = c.req.header('sec-fetch-site');
    if (site !== 'cross-site' && site !== 'same-site') return false;
    const referer = c.req.header('referer') ?? '';
    return !URL.canParse(referer) || !this.#allowed.has(new URL(referer).origin);
  }

  /** Why Izly's answer to this login is refused before the code is exchanged (cancelled, state), or null. */
  #refusedCallback(c: Context, login: LoginInProgress): IzlyConnectErrorCode | null {
    // Izly documents no error redirect; an OAuth-style `error` is read all the same.
    const izlyError = c.req.query('error');
    if (izlyError !== undefined) return izlyError === 'access_denied' ? 'login_cancelled' : 'izly_error';
    const state = c.req.query('state');
    if (state !== undefined) return sameText(state, login.nonce) ? null : 'state_mismatch';
    if (this.#options.state !== 'required') return null;
    this.#settings.logger.warn(
      "izly-pay: connect: Izly returned no state; if your Izly environment never returns it, set connect.state to 'if-returned', the default (see the README)",
    );
    return 'state_missing';
  }

  /** The answer to a login that succeeded: the popup page, the hook's own answer, or a redirect back. */
  #loggedIn(c: Context, login: LoginInProgress, hookAnswer: Response | void): Response | Promise<Response> {
    const returnLink = returnUrlWith(login.returnUrl, 'success');
    if (login.mode === 'popup') {
      for (const cookie of hookAnswer instanceof Response ? hookAnswer.headers.getSetCookie() : []) c.header('Set-Cookie', cookie, { append: true });
      return c.html(popupPage({ ok: true }, this.#pageLang(c, login), new URL(login.returnUrl).origin, returnLink), 200, PAGE_HEADERS);
    }
    if (hookAnswer instanceof Response) {
      // A Response made outside Hono does not carry the context's headers: add the cookies set so far.
      const answer = new Response(hookAnswer.body, hookAnswer);
      const already = new Set(answer.headers.getSetCookie());
      for (const cookie of c.res.headers.getSetCookie()) if (!already.has(cookie)) answer.headers.append('Set-Cookie', cookie);
      return answer;
    }
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.redirect(returnLink, 303);
  }

  #readLogin(c: Context): Promise<LoginInProgress | null> {
    return this.#sealer.open(getCookie(c, this.#cookieScope(c).name));
  }

  /**
   * The login cookie's name and path. On an https site (the request, or the configured return URL behind a
   * proxy that ends TLS) it is `__Host-<name>` with `Path=/`: a browser takes such a cookie only from this
   * very host over https, so a sibling site or a plain-http page cannot plant one. On plain http (local
   * development) it keeps its name, scoped to the routes' folder (e.g. `/izly/connect`). Login and callback
   * decide it alike, so the callback reads only the cookie its login could have set.
   */
  #cookieScope(c: Context): { name: string; path: string; secure: boolean } {
    const secure = new URL(c.req.url).protocol === 'https:' || new URL(this.#options.returnUrl).protocol === 'https:';
    if (secure) return { name: `__Host-${this.#options.cookieName}`, path: '/', secure };
    return { name: this.#options.cookieName, path: c.req.path.replace(/\/[^/]*$/, '') || '/', secure };
  }

  #cookieHeader(c: Context, value: string, maxAge: number): string {
    const { name, path, secure } = this.#cookieScope(c);
    return `${name}=${value}; Max-Age=${maxAge}; Path=${path}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  }

  /** The Set-Cookie that ends the login in progress, whatever its outcome: one cookie, one attempt. */
  #clearLogin(c: Context): string {
    return this.#cookieHeader(c, '', 0);
  }
}
