/**
 * A small client for the adapter's HTTP routes (`POST {endpoint}/payments`, `GET {endpoint}/payments/{id}`),
 * shared by the widget's elements. It speaks the adapter's public view only: no Izly field ever reaches the
 * browser. Every call takes an `AbortSignal`, so that an element can drop a run it no longer wants.
 * The shapes and names on the wire are the browser contract's, shared with the adapter (types only here,
 * and two constants, so that no server code reaches the bundle).
 */
import {
  RETURNED_PARAM,
  WAIT_PARAM,
  type AdapterClientErrorCode,
  type CreatePaymentRequest,
  type CreatedPaymentView,
  type ErrorAnswer,
  type IzlyPayErrorCode,
  type PaymentStatus,
  type PaymentView,
} from '../contract/browser-contract.js';

export type { PaymentStatus };

/** The public view of a payment, as `GET {endpoint}/payments/{id}` returns it. Amounts are integer cents. */
export type PublicPayment = PaymentView;

/**
 * What `POST {endpoint}/payments` returns: the public view plus the Izly page to send the student to
 * (null for a payment that could not be initiated).
 */
export type CreatedPayment = CreatedPaymentView;

/** A status after which the payment does not change any more (a paid payment may still be refunded later). */
export function isFinal(status: PaymentStatus): boolean {
  return status !== 'created' && status !== 'pending';
}

/**
 * The one error {@link AdapterClient} throws (one class rather than a tree: the widget ships in a 10 KB
 * budget, and `code` and `status` already tell the cases apart).
 */
export class AdapterError extends Error {
  override name = 'AdapterError';
  /**
   * The adapter's `error.code` (`unknown_order`...), or the client's own: `network_error` (no answer, or no
   * readable answer), `http_<status>` (an answer not in the adapter's shape).
   */
  readonly code: IzlyPayErrorCode | AdapterClientErrorCode;
  /** The HTTP status, or 0 when no answer arrived. */
  readonly status: number;
  /** The payment the error is about, when the adapter sent one (`order_already_paid`: the order's paid payment). */
  readonly payment: PublicPayment | undefined;

  constructor(code: IzlyPayErrorCode | AdapterClientErrorCode, message: string, status = 0, payment?: PublicPayment) {
    super(message);
    this.code = code;
    this.status = status;
    this.payment = payment;
  }
}

/** True for the failures worth retrying on a read: no answer at all, or a gateway that could not reach Izly. */
export function isTransient(error: unknown): boolean {
  return error instanceof AdapterError && (error.code === 'network_error' || error.status >= 500);
}

interface CreateOptions {
  /** One key per payment attempt; send the same key again to retry the same attempt. */
  idempotencyKey: string;
  signal?: AbortSignal;
}

interface ReadOptions {
  /** Seconds the adapter may hold the request while the payment is not final (long poll); 0 answers at once. */
  wait?: number;
  /** The student is back from Izly: the adapter may ask Izly sooner than its usual rhythm (a cancel sends no callback). */
  returned?: boolean;
  signal?: AbortSignal;
}

/** Extra time, beyond the long poll itself, before a request with no answer counts as a network failure. */
const ANSWER_GRACE_MS = 15_000;

/**
 * @example
 * const client = new AdapterClient('/izly');
 * const payment = await client.createPayment(
 *   { orderId: 'A-1042', returnUrl: location.href },
 *   { idempotencyKey: crypto.randomUUID() },
 * );
 */
export class AdapterClient {
  readonly #endpoint: string;
  readonly #fetch: typeof fetch;

  /**
   * @param endpoint where the partner mounted the adapter (`/izly`, or an absolute URL)
   * @param fetchImpl defaults to the page's `fetch`, looked up at call time
   */
  constructor(endpoint: string, fetchImpl: typeof fetch = (...args) => fetch(...args)) {
    this.#endpoint = endpoint.replace(/\/+$/, '');
    this.#fetch = fetchImpl;
  }

  /** `POST {endpoint}/payments`: the server looks the order up and decides the amount. */
  createPayment(body: CreatePaymentRequest, options: CreateOptions): Promise<CreatedPayment> {
    return this.#request<CreatedPayment>('/payments', options.signal, 0, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': options.idempotencyKey },
      body: JSON.stringify(body),
    });
  }

  /** `GET {endpoint}/payments/{id}?wait=N[&returned=1]`: the payment's public view. */
  getPayment(paymentId: string, options: ReadOptions = {}): Promise<PublicPayment> {
    const wait = options.wait ?? 0;
    const returned = options.returned ? `&${RETURNED_PARAM}=1` : '';
    return this.#request<PublicPayment>(`/payments/${encodeURIComponent(paymentId)}?${WAIT_PARAM}=${wait}${returned}`, options.signal, wait);
  }

  /**
   * One call; after a `429`, the same call again once its `Retry-After` (seconds) has passed: a refusal by
   * the adapter's limits means nothing was done, so even a creation is safe to send again (with its key).
   */
  async #request<T>(path: string, signal: AbortSignal | undefined, waitSeconds: number, init: RequestInit = {}): Promise<T> {
    // The caller's signal and our own answer timeout in one (an already aborted signal fails the fetch at once).
    const timeout = AbortSignal.timeout(waitSeconds * 1000 + ANSWER_GRACE_MS);
    try {
      const response = await this.#fetch(this.#endpoint + path, {
        ...init,
        headers: { accept: 'application/json', ...init.headers },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      // A body cut short (or not JSON at all) lands in the catch below as a network failure.
      if (response.ok) return (await response.json()) as T;
      if (response.status === 429) {
        // At least a second: no header (a cross-origin adapter must expose it), a date, or 0 would make a loop.
        await new Promise((resolve) => setTimeout(resolve, Math.max(1000, 1000 * +response.headers.get('retry-after')! || 0)));
        return await this.#request<T>(path, signal, waitSeconds, init);
      }
      // The code is taken as the partner's own server sent it: checking it against the list would ship the list.
      const body = (await response.json().catch(() => null)) as Partial<ErrorAnswer<IzlyPayErrorCode>> | null;
      throw new AdapterError(body?.error?.code ?? `http_${response.status}`, body?.error?.message ?? response.statusText, response.status, body?.payment);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof AdapterError) throw error;
      throw new AdapterError('network_error', String(error));
    }
  }
}
