// Server of benchmark 2 (adapter overhead), on the server core. One loopback server answers:
//   GET /izly/payments/:id          izlyPay() with the memory store
//   GET /izly-sqlite/payments/:id   izlyPay() with the SQLite store
//   GET /bare/payments/:id          a bare Hono route answering the same JSON with the same headers
//   GET /shaped/payments/:id        the same, in the adapter's shape (see below)
// Each adapter holds one payment made paid through the real sandbox (served on another loopback port of this
// process) before the ready message, so the measured GETs read a final payment and never call Izly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { createSandbox, type Sandbox } from '../../sandbox/index.js';
import { izlyPay, memoryStore, type IzlyPayApp, type PaymentStore } from '../../server-adapter/index.js';
import { sqliteStore } from '../../server-adapter/sqlite.js';
import { answerRequests, listenOnLoopback, sayReady } from './child-protocol.js';
import { BENCH_SECRET, DEMO_API_KEY, DEMO_APP_ID, STUDENT, quietLogger } from './bench-constants.js';

const dataDir = mkdtempSync(join(tmpdir(), 'izly-bench-read-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));

let sandbox: Sandbox | undefined;
const sandboxServer = await listenOnLoopback((request) => sandbox!.fetch(request));
sandbox = createSandbox({ publicUrl: sandboxServer.url });
// Made paid by a status read below, not by a callback: this server's routes need no callback URL.
sandbox.control.updatePointOfSale(DEMO_APP_ID, { callbackAllowListed: false });

function adapter(store: PaymentStore): IzlyPayApp {
  return izlyPay({
    baseUrl: sandboxServer.url,
    appIdentifier: DEMO_APP_ID,
    apiKey: DEMO_API_KEY,
    secret: BENCH_SECRET,
    store,
    allowedOrigins: ['https://shop.example'],
    order: () => ({ amount: 250 }),
    logger: quietLogger,
  });
}

/** Creates a payment through the adapter's route, pays it at the sandbox and lets the adapter read it. */
async function paidPayment(izly: IzlyPayApp, orderId: string): Promise<string> {
  const created = await izly.request('/payments', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({ orderId, returnUrl: 'https://shop.example/order' }),
  });
  const { paymentId } = (await created.json()) as { paymentId: string };
  const record = await izly.store.get(paymentId);
  sandbox!.control.authorize(Number(record!.operationId), STUDENT);
  await izly.reconcile({ olderThanMs: 0 });
  const status = (await izly.store.get(paymentId))?.status;
  if (status !== 'paid') throw new Error(`the benchmark's payment is ${status}, not paid`);
  return paymentId;
}

const memory = adapter(memoryStore());
const sqlite = adapter(sqliteStore(join(dataDir, 'payments.sqlite')));
const memoryPayment = await paidPayment(memory, 'A-1');
const sqlitePayment = await paidPayment(sqlite, 'A-2');

const sample = await memory.request(`/payments/${memoryPayment}`);
const sameJson = await sample.json();
const app = new Hono();
app.route('/izly', memory);
app.route('/izly-sqlite', sqlite);
/** The adapter's answer, as the bare routes give it. */
const sameAnswer = (c: Context) => c.json(sameJson, 200, { 'Cache-Control': 'no-store' });
app.get('/bare/payments/:paymentId', sameAnswer);
// The same answer in the adapter's shape, without its work: a sub-app mounted with `app.route()` that has an
// error handler (Hono then wraps each of its handlers), a middleware awaiting next() (the adapter's hand-over
// to the runtime), an async handler (a store is asynchronous) and a catch-all answering 404 (the mount owns
// every path under it). What is left between this line and the adapter's is the adapter's own work.
const shaped = new Hono();
shaped.onError((_error, c) => c.json({ error: { code: 'internal_error' } }, 500));
shaped.use('*', async (_c, next) => {
  await next();
});
shaped.get('/payments/:paymentId', async (c) => {
  await Promise.resolve();
  return sameAnswer(c);
});
shaped.all('*', (c) => c.json({ error: { code: 'not_found' } }, 404));
app.route('/shaped', shaped);
const server = await listenOnLoopback(app.fetch);

// The parent asks for the CPU this process used, before and after each run: how busy the server's core was.
answerRequests(() => {
  const { user, system } = process.cpuUsage();
  return { cpuMicros: user + system };
});
sayReady({
  paths: {
    bare: `${server.url}/bare/payments/${memoryPayment}`,
    shaped: `${server.url}/shaped/payments/${memoryPayment}`,
    memory: `${server.url}/izly/payments/${memoryPayment}`,
    sqlite: `${server.url}/izly-sqlite/payments/${sqlitePayment}`,
  },
});
