// The adapter's limits on what a client may ask of it, so that no one floods Izly through it or holds its
// memory: creations per client and overall, long polls held at once per client and overall, callbacks per
// payment. (Status reads at Izly are held to one per operation and interval by the status reader.) A
// refusal says how long to wait; the routes answer it `429` with `Retry-After`.
import type { Context } from 'hono';
import type { Clock } from '../payments/clock.js';
import { addressKey, connectionAddress, UNKNOWN_CLIENT } from './client-key.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { RateLimiter } from './rate-limiter.js';

/** The limits, with their defaults filled in (see `IzlyPayLimits` in the options). */
export interface ResolvedLimits {
  creationsPerClientPerMinute: number;
  creationsPerMinute: number;
  longPollsPerClient: number;
  longPolls: number;
  callbacksPerPaymentPerMinute: number;
}

/** What a long poll over the caps is told to wait before it asks again, in ms. */
const LONG_POLL_RETRY_MS = 2_000;
const MINUTE_MS = 60_000;

export class RequestLimits {
  readonly #creationsPerClient: RateLimiter;
  readonly #creations: RateLimiter;
  readonly #callbacks: RateLimiter;
  readonly #longPolls: ConcurrencyLimiter;
  #warnedUnknown = false;

  constructor(
    limits: ResolvedLimits,
    clock: Clock,
    private readonly clientKey: ((c: Context) => string | null | undefined) | undefined,
    private readonly warn: (message: string) => void,
  ) {
    this.#creationsPerClient = new RateLimiter(limits.creationsPerClientPerMinute, MINUTE_MS, clock);
    this.#creations = new RateLimiter(limits.creationsPerMinute, MINUTE_MS, clock);
    this.#callbacks = new RateLimiter(limits.callbacksPerPaymentPerMinute, MINUTE_MS, clock);
    this.#longPolls = new ConcurrencyLimiter(limits.longPollsPerClient, limits.longPolls);
  }

  /** The key of the request's client: the partner's `clientKey(c)`, else the connection's address. */
  clientOf(c: Context): string {
    const given = this.clientKey?.(c);
    if (typeof given === 'string' && given !== '') return `key:${given}`;
    const address = connectionAddress(c);
    if (address !== null) return addressKey(address);
    if (!this.#warnedUnknown) {
      this.#warnedUnknown = true;
      this.warn(
        "izly-pay: this runtime does not tell the client's address: the per-client limits count all such requests together (give izlyPay() a clientKey(c) option)",
      );
    }
    return UNKNOWN_CLIENT;
  }

  /** A `POST /payments` of `client`: 0 when allowed, else the ms to wait. */
  creation(client: string): number {
    const wait = this.#creationsPerClient.take(client);
    return wait > 0 ? wait : this.#creations.take('');
  }

  /** A long poll of `client` starts: the function that ends its hold, or the ms to wait when it is refused. */
  longPoll(client: string): (() => void) | number {
    return this.#longPolls.enter(client) ?? LONG_POLL_RETRY_MS;
  }

  /** A signed callback for `paymentId`: 0 when it may be confirmed, else the ms to wait. */
  callback(paymentId: string): number {
    return this.#callbacks.take(paymentId);
  }

  /** Long polls held now, overall or of `client` (tests, metrics). */
  longPollsHeld(client?: string): number {
    return this.#longPolls.held(client);
  }
}
