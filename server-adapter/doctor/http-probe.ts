// One request of the doctor: sent once (never retried, so a partner's run cannot turn into a storm), with a
// deadline that covers the body too, a redirect reported rather than followed (a base URL or a callback URL
// that redirects is itself the finding), and every way of not getting an answer named so it can be explained.
import { isJsonObject, type JsonObject } from '../izly/fields.js';

/** Why no HTTP answer came back. */
export type ProbeFailure = 'timeout' | 'refused' | 'dns' | 'tls' | 'network';

/** What came back from one probe. */
export type ProbeAnswer =
  | {
      reached: true;
      status: number;
      /** The media type of the answer, lower case, without parameters ('' when none). */
      mediaType: string;
      /** The parsed JSON object, or null when the body is not one. */
      json: JsonObject | null;
      /** The start of the body as text, for answers that are not JSON. */
      text: string;
      /** `Location` of a redirect, or null. */
      location: string | null;
    }
  | { reached: false; failure: ProbeFailure; detail: string };

/** What one probe sends. */
export interface ProbeRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

const TLS_CODE = /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/i;

/** The first `code` found on the error, its causes and (for several addresses tried) their errors. */
function errorCode(error: unknown, depth = 0): string | null {
  if (!isJsonObject(error) && !(error instanceof Error)) return null;
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof record.code === 'string') return record.code;
  if (depth > 4) return null;
  const nested = [record.cause, ...(Array.isArray(record.errors) ? record.errors : [])];
  for (const inner of nested) {
    const code = errorCode(inner, depth + 1);
    if (code) return code;
  }
  return null;
}

function failureOf(error: unknown): { failure: ProbeFailure; detail: string } {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { failure: 'timeout', detail: 'no answer in time' };
  const code = errorCode(error);
  const detail = code ?? (error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error));
  if (code === 'ECONNREFUSED') return { failure: 'refused', detail };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { failure: 'dns', detail };
  if (code && TLS_CODE.test(code)) return { failure: 'tls', detail };
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return { failure: 'timeout', detail };
  return { failure: 'network', detail };
}

function parseObject(text: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** Sends the request once and reads its answer, all within `timeoutMs`. */
export async function sendProbe(request: ProbeRequest, timeoutMs: number): Promise<ProbeAnswer> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return {
      reached: true,
      status: response.status,
      mediaType: (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
      json: parseObject(text),
      text: text.slice(0, 500),
      location: response.headers.get('location'),
    };
  } catch (error) {
    return { reached: false, ...failureOf(error) };
  }
}

/** A failure in plain words. */
export function describeFailure(answer: { failure: ProbeFailure; detail: string }, timeoutMs: number): string {
  switch (answer.failure) {
    case 'timeout':
      return `no answer within ${timeoutMs / 1000} s`;
    case 'refused':
      return 'connection refused: nothing listens at that host and port';
    case 'dns':
      return `the host name does not resolve (${answer.detail})`;
    case 'tls':
      return `the TLS handshake failed (${answer.detail}): the certificate is not one a client trusts`;
    case 'network':
      return `the connection failed (${answer.detail})`;
  }
}
