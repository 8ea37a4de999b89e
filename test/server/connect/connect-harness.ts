// IzlyConnect as in production: a real sandbox and a partner app mounting `izlyPay({ connect })` at /izly,
// each on its own loopback port, sharing one clock that tests move forward. The student's browser is a
// `TestBrowser`: a cookie jar for the partner's origin that records every answer the partner sent it, so
// that a test can check that no token ever reached the browser. The sandbox has a second point of sale,
// so that a code issued to another site can be tried.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { createSandbox, DEFAULT_POINT_OF_SALE, type Sandbox, type SandboxOptions } from '../../../sandbox/index.js';
import {
  izlyPay,
  memoryStore,
  type ConnectTokens,
  type IzlyConnectOptions,
  type IzlyPayApp,
  type IzlyPayOptions,
  type IzlyUser,
  type OrderInfo,
} from '../../../server-adapter/index.js';

export const SECRET = 'test-secret-that-is-at-least-32-characters-long';
export const APP_IDENTIFIER = 'izly-pay-demo';
// The built-in key, already base64: the default Izly takes it as is after `Basic` on the token call.
export const API_KEY = DEFAULT_POINT_OF_SALE.apiKey;
export const OTHER_APP_IDENTIFIER = 'autre-boutique';
export const STUDENT = { identifier: 'etudiant@izly.test', password: 'izly1234' } as const;

/** One call of the partner's `onLogin` hook. */
export interface LoginCall {
  user: IzlyUser;
  tokens: ConnectTokens;
}

export interface ConnectHarnessOptions {
  /** Connect options over the harness's `onLogin` (which records the call and opens a `shop_session` cookie). */
  connect?: Partial<IzlyConnectOptions>;
  /** Other options of `izlyPay()`. */
  adapter?: Partial<IzlyPayOptions>;
  /** Options of `createSandbox()` (not `pointsOfSale`, set here). */
  sandbox?: Omit<SandboxOptions, 'pointsOfSale'>;
  /** The POS's API key, in the sandbox and in the adapter; default `API_KEY`. */
  apiKey?: string;
  /** The POS URL after cancellation; default `{partner}/izly/connect/cancel`. */
  urlAfterCancellation?: (partnerUrl: string) => string;
}

export interface ConnectHarness {
  sandbox: Sandbox;
  izly: IzlyPayApp;
  sandboxUrl: string;
  partnerUrl: string;
  /** Every call of `onLogin`, in order. */
  logins: LoginCall[];
  /** Every line the adapter logged. */
  logs: string[];
  /** Every request the adapter sent to the sandbox (method and path). */
  upstream: Array<{ method: string; path: string }>;
  orders: Map<string, OrderInfo>;
  /** The shared clock (ms since the epoch); `advance` moves the adapter's and the sandbox's time. */
  now(): number;
  advance(ms: number): void;
  /** A new browser (empty cookie jar). */
  browser(): TestBrowser;
  close(): Promise<void>;
}

function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server, url: `http://127.0.0.1:${info.port}` }));
  });
}

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}

