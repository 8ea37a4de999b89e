// Server of benchmark 3 (payment creation), on the server core: the sandbox and izlyPay() in this one
// process, each on its own loopback port, the adapter reaching the sandbox over HTTP as it would reach Izly.
// STORE=memory|sqlite picks the adapter's store. A fresh process per measurement, so that the payments of
// one run do not slow the next.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { createSandbox, type Sandbox } from '../../sandbox/index.js';
import { izlyPay, memoryStore } from '../../server-adapter/index.js';
import { sqliteStore } from '../../server-adapter/sqlite.js';
import { answerRequests, listenOnLoopback, sayReady } from './child-protocol.js';
import { BENCH_SECRET, DEMO_API_KEY, DEMO_APP_ID, IZLY_CONTENT_TYPE, quietLogger } from './bench-constants.js';

const dataDir = mkdtempSync(join(tmpdir(), 'izly-bench-create-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));

let sandbox: Sandbox | undefined;
const sandboxServer = await listenOnLoopback((request) => sandbox!.fetch(request));
sandbox = createSandbox({ publicUrl: sandboxServer.url });

const izly = izlyPay({
  baseUrl: sandboxServer.url,
  appIdentifier: DEMO_APP_ID,
  apiKey: DEMO_API_KEY,
  secret: BENCH_SECRET,
  store: process.env.STORE === 'sqlite' ? sqliteStore(join(dataDir, 'payments.sqlite')) : memoryStore(),
  allowedOrigins: ['https://shop.example'],
  order: () => ({ amount: 250 }),
  logger: quietLogger,
  // The benchmark measures creations, from one address: the default limits (120 per client per minute) would answer 429.
  limits: { creationsPerClientPerMinute: Infinity, creationsPerMinute: Infinity },
});
const app = new Hono().route('/izly', izly);
// The floor of this benchmark: a bare route that makes the one upstream call any creation needs (the
// runtime's fetch to the sandbox's WebPayments, over loopback) and answers its JSON. Neither store, checks
// nor signature: what an adapter pays for a second HTTP server and an HTTP client, without the adapter.
app.post('/forward/payments', async (c) => {
  const { orderId } = (await c.req.json()) as { orderId: string };
  const response = await fetch(`${sandboxServer.url}/api/Izly/WebPayments`, {
    method: 'POST',
    headers: { Authorization: `Basic ${DEMO_API_KEY}`, AppIdentifier: DEMO_APP_ID, 'Content-Type': IZLY_CONTENT_TYPE },
    body: JSON.stringify({ Amount: 250, ClientOrderId: orderId, CallbackParameters: 'p=bench', RedirectUrlAfterPayment: 'https://shop.example/order' }),
    // As the adapter's client calls Izly.
    redirect: 'manual',
  });
  return c.json(await response.json(), 201);
});
const partner = await listenOnLoopback(app.fetch);

answerRequests(() => ({ operations: sandbox!.control.operations().length }));
sayReady({ sandboxUrl: sandboxServer.url, partnerUrl: partner.url });
