// CORS for the partner's pages when `izly-pay serve` runs on an origin of its own (`pay.shop.example`
// beside `shop.example`): only the allowed origins get the headers, a preflight from any other origin is
// refused, and no credentials are involved (the widget sends none: a payment id is its own capability).
import type { MiddlewareHandler } from 'hono';

/** What the widget sends and must read cross-origin. */
const ALLOWED_METHODS = 'GET, POST';
const ALLOWED_HEADERS = 'content-type, idempotency-key, accept';
/** The widget waits out a 429 by its `Retry-After`, which a cross-origin page reads only when exposed. */
const EXPOSED_HEADERS = 'retry-after';
/** How long a browser may keep a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE = '600';

export function corsForOrigins(allowedOrigins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(allowedOrigins);
  return async (c, next) => {
    const origin = c.req.header('origin');
    const preflight = c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined;
    if (preflight) {
      if (origin === undefined || !allowed.has(origin)) {
        return c.json({ error: { code: 'origin_not_allowed', message: 'Requests from this origin are not allowed' } }, 403, { vary: 'Origin' });
      }
      return c.body(null, 204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': PREFLIGHT_MAX_AGE,
        vary: 'Origin',
      });
    }
    await next();
    c.res.headers.append('vary', 'Origin');
    if (origin !== undefined && allowed.has(origin)) {
      c.res.headers.set('access-control-allow-origin', origin);
      c.res.headers.set('access-control-expose-headers', EXPOSED_HEADERS);
    }
  };
}
