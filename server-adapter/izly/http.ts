// One request to Izly: timeout, retries for GETs, the content type Izly accepts, and the mapping of every
// failure to the error tree.
import type { HeaderChoice } from './call-settings.js';
import { IzlyApiError, IzlyError, IzlyNetworkError, IzlyTimeoutError, IzlyUnexpectedAnswerError, type IzlyCall } from './errors.js';
import { field, integerField, isJsonObject, redactBody, textField, type JsonObject } from './fields.js';

/** How the transport reaches Izly; filled from the client's options. */
export interface IzlyTransportSettings {
  baseUrl: string;
  /** The injected fetch; without it, the runtime's `fetch` is called with the URL and init directly. */
  fetch: ((request: Request) => Promise<Response>) | undefined;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** The `Content-Type` of the requests that carry one (the payment calls): learnt from Izly's 415s, or pinned. */
  contentType: HeaderChoice;
}

/** One call: method, path (below the base URL), query, headers and an optional JSON body. */
export interface IzlyRequest {
  call: IzlyCall;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body?: JsonObject;
}

const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Milliseconds asked by a `Retry-After` header (seconds or an HTTP date), or null. */
function retryAfterMs(response: Response): number | null {
  const header = response.headers.get('retry-after');
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** Izly's error object `{ Code, ErrorMessage, Title, Priority }`, or an OAuth `{ error, error_description }`. */
function errorDetails(call: IzlyCall, body: unknown): { code: number | string | null; errorMessage: string; title: string; priority: number | null } | null {
  if (!isJsonObject(body)) return null;
  const nested = field(body, 'Error');
  const source = isJsonObject(nested) ? nested : body;
  const code = integerField(source, 'Code');
  const errorMessage = textField(source, 'ErrorMessage') ?? textField(source, 'Message') ?? '';
  if (code !== null && (field(source, 'ErrorMessage') !== undefined || field(source, 'Title') !== undefined)) {
    return { code, errorMessage, title: textField(source, 'Title') ?? '', priority: integerField(source, 'Priority') };
  }
  // OAuth servers answer `{ error, error_description }`, lower case: the token and users calls speak OAuth.
  const oauthError = (call === 'token' || call === 'users') && typeof body.error === 'string' ? body.error : '';
  if (oauthError) return { code: oauthError, errorMessage: textField(body, 'error_description') ?? '', title: '', priority: null };
  return null;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A 415: Izly turned the content type down before reading the request, so nothing was done. */
function isUnsupportedMediaType(error: unknown): boolean {
  return error instanceof IzlyApiError && error.httpStatus === 415;
}

/**
 * Sends one request and returns the parsed JSON of a successful answer. GETs are retried on
 * 408/429/5xx, timeouts and network errors, with exponential backoff and `Retry-After` honoured up to
 * `maxRetryDelayMs`; a POST is sent once, since Izly offers no idempotency key to make a retry safe.
 * The one exception: a request that carries a `Content-Type` and is answered 415 is sent again with the
 * other documented type (a 415 means Izly did not process it, so even an initiation cannot happen twice),
 * and the type Izly answered is the one the client sends from then on.
 */
export function sendIzlyRequest(settings: IzlyTransportSettings, request: IzlyRequest): Promise<unknown> {
  if (request.headers['Content-Type'] === undefined) return sendWithRetries(settings, request);
  return settings.contentType.send(isUnsupportedMediaType, (contentType) =>
    sendWithRetries(settings, { ...request, headers: { ...request.headers, 'Content-Type': contentType } }),
  );
}

async function sendWithRetries(settings: IzlyTransportSettings, request: IzlyRequest): Promise<unknown> {
  // A string, not a `URL`: fetch parses its input again whatever it is given.
  let url = settings.baseUrl.replace(/\/+$/, '') + request.path;
  if (request.query !== undefined) {
    const withQuery = new URL(url);
    for (const [name, value] of Object.entries(request.query)) withQuery.searchParams.set(name, value);
    url = withQuery.href;
  }
  const attempts = request.method === 'GET' ? settings.retries + 1 : 1;

  for (let attempt = 1; ; attempt++) {
    let waitMs: number;
    try {
      return await attemptOnce(settings, request, url);
    } catch (error) {
      const retriable =
        error instanceof IzlyTimeoutError ||
        error instanceof IzlyNetworkError ||
        (error instanceof RetriableStatus && RETRIED_STATUSES.has(error.response.httpStatus));
      if (!retriable || attempt >= attempts) throw error instanceof RetriableStatus ? error.response : error;
      const backoff = Math.min(settings.retryDelayMs * 2 ** (attempt - 1), settings.maxRetryDelayMs);
      // Full jitter keeps many adapters from retrying in step.
      waitMs = Math.round(backoff / 2 + Math.random() * (backoff / 2));
      if (error instanceof RetriableStatus && error.retryAfterMs !== null) {
        // A server asking for a longer pause than we are willing to hold a request gets its error now.
        if (error.retryAfterMs > settings.maxRetryDelayMs) throw error.response;
        waitMs = Math.max(waitMs, error.retryAfterMs);
      }
    }
    await sleep(waitMs);
  }
}

/** An error answer that may be retried; carries the error to throw when retries run out. */
class RetriableStatus extends Error {
  constructor(
    readonly response: IzlyApiError,
    readonly retryAfterMs: number | null,
  ) {
    super(response.message);
  }
}

async function attemptOnce(settings: IzlyTransportSettings, request: IzlyRequest, url: string): Promise<unknown> {
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Raced as well as signalled: an injected fetch may ignore the signal, the timeout must still hold.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      reject(new IzlyTimeoutError(request.call, settings.timeoutMs));
    }, settings.timeoutMs);
  });
  let response: Response;
  let text: string;
  try {
    // Izly's API never redirects; one that does is not followed with our key. `'manual'`, not `'error'`,
    // which Workers refuse before sending anything.
    const init: RequestInit = { method: request.method, headers: request.headers, signal: controller.signal, redirect: 'manual' };
    if (request.body !== undefined) init.body = JSON.stringify(request.body);
    // The runtime's fetch gets the URL and init: a `Request` built first would be copied again by fetch
    // (its body teed), which costs more than the rest of a payment's creation on Node.
    const sent = settings.fetch ? settings.fetch(new Request(url, init)) : globalThis.fetch(url, init);
    // One race for the answer and its body.
    [response, text] = await Promise.race([sent.then(async (answer) => [answer, await answer.text()] as const), timeout]);
  } catch (error) {
    if (timedOut) throw new IzlyTimeoutError(request.call, settings.timeoutMs);
    if (error instanceof IzlyError) throw error;
    throw new IzlyNetworkError(request.call, error);
  } finally {
    clearTimeout(timer);
  }

  if ((response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect') {
    throw new IzlyUnexpectedAnswerError(request.call, response.status, 'a redirect, which is not followed', redactBody(text));
  }
  const parsed = text.trim() === '' ? { ok: true as const, value: null } : parseJson(text);
  if (response.ok) {
    if (!parsed.ok) throw new IzlyUnexpectedAnswerError(request.call, response.status, 'the body is not valid JSON', redactBody(text));
    // Izly may report an error with a 200 and its error object (the status of 3.4's error is undocumented).
    const details = errorDetails(request.call, parsed.value);
    if (details && details.code !== 0 && details.code !== '0') {
      throw new IzlyApiError(request.call, { httpStatus: response.status, ...details, body: redactBody(parsed.value) });
    }
    return parsed.value;
  }
  const body = parsed.ok ? parsed.value : text;
  const details = parsed.ok ? errorDetails(request.call, parsed.value) : null;
  const error = details
    ? new IzlyApiError(request.call, { httpStatus: response.status, ...details, body: redactBody(body) })
    : new IzlyApiError(request.call, {
        httpStatus: response.status,
        code: null,
        errorMessage: response.statusText,
        title: '',
        priority: null,
        body: redactBody(body),
      });
  throw new RetriableStatus(error, retryAfterMs(response));
}
