// Small helpers for the sandbox's tests: the partner's side of the contract (headers, calls, a callback
// receiver) and reading the HTML pages the AD would see.
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { createSandbox, DEFAULT_POINT_OF_SALE, type Sandbox, type SandboxOptions } from '../../../sandbox/index.js';

export const APP_IDENTIFIER = 'izly-pay-demo';
export const API_KEY = DEFAULT_POINT_OF_SALE.apiKey;

/**
 * The common headers of the contract, with the raw API key after `Basic` as the document shows, and the
 * content type proven in production: the only one the default (strictest) Izly accepts.
 */
export function partnerHeaders(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    authorization: `Basic ${API_KEY}`,
    'content-type': 'application/vnd.s-money.v1+json',
    appidentifier: APP_IDENTIFIER,
    ...overrides,
  };
}

export interface InitiateAnswer {
  PaymentAuthorizationUrl: string;
  OperationSMoney: { Id: number; IdTransactionDebitIzly: number; Amount: number; Date: string; Message: string; ClientOrderId: string; Status: string };
  Beneficiary: { Id: string; ClientId: string };
}

/** POST /api/Izly/WebPayments with the given body; fails the test when it is not 200. */
export async function initiate(sandbox: Sandbox, body: Record<string, unknown>, headers = partnerHeaders()): Promise<InitiateAnswer> {
  const response = await sandbox.request('/api/Izly/WebPayments', { method: 'POST', headers, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`initiate answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as InitiateAnswer;
}

/** The path of the payment page (PaymentAuthorizationUrl without its origin). */
export function pagePath(answer: InitiateAnswer): string {
  return new URL(answer.PaymentAuthorizationUrl).pathname;
}

/** Posts the payment page's form as a browser would. */
export function postForm(sandbox: Sandbox, path: string, fields: Record<string, string>): Promise<Response> {
  return Promise.resolve(
    sandbox.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/** The attributes of the `<input>` whose id is `id`, by name. */
export function inputAttributes(html: string, id: string): Record<string, string> {
  const tag = new RegExp(`<input id="${id}"[^>]*>`).exec(html)?.[0] ?? '';
  return Object.fromEntries([...tag.matchAll(/([a-z-]+)="([^"]*)"/g)].map(([, name, value]) => [name!, value!]));
}

/**
 * Checks the form of a page shown again after a wrong password: the message is `#form-error`, and both
 * fields are invalid and described by it (WCAG 3.3.1: a screen reader reads it with the field).
 */
export function assertFieldsTiedToError(html: string): void {
  assert.match(html, /<p class="alert" role="alert" id="form-error">/);
  const identifier = inputAttributes(html, 'identifier');
  const password = inputAttributes(html, 'password');
  assert.equal(identifier['aria-invalid'], 'true');
  assert.equal(password['aria-invalid'], 'true');
  assert.deepEqual(identifier['aria-describedby']?.split(' '), ['identifier-hint', 'form-error']);
  assert.equal(password['aria-describedby'], 'form-error');
}

/** Checks a form shown before any attempt: nothing invalid, no message to point at. */
export function assertFieldsUntouched(html: string): void {
  assert.doesNotMatch(html, /id="form-error"/);
  assert.equal(inputAttributes(html, 'identifier')['aria-invalid'], undefined);
  assert.equal(inputAttributes(html, 'password')['aria-invalid'], undefined);
  assert.equal(inputAttributes(html, 'password')['aria-describedby'], undefined);
}

/** What a page shows, read from its HTML. */
export function readPage(html: string) {
  const text = (pattern: RegExp) => {
    const match = pattern.exec(html);
    return match?.[1] === undefined ? undefined : decodeEntities(match[1].replace(/<[^>]+>/g, ''));
  };
  return {
    heading: text(/<h1[^>]*>([\s\S]*?)<\/h1>/),
    alert: text(/<[^>]+role="alert"[^>]*>([\s\S]*?)<\/p>/),
    status: text(/<[^>]+role="status"[^>]*>([\s\S]*?)<\/p>/),
    returnLink: text(/<a id="return-link"[^>]*href="([^"]*)"/),
    refresh: text(/<meta http-equiv="refresh" content="([^"]*)"/),
    hasForm: /<form /.test(html),
    body: html,
  };
}

export interface ReceivedCallback {
  url: string;
  contentType: string | null;
  body: unknown;
  text: string;
}

/**
 * A partner server that records the callbacks it receives. `statuses` are answered in turn (then 200):
 * `[500, 500]` makes the first two attempts fail.
 */
export function callbackReceiver(statuses: number[] = []) {
  const received: ReceivedCallback[] = [];
  const pending = [...statuses];
  const app = new Hono();
  app.post('*', async (c) => {
    const text = await c.req.text();
    received.push({ url: c.req.url, contentType: c.req.header('content-type') ?? null, body: JSON.parse(text), text });
    return c.body(null, (pending.shift() ?? 200) as 200);
  });
  return { app, received, fetch: (request: Request) => app.fetch(request) };
}

/**
 * A sandbox whose callbacks go to an in-process receiver (never to the network) with retries 5 ms apart.
 * `statuses`: see `callbackReceiver`.
 */
/** The control token of `testSandbox()`'s sandboxes, so that a test's control API calls can carry it. */
export const CONTROL_TOKEN = 'test-control-token-0123456789';

/** A control API request: the token, and a JSON body when there is one. */
export function control(method = 'GET', body?: unknown): RequestInit {
  const headers: Record<string, string> = { authorization: `Bearer ${CONTROL_TOKEN}` };
  if (body === undefined) return { method, headers };
  return { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export function testSandbox(options: SandboxOptions = {}, statuses: number[] = []) {
  const receiver = callbackReceiver(statuses);
  const sandbox = createSandbox({ fetch: receiver.fetch, callbackRetryDelayMs: 5, controlToken: CONTROL_TOKEN, ...options });
  return { sandbox, receiver };
}
