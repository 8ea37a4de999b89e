// An open payment belongs to the browser that started it. On `POST /payments` the adapter gives the browser a
// payer id (256 random bits) in an HttpOnly cookie, and the new payment's id carries a tag: the first 96
// bits of the HMAC, under the secret's payer-binding key (`keys.ts`), of that payer id and the payment id's
// own random part. Whether a request comes from a payment's payer is then checked from its cookie and the
// payment id alone: no field in the store, the same answer on every instance, and a payment id, which
// travels in URLs, tells nothing of the cookie that owns it. A payment id without a tag (made before payer
// binding) has no payer.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { base64url, fromBase64url } from '../base64url.js';
import { purposeKey, sameBytes, type HmacKey } from '../keys.js';
import { randomBytes } from '../random-bytes.js';

/** The cookie's name; `__Host-izly_payer` on an https site. */
const COOKIE_NAME = 'izly_payer';
/**
 * How long a browser stays the payer of its payments, in seconds, renewed by each creation: beyond an open
 * payment's life (20 minutes by default), long enough for a tab left open to show its outcome the next day.
 * Once it has gone, a payment already final changes nothing (a new attempt may start), and a paid order
 * still answers `order_already_paid`.
 */
const COOKIE_MAX_AGE_SECONDS = 24 * 60 * 60;
const RANDOM_BYTES = 16;
const TAG_BYTES = 12;
const PAYER_ID = /^[A-Za-z0-9_-]{43}$/;

export class PayerBinding {
  #key: Promise<HmacKey> | undefined;
  readonly #alwaysSecure: boolean;

  /** `allowedOrigins` all https: the cookie is a `__Host-` one even when a proxy in front ends TLS. */
  constructor(
    private readonly secret: string,
    allowedOrigins: readonly string[],
  ) {
    this.#alwaysSecure = allowedOrigins.every((origin) => origin.startsWith('https:'));
  }

  /**
   * The payer id of a creation from a browser with no payer cookie, derived from its Idempotency-Key: a
   * retry of that creation whose first answer (and so its cookie) was lost is the same payer. Only the
   * browser that made the key ever sent it; `create.ts` still honours it for `KEY_AS_PAYER_MS` only.
   */
  async payerForKey(idempotencyKey: string): Promise<string> {
    return base64url((await this.#hmacKey()).sign(`idempotency-key:${idempotencyKey}`));
  }

  /** The payer id in the request's cookie, or null when there is none or it is not one of ours in form. */
  payerOf(c: Context): string | null {
    if (c.req.header('cookie') === undefined) return null;
    const secure = this.#secure(c);
    // On an https site only the `__Host-` cookie counts: a plain one may have been planted by a sibling site.
    const value = getCookie(c, `__Host-${COOKIE_NAME}`) ?? (secure ? undefined : getCookie(c, COOKIE_NAME));
    return value !== undefined && PAYER_ID.test(value) ? value : null;
  }

  /** The `Set-Cookie` value that makes (or keeps) the browser `payer`; set on `POST /payments`, whose path scopes a plain cookie. */
  cookie(c: Context, payer: string): string {
    if (this.#secure(c)) return `__Host-${COOKIE_NAME}=${payer}; Max-Age=${COOKIE_MAX_AGE_SECONDS}; Path=/; HttpOnly; SameSite=Lax; Secure`;
    // `/izly/payments`: sent with the creations and the reads of the mount's payments, and nowhere else.
    const path = c.req.path.replace(/\/+$/, '') || '/';
    return `${COOKIE_NAME}=${payer}; Max-Age=${COOKIE_MAX_AGE_SECONDS}; Path=${path}; HttpOnly; SameSite=Lax`;
  }

  /** A new payment id (`pay_` and 38 URL-safe characters) whose payer is `payer`. */
  async newPaymentId(payer: string): Promise<string> {
    const random = randomBytes(RANDOM_BYTES);
    const id = new Uint8Array(RANDOM_BYTES + TAG_BYTES);
    id.set(random);
    id.set(await this.#tag(payer, random), RANDOM_BYTES);
    return `pay_${base64url(id)}`;
  }

  /** True when `payer` (from the request's cookie) started the payment `paymentId`. */
  async isPayerOf(payer: string | null, paymentId: string): Promise<boolean> {
    if (payer === null || !paymentId.startsWith('pay_')) return false;
    const bytes = fromBase64url(paymentId.slice(4));
    if (bytes === null || bytes.length !== RANDOM_BYTES + TAG_BYTES) return false;
    return sameBytes(bytes.subarray(RANDOM_BYTES), await this.#tag(payer, bytes.subarray(0, RANDOM_BYTES)));
  }

  async #tag(payer: string, random: Uint8Array): Promise<Uint8Array> {
    return (await this.#hmacKey()).sign(`payment:${payer}.${base64url(random)}`).subarray(0, TAG_BYTES);
  }

  #hmacKey(): Promise<HmacKey> {
    return (this.#key ??= purposeKey(this.secret, 'payer-binding'));
  }

  #secure(c: Context): boolean {
    return this.#alwaysSecure || new URL(c.req.url).protocol === 'https:';
  }
}
