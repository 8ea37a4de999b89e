// The options of `izlyPay()`, checked once at construction so that a misconfigured mount fails at
// start-up with a clear `Error`, not at a student's first payment.
import type { Context } from 'hono';
import type { IzlyConnectOptions } from './connect/options.js';
import type { IzlyClientOptions } from './izly/client.js';
import type { PaymentHookName, PaymentRecord, PaymentStore } from './stores/payment-store.js';
import type { CallbackMode } from './payments/status-read-policy.js';
import { clockReading, systemClock, type Clock } from './payments/clock.js';
import type { ResolvedLimits } from './limits/request-limits.js';

/** What the partner's `order()` hook says about an order: the amount to charge, decided by the server. */
export interface OrderInfo {
  /** Amount to charge, in cents (a positive integer). */
  amount: number;
  /** A comment sent to Izly with the payment (`Message`). */
  message?: string;
}

/** Where the adapter writes warnings (hook failures, refused callbacks). Never given a secret. */
export interface IzlyPayLogger {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * The adapter's limits (each refusal a `429` with `Retry-After`, which the widget waits out by itself),
 * generous enough for a campus rush behind one NAT address: 300 students each paying once within five
 * minutes are never refused. A "client" is the connection's address (an IPv6 one by its /64), or what the
 * `clientKey` option says. `Infinity` turns a limit off.
 */
export interface IzlyPayLimits {
  /** `POST /payments` requests (each may create an Izly operation) one client may send per minute, in bursts of as many; default 120. */
  creationsPerClientPerMinute?: number;
  /** `POST /payments` requests of all clients together per minute, in bursts of as many; default 1200. */
  creationsPerMinute?: number;
  /** Long polls (`GET /payments/:id?wait=`) one client may have held at once; default 200. */
  longPollsPerClient?: number;
  /** Long polls held at once for all clients together; default 2000. */
  longPolls?: number;
  /** Signed callbacks confirmed per payment per minute, in bursts of as many (Izly sends one, and a few retries); default 10. */
  callbacksPerPaymentPerMinute?: number;
}

/** The default limits (see `IzlyPayLimits`). */
export const DEFAULT_LIMITS: Readonly<ResolvedLimits> = {
  creationsPerClientPerMinute: 120,
  creationsPerMinute: 1200,
  longPollsPerClient: 200,
  longPolls: 2000,
  callbacksPerPaymentPerMinute: 10,
};

/** Options of `izlyPay()`. */
export interface IzlyPayOptions extends IzlyClientOptions {
  /** Secret for the callback signatures (HMAC-SHA256), at least 32 characters; keep it out of the repository. */
  secret: string;
  /** The partner's hook: the amount (cents) and message of an order, or null when the order does not exist or cannot be paid. The browser never decides the amount. */
  order: (orderId: string, c: Context) => OrderInfo | null | Promise<OrderInfo | null>;
  /** Where payments are kept: `memoryStore()` for tests, `sqliteStore(path)` (from `izly-pay/server/sqlite`) or another `PaymentStore` in production. */
  store: PaymentStore;
  /** Origins (`https://shop.example`) allowed as `returnUrl` and as the `Origin` of `POST /payments`. */
  allowedOrigins: readonly string[];
  /** Called once when a payment becomes `paid`: fulfil the order here. */
  onPaid?: (payment: PaymentRecord) => void | Promise<void>;
  /** Called once when a payment becomes `failed`, `cancelled` or `expired`. */
  onFailed?: (payment: PaymentRecord) => void | Promise<void>;
  /** Called once when a payment becomes `refunded`. */
  onRefunded?: (payment: PaymentRecord) => void | Promise<void>;
  /**
   * Delays before each retry of a hook that threw, in ms, run by `reconcile()` once due (the owed hook,
   * its attempts and the next one's time are in the store, so retries survive restarts and run on one
   * instance at a time); default `HOOK_RETRY_DELAYS_MS`: 30 s, 2 min, 10 min, 1 h, then every 6 h, 16
   * retries over 3 days. After the last one the hook is given up (`onHookGivenUp`).
   */
  hookRetryDelaysMs?: readonly number[];
  /**
   * Called when Izly reports a payment complete for an amount that matches the order's neither as euros nor
   * as cents, or for no amount: the payment is recorded paid (as Izly says) with `amountMismatch`, and
   * `onPaid` is not run; check it by hand. Default: the logger's error only.
   */
  onAmountMismatch?: (payment: PaymentRecord, amounts: { expected: number; izly: string }) => void | Promise<void>;
  /**
   * Whether a payment that becomes paid for an order already paid by another payment (the student paid an
   * old attempt's Izly page too) is refunded at once; default true. Either way its `onPaid` is not run and
   * both payments record why (`duplicate_payment` events, `duplicateOf`).
   */
  refundDuplicates?: boolean;
  /** Called for such a duplicate payment (`payment`, and the order's payment paid before it); with `refundDuplicates: false`, refund it yourself. Default: the logger. */
  onDuplicatePayment?: (payment: PaymentRecord, paidBefore: PaymentRecord) => void | Promise<void>;
  /** Called when a hook threw on its last retry and is given up: the partner must act by hand. Default: the logger's error only. */
  onHookGivenUp?: (payment: PaymentRecord, hook: PaymentHookName, error: unknown) => void | Promise<void>;
  /** Enables `POST /payments/:paymentId/refund`, allowed only when this returns true (e.g. an admin session). Without it there is no refund route. */
  authorizeRefund?: (c: Context) => boolean | Promise<boolean>;
  /** Id of your software at Izly, sent as `Software` with every new payment, if Izly gave you one (an integer). */
  software?: number;
  /** Adds `customerEmail` to the public view of a payment; default false. */
  exposeCustomerEmail?: boolean;
  /**
   * Whether Izly's callbacks reach this adapter (Izly calls back only once its host has allow-listed your
   * callback URL): `'auto'` (default) reads waiting payments at Izly every `statusReadIntervalMs` until a
   * verified callback arrives, then only every `safetyNetReadIntervalMs`, and back to the rate limit if a
   * payment is found paid without its callback; `'allow-listed'` trusts callbacks from the start;
   * `'blocked'` never does. Payments complete in every mode: only the number of reads at Izly changes.
   */
  callbacks?: CallbackMode;
  /**
   * Least time between two status reads at Izly for one operation while callbacks are not known to arrive, in
   * ms; default 2000. Whatever asks (a poll, a re-click, `returned=1`, a callback, `reconcile()`), one
   * operation is read at most once per this interval, or per 2 s when it is longer: a callback's confirmation
   * waits for its turn (sharing one read with those of the same interval), it is never skipped.
   */
  statusReadIntervalMs?: number;
  /** Time between two status reads at Izly for one waiting operation while callbacks arrive (a safety net), in ms; default 30000, never below `statusReadIntervalMs`. */
  safetyNetReadIntervalMs?: number;
  /** How long a verified callback keeps callbacks trusted in `'auto'` mode, in ms; default 10 minutes. */
  callbackTrustMs?: number;
  /** Limits on creations, long polls and callbacks, each with a safe default (see `IzlyPayLimits`). */
  limits?: IzlyPayLimits;
  /**
   * Who a request comes from, for the per-client limits; default the connection's address as the runtime
   * gives it (@hono/node-server, Bun, Deno). Behind a proxy, return the address it vouches for (e.g. the
   * last entry of `X-Forwarded-For` that your own proxy appended), on Workers `c.req.header('cf-connecting-ip')`.
   * Return null to fall back to the connection's address; where none is known, such requests share one key.
   */
  clientKey?: (c: Context) => string | null | undefined;
  /** Longest `?wait=` a long poll may ask, in seconds, from 1 to 30; default 30. */
  maxWaitSeconds?: number;
  /** Longest time a request body may take to arrive, in ms, before the request is answered 408 and its connection cut (slow clients); default 10000. */
  bodyTimeoutMs?: number;
  /** Age after which a payment that Izly still reports pending becomes `expired`, in ms; default 20 minutes. */
  expireAfterMs?: number;
  /** Enables "Log in with Izly": the `/connect/*` routes and the `onLogin` hook (see the README's IzlyConnect section). */
  connect?: IzlyConnectOptions;
  /** Where warnings go; default `console`. */
  logger?: IzlyPayLogger;
  /**
   * The clock every part of the adapter reads and waits on: timestamps, ages, rate limits, long-poll
   * deadlines (tests give one they move forward); default the system's (`Date.now`, `setTimeout`).
   */
  clock?: Clock;
  /**
   * The time in ms since the epoch, read by every part of the adapter, waits staying on the system's
   * timers: a `clock` reduced to its reading. Ignored when `clock` is given.
   */
  now?: () => number;
}

/** Options with defaults filled in. */
export interface ResolvedIzlyPayOptions extends IzlyPayOptions {
  allowedOrigins: readonly string[];
  exposeCustomerEmail: boolean;
  callbacks: CallbackMode;
  statusReadIntervalMs: number;
  safetyNetReadIntervalMs: number;
  callbackTrustMs: number;
  maxWaitSeconds: number;
  limits: ResolvedLimits;
  bodyTimeoutMs: number;
  expireAfterMs: number;
  hookRetryDelaysMs: readonly number[];
  refundDuplicates: boolean;
  logger: IzlyPayLogger;
  clock: Clock;
  /** `clock.now`, for the parts that only read the time. */
  now: () => number;
}

const CALLBACK_MODES: readonly CallbackMode[] = ['auto', 'allow-listed', 'blocked'];

const HOUR_MS = 3_600_000;
/**
 * The default delays before each retry of a hook that threw: the first within a minute (a partner's
 * service blinked), then ever longer, then every 6 hours until 3 days have passed since the first failure
 * (as Stripe retries its webhooks for 3 days).
 */
export const HOOK_RETRY_DELAYS_MS: readonly number[] = [30_000, 2 * 60_000, 10 * 60_000, HOUR_MS, ...Array.from({ length: 12 }, () => 6 * HOUR_MS)];

function retryDelays(value: readonly number[] | undefined): readonly number[] {
  if (value === undefined) return HOOK_RETRY_DELAYS_MS;
  if (!Array.isArray(value) || value.some((delay) => typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0)) {
    fail('hookRetryDelaysMs must be an array of delays in ms (numbers ≥ 0)');
  }
  return [...value];
}

function fail(message: string): never {
  throw new Error(`izlyPay: ${message}`);
}

/**
 * Refuses a key that no option reads, naming it: a misspelled option (`allowedOrigin`, `onpaid`) would
 * otherwise be dropped in silence and its default used. `known` is a record over the interface's keys, so
 * TypeScript makes a new option be listed here before it is accepted.
 */
export function refuseUnknownKeys<T extends object>(options: T, known: Record<keyof T, true>, where: string): void {
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(known, key)) {
      throw new Error(`izlyPay: unknown option "${where}${key}" (known: ${Object.keys(known).join(', ')})`);
    }
  }
}

