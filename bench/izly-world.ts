// The world around the partner's server for benchmarks 4 and 6: the Izly sandbox runs in this process (on
// the load core, with the clients), the partner's server in a child on the server core. The sandbox sends
// its callbacks over loopback HTTP to the child's /izly/callback, as Izly would.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox } from '../sandbox/index.js';
import { startChild, type BenchChild } from './child-process.js';
import { DEMO_APP_ID, STUDENT } from './children/bench-constants.js';

export interface World {
  sandbox: Sandbox;
  /** The partner instance the clients talk to. */
  partner: BenchChild<{ url: string }>;
  /** The partner instance Izly's callbacks reach: `partner` itself, or another instance sharing its database. */
  callbackPartner: BenchChild<{ url: string }>;
  /** `{partner}/izly` */
  endpoint: string;
  end(): Promise<void>;
}

/** Serves a fetch handler on a free loopback port. */
export function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server, url: `http://127.0.0.1:${info.port}` }));
  });
}

/**
 * Starts the sandbox and the partner: one instance, or with `databaseUrl` two instances sharing that
 * PostgreSQL database (both on the server core), the callbacks reaching the first and the clients the second.
 */
export async function startWorld(options: { nodeArgs?: string[]; databaseUrl?: string } = {}): Promise<World> {
  let sandbox: Sandbox | undefined;
  const sandboxServer = await listen((request) => sandbox!.fetch(request));
  sandbox = createSandbox({ publicUrl: sandboxServer.url, callbackRetryDelayMs: 1_000 });
  // Enough money for every payment of the run (1,00 € each).
  sandbox.control.updateAccount(STUDENT.identifier, { balance: 100_000_000 });
  const closeSandbox = () => {
    sandbox!.control.close();
    return closeServer(sandboxServer.server);
  };
  const env = { SANDBOX_URL: sandboxServer.url, ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}) };
  const partners: Array<BenchChild<{ url: string }>> = [];
  const endPartners = () => Promise.all(partners.map((partner) => partner.end()));
  try {
    for (let instance = 0; instance < (options.databaseUrl ? 2 : 1); instance++) {
      partners.push(await startChild<{ url: string }>('bench/children/adapter-server.ts', { role: 'server', nodeArgs: options.nodeArgs ?? [], env }));
    }
  } catch (error) {
    await endPartners();
    await closeSandbox();
    throw error;
  }
  const callbackPartner = partners[0]!;
  const partner = partners[partners.length - 1]!;
  sandbox.control.updatePointOfSale(DEMO_APP_ID, { callbackUrl: `${callbackPartner.ready.url}/izly/callback` });
  return {
    sandbox,
    partner,
    callbackPartner,
    endpoint: `${partner.ready.url}/izly`,
    async end() {
      await endPartners();
      await closeSandbox();
    },
  };
}

/** Closes a server and the connections it holds. */
export function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}

/** Creates `count` payments through the adapter (at most `concurrency` at once); returns their ids. */
export async function createPayments(endpoint: string, count: number, concurrency = 50): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const response = await fetch(`${endpoint}/payments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ orderId: `B-${index}-${crypto.randomUUID().slice(0, 8)}`, returnUrl: 'https://shop.example/order' }),
        signal: AbortSignal.timeout(30_000),
      });
      if (response.status !== 201) throw new Error(`creating a payment answered ${response.status}: ${await response.text()}`);
      ids[index] = ((await response.json()) as { paymentId: string }).paymentId;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return ids;
}

/** Polls `check` every `intervalMs` until it is true; throws after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
