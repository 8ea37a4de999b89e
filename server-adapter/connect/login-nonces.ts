// Single use of a login: the nonce of each login cookie is spent at the callback, so that the same cookie,
// replayed or planted in another browser, never opens a second session. Where the nonces are spent: the
// adapter's store when it offers `spendLoginNonce` (shared by every instance behind a load balancer, as
// the SQLite and PostgreSQL stores are), otherwise a map in this process.
import type { PaymentStore } from '../stores/payment-store.js';
import { SpentLoginNonces } from '../stores/spent-login-nonces.js';

/** Where the callback spends nonces. */
export interface LoginNonces {
  /** True the first time `nonce` is spent, false ever after (until `expiresAt`, when its cookie is dead anyway). */
  spend(nonce: string, expiresAt: number): Promise<boolean>;
}

type NonceSpender = Required<Pick<PaymentStore, 'spendLoginNonce'>>;

function offersNonceSpending(store: PaymentStore | undefined): store is PaymentStore & NonceSpender {
  return typeof store?.spendLoginNonce === 'function';
}

/** The store's `spendLoginNonce` when it has one, else nonces kept in this process until they expire by `now`. */
export function loginNonces(store: PaymentStore | undefined, now: () => number): LoginNonces {
  const spender: NonceSpender = offersNonceSpending(store) ? store : new SpentLoginNonces(now);
  return { spend: (nonce, expiresAt) => spender.spendLoginNonce(nonce, new Date(expiresAt)) };
}