const IZLY_PAY_OPTION_KEYS: Record<keyof IzlyPayOptions, true> = {
  baseUrl: true,
  appIdentifier: true,
  apiKey: true,
  authorization: true,
  contentType: true,
  tokenAuthorization: true,
  fetch: true,
  timeoutMs: true,
  retries: true,
  retryDelayMs: true,
  maxRetryDelayMs: true,
  secret: true,
  order: true,
  store: true,
  allowedOrigins: true,
  onPaid: true,
  onFailed: true,
  onRefunded: true,
  hookRetryDelaysMs: true,
  onHookGivenUp: true,
  onAmountMismatch: true,
  refundDuplicates: true,
  onDuplicatePayment: true,
  authorizeRefund: true,
  software: true,
  exposeCustomerEmail: true,
  callbacks: true,
  statusReadIntervalMs: true,
  safetyNetReadIntervalMs: true,
  callbackTrustMs: true,
  maxWaitSeconds: true,
  limits: true,
  clientKey: true,
  bodyTimeoutMs: true,
  expireAfterMs: true,
  connect: true,
  logger: true,
  clock: true,
  now: true,
};

type FunctionOption =
  'onPaid' | 'onFailed' | 'onRefunded' | 'onHookGivenUp' | 'onAmountMismatch' | 'onDuplicatePayment' | 'authorizeRefund' | 'clientKey' | 'now';

