// One whole payment, driven over HTTP as a shop's browser, its staff and the student would: created through
// the shop's adapter, the Izly page validated on the sandbox, the callback delivered and confirmed, a long
// poll held past Bun's default idle timeout and woken by the payment, then refunded.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { payAsStudent, STUDENT } from '../server/helpers/harness.js';
import type { RuntimeServer } from './runtime-servers.js';

export const ORDER_ID = 'order-1001';
export const ADMIN_TOKEN = 'matrix-admin-token';
/** Well past Bun's default idle timeout (10 s, checked every few seconds): the long poll must outlive it. */
const HOLD_SECONDS = 15;

/** What one payment measured, in ms, and its id. */
export interface PaymentFigures {
  paymentId: string;
  /** POST /payments answered. */
  created: number;
  /** The Izly page validated, to the long poll's answer "paid". */
  validatedToPaid: number;
  /** The whole payment, hold included, to "refunded". */
  total: number;
}

interface PaymentAnswer {
  paymentId: string;
  status: string;
  authorizationUrl?: string;
}

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  return JSON.parse(text) as T;
}

/** The sandbox's callback attempts, once every delivery is done (the shop may wake its long polls before its answer reaches the sandbox). */
async function settledCallbackLog(sandboxUrl: string, controlToken: string): Promise<Array<{ outcome: string; status?: number }>> {
  return json(await fetch(`${sandboxUrl}/sandbox/api/callbacks/settled`, { headers: { Authorization: `Bearer ${controlToken}` } }), 200);
}

export async function takeWholePayment(shop: RuntimeServer, sandbox: { url: string; controlToken: string }): Promise<PaymentFigures> {
  const started = performance.now();
  const paymentsUrl = `${shop.url}/izly/payments`;
  const created = await json<PaymentAnswer>(
    await fetch(paymentsUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), Origin: shop.url },
      body: JSON.stringify({ orderId: ORDER_ID, returnUrl: `${shop.url}/orders/${ORDER_ID}` }),
    }),
    201,
  );
  const createdAt = performance.now();
  assert.equal(created.status, 'pending');
  const authorizationUrl = created.authorizationUrl ?? '';
  assert.ok(authorizationUrl.startsWith(sandbox.url), `the Izly page is the sandbox's: ${authorizationUrl}`);

  const paymentUrl = `${paymentsUrl}/${encodeURIComponent(created.paymentId)}`;
  // The long poll the widget would hold; a shorter one beside it answers "still pending" once the first has
  // been held past Bun's default idle timeout, and only then does the student pay.
  const longPoll = fetch(`${paymentUrl}?wait=25`).then(
    (response) => json<PaymentAnswer>(response, 200),
    (error: unknown) => {
      throw new Error(`the 25 s long poll was cut before its answer (a server idle timeout under 25 s?): ${String(error)}`);
    },
  );
  // Awaited below; a cut meanwhile must fail the test there, not as an unhandled rejection.
  longPoll.catch(() => {});
  const held = await json<PaymentAnswer>(await fetch(`${paymentUrl}?wait=${HOLD_SECONDS}`), 200);
  assert.equal(held.status, 'pending');

  const validatedAt = performance.now();
  const outcome = await payAsStudent(authorizationUrl, { ...STUDENT, action: 'validate' });
  assert.equal(outcome.status, 200, outcome.alert ?? outcome.html.slice(0, 500));
  assert.equal((await longPoll).status, 'paid');
  const paidAt = performance.now();
  await shop.line(new RegExp(`^paid: ${ORDER_ID}$`));

  const delivered = (await settledCallbackLog(sandbox.url, sandbox.controlToken)).filter((attempt) => attempt.outcome === 'delivered');
  assert.equal(delivered.length, 1, 'the sandbox delivered one callback, answered 200 by the shop');

  const refunded = await json<PaymentAnswer>(await fetch(`${paymentUrl}/refund`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } }), 200);
  assert.equal(refunded.status, 'refunded');
  assert.equal((await json<PaymentAnswer>(await fetch(paymentUrl), 200)).status, 'refunded');
  await shop.line(new RegExp(`^refunded: ${ORDER_ID}$`));
  assert.doesNotMatch(shop.output(), /izly-pay: (?!no wake-ups from other instances)/, 'the shop logged no warning');
  return { paymentId: created.paymentId, created: createdAt - started, validatedToPaid: paidAt - validatedAt, total: performance.now() - started };
}
