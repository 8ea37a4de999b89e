// Single use of a login: the nonce of each login cookie is spent at the callback, so that the same cookie,
// replayed or planted in another browser, never opens a second session. Where the nonces are spent: the
// adapter's store when it offers `spendLoginNonce` (shared by every instance behind a load balancer),
// otherwise a map in this process.
import type { PaymentStore } from '../stores/payment-store.js';

/**
 * The optional store method that makes a login single use across instances. `spendLoginNonce(nonce,
 * expiresAt)` records `nonce` as spent and resolves true, or resolves false when it was spent before:
 * atomically, so that of two concurrent calls with one nonce exactly one gets true. The store may forget a
 * nonce once `expiresAt` has passed (the login cookie holding it is refused as expired from then on).
 */
export interface LoginNonceStore {
  spendLoginNonce(nonce: string, expiresAt: Date): Promise<boolean>;
}

/** Where the callback spends nonces. */
export interface LoginNonces {
  /** True the first time `nonce` is spent, false ever after (until `expiresAt`, when its cookie is dead anyway). */
  spend(nonce: string, expiresAt: number): Promise<boolean>;
}

function offersNonceSpending(store: PaymentStore | undefined): store is PaymentStore & LoginNonceStore {
  return typeof (store as Partial<LoginNonceStore> | undefined)?.spendLoginNonce === 'function';
}

/** The store's `spendLoginNonce` when it has one, else nonces kept in this process. */
export function loginNonces(store: PaymentStore | undefined, now: () => number): LoginNonces {
  if (offersNonceSpending(store)) return { spend: (nonce, expiresAt) => store.spendLoginNonce(nonce, new Date(expiresAt)) };
  return new MemoryLoginNonces(now);
}

// How often the spent nonces are swept of the expired ones: often enough that the map holds about one
// login timeout's worth of logins, rarely enough that a login costs no walk over the map.
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Spent nonces of this process, each until its cookie's expiry. Across several instances that do not
 * share it, a cookie could be spent once per instance within its lifetime: a store with `spendLoginNonce`
 * closes that.
 */
export class MemoryLoginNonces implements LoginNonces {
  readonly #spent = new Map<string, number>();
  readonly #now: () => number;
  #lastSweep: number;

  constructor(now: () => number) {
    this.#now = now;
    this.#lastSweep = now();
  }

  async spend(nonce: string, expiresAt: number): Promise<boolean> {
    this.#sweep();
    // An expired nonce may have been swept already: it must not read as fresh.
    if (expiresAt <= this.#now() || this.#spent.has(nonce)) return false;
    this.#spent.set(nonce, expiresAt);
    return true;
  }

  /** How many nonces are remembered (for tests of the sweep). */
  get size(): number {
    return this.#spent.size;
  }

  #sweep(): void {
    const now = this.#now();
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = now;
    for (const [nonce, expiresAt] of this.#spent) if (expiresAt <= now) this.#spent.delete(nonce);
  }
}
