// A Worker mounting izlyPay() with its status reads made frequent, so that a test sees in seconds the
// adapter's background work after an answer (the missed-callback check, seconds after a payment was found
// paid at Izly without its callback) run in workerd, handed to `waitUntil`. Every order costs 1 €.
import { Hono, type ExecutionContext } from 'hono';
import { izlyPay, memoryStore, type IzlyPayApp } from '../../../server-adapter/index.js';

interface Env {
  IZLY_BASE_URL: string;
  IZLY_APP_IDENTIFIER: string;
  IZLY_API_KEY: string;
  IZLY_CALLBACK_SECRET: string;
  SHOP_ORIGIN: string;
}

// Built on the first request: workerd refuses timers and random values at module scope.
let app: Hono | undefined;

function appFor(env: Env): Hono {
  if (app) return app;
  const izly: IzlyPayApp = izlyPay({
    baseUrl: env.IZLY_BASE_URL,
    appIdentifier: env.IZLY_APP_IDENTIFIER,
    apiKey: env.IZLY_API_KEY,
    secret: env.IZLY_CALLBACK_SECRET,
    store: memoryStore(),
    allowedOrigins: [env.SHOP_ORIGIN],
    order: () => ({ amount: 100 }),
    statusReadIntervalMs: 200,
    safetyNetReadIntervalMs: 1_000,
    logger: { warn: (message) => console.log(`warn: ${message}`), error: (message) => console.log(`error: ${message}`) },
  });
  app = new Hono().route('/izly', izly);
  return app;
}

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => appFor(env).fetch(request, env, ctx),
};
