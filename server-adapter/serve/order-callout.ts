// The `order()` hook of `izly-pay serve`: the amount of an order comes from the partner's server, asked
// over HTTP (`POST {orderUrl}` with `{"orderId": "..."}`, signed), never from the browser. A 404 means no
// such order (the student is told so); no answer in time, another status or an unreadable answer is an
// error, so the adapter answers the student with an error and creates nothing.
import type { OrderInfo } from '../index.js';
import { SIGNATURE_HEADER, signatureHeader } from './signature.js';

/** Settings of `orderCallout`. */
export interface OrderCalloutOptions {
  /** The partner's endpoint. */
  url: string;
  /** Shared with the partner: signs the request. */
  signingSecret: string;
  /** Time the endpoint has to answer, in ms. */
  timeoutMs: number;
  fetch: (request: Request) => Promise<Response>;
  /** Milliseconds since the epoch (the signature's timestamp). */
  now: () => number;
}

/** The callout failed: the message says how, for the service's log (the student sees the adapter's error). */
export class OrderCalloutError extends Error {
  override name = 'OrderCalloutError' as const;
}

/** The answer's `{ amount, message? }`, checked: a positive integer of cents, and an optional string. */
function orderInfo(answer: unknown, url: string): OrderInfo {
  const { amount, message } = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new OrderCalloutError(`${url} answered without "amount" as a positive integer of cents (got ${JSON.stringify(amount)})`);
  }
  if (message !== undefined && message !== null && typeof message !== 'string') throw new OrderCalloutError(`${url} answered a "message" that is not a string`);
  return typeof message === 'string' && message !== '' ? { amount, message } : { amount };
}

/**
 * The hook that asks the partner's server for an order's amount.
 * @example
 * izlyPay({ ..., order: orderCallout({ url, signingSecret, timeoutMs: 5000, fetch, now: Date.now }) });
 */
export function orderCallout(options: OrderCalloutOptions): (orderId: string) => Promise<OrderInfo | null> {
  const { url, signingSecret, timeoutMs, fetch, now } = options;
  return async (orderId) => {
    const body = JSON.stringify({ orderId });
    const request = new Request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        [SIGNATURE_HEADER]: signatureHeader(signingSecret, body, Math.floor(now() / 1000)),
      },
      body,
      // A signed request is never sent on to wherever a redirect points.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    let response: Response;
    try {
      response = await fetch(request);
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new OrderCalloutError(timedOut ? `${url} did not answer within ${timeoutMs} ms` : `${url} could not be reached (${(error as Error).message})`);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new OrderCalloutError(`${url} answered ${response.status} for order ${orderId} (200 with the amount, or 404, expected)`);
    }
    let answer: unknown;
    try {
      answer = await response.json();
    } catch {
      throw new OrderCalloutError(`${url} answered 200 without a JSON body`);
    }
    return orderInfo(answer, url);
  };
}
