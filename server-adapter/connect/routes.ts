// The IzlyConnect routes, mounted by `izlyPay()` at `/connect` when `connect` options are given:
//   GET /connect/login     starts a login: login cookie (state nonce, return URL, mode), 302 to Izly
//   GET /connect/callback  Izly's "URL after connection": checks cookie and state, exchanges the code,
//                          reads the AD, calls onLogin, redirects to the return URL (or ends the popup)
//   GET /connect/cancel    Izly's "URL after cancellation": a login cancel when a login is in progress,
//                          otherwise a cancelled payment, sent on to `paymentCancelUrl`
//   GET /connect/session   the partner's `session(c)` view, when that hook is given
//   GET /connect/popup.js, /connect/page.css   assets of the pages (no inline script or style)
// Tokens never leave the server: not in an answer, a redirect, a cookie or a log line.
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { IzlyConnectError, connectErrorFromIzly, type IzlyConnectErrorCode } from './errors.js';
import { createLoginCookieSealer, newNonce, sameText, type LoginInProgress } from './login-cookie.js';
import type { ConnectTokens, ResolvedConnectOptions } from './options.js';
import { PAGE_HEADERS, PAGE_STYLES, POPUP_SCRIPT, errorPage, popupPage, returnUrlWith } from './pages.js';
import { withExpiry } from './tokens.js';
import type { IzlyClient } from '../izly/client.js';
import type { IzlyUser } from '../izly/connect.js';
import type { IzlyPayLogger } from '../options.js';

/** What the routes need from the adapter. */
export interface ConnectRouteSettings {
  options: ResolvedConnectOptions;
  client: IzlyClient;
  /** The adapter's secret: signs the login cookie. */
  secret: string;
  allowedOrigins: readonly string[];
  logger: IzlyPayLogger;
  now: () => number;
}

