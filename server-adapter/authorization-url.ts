// The Izly page a student is sent to comes from Izly's answer, and the widget navigates to it: it must be
// an https page, never a `javascript:` or `data:` URL (which would run in the shop's page) nor a plain
// http page that anyone on the network could rewrite. Plain http is accepted only where no network is
// crossed or where the partner chose an http Izly: a loopback host, or the origin of an http `baseUrl`
// (a sandbox on another machine of a test network).
import { IzlyUnexpectedAnswerError } from './izly/errors.js';

const IPV4_LOOPBACK = /^127(\.\d{1,3}){3}$/;

/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`: names that never leave the machine. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || IPV4_LOOPBACK.test(hostname) || hostname === '[::1]';
}

/** Why `url` may not be given to a browser, or null when it may. */
function refusal(url: string, baseUrl: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not a URL';
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol !== 'http:') return `its scheme is ${parsed.protocol}`;
  const base = URL.canParse(baseUrl) ? new URL(baseUrl) : null;
  if (isLoopback(parsed.hostname) || (base?.protocol === 'http:' && base.origin === parsed.origin)) return null;
  return `it is plain http on ${parsed.host}`;
}

/**
 * Throws when Izly's `PaymentAuthorizationUrl` is not a page a browser may be sent to (see above), as
 * an unexpected answer of the initiation: the payment then fails and the route answers 502
 * (`izly_bad_answer`), the reason logged (the scheme or host only, never the URL's query).
 */
export function requireSafeAuthorizationUrl(url: string, baseUrl: string): void {
  const reason = refusal(url, baseUrl);
  if (reason) throw new IzlyUnexpectedAnswerError('initiate', 200, `PaymentAuthorizationUrl refused: ${reason}`, null);
}
