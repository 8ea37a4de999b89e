// Who may use the control API (/sandbox/api/*) and see the home page, on a developer's machine where any web
// page the developer opens can send requests to loopback: a foreign `Host` (DNS rebinding: evil.test resolving
// to 127.0.0.1) and a foreign `Origin` are refused, writes must be JSON (a page can send `text/plain` without
// a CORS preflight, never `application/json`), and the control API wants the sandbox's control token.
import type { MiddlewareHandler } from 'hono';
import type { SandboxConfig } from './config.js';

/** The host names that are this machine, as `URL.hostname` writes them. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for a loopback host name: `localhost`, `127.0.0.1` or `[::1]` (any port). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** The host name of a `Host` header value (`example.test:8790`, `[::1]:8790`), lower case; null when unreadable. */
function hostnameOf(hostHeader: string): string | null {
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return null;
  }
}

/**
 * True when the request was addressed to this sandbox by a name it answers to: loopback or the host of
 * `publicUrl`, with any port. Both the URL the runtime built and the `Host` header are checked, since
 * runtimes and proxies do not always build the one from the other.
 */
export function isAllowedHost(request: Request, config: SandboxConfig): boolean {
  const allowed = (hostname: string | null) => hostname !== null && (isLoopbackHost(hostname) || hostname === new URL(config.publicUrl).hostname);
  const header = request.headers.get('host');
  return allowed(new URL(request.url).hostname) && (header === null || allowed(hostnameOf(header)));
}

/** No `Origin` (curl, servers, same-origin GETs), or the sandbox's own: the origin of `publicUrl` or of the request. */
function isAllowedOrigin(request: Request, config: SandboxConfig): boolean {
  const origin = request.headers.get('origin');
  return origin === null || origin === new URL(config.publicUrl).origin || origin === new URL(request.url).origin;
}

/** Compares in time that does not depend on where the texts differ, so the token cannot be guessed a character at a time. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}

function refusal(status: 401 | 403 | 415, code: string, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message } }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** A request to the control API: refused unless its Host, Origin, token and (on writes) Content-Type are right. */
export function controlAccess(config: SandboxConfig): MiddlewareHandler {
  return async (c, next) => {
    const request = c.req.raw;
    if (!isAllowedHost(request, config)) {
      return refusal(403, 'host_not_allowed', 'this Host is not the sandbox: use localhost, 127.0.0.1, [::1] or the host of publicUrl');
    }
    if (!isAllowedOrigin(request, config)) {
      return refusal(403, 'origin_not_allowed', 'the control API answers the sandbox’s own pages and clients without an Origin, not other sites');
    }
    const authorization = request.headers.get('authorization') ?? '';
    const token = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
    if (token === undefined || !sameText(token, config.controlToken)) {
      return refusal(401, 'unauthorized', 'send the control token printed at start as "Authorization: Bearer <token>"', {
        'www-authenticate': 'Bearer realm="izly-sandbox"',
      });
    }
    if (['POST', 'PUT', 'PATCH'].includes(request.method)) {
      const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (mediaType !== 'application/json') return refusal(415, 'unsupported_media_type', 'a control API write must be sent as Content-Type: application/json');
    }
    await next();
  };
}
