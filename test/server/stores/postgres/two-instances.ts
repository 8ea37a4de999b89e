// Adapter instances behind one address, as a load balancer would spread them: each `izlyPay()` on its own
// loopback port with its own `postgresStore()` (its own pool and wake-up connection) over one shared
// database, and one real Izly sandbox. Nothing is shared in memory between instances: only PostgreSQL.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox } from '../../../../sandbox/index.js';
import { izlyPay, type IzlyPayApp, type IzlyPayOptions, type PaymentRecord, type PaymentStore } from '../../../../server-adapter/index.js';
import { postgresStore } from '../../../../server-adapter/postgres.js';
import { API_KEY, APP_IDENTIFIER, SECRET } from '../../helpers/harness.js';

/** The shop's one public address; every instance accepts it. */
export const SHOP_ORIGIN = 'https://shop.example';

export interface Instance {
  name: string;
  url: string;
  izly: IzlyPayApp;
  store: PaymentStore;
  /** Every onPaid call on this instance. */
  paid: PaymentRecord[];
  /** Paths of the status reads (`GET WebPayments/{id}`) this instance sent to Izly. */
  statusReads: string[];
  /** `performance.now()` at which each callback reached this instance's server, by payment id. */
  callbackArrivals: Map<string, number>;
  close(): Promise<void>;
}

export function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server, url: `http://127.0.0.1:${info.port}` }));
  });
}

export function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** The Izly sandbox on its own port; its POS calls back `callbackUrl` (change it with `updatePointOfSale`). */
export async function startIzly(): Promise<{ sandbox: Sandbox; url: string; close(): Promise<void> }> {
  let sandbox: Sandbox | undefined;
  const { server, url } = await listen((request) => sandbox!.fetch(request));
  sandbox = createSandbox({ publicUrl: url, callbackRetryDelayMs: 50, pointsOfSale: [{ callbackUrl: 'http://127.0.0.1:9/unset' }] });
  return {
    sandbox,
    url,
    async close() {
      await sandbox!.control.settled();
      sandbox!.control.close();
      await closeServer(server);
    },
  };
}

/** Starts one adapter instance on the shared database. `wrapStore` lets a test watch the store's calls. */
export async function startInstance(
  name: string,
  {
    izlyUrl,
    databaseUrl,
    adapter = {},
    wrapStore = (store) => store,
  }: { izlyUrl: string; databaseUrl: string; adapter?: Partial<IzlyPayOptions>; wrapStore?: (store: PaymentStore) => PaymentStore },
): Promise<Instance> {
  const paid: PaymentRecord[] = [];
  const statusReads: string[] = [];
  const callbackArrivals = new Map<string, number>();
  const store = wrapStore(postgresStore(databaseUrl));
  const izly = izlyPay({
    baseUrl: izlyUrl,
    appIdentifier: APP_IDENTIFIER,
    apiKey: API_KEY,
    retryDelayMs: 10,
    secret: SECRET,
    store,
    allowedOrigins: [SHOP_ORIGIN],
    order: (orderId) => ({ amount: 300, message: `Commande ${orderId}` }),
    onPaid: (payment) => void paid.push(payment),
    logger: { warn() {}, error() {} },
    // Only counts and forwards: the sandbox answers every request.
    fetch: (request: Request) => {
      const path = new URL(request.url).pathname;
      if (request.method === 'GET' && /\/webpayments\/\d+$/i.test(path)) statusReads.push(path);
      return fetch(request);
    },
    ...adapter,
  });
  const app = new Hono().route('/izly', izly);
  const { server, url } = await listen((request) => {
    const target = new URL(request.url);
    // The payment id is in our `CallbackParameters`, wherever this Izly put them (query, or the path itself).
    const signed = /p=(pay_[^&/?]+)/.exec(decodeURIComponent(target.pathname + target.search));
    if (request.method === 'POST' && target.pathname.startsWith('/izly/callback') && signed) callbackArrivals.set(signed[1]!, performance.now());
    return app.fetch(request);
  });
  return {
    name,
    url,
    izly,
    store,
    paid,
    statusReads,
    callbackArrivals,
    async close() {
      await closeServer(server);
      await store.close();
    },
  };
}

/** `POST {instance}/izly/payments` as the widget sends it from the shop's page. */
export async function createPayment(instance: Instance, orderId: string): Promise<{ paymentId: string; authorizationUrl: string; status: string }> {
  const response = await fetch(`${instance.url}/izly/payments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), Origin: SHOP_ORIGIN },
    body: JSON.stringify({ orderId, returnUrl: `${SHOP_ORIGIN}/orders/${orderId}` }),
  });
  if (response.status !== 201) throw new Error(`creating ${orderId} on ${instance.name} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { paymentId: string; authorizationUrl: string; status: string };
}

/** A long poll on an instance; resolves with the status and when the answer came (`performance.now()`). */
export async function longPoll(instance: Instance, paymentId: string, waitSeconds: number): Promise<{ status: string; answeredAt: number }> {
  const response = await fetch(`${instance.url}/izly/payments/${paymentId}?wait=${waitSeconds}`);
  const { status } = (await response.json()) as { status: string };
  return { status, answeredAt: performance.now() };
}
