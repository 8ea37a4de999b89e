// A creation's `returnUrl`, read once per distinct text. A partner's pages send a handful of return URLs,
// and each creation would otherwise parse its own twice: once to check it, once more to add the payment's
// id for Izly's redirect (a URL parse, a URLSearchParams and the URL written again). The facts of a text
// are kept, a bounded few, and the redirect is the kept text around the id's place.
import { PAYMENT_RETURN_PARAM } from '../../contract/browser-contract.js';

/** What a return URL's text tells, as `new URL()` reads it. */
export interface ReturnUrlFacts {
  protocol: string;
  origin: string;
  /** The URL with the payment id's parameter set, before and after the id's place; null if the text holds the mark itself. */
  aroundId: [string, string] | null;
}

/** Stands for the id while the URL is written: URL-safe, so `URLSearchParams` writes it as it is, as it writes our ids. */
const ID_MARK = 'izlypay0id0mark';
/** Payment ids (ours: `pay_` and base64url) need no escaping in a query; any other is added through the URL API. */
const URL_SAFE_ID = /^[A-Za-z0-9_-]+$/;
const MAX_KEPT = 256;
/** Longer texts are read each time: the cache holds at most MAX_KEPT × this many characters. */
const MAX_KEPT_LENGTH = 2_048;

const kept = new Map<string, ReturnUrlFacts | null>();

function read(text: string): ReturnUrlFacts | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const { protocol, origin } = url;
  url.searchParams.set(PAYMENT_RETURN_PARAM, ID_MARK);
  const parts = url.href.split(ID_MARK);
  return { protocol, origin, aroundId: parts.length === 2 ? [parts[0]!, parts[1]!] : null };
}

/** The facts of `text` as an absolute URL, or null when it is not one. */
export function returnUrlFacts(text: string): ReturnUrlFacts | null {
  const known = kept.get(text);
  if (known !== undefined) return known;
  const facts = read(text);
  if (text.length <= MAX_KEPT_LENGTH) {
    if (kept.size >= MAX_KEPT) kept.clear();
    kept.set(text, facts);
  }
  return facts;
}

/** Where Izly sends the student back: `returnUrl` with `izly_payment=<paymentId>` set, exactly as the URL API writes it. */
export function redirectUrlFor(returnUrl: string, paymentId: string): string {
  const aroundId = returnUrlFacts(returnUrl)?.aroundId;
  if (aroundId && URL_SAFE_ID.test(paymentId)) return aroundId[0] + paymentId + aroundId[1];
  const url = new URL(returnUrl);
  url.searchParams.set(PAYMENT_RETURN_PARAM, paymentId);
  return url.href;
}
