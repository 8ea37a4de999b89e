// The signature of every request `izly-pay serve` sends to the partner's server (the order callout and the
// webhooks), Stripe's scheme: `Izly-Pay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
// with the signing secret both sides share. The timestamp inside the MAC bounds a replay to the tolerance
// window; a webhook's event id (in the body) lets the receiver refuse one replayed inside it.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature. */
export const SIGNATURE_HEADER = 'Izly-Pay-Signature';

/** How far a signature's timestamp may be from the receiver's clock, in seconds (5 minutes, as Stripe's). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Why a signature was refused. */
export type SignatureRefusal = 'missing' | 'malformed' | 'stale' | 'mismatch';

/** The outcome of `verifySignature`. */
export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: SignatureRefusal };

function mac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The header's value for `body` signed at `timestampSeconds`.
 * @example
 * headers.set(SIGNATURE_HEADER, signatureHeader(secret, body, Math.floor(Date.now() / 1000)));
 */
export function signatureHeader(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${mac(secret, timestampSeconds, body)}`;
}

/**
 * Checks a header against the raw body, as the partner's receiver must (the snippets in examples/ do the
 * same in PHP, Python and Java): the timestamp within `toleranceSeconds` of `nowSeconds`, and one of the
 * `v1` values equal to the HMAC, compared in constant time.
 */
export function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamps = parts.filter(([name]) => name === 't').map(([, value]) => value ?? '');
  const signatures = parts.filter(([name]) => name === 'v1').map(([, value]) => value ?? '');
  if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0]!) || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const timestamp = Number(timestamps[0]);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(mac(secret, timestamp, body), 'hex');
  const matches = signatures.some((signature) => {
    const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
