// A partner app in its own process, so that a test can really SIGKILL it: izlyPay() with the SQLite store
// on PARTNER_DB, mounted at /izly on 127.0.0.1:PARTNER_PORT, upstream IZLY_BASE_URL. Every order "C-…"
// costs 500 cents. Each onPaid call appends the payment id as one line to PAID_LOG (synchronously, so a
// line written is a call that happened). Prints "ready" once listening.
import { appendFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { izlyPay } from '../../../server-adapter/index.js';
import { sqliteStore } from '../../../server-adapter/sqlite.js';
import { API_KEY, APP_IDENTIFIER, SECRET } from '../helpers/harness.js';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`crash-partner: ${name} is required`);
  return value;
}

const port = Number(setting('PARTNER_PORT'));
const origin = `http://127.0.0.1:${port}`;
const paidLog = setting('PAID_LOG');

const izly = izlyPay({
  baseUrl: setting('IZLY_BASE_URL'),
  appIdentifier: APP_IDENTIFIER,
  apiKey: API_KEY,
  secret: SECRET,
  timeoutMs: Number(process.env.IZLY_TIMEOUT_MS ?? 10_000),
  retryDelayMs: 20,
  store: sqliteStore(setting('PARTNER_DB')),
  allowedOrigins: [origin],
  statusReadIntervalMs: 50,
  order: (orderId) => (orderId.startsWith('C-') ? { amount: 500 } : null),
  onPaid: (payment) => appendFileSync(paidLog, `${payment.id}\n`),
  logger: { warn: () => {}, error: (message) => console.error(message) },
});

serve({ fetch: new Hono().route('/izly', izly).fetch, port, hostname: '127.0.0.1' }, () => console.log('ready'));
