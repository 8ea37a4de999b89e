// The spent login nonces of `PaymentStore.spendLoginNonce`, kept in memory: the memory store's, and the
// adapter's own when its store has none. Each store forgets a nonce only once its expiry has passed, by
// the same rule: every `LOGIN_NONCE_SWEEP_EVERY`th spend also deletes the expired ones, so the common call
// stays one lookup and one write, and what is kept stays about one login timeout's worth of logins.

/** How many spends of one store instance go by between two deletions of the expired nonces. */
export const LOGIN_NONCE_SWEEP_EVERY = 100;

/** Counts a store's spends and says when the expired nonces are due for deletion. */
export class LoginNonceSweeps {
  #spends = 0;

  /** True on every `LOGIN_NONCE_SWEEP_EVERY`th call. */
  due(): boolean {
    this.#spends = (this.#spends + 1) % LOGIN_NONCE_SWEEP_EVERY;
    return this.#spends === 0;
  }
}

/**
 * Spent nonces in a Map, each until its expiry by `now` (ms since the epoch). JavaScript runs one task at
 * a time, so the check and the write of `spendLoginNonce`, with no `await` between them, are atomic.
 */
export class SpentLoginNonces {
  readonly #expiries = new Map<string, number>();
  readonly #sweeps = new LoginNonceSweeps();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Records `nonce` and resolves true, or resolves false when it was spent before (and not yet forgotten). */
  async spendLoginNonce(nonce: string, expiresAt: Date): Promise<boolean> {
    if (this.#sweeps.due()) this.#sweep();
    if (this.#expiries.has(nonce)) return false;
    this.#expiries.set(nonce, expiresAt.getTime());
    return true;
  }

  /** How many nonces are remembered (for tests of the sweep). */
  get size(): number {
    return this.#expiries.size;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [nonce, expiresAt] of this.#expiries) if (expiresAt <= now) this.#expiries.delete(nonce);
  }
}
