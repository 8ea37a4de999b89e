// The demo's Node HTTP servers (the shop and the built-in sandbox), with limits that keep slow and idle
// clients from pinning them: headers and whole requests must arrive in time, an idle keep-alive
// connection is closed, and the number of connections is capped. The README's Node example uses the same
// values. (A request body is also held to the adapter's own `bodyTimeoutMs` under the mount.)
import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';

/** The limits of one server. */
export interface ServerLimits {
  /** Time for a client to send the request's headers, in ms. */
  headersTimeout: number;
  /** Time for a client to send the whole request (headers and body), in ms; the answer may take longer (long polls). */
  requestTimeout: number;
  /** Time an idle keep-alive connection stays open between two requests, in ms. */
  keepAliveTimeout: number;
  /** How often Node checks the two timeouts above, in ms (Node's default, 30 s, would let them overrun). */
  connectionsCheckingInterval: number;
  /** Connections open at once; more are refused by the kernel's backlog and then closed at once. */
  maxConnections: number;
}

/** Generous for a campus rush (a long poll holds a connection for up to 30 s), tight for a slow loris. */
export const DEMO_SERVER_LIMITS: ServerLimits = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
  maxConnections: 2_000,
};

/** Serves `fetch` on `hostname:port` (0: a free port) with `limits`; resolves once it listens. */
export function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  hostname: string,
  limits: ServerLimits = DEMO_SERVER_LIMITS,
): Promise<ServerType> {
  const { headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval, maxConnections } = limits;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname, serverOptions: { headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval } }, () =>
      resolve(server),
    );
    (server as Server).maxConnections = maxConnections;
    server.once('error', reject);
  });
}
