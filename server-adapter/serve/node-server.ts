// The service's Node HTTP server, with limits that keep slow and idle clients from pinning it (the same
// values as the demo's and the README's Node example): headers and whole requests must arrive in time, an
// idle keep-alive connection is closed, and the number of connections is capped.
import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Generous for a campus rush (a long poll holds a connection for up to 30 s), tight for a slow loris. */
export const SERVE_LIMITS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
  maxConnections: 2_000,
} as const;

/** Serves `fetch` on `hostname:port` (0: a free port); resolves with the server and the port it got. */
export function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  hostname: string,
): Promise<{ server: ServerType; port: number }> {
  const { headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval, maxConnections } = SERVE_LIMITS;
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch, port, hostname, serverOptions: { headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval } },
      (info: AddressInfo) => resolve({ server, port: info.port }),
    );
    (server as Server).maxConnections = maxConnections;
    server.once('error', reject);
  });
}

/** Closes the server and its connections (a long poll cut short is asked again by the widget). */
export function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}