function optionalFunction(options: IzlyPayOptions, name: FunctionOption): void {
  if (options[name] !== undefined && typeof options[name] !== 'function') fail(`${name} must be a function`);
}

function between(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) fail(`${name} must be a number between ${min} and ${max}`);
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  return between(name, value, fallback, 0, Number.MAX_SAFE_INTEGER);
}

const LIMIT_KEYS: Record<keyof IzlyPayLimits, true> = {
  creationsPerClientPerMinute: true,
  creationsPerMinute: true,
  longPollsPerClient: true,
  longPolls: true,
  callbacksPerPaymentPerMinute: true,
};

/** The limits with their defaults; each a number ≥ 1, or `Infinity` for none. */
function resolveLimits(limits: IzlyPayLimits | undefined): ResolvedLimits {
  if (limits === undefined) return { ...DEFAULT_LIMITS };
  if (typeof limits !== 'object' || limits === null) fail('limits must be an object (see IzlyPayLimits)');
  refuseUnknownKeys(limits, LIMIT_KEYS, 'limits.');
  const resolved = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(LIMIT_KEYS) as Array<keyof IzlyPayLimits>) {
    const value = limits[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || Number.isNaN(value) || value < 1 || (value !== Infinity && !Number.isSafeInteger(value))) {
      fail(`limits.${name} must be an integer ≥ 1, or Infinity for no limit`);
    }
    resolved[name] = value;
  }
  return resolved;
}

