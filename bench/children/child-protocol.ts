// The child side of bench/child-process.ts: say `ready`, answer each request by its id, and exit when the
// parent goes away (so that no child outlives a crashed benchmark).
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

type Handler = (request: { type: string } & Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;

export function answerRequests(handler: Handler): void {
  if (!process.send) throw new Error('this file runs as a child of the benchmark (IPC channel expected)');
  // process.exit runs the 'exit' handlers (temporary folders); a bare SIGTERM would skip them.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  process.on('message', (message: { id: number; type: string } & Record<string, unknown>) => {
    Promise.resolve()
      .then(() => handler(message))
      .then(
        (answer) => process.send!({ id: message.id, ...answer }),
        (error: unknown) => process.send!({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
}

export function sayReady(info: Record<string, unknown>): void {
  process.send!({ type: 'ready', ...info });
}

/** Serves a fetch handler on a free loopback port. */
export function listenOnLoopback(fetch: (request: Request) => Response | Promise<Response>): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server, url: `http://127.0.0.1:${info.port}` }));
  });
}
