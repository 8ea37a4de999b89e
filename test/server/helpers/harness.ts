// A real Izly sandbox and a real partner app mounting `izlyPay()` at /izly, each on its own loopback port,
// wired as in production: the adapter calls the sandbox over HTTP, the sandbox calls the partner's
// /izly/callback over HTTP, and the student's browser is played by `payAsStudent` driving the sandbox's
// HTML form. Everything started here is closed by `close()`.
import { Hono } from 'hono';
import { createSandbox, DEFAULT_POINT_OF_SALE, type Sandbox, type SandboxOptions } from '../../../sandbox/index.js';
import { izlyPay, memoryStore, type IzlyPayApp, type IzlyPayOptions, type OrderInfo, type PaymentRecord } from '../../../server-adapter/index.js';
import { closeServer, listen } from './http-server.js';

export const SECRET = 'test-secret-that-is-at-least-32-characters-long';
export const APP_IDENTIFIER = 'izly-pay-demo';
export const API_KEY = DEFAULT_POINT_OF_SALE.apiKey;
export const STUDENT = { identifier: 'etudiant@izly.test', password: 'izly1234' } as const;
export const BROKE_STUDENT = { identifier: 'fauche@izly.test', password: 'izly1234' } as const;

/** One request the adapter sent to Izly, as the counting fetch saw it. */
export interface UpstreamRequest {
  method: string;
  path: string;
}

export interface HarnessOptions {
  /** Options of `izlyPay()` over the harness's defaults (store, hooks, timeouts...). */
  adapter?: Partial<IzlyPayOptions>;
  /** Options of `createSandbox()` over the harness's defaults. */
  sandbox?: SandboxOptions;
}

export interface Harness {
  sandbox: Sandbox;
  izly: IzlyPayApp;
  sandboxUrl: string;
  partnerUrl: string;
  /** The partner's orders: `order()` answers from here. */
  orders: Map<string, OrderInfo>;
  /** Every call of each hook, in order. */
  hooks: { paid: PaymentRecord[]; failed: PaymentRecord[]; refunded: PaymentRecord[] };
  /** Every request the adapter sent to the sandbox. */
  upstream: UpstreamRequest[];
  /** Requests the adapter sent to Izly matching a method and a path pattern. */
  upstreamCount(method: string, path: RegExp): number;
  /**
   * `POST {partner}/izly/payments` as the widget sends it, from one browser: the payer cookie the adapter
   * sets is kept and sent again by `createPayment` and `getPayment` (a `Cookie` header given overrides it).
   */
  createPayment(
    orderId: string,
    init?: { key?: string; returnUrl?: string; body?: Record<string, unknown>; headers?: Record<string, string> },
  ): Promise<Response>;
  /** `GET {partner}/izly/payments/:id[?wait=]`, from the same browser as `createPayment`. */
  getPayment(paymentId: string, waitSeconds?: number, headers?: Record<string, string>): Promise<Response>;
  /** The `Cookie` header of the harness's browser (its payer cookie), or '' before its first creation. */
  readonly cookie: string;
  /** Posts a callback to the partner as anyone on the internet could. */
  postCallback(query: string, body: unknown): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  let sandbox: Sandbox | undefined;
  let partner: Hono | undefined;
  const sandboxServer = await listen((request) => sandbox!.fetch(request));
  const partnerServer = await listen((request) => partner!.fetch(request));

  sandbox = createSandbox({
    publicUrl: sandboxServer.url,
    callbackRetryDelayMs: 20,
    ...options.sandbox,
    pointsOfSale: [
      {
        callbackUrl: `${partnerServer.url}/izly/callback`,
        urlAfterConnection: `${partnerServer.url}/izly/connect/callback`,
        urlAfterPayment: `${partnerServer.url}/`,
        urlAfterCancellation: `${partnerServer.url}/`,
        ...options.sandbox?.pointsOfSale?.[0],
      },
    ],
  });

  const upstream: UpstreamRequest[] = [];
  // Only counts and forwards: the sandbox answers every request.
  const countingFetch = (request: Request) => {
    upstream.push({ method: request.method, path: new URL(request.url).pathname });
    return fetch(request);
  };

