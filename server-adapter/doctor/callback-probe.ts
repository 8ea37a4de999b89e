// The callback URL from the outside: one unsigned POST with a JSON body, as a forger (or a misrouted Izly)
// would send. The adapter's callback route refuses it with a 403 in Izly's `{ Code, ErrorMessage }` shape
// before any Izly call, since only a callback carrying the adapter's signature is taken. Anything else
// means Izly's real callbacks would not reach the adapter either, and says why.
import { integerField, textField } from '../izly/fields.js';
import { describeFailure, sendProbe, type ProbeAnswer } from './http-probe.js';

/** What the callback URL turned out to be. */
export type CallbackVerdict =
  'adapter' | 'not-found' | 'redirect' | 'blocked-in-front' | 'accepts-unsigned' | 'asks-credentials' | 'server-error' | 'other' | 'unreachable';

export interface CallbackCheck {
  url: string;
  /** True when the URL answers as the adapter's callback route does. */
  ok: boolean;
  verdict: CallbackVerdict;
  httpStatus: number | null;
  /** What came back, in a few words. */
  answer: string;
  /** What it means and what to do, in plain words, to follow "The callback URL <url>: ". */
  explanation: string;
  /** Warnings that hold whatever the answer (plain http, a private address). */
  notes: string[];
}

/** A body that no callback handler could mistake for a payment: no operation, no status. */
const PROBE_BODY = JSON.stringify({ izlyPayDoctor: 'an unsigned probe; the izly-pay adapter refuses it with a 403' });

const MOUNT_EXAMPLE =
  "the adapter's callback route is its mount path followed by /callback (https://your-shop.example/izly/callback for app.route('/izly', izlyPay({...})))";

/** Loopback, private (RFC 1918), link-local and `.local`/`.internal` names: reachable from here, never from Izly. */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal') ||
    host === '::1' ||
    /^(127|10)\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
    /^169\.254\./.test(host) ||
    /^f[cd][0-9a-f]{2}:/.test(host)
  );
}

function urlNotes(url: URL): string[] {
  const notes: string[] = [];
  if (url.protocol === 'http:')
    notes.push('The URL is plain http: give Izly an https URL in production, so that a callback cannot be read or changed on the way.');
  if (isPrivateHost(url.hostname)) notes.push(`${url.hostname} is a local or private address: this machine reaches it, Izly cannot.`);
  return notes;
}

function describeAnswer(answer: Extract<ProbeAnswer, { reached: true }>): string {
  const code = answer.json ? integerField(answer.json, 'Code') : null;
  const message = answer.json ? textField(answer.json, 'ErrorMessage') : null;
  if (code !== null) return `HTTP ${answer.status}, code ${code}${message ? ` "${message}"` : ''}`;
  if (answer.location) return `HTTP ${answer.status}, a redirect to ${answer.location}`;
  return `HTTP ${answer.status}${answer.mediaType ? `, ${answer.mediaType}` : ''}`;
}

function judge(answer: Extract<ProbeAnswer, { reached: true }>): { verdict: CallbackVerdict; explanation: string } {
  const { status } = answer;
  const izlyShaped = answer.json !== null && integerField(answer.json, 'Code') !== null;
  if (status === 403 && izlyShaped) {
    return {
      verdict: 'adapter',
      explanation:
        "it answers as the izly-pay adapter does: an unsigned callback is refused, a signed one from Izly will be taken (the adapter logs one 'callback refused' warning for this probe). Izly reaches it only once Xpollens has allow-listed this URL on Izly's outbound filter: this check runs from here, not from Izly, so ask them to confirm.",
    };
  }
  if (status === 403) {
    return {
      verdict: 'blocked-in-front',
      explanation: `a 403 that is not the adapter's answer: something in front of it (a firewall, a WAF, the host's protection) refuses this POST, and would refuse Izly's callbacks too. Let POSTs with a JSON body through on this path.`,
    };
  }
  if (status === 404) {
    const page = answer.mediaType === 'text/html' ? ', a page of the host' : '';
    return {
      verdict: 'not-found',
      explanation: `nothing answers at this path (404${page}): ${MOUNT_EXAMPLE}. Check the path, and that the app serving this host mounts the adapter.`,
    };
  }
  if (status >= 300 && status < 400) {
    return {
      verdict: 'redirect',
      explanation: `it redirects${answer.location ? ` to ${answer.location}` : ''}: Izly's callback is a server-to-server POST, and a redirect loses it or turns it into a GET. Give the back office the final URL.`,
    };
  }
  if (status >= 200 && status < 300) {
    return {
      verdict: 'accepts-unsigned',
      explanation: `it accepted an unsigned callback: this is not the izly-pay adapter's callback route, which refuses any callback it did not sign. A handler that takes this would take a forged callback from anyone; ${MOUNT_EXAMPLE}.`,
    };
  }
  if (status === 401) {
    return {
      verdict: 'asks-credentials',
      explanation: 'it asks for credentials: Izly sends none with its callback. Exempt this path from the authentication in front of it.',
    };
  }
  if (status >= 500) {
    return {
      verdict: 'server-error',
      explanation: `the server fails on this POST; see its logs (the adapter answers 403 to this probe without reading anything).`,
    };
  }
  return { verdict: 'other', explanation: `the adapter answers 403 to this probe: something else answers at this URL; ${MOUNT_EXAMPLE}.` };
}

/** POSTs the unsigned probe to the callback URL (an absolute http(s) URL) and says what the answer means. */
export async function probeCallback(callbackUrl: string, timeoutMs: number): Promise<CallbackCheck> {
  const notes = urlNotes(new URL(callbackUrl));
  const answer = await sendProbe({ method: 'POST', url: callbackUrl, headers: { 'Content-Type': 'application/json' }, body: PROBE_BODY }, timeoutMs);
  if (!answer.reached) {
    const explanation = `${describeFailure(answer, timeoutMs)}. Izly would not reach it either.${answer.failure === 'timeout' ? ' The adapter answers this probe at once.' : ''}`;
    return { url: callbackUrl, ok: false, verdict: 'unreachable', httpStatus: null, answer: `${answer.failure}: ${answer.detail}`, explanation, notes };
  }
  const { verdict, explanation } = judge(answer);
  return { url: callbackUrl, ok: verdict === 'adapter', verdict, httpStatus: answer.status, answer: describeAnswer(answer), explanation, notes };
}