export async function startConnectHarness(options: ConnectHarnessOptions = {}): Promise<ConnectHarness> {
  let sandbox: Sandbox | undefined;
  let partner: Hono | undefined;
  const sandboxServer = await listen((request) => sandbox!.fetch(request));
  const partnerServer = await listen((request) => partner!.fetch(request));
  const partnerUrl = partnerServer.url;
  let clock = Date.UTC(2026, 0, 15, 9, 0, 0);
  const now = () => clock;

  sandbox = createSandbox({
    publicUrl: sandboxServer.url,
    callbackRetryDelayMs: 20,
    now,
    ...options.sandbox,
    pointsOfSale: [
      {
        apiKey: options.apiKey ?? API_KEY,
        callbackUrl: `${partnerUrl}/izly/callback`,
        urlAfterConnection: `${partnerUrl}/izly/connect/callback`,
        urlAfterPayment: `${partnerUrl}/`,
        urlAfterCancellation: options.urlAfterCancellation?.(partnerUrl) ?? `${partnerUrl}/izly/connect/cancel`,
      },
      {
        appIdentifier: OTHER_APP_IDENTIFIER,
        apiKey: 'other-api-key',
        siteName: 'Autre boutique',
        urlAfterConnection: 'http://127.0.0.1:9/connected',
        urlAfterCancellation: 'http://127.0.0.1:9/',
      },
    ],
  });

  const logins: LoginCall[] = [];
  const logs: string[] = [];
  const upstream: Array<{ method: string; path: string }> = [];
  const orders = new Map<string, OrderInfo>();
  const izly = izlyPay({
    baseUrl: sandboxServer.url,
    appIdentifier: APP_IDENTIFIER,
    apiKey: options.apiKey ?? API_KEY,
    // Only records and forwards: the sandbox answers every request.
    fetch: (request) => {
      upstream.push({ method: request.method, path: new URL(request.url).pathname });
      return fetch(request);
    },
    retryDelayMs: 10,
    secret: SECRET,
    store: memoryStore(),
    allowedOrigins: [partnerUrl],
    order: (orderId) => orders.get(orderId) ?? null,
    logger: { warn: (line) => void logs.push(line), error: (line) => void logs.push(line) },
    now,
    ...options.adapter,
    connect: {
      onLogin: (user, tokens, c) => {
        logins.push({ user, tokens });
        // The partner's own session: an opaque id, never a token.
        setCookie(c, 'shop_session', `session-of-${user.clientCode}`, { path: '/', httpOnly: true, sameSite: 'Lax' });
      },
      ...options.connect,
    },
  });
  partner = new Hono().route('/izly', izly);

  return {
    sandbox,
    izly,
    sandboxUrl: sandboxServer.url,
    partnerUrl,
    logins,
    logs,
    upstream,
    orders,
    now,
    advance: (ms) => void (clock += ms),
    browser: () => new TestBrowser(partnerUrl),
    async close() {
      await sandbox!.control.settled();
      sandbox!.control.close();
      await izly.store.close();
      await Promise.all([closeServer(sandboxServer.server), closeServer(partnerServer.server)]);
    },
  };
}

/** One answer the partner sent to the browser, as read by the browser. */
export interface RecordedAnswer {
  url: string;
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** A browser's view of one answer. */
export interface PageAnswer {
  status: number;
  headers: Headers;
  body: string;
  /** The `Location` header, when the answer is a redirect. */
  location: string | null;
}

const HTML_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/**
 * The student's browser, reduced to what matters here: a cookie jar (name, value, path) for the partner's
 * origin, no automatic redirects (each hop is a step of the test), navigations that accept HTML.
 */
export class TestBrowser {
  readonly cookies = new Map<string, { value: string; path: string }>();
  /** Every answer the partner sent to this browser. */
  readonly answers: RecordedAnswer[] = [];
  /** Every raw `Set-Cookie` the partner sent. */
  readonly setCookies: string[] = [];

  constructor(readonly partnerUrl: string) {}

  /** A navigation (Accept: text/html) or, with `accept`, another kind of request. */
  async get(url: string, init: { accept?: string; headers?: Record<string, string> } = {}): Promise<PageAnswer> {
    const target = new URL(url);
    const headers: Record<string, string> = { Accept: init.accept ?? HTML_ACCEPT, ...init.headers };
    const ours = target.origin === new URL(this.partnerUrl).origin;
    if (ours) {
      const cookie = [...this.cookies]
        .filter(([, c]) => target.pathname.startsWith(c.path))
        .map(([name, c]) => `${name}=${c.value}`)
        .join('; ');
      if (cookie) headers.Cookie = cookie;
    }
    const response = await fetch(target, { headers, redirect: 'manual' });
    const body = await response.text();
    if (ours) {
      this.answers.push({ url: target.href, status: response.status, headers: [...response.headers], body });
      for (const line of response.headers.getSetCookie()) this.#store(line);
    }
    return { status: response.status, headers: response.headers, body, location: response.headers.get('location') };
  }

  #store(line: string): void {
    this.setCookies.push(line);
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
    const maxAge = attributes.find((a) => /^max-age=/i.test(a));
    if (maxAge && Number(maxAge.slice(8)) <= 0) this.cookies.delete(name);
    else this.cookies.set(name, { value, path });
  }

