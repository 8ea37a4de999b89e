// The login cookie: binds one IzlyConnect login to the browser that started it. It carries the `state`
// nonce sent to Izly, the return URL, the mode, an expiry and the button's language, as `<base64url JSON>.<base64url HMAC>`.
// The HMAC (under the secret's login-cookie key, `keys.ts`, so that it can never be confused with a
// callback signature) means neither the return URL nor the nonce can be planted by someone else.
// It holds no token and nothing secret: only its integrity matters.
import { base64url, fromBase64url } from '../base64url.js';
import { purposeKey, type HmacKey } from '../keys.js';
import { randomBytes } from '../random-bytes.js';

/** What one login in progress remembers. */
export interface LoginInProgress {
  /** The `state` sent to Izly. */
  nonce: string;
  /** Where the browser goes back to; on an allowed origin (checked when the login started). */
  returnUrl: string;
  mode: 'redirect' | 'popup';
  /** Expiry, ms since the epoch. */
  expiresAt: number;
  /** The language of the button that started the login, when it said: the pages of this login speak it. */
  lang?: 'fr' | 'en';
}

/** A fresh `state` value: 256 random bits, URL-safe. */
export function newNonce(): string {
  return base64url(randomBytes(32));
}

/** Compares two strings without an early exit, so that the time taken says nothing about where they differ. */
export function sameText(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  // The length is no secret: every nonce has the same one.
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let i = 0; i < left.length; i++) difference |= left[i]! ^ right[i]!;
  return difference === 0;
}

/** Seals and opens login cookies with one secret. */
export interface LoginCookieSealer {
  seal(login: LoginInProgress): Promise<string>;
  /** The login, or null when the value is missing, malformed or not signed by us. Expiry is the caller's check. */
  open(value: string | undefined): Promise<LoginInProgress | null>;
}

export function createLoginCookieSealer(secret: string): LoginCookieSealer {
  let key: Promise<HmacKey> | undefined;
  const hmacKey = () => (key ??= purposeKey(secret, 'login-cookie'));

  return {
    async seal(login) {
      const payload = base64url(
        new TextEncoder().encode(JSON.stringify({ n: login.nonce, r: login.returnUrl, m: login.mode, e: login.expiresAt, l: login.lang })),
      );
      return `${payload}.${base64url((await hmacKey()).sign(payload))}`;
    },

    async open(value) {
      if (!value || value.length > 4096) return null;
      const [payload, signature, extra] = value.split('.');
      if (!payload || !signature || extra !== undefined) return null;
      const signatureBytes = fromBase64url(signature);
      if (!signatureBytes || signatureBytes.length !== 32) return null;
      if (!(await hmacKey()).verify(signatureBytes, payload)) return null;
      const payloadBytes = fromBase64url(payload);
      if (!payloadBytes) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(payloadBytes));
      } catch {
        return null;
      }
      const { n, r, m, e, l } = (parsed ?? {}) as { n?: unknown; r?: unknown; m?: unknown; e?: unknown; l?: unknown };
      if (typeof n !== 'string' || typeof r !== 'string' || (m !== 'redirect' && m !== 'popup') || typeof e !== 'number') return null;
      return { nonce: n, returnUrl: r, mode: m, expiresAt: e, ...(l === 'fr' || l === 'en' ? { lang: l } : {}) };
    },
  };
}