  const orders = new Map<string, OrderInfo>();
  const hooks = { paid: [] as PaymentRecord[], failed: [] as PaymentRecord[], refunded: [] as PaymentRecord[] };
  const silent = { warn() {}, error() {} };
  const izly = izlyPay({
    baseUrl: sandboxServer.url,
    appIdentifier: APP_IDENTIFIER,
    apiKey: API_KEY,
    fetch: countingFetch,
    retryDelayMs: 10,
    secret: SECRET,
    store: memoryStore(),
    allowedOrigins: [partnerServer.url],
    order: (orderId) => orders.get(orderId) ?? null,
    onPaid: (payment) => void hooks.paid.push(payment),
    onFailed: (payment) => void hooks.failed.push(payment),
    onRefunded: (payment) => void hooks.refunded.push(payment),
    statusReadIntervalMs: 50,
    logger: silent,
    ...options.adapter,
  });
  partner = new Hono().route('/izly', izly);

  const partnerUrl = partnerServer.url;
  // The one browser of the harness: its payer cookie, as the adapter last set it.
  let cookie = '';
  const keepCookie = (response: Response) => {
    const payer = response.headers.getSetCookie().find((header) => /^(__Host-)?izly_payer=/.test(header));
    if (payer) cookie = payer.split(';')[0]!;
    return response;
  };
  return {
    sandbox,
    izly,
    sandboxUrl: sandboxServer.url,
    partnerUrl,
    orders,
    hooks,
    upstream,
    upstreamCount: (method, path) => upstream.filter((r) => r.method === method && path.test(r.path)).length,
    get cookie() {
      return cookie;
    },
    async createPayment(orderId, init = {}) {
      const response = await fetch(`${partnerUrl}/izly/payments`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': init.key ?? crypto.randomUUID(),
          Origin: partnerUrl,
          ...(cookie ? { Cookie: cookie } : {}),
          ...init.headers,
        },
        body: JSON.stringify({ orderId, returnUrl: init.returnUrl ?? `${partnerUrl}/shop/orders/${orderId}`, ...init.body }),
      });
      // Another browser's answer (its own Cookie header given) does not change this browser's cookie.
      return init.headers && Object.keys(init.headers).some((name) => name.toLowerCase() === 'cookie') ? response : keepCookie(response);
    },
    getPayment(paymentId, waitSeconds, headers) {
      return fetch(`${partnerUrl}/izly/payments/${encodeURIComponent(paymentId)}${waitSeconds === undefined ? '' : `?wait=${waitSeconds}`}`, {
        headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers },
      });
    },
    postCallback(query, body) {
      return fetch(`${partnerUrl}/izly/callback${query}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async close() {
      await sandbox!.control.settled();
      sandbox!.control.close();
      await izly.store.close();
      await Promise.all([closeServer(sandboxServer.server), closeServer(partnerServer.server)]);
    },
  };
}

/** What the student saw after submitting the authorization form. */
export interface StudentOutcome {
  status: number;
  html: string;
  /** `href` of `#return-link`, when the page has one. */
  returnLink: string | null;
  /** Text of the `role="alert"` element, when the page has one. */
  alert: string | null;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'");
}

/**
 * Plays the student on Izly's authorization page, over HTTP as a browser would: loads the page, then
 * submits its form (`identifier`, `password`, `action` = validate | cancel) to the same URL.
 */
export async function payAsStudent(
  authorizationUrl: string,
  { identifier, password, action }: { identifier: string; password: string; action: 'validate' | 'cancel' },
): Promise<StudentOutcome> {
  const page = await fetch(authorizationUrl);
  const form = await page.text();
  if (page.status !== 200 || !/name="identifier"/.test(form)) throw new Error(`payAsStudent: no payment form at the authorization URL (${page.status})`);
  const response = await fetch(authorizationUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ identifier, password, action }),
    redirect: 'manual',
  });
  const html = await response.text();
  const link = /<a[^>]*id="return-link"[^>]*href="([^"]*)"/.exec(html) ?? /<a[^>]*href="([^"]*)"[^>]*id="return-link"/.exec(html);
  const alert = /<[^>]*role="alert"[^>]*>([\s\S]*?)<\//.exec(html);
  return {
    status: response.status,
    html,
    returnLink: link ? decodeEntities(link[1]!) : null,
    alert: alert ? decodeEntities(alert[1]!.trim()) : null,
  };
}
