// The partner's server alone, on the server core, for benchmarks 4 (time to "paid") and 6 (memory):
// izlyPay() (default settings; memory store, or PostgreSQL when DATABASE_URL is set, as one of several
// instances) mounted at /izly, talking over loopback to the sandbox that the parent runs (SANDBOX_URL). It notes when each callback arrives (before the adapter sees it), counts the
// long polls it is holding, and offers a bare route that holds requests, the baseline of benchmark 6.
// Requests: `stats`, `arrivals`, `operations`, `memory` (after a full GC when run with --expose-gc), `release`.
import { Hono } from 'hono';
import { izlyPay, memoryStore } from '../../server-adapter/index.js';
import { postgresStore } from '../../server-adapter/postgres.js';
import { answerRequests, listenOnLoopback, sayReady } from './child-protocol.js';
import { BENCH_SECRET, DEMO_API_KEY, DEMO_APP_ID, quietLogger } from './bench-constants.js';

const sandboxUrl = process.env.SANDBOX_URL;
if (!sandboxUrl) throw new Error('SANDBOX_URL is required');

/** Wall-clock time in milliseconds with sub-millisecond precision, comparable across processes. */
const now = () => performance.timeOrigin + performance.now();

const izly = izlyPay({
  baseUrl: sandboxUrl,
  appIdentifier: DEMO_APP_ID,
  apiKey: DEMO_API_KEY,
  secret: BENCH_SECRET,
  store: process.env.DATABASE_URL ? postgresStore(process.env.DATABASE_URL, { logger: quietLogger }) : memoryStore(),
  allowedOrigins: ['https://shop.example'],
  order: () => ({ amount: 100 }),
  logger: quietLogger,
  // The load generator is one address making thousands of payments and holding thousands of long polls (the
  // memory benchmark): the default per-client limits would answer 429. What the limits cost is benchmark 2's.
  limits: { creationsPerClientPerMinute: Infinity, creationsPerMinute: Infinity, longPollsPerClient: Infinity, longPolls: Infinity },
});

let longPolls = 0;
let held = 0;
const holds = new Set<() => void>();
const HOLD_LIMIT_MS = 30_000;

const app = new Hono();
app.use('/izly/payments/:paymentId', async (c, next) => {
  if (c.req.method !== 'GET' || !c.req.query('wait')) return next();
  longPolls++;
  try {
    await next();
  } finally {
    longPolls--;
  }
});
app.route('/izly', izly);
// The baseline of benchmark 6: a Hono route that holds the request as a long poll does, and nothing else.
app.get('/bare/hold', async (c) => {
  held++;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, HOLD_LIMIT_MS);
    function done() {
      clearTimeout(timer);
      holds.delete(done);
      resolve();
    }
    holds.add(done);
  });
  held--;
  return c.json({ released: true });
});

const CALLBACK_PATH = '/izly/callback';

/**
 * The payment a callback names, from what Izly put after the callback URL: joined (`?p=…&s=…`), concatenated
 * (`callbackp=…&s=…`, the default sandbox's) or as one encoded `CallbackParameters`. Null when it is not there.
 */
function callbackPaymentId(url: URL): string | null {
  const place = `${url.pathname}${url.search}`;
  if (!place.startsWith(CALLBACK_PATH)) return null;
  const parameters = new URLSearchParams(place.slice(CALLBACK_PATH.length).replace(/^\?/, ''));
  const encoded = parameters.get('CallbackParameters');
  return (encoded === null ? parameters : new URLSearchParams(encoded)).get('p');
}

const arrivals = new Map<string, number>();
const server = await listenOnLoopback((request) => {
  if (request.method === 'POST') {
    const paymentId = callbackPaymentId(new URL(request.url));
    if (paymentId && !arrivals.has(paymentId)) arrivals.set(paymentId, now());
  }
  return app.fetch(request);
});

const gc = (globalThis as { gc?: () => void }).gc;

answerRequests(async (message) => {
  switch (message.type) {
    case 'stats':
      return { longPolls, held };
    case 'arrivals':
      return { arrivals: Object.fromEntries(arrivals) };
    case 'operations': {
      const paymentIds = message.paymentIds as string[];
      const records = await Promise.all(paymentIds.map((id) => izly.store.get(id)));
      return { operationIds: records.map((record) => Number(record?.operationId)) };
    }
    case 'memory': {
      // Full GCs until RSS settles: V8 and the allocator hand freed pages back to the system with a delay.
      let rss = process.memoryUsage.rss();
      for (let pass = 0; pass < 6; pass++) {
        gc?.();
        await new Promise((resolve) => setTimeout(resolve, 150));
        const next = process.memoryUsage.rss();
        const settled = Math.abs(next - rss) < 256 * 1024;
        rss = next;
        if (settled) break;
      }
      return { rss, heapUsed: process.memoryUsage().heapUsed, gc: gc !== undefined };
    }
    case 'release':
      for (const release of [...holds]) release();
      return {};
    default:
      throw new Error(`unknown request ${message.type}`);
  }
});
sayReady({ url: server.url });