function resolveClock({ clock, now }: IzlyPayOptions): Clock {
  if (clock === undefined) return now ? clockReading(now) : systemClock;
  if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function' || typeof clock.setTimer !== 'function') {
    fail('clock must be an object with now() and setTimer(ms, fire)');
  }
  return clock;
}

/** Checks every option and fills in defaults; throws an `Error` naming the first bad option. */
export function resolveIzlyPayOptions(options: IzlyPayOptions): ResolvedIzlyPayOptions {
  if (typeof options !== 'object' || options === null) fail('options are required');
  refuseUnknownKeys(options, IZLY_PAY_OPTION_KEYS, '');
  if (typeof options.secret !== 'string' || options.secret.length < 32)
    fail('secret must be a string of at least 32 characters (e.g. 32 random bytes, base64)');
  if (typeof options.order !== 'function') fail('order must be a function (orderId, c) => { amount, message? } | null');
  const store = options.store;
  if (!store || typeof store.create !== 'function' || typeof store.transition !== 'function') {
    fail('store must be a PaymentStore (memoryStore(), sqliteStore(path), ...)');
  }
  if (!Array.isArray(options.allowedOrigins) || options.allowedOrigins.length === 0) {
    fail('allowedOrigins must list at least one origin, e.g. ["https://shop.example"]');
  }
  const allowedOrigins = options.allowedOrigins.map((origin) => {
    if (typeof origin !== 'string' || !URL.canParse(origin)) fail(`allowedOrigins: "${String(origin)}" is not a URL`);
    const url = new URL(origin);
    if (!/^https?:$/.test(url.protocol) || url.origin !== origin.replace(/\/$/, '')) {
      fail(`allowedOrigins: "${origin}" must be an origin such as https://shop.example (scheme, host, port; no path)`);
    }
    return url.origin;
  });
  for (const name of [
    'onPaid',
    'onFailed',
    'onRefunded',
    'onHookGivenUp',
    'onAmountMismatch',
    'onDuplicatePayment',
    'authorizeRefund',
    'clientKey',
    'now',
  ] as const)
    optionalFunction(options, name);
  if (options.software !== undefined && !Number.isSafeInteger(options.software)) fail('software must be an integer (the id Izly gave your software)');
  const clock = resolveClock(options);
  const callbacks = options.callbacks ?? 'auto';
  if (!CALLBACK_MODES.includes(callbacks)) fail(`callbacks must be one of ${CALLBACK_MODES.map((mode) => `'${mode}'`).join(', ')}`);
  const statusReadIntervalMs = nonNegative('statusReadIntervalMs', options.statusReadIntervalMs, 2_000);
  return {
    ...options,
    allowedOrigins,
    exposeCustomerEmail: options.exposeCustomerEmail === true,
    callbacks,
    statusReadIntervalMs,
    safetyNetReadIntervalMs: Math.max(statusReadIntervalMs, nonNegative('safetyNetReadIntervalMs', options.safetyNetReadIntervalMs, 30_000)),
    callbackTrustMs: nonNegative('callbackTrustMs', options.callbackTrustMs, 10 * 60_000),
    // At least a second: with 0, an open payment's long poll would answer at once and the widget ask again
    // at once, every waiting button a stream of status reads.
    maxWaitSeconds: between('maxWaitSeconds', options.maxWaitSeconds, 30, 1, 30),
    limits: resolveLimits(options.limits),
    bodyTimeoutMs: between('bodyTimeoutMs', options.bodyTimeoutMs, 10_000, 100, 5 * 60_000),
    expireAfterMs: nonNegative('expireAfterMs', options.expireAfterMs, 20 * 60_000),
    hookRetryDelaysMs: retryDelays(options.hookRetryDelaysMs),
    refundDuplicates: options.refundDuplicates !== false,
    logger: options.logger ?? console,
    clock,
    now: () => clock.now(),
  };
}
