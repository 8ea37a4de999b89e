// One key per purpose, derived from the adapter's one secret with HKDF-SHA256 (RFC 5869), each under a
// label of its own: a value signed for one purpose (a callback's `s`, the login cookie) can never pass as
// another, and nothing is ever signed with the raw secret itself. A `/vN` in the label lets a purpose
// change its format later without its old values being accepted by the new one. Web Crypto only.

/** The purposes a key is derived for, each with its HKDF `info` label. */
const KEY_LABELS = {
  /** The HMAC of a payment id in `CallbackParameters`. */
  'callback-signature': 'izly-pay/callback-signature/v1',
  /** The HMAC of the IzlyConnect login cookie. */
  'login-cookie': 'izly-pay/login-cookie/v1',
  /** Binds an open payment to the browser that started it (issue 14, point 1). */
  'payer-binding': 'izly-pay/payer-binding/v1',
} as const;

export type KeyPurpose = keyof typeof KEY_LABELS;

/**
 * The HMAC-SHA256 key (sign and verify) of `purpose`, derived from `secret`. The secret is already high
 * in entropy (at least 32 characters, checked by the options), so HKDF runs without a salt.
 */
export async function purposeKey(secret: string, purpose: KeyPurpose): Promise<CryptoKey> {
  const master = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(KEY_LABELS[purpose]) },
    master,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign', 'verify'],
  );
}