  /** Fails the test when any answer to this browser (status line aside) contains one of `secrets`. */
  assertNeverSent(secrets: readonly string[]): void {
    for (const answer of this.answers) {
      const seen = `${answer.headers.map(([name, value]) => `${name}: ${value}`).join('\n')}\n${answer.body}`;
      for (const secret of secrets) {
        assert.ok(secret.length >= 8, 'a secret to look for is too short to mean anything');
        assert.equal(seen.includes(secret), false, `a secret reached the browser in the answer to ${answer.url}`);
        assert.equal(seen.includes(encodeURIComponent(secret)), false, `an encoded secret reached the browser in the answer to ${answer.url}`);
      }
    }
  }
}

/** What the Izly login page did with the student's form. */
export interface IzlyLoginOutcome {
  status: number;
  /** Where Izly sent the browser (303), or null when it showed a page. */
  location: string | null;
  html: string;
}

/**
 * Plays the student on Izly's real login page over HTTP: loads the authorize URL, checks that the form is
 * there, and posts it to the form's own `action` (`identifier`, `password`, `action` = login | cancel).
 */
export async function logInAtIzly(
  authorizeUrl: string,
  { identifier, password, action = 'login' }: { identifier?: string; password?: string; action?: 'login' | 'cancel' } = STUDENT,
): Promise<IzlyLoginOutcome> {
  const page = await fetch(authorizeUrl, { headers: { Accept: HTML_ACCEPT } });
  const html = await page.text();
  const form = /<form[^>]*method="post"[^>]*action="([^"]*)"/.exec(html);
  if (page.status !== 200 || !form || !/name="identifier"/.test(html)) throw new Error(`logInAtIzly: no login form at the authorize URL (${page.status})`);
  const action_ = new URL(form[1]!.replace(/&amp;/g, '&'), authorizeUrl);
  const fields: Record<string, string> = { action };
  if (identifier !== undefined) fields.identifier = identifier;
  if (password !== undefined) fields.password = password;
  const response = await fetch(action_, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: HTML_ACCEPT },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), html: await response.text() };
}

/** The visible parts of an IzlyConnect page (error or popup). */
export function readConnectPage(html: string) {
  const decode = (text: string) =>
    text
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  const match = (pattern: RegExp) => {
    const found = pattern.exec(html);
    return found?.[1] === undefined ? null : decode(found[1].replace(/<[^>]+>/g, '').trim());
  };
  return {
    heading: match(/<h1[^>]*>([\s\S]*?)<\/h1>/),
    alert: match(/<[^>]+role="alert"[^>]*>([\s\S]*?)<\/p>/),
    status: match(/<[^>]+role="status"[^>]*>([\s\S]*?)<\/p>/),
    code: match(/<code id="error-code">([\s\S]*?)<\/code>/),
    returnLink: match(/<a id="return-link" href="([^"]*)"/),
    lang: match(/<html lang="([^"]*)"/),
    /** The `data-*` attributes of the popup page's result element. */
    result: Object.fromEntries(
      [...(/<[^>]*id="izly-connect-result"[^>]*>/.exec(html)?.[0] ?? '').matchAll(/data-([a-z-]+)="([^"]*)"/g)].map(([, name, value]) => [
        name!,
        decode(value!),
      ]),
    ),
  };
}

/** `GET {partner}/izly/connect/login[?query]` in `browser`; returns Izly's authorize URL it redirects to. */
export async function startLogin(harness: ConnectHarness, browser: TestBrowser, query: Record<string, string> = {}): Promise<string> {
  const search = new URLSearchParams(query).toString();
  const answer = await browser.get(`${harness.partnerUrl}/izly/connect/login${search ? `?${search}` : ''}`);
  assert.equal(answer.status, 302, `login answered ${answer.status}: ${answer.body}`);
  return answer.location ?? '';
}

/** Starts a login in `browser` and logs in at Izly; returns the callback URL Izly sends the browser to. */
export async function loginUntilCallback(
  harness: ConnectHarness,
  browser: TestBrowser,
  query: Record<string, string> = {},
  student: { identifier: string; password: string } = STUDENT,
): Promise<string> {
  const outcome = await logInAtIzly(await startLogin(harness, browser, query), student);
  assert.equal(outcome.status, 303, `Izly's login answered ${outcome.status}`);
  return outcome.location ?? '';
}

/** Every token handed to `onLogin` so far. */
export function issuedTokens(harness: ConnectHarness): string[] {
  return harness.logins.flatMap(({ tokens }) => [tokens.accessToken, tokens.refreshToken]);
}
