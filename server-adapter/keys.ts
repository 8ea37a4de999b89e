// One key per purpose, derived from the adapter's one secret with HKDF-SHA256 (RFC 5869), each under a
// label of its own: a value signed for one purpose (a callback's `s`, the login cookie) can never pass as
// another, and nothing is ever signed with the raw secret itself. A `/vN` in the label lets a purpose
// change its format later without its old values being accepted by the new one.
//
// The key is derived once with Web Crypto. The HMACs made with it are @noble/hashes' (audited, pure
// JavaScript, the same on every runtime) and synchronous: a Web Crypto HMAC costs about 30 µs of CPU on
// Node 20, most of it the promise job around a 2 µs hash, and a payment creation makes three. The bytes
// are those Web Crypto's HMAC gives with the same derived key, so values signed before stay valid.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

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

const UTF8 = new TextEncoder();

/** An HMAC-SHA256 key of one purpose. */
export class HmacKey {
  /** The hash state after the key's inner and outer pads, cloned for each message. */
  readonly #keyed: ReturnType<typeof hmac.create>;

  constructor(keyBytes: Uint8Array) {
    this.#keyed = hmac.create(sha256, keyBytes);
  }

  /** The 32-byte HMAC of `text` (UTF-8). */
  sign(text: string): Uint8Array {
    return this.#keyed.clone().update(UTF8.encode(text)).digest();
  }

  /** True when `mac` is the HMAC of `text`, compared in constant time. */
  verify(mac: Uint8Array, text: string): boolean {
    return sameBytes(mac, this.sign(text));
  }
}

/** Equal bytes, in a time that depends on the lengths only. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/**
 * The HMAC-SHA256 key of `purpose`, derived from `secret`: 256 bits of HKDF output, as Web Crypto's
 * `deriveKey` to an HMAC key of length 256 makes them. The secret is already high in entropy (at least 32
 * characters, checked by the options), so HKDF runs without a salt.
 */
export async function purposeKey(secret: string, purpose: KeyPurpose): Promise<HmacKey> {
  const master = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(KEY_LABELS[purpose]) },
    master,
    256,
  );
  return new HmacKey(new Uint8Array(bits));
}