const JSON_HEADERS = { 'Cache-Control': 'no-store' } as const;

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The IzlyConnect sub-app; see the file's header for its routes. */
export function connectRoutes({ options, client, secret, allowedOrigins, logger, now }: ConnectRouteSettings): Hono {
  const sealer = createLoginCookieSealer(secret);
  const allowed = new Set(allowedOrigins);
  const app = new Hono();

  /** The cookie is scoped to the routes' folder (e.g. `/izly/connect`), wherever the partner mounted the adapter. */
  const cookiePath = (c: Context) => c.req.path.replace(/\/[^/]*$/, '') || '/';
  const cookieHeader = (c: Context, value: string, maxAge: number, returnUrl: string) => {
    const secure = new URL(returnUrl).protocol === 'https:' || new URL(c.req.url).protocol === 'https:';
    return `${options.cookieName}=${value}; Max-Age=${maxAge}; Path=${cookiePath(c)}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  };
  /** The Set-Cookie that ends the login in progress, whatever its outcome: one cookie, one attempt. */
  const clearLogin = (c: Context, login: LoginInProgress | null) => cookieHeader(c, '', 0, login?.returnUrl ?? options.returnUrl);

  const readLogin = (c: Context) => sealer.open(getCookie(c, options.cookieName));

  const wantsHtml = (c: Context) => /\btext\/html\b/i.test(c.req.header('accept') ?? '');

  /**
   * A failed login ends here: the popup page (it tells the opener) for a popup login, an HTML page for a
   * browser, JSON otherwise. The way back carries `izly_connect=<code>` so that the page can say what happened.
   */
  const answerError = (c: Context, error: IzlyConnectError, login: LoginInProgress | null): Response | Promise<Response> => {
    const returnUrl = login?.returnUrl ?? options.returnUrl;
    const returnLink = returnUrlWith(returnUrl, error.code);
    if (login?.mode === 'popup') {
      return c.html(popupPage({ ok: false, error }, new URL(returnUrl).origin, returnLink), error.status, PAGE_HEADERS);
    }
    if (wantsHtml(c)) return c.html(errorPage(error, returnLink), error.status, PAGE_HEADERS);
    return c.json(error.toJSON(), error.status, JSON_HEADERS);
  };
  const fail = (c: Context, code: IzlyConnectErrorCode, login: LoginInProgress | null) => answerError(c, new IzlyConnectError(code), login);

  app.onError((error, c) => {
    logger.error(`izly-pay: connect: ${c.req.method} ${c.req.path} failed: ${reason(error)}`);
    return answerError(c, error instanceof IzlyConnectError ? error : new IzlyConnectError('internal_error'), null);
  });

  app.get('/login', async (c) => {
    const mode = c.req.query('mode') ?? 'redirect';
    if (mode !== 'redirect' && mode !== 'popup') return fail(c, 'invalid_mode', null);
    const returnUrl = c.req.query('returnUrl') ?? options.returnUrl;
    if (!isHttpUrl(returnUrl)) return fail(c, 'invalid_return_url', null);
    if (!allowed.has(new URL(returnUrl).origin)) return fail(c, 'return_url_not_allowed', null);
    // Another site must not start a login in this browser: with a state that Izly might not return, the
    // login cookie would be all that stands between a forged callback and the student's session.
    if (c.req.header('sec-fetch-site') === 'cross-site') {
      const referer = c.req.header('referer') ?? '';
      if (!URL.canParse(referer) || !allowed.has(new URL(referer).origin)) return fail(c, 'cross_site_request', null);
    }
    const login: LoginInProgress = { nonce: newNonce(), returnUrl, mode, expiresAt: now() + options.loginTimeoutSeconds * 1000 };
    c.header('Set-Cookie', cookieHeader(c, await sealer.seal(login), options.loginTimeoutSeconds, returnUrl));
    c.header('Cache-Control', 'no-store');
    return c.redirect(client.authorizeUrl({ state: login.nonce }), 302);
  });

  app.get('/callback', async (c) => {
    const login = await readLogin(c);
    c.header('Set-Cookie', clearLogin(c, login));
    if (!login) return fail(c, 'login_not_started', null);
    if (login.expiresAt <= now()) return fail(c, 'login_expired', login);
    // Izly documents no error redirect; an OAuth-style `error` is read all the same.
    const izlyError = c.req.query('error');
    if (izlyError !== undefined) return fail(c, izlyError === 'access_denied' ? 'login_cancelled' : 'izly_error', login);
    const state = c.req.query('state');
    if (state === undefined) {
      if (options.state === 'required') {
        logger.warn("izly-pay: connect: Izly returned no state; if your Izly environment never returns it, set connect.state to 'if-returned' (see the README)");
        return fail(c, 'state_missing', login);
      }
    } else if (!sameText(state, login.nonce)) {
      return fail(c, 'state_mismatch', login);
    }
    const code = c.req.query('code');
    if (!code) return fail(c, 'missing_code', login);

    let user: IzlyUser;
    let tokens: ConnectTokens;
    try {
      tokens = withExpiry(await client.exchangeCode(code), now());
      user = await client.getUser(tokens.accessToken);
    } catch (error) {
      // The client's messages name calls by their path template: no code, no token in this line.
      logger.warn(`izly-pay: connect: login failed at Izly: ${reason(error)}`);
      return answerError(c, connectErrorFromIzly(error, 'code_rejected'), login);
    }

    let hookAnswer: Response | void;
    try {
      hookAnswer = await options.onLogin(user, tokens, c);
    } catch (error) {
      logger.error(`izly-pay: connect: onLogin failed: ${reason(error)}`);
      // Never half logged in: set, not appended, this header replaces any cookie the hook set before it threw.
      c.header('Set-Cookie', clearLogin(c, login));
      return fail(c, 'login_failed', login);
    }

    const returnLink = returnUrlWith(login.returnUrl, 'success');
    if (login.mode === 'popup') {
      for (const cookie of hookAnswer instanceof Response ? hookAnswer.headers.getSetCookie() : []) c.header('Set-Cookie', cookie, { append: true });
      return c.html(popupPage({ ok: true }, new URL(login.returnUrl).origin, returnLink), 200, PAGE_HEADERS);
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
  });

  app.get('/cancel', async (c) => {
    const login = await readLogin(c);
    if (login && login.expiresAt > now()) {
      c.header('Set-Cookie', clearLogin(c, login));
      return fail(c, 'login_cancelled', login);
    }
    // No login in progress: Izly sent a cancelled payment here (one URL after cancellation for both).
    if (getCookie(c, options.cookieName) !== undefined) c.header('Set-Cookie', clearLogin(c, login));
    c.header('Cache-Control', 'no-store');
    return c.redirect(options.paymentCancelUrl, 303);
  });

  if (options.session) {
    const session = options.session;
    app.get('/session', async (c) => c.json({ session: (await session(c)) ?? null }, 200, { ...JSON_HEADERS, Vary: 'Cookie' }));
  }

  // Another method on these paths answers in the routes' own error shape, not with the host's plain 404.
  for (const path of ['/login', '/callback', '/cancel', ...(options.session ? ['/session'] : [])]) {
    app.all(path, (c) => {
      c.header('Allow', 'GET');
      return fail(c, 'method_not_allowed', null);
    });
  }

  app.get('/popup.js', (c) =>
    c.body(POPUP_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' }),
  );
  app.get('/page.css', (c) =>
    c.body(PAGE_STYLES, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' }),
  );

  return app;
}
