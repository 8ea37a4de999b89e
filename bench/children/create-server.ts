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
import { BENCH_SECRET, DEMO_API_KEY, DEMO_APP_ID, quietLogger } from './bench-constants.js';

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
});
const partner = await listenOnLoopback(new Hono().route('/izly', izly).fetch);

answerRequests(() => ({ operations: sandbox!.control.operations().length }));
sayReady({ sandboxUrl: sandboxServer.url, partnerUrl: partner.url });
