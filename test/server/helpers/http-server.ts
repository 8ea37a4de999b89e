// A Web-standard `fetch` handler (a Hono app, the sandbox) served by Node's HTTP server on a free loopback
// port, so the code under test reaches it over real HTTP as in production, and closed with its keep-alive
// connections so that the end of a test never waits for an idle socket to time out.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

/** A server started by `listen()`: close it with `closeServer(server)`. */
export interface ListeningServer {
  server: ServerType;
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
}

/** Serves `fetch` on a port the kernel picks, resolved once the server listens. */
export function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<ListeningServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server, url: `http://127.0.0.1:${info.port}` }));
  });
}

/** Closes the server and the connections still open on it, resolved once it is closed. */
export function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}
