// Clients at two addresses of this machine: `127.0.0.1` and `127.0.0.2` are both loopback, and a request
// sent from a chosen local address reaches the adapter with that remote address, as two students' (or an
// attacker's) machines would. The adapter is served by @hono/node-server with its `env`, so it sees the
// connection's address as in production (the harness's own server hands it only the Request).
import { request as httpRequest } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { IzlyPayApp } from '../../../server-adapter/index.js';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read answers of many shapes
  json(): any;
}

export interface ServedAdapter {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  server: ServerType;
  /** Resolves once `count` requests have reached the server since the last call (counted before the adapter). */
  arrivals(count: number): Promise<void>;
}

/** The adapter mounted at /izly on a loopback server of its own. */
export function serveAdapter(izly: IzlyPayApp): Promise<ServedAdapter> {
  let arrived = 0;
  let waiting: { count: number; resolve: () => void } | undefined;
  const app = new Hono();
  app.use('*', async (_, next) => {
    arrived += 1;
    if (waiting && arrived >= waiting.count) waiting.resolve();
    await next();
  });
  app.route('/izly', izly);
  const arrivals = (count: number) =>
    new Promise<void>((resolve) => {
      arrived = 0;
      waiting = { count, resolve };
    });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, server, arrivals }),
    );
  });
}

/** One browser (or script) at one local address, keeping the cookies it is given. */
export class LoopbackClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly localAddress: '127.0.0.1' | '127.0.0.2') {}

  /** Sends a request from this client's address; `signal` aborts it (the answer then rejects). */
  send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal } = {}): Promise<Answer> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return new Promise((resolve, reject) => {
      const sent = httpRequest(
        url,
        {
          method: init.method ?? 'GET',
          localAddress: this.localAddress,
          agent: false,
          headers: { ...(cookie ? { cookie } : {}), ...(init.body !== undefined ? { 'content-length': Buffer.byteLength(init.body) } : {}), ...init.headers },
          signal: init.signal,
        },
        (response) => {
          for (const header of response.headers['set-cookie'] ?? []) {
            const [pair] = header.split(';');
            const [name, value] = pair!.split('=') as [string, string];
            this.cookies.set(name, value);
          }
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, text, json: () => JSON.parse(text) }));
          response.on('error', reject);
        },
      );
      sent.on('error', reject);
      sent.end(init.body);
    });
  }

  /** `POST {base}/izly/payments` as the widget sends it, coming back to `shop` (an allowed origin). */
  createPayment(base: string, shop: string, orderId: string, key: string = crypto.randomUUID()): Promise<Answer> {
    return this.send(`${base}/izly/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ orderId, returnUrl: `${shop}/orders/${orderId}` }),
    });
  }
}
