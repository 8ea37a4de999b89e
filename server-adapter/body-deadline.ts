// A request body must arrive within a deadline, or the request is answered 408 and its body no longer
// read: a client that sends its body one byte a second (slow loris) cannot hold a connection, a request
// slot and a handler for minutes. The HTTP server's own timeouts (Node's `requestTimeout`) are the
// host's to set and often generous; this one is the mount's, the same on every runtime.
import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from './payments/clock.js';

/** Raised into the body stream when the deadline passes: the handler's read of the body fails with it. */
class BodyDeadlineError extends Error {
  override name = 'BodyDeadlineError' as const;
}

/**
 * Wraps the request body (when there is one) in a stream that fails once `ms` have passed since the
 * request reached the mount, and then answers with `onTimeout(c)` whatever the handler made of the
 * failed read. A GET, a HEAD or an empty body is left untouched (no timer, and on @hono/node-server no
 * `Request` is built for it).
 */
export function bodyDeadline(ms: number, clock: Clock, onTimeout: (c: Context) => Response): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.header('content-length') === '0') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      // A body over the routes' size limits is refused by them before it is read.
      if (!(Number(declared) <= MAX_READ_AHEAD)) return next();
      return readWithin(ms, clock, c, next, onTimeout);
    }
    const source = c.req.raw.body;
    if (!source) return next();
    const reader = source.getReader();
    let timedOut = false;
    let cancelTimer = (): void => {};
    const timed = new ReadableStream<Uint8Array>({
      start(controller) {
        cancelTimer = clock.setTimer(ms, () => {
          timedOut = true;
          controller.error(new BodyDeadlineError(`the request body took more than ${ms} ms`));
          // Stop reading from the client: on Node this ends the connection at once.
          reader.cancel().catch(() => {});
        });
      },
      async pull(controller) {
        const { done, value } = await reader.read();
        if (timedOut) return;
        if (done) {
          cancelTimer();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      },
      cancel(reason) {
        cancelTimer();
        return reader.cancel(reason);
      },
    });
    c.req.raw = new Request(c.req.raw, { body: timed, duplex: 'half' } as RequestInit);
    try {
      await next();
    } finally {
      cancelTimer();
    }
    if (timedOut) {
      c.res = undefined;
      c.res = onTimeout(c);
      // The rest of the body will not be read: the connection cannot carry another request.
      c.res.headers.set('Connection', 'close');
    }
  };
}

/** The largest declared body read ahead (the callback route's limit; the payment route's is smaller). */
const MAX_READ_AHEAD = 64 * 1024;

/**
 * A body of declared length, read whole before the handler, within the deadline: Hono keeps what was read
 * for the handler's `c.req.json()` or `c.req.text()`. Cheaper than wrapping the stream (no second `Request`,
 * no JavaScript step per chunk), which matters on every payment creation.
 */
async function readWithin(ms: number, clock: Clock, c: Context, next: () => Promise<void>, onTimeout: (c: Context) => Response): Promise<void> {
  let cancelTimer = (): void => {};
  const timedOut = new Promise<true>((resolve) => (cancelTimer = clock.setTimer(ms, () => resolve(true))));
  // A body that fails to arrive is the handler's to report (it reads the same failure from the cache).
  const arrived = c.req.text().then(
    () => false as const,
    () => false as const,
  );
  const late = await Promise.race([arrived, timedOut]);
  cancelTimer();
  if (!late) return next();
  c.res = onTimeout(c);
  // The rest of the body will not be read: the connection cannot carry another request.
  c.res.headers.set('Connection', 'close');
}
