// Izly signs nothing, so the adapter signs its own payment id: `CallbackParameters` carries
// `p=<paymentId>&s=<base64url HMAC-SHA256(key, paymentId)>`, which Izly appends to the callback URL, the
// key being the secret's callback-signature key (`keys.ts`), never the secret itself.
// A callback without a valid `s` is refused before any call to Izly.
import { base64url, fromBase64url } from '../base64url.js';
import { purposeKey, type HmacKey } from '../keys.js';
import { randomBytes } from '../random-bytes.js';

/** A fresh payment id: `pay_` and 128 random bits, URL-safe. */
export function newPaymentId(): string {
  return `pay_${base64url(randomBytes(16))}`;
}

/** Signs and verifies payment ids with one secret. */
export interface CallbackSigner {
  /** The `CallbackParameters` string for a payment. */
  callbackParameters(paymentId: string): Promise<string>;
  /** True when `signature` is the HMAC of `paymentId` (compared in constant time). */
  verify(paymentId: string, signature: string): Promise<boolean>;
}

export function createCallbackSigner(secret: string): CallbackSigner {
  let key: Promise<HmacKey> | undefined;
  const hmacKey = () => (key ??= purposeKey(secret, 'callback-signature'));

  return {
    async callbackParameters(paymentId) {
      const signature = (await hmacKey()).sign(paymentId);
      // The text `URLSearchParams` would write, without building one: a payment id and a base64url
      // signature are URL-safe (escaped all the same, should an id ever not be).
      return `p=${encodeURIComponent(paymentId)}&s=${base64url(signature)}`;
    },
    async verify(paymentId, signature) {
      const bytes = fromBase64url(signature);
      if (!bytes || bytes.length !== 32) return false;
      return (await hmacKey()).verify(bytes, paymentId);
    },
  };
}
