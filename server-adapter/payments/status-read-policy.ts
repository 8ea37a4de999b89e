// How often a waiting payment is read at Izly. Izly only calls back once its host has allow-listed the
// partner by hand, so until callbacks are known to arrive, an open payment that someone watches is read at
// the rate limit (`statusReadIntervalMs`, 2 s): that is what completes payments without callbacks. Once a
// verified callback has been seen, the callback is what completes payments, and a read is only a safety net
// (`safetyNetReadIntervalMs`, 30 s): with working callbacks a payment costs Izly its creation and the one
// read that confirms the callback. Behind a load balancer the callback may reach another instance: a long
// poll that sees its payment paid looks for the callback in the store's event log, so every instance learns. A payment that a safety-net read finds paid, and whose callback never
// came, ends the trust: reads go back to the rate limit. Every interval gets up to 20% of random jitter
// (longer, never shorter), so that payments created together are not read together.
import type { Clock } from './clock.js';

/** Whether Izly's callbacks reach this adapter: `auto` finds out, the other two are the partner's word. */
export type CallbackMode = 'auto' | 'allow-listed' | 'blocked';

/** Settings of the policy (from `izlyPay()`'s options). */
export interface StatusReadPolicySettings {
  callbacks: CallbackMode;
  /** Least time between two reads of one operation while callbacks are not known to arrive. */
  statusReadIntervalMs: number;
  /** Time between two reads of one operation while callbacks arrive. */
  safetyNetReadIntervalMs: number;
  /** How long a verified callback keeps callbacks trusted (`auto`). */
  callbackTrustMs: number;
}

const JITTER = 0.2;

export class StatusReadPolicy {
  /** Clock time of the last verified callback (`auto`). */
  private lastCallbackAt = -Infinity;

  constructor(
    private readonly settings: StatusReadPolicySettings,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  /** A callback whose signature checked out and that named a known payment: callbacks arrive. */
  noteCallback(): void {
    this.lastCallbackAt = this.clock.now();
  }

  /** A payment was found paid at Izly and its callback never came: callbacks no longer arrive. */
  noteMissedCallback(): void {
    this.lastCallbackAt = -Infinity;
  }

  /** True while callbacks are trusted to complete payments. */
  get callbacksTrusted(): boolean {
    const { callbacks, callbackTrustMs } = this.settings;
    if (callbacks !== 'auto') return callbacks === 'allow-listed';
    return this.clock.now() - this.lastCallbackAt < callbackTrustMs;
  }

  /**
   * True when news of a callback received by another instance (a payment paid elsewhere, with its callback
   * in the store) would be worth looking up: `auto`, and no callback seen here in the last half of the trust window.
   */
  get wantsCallbackNews(): boolean {
    return this.settings.callbacks === 'auto' && this.clock.now() - this.lastCallbackAt > this.settings.callbackTrustMs / 2;
  }

  /** True when a read that finds a payment paid should check that its callback came (`auto` only). */
  get watchesForMissedCallbacks(): boolean {
    return this.settings.callbacks === 'auto' && this.callbacksTrusted;
  }

  /** The interval before the next read of an operation, jitter included. */
  nextIntervalMs(): number {
    const base = this.callbacksTrusted ? this.settings.safetyNetReadIntervalMs : this.settings.statusReadIntervalMs;
    return Math.round(base * (1 + JITTER * this.random()));
  }

  /** The longest interval the policy may give now (a long poll sleeps at most this before it looks again). */
  longestIntervalMs(): number {
    const base = this.callbacksTrusted ? this.settings.safetyNetReadIntervalMs : this.settings.statusReadIntervalMs;
    return Math.ceil(base * (1 + JITTER));
  }
}
