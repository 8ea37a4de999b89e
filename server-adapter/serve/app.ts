// The service that `izly-pay serve` runs: the adapter (`izlyPay()`) mounted at the base path with the
// partner's order callout as its `order()` hook and webhooks as its outcome hooks, the widget bundle
// beside it, CORS when the service has an origin of its own, the back-office API and a health check.
// Built from the adapter's public entry points only, as any partner's app would be.
import { Hono } from 'hono';
import { izlyPay, type Clock, type IzlyPayApp, type IzlyPayLogger, type IzlyPayOptions, type PaymentStore } from '../index.js';
import { backOffice } from './back-office.js';
import type { ServeConfig } from './config.js';
import { corsForOrigins } from './cors.js';
import { orderCallout } from './order-callout.js';
import { WebhookSender } from './webhooks.js';

/** What the service is built with besides its settings (tests give a clock, a fetch, a quiet logger). */
export interface ServeDependencies {
  store: PaymentStore;
  /** The widget's single-file bundle (dist/izly-pay.js), served at `{basePath}/izly-pay.js`; null to serve none. */
  widgetBundle: string | null;
  fetch?: (request: Request) => Promise<Response>;
  clock?: Clock;
  logger?: IzlyPayLogger;
}

/** The built service. */
export interface ServeApp {
  /** Every route: serve its `fetch` on Node's HTTP server. */
  app: Hono;
  izly: IzlyPayApp;
  webhooks: WebhookSender;
}

/** The in-process retries of the two notifications the adapter does not retry itself (see webhooks.ts). */
const NOTIFICATION_RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000];

/** Only the settings that differ from the adapter's defaults are passed on, so the adapter's own checks apply. */
function izlySettings(config: ServeConfig): Partial<IzlyPayOptions> {
  return {
    ...(config.authorization === null ? {} : { authorization: config.authorization }),
    ...(config.contentType === null ? {} : { contentType: config.contentType }),
    ...(config.webhookRetryDelaysMs === null ? {} : { hookRetryDelaysMs: config.webhookRetryDelaysMs }),
    ...(config.callbacks === null ? {} : { callbacks: config.callbacks }),
  };
}

function widgetRoute(app: Hono, path: string, bundle: string): void {
  app.get(path, (c) =>
    c.body(bundle, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      // A module script from another origin is fetched in CORS mode; the bundle is public and sent without credentials.
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
    }),
  );
}

/**
 * Builds the service from checked settings. Throws `Error` when the adapter refuses an option.
 * @example
 * const { app, izly } = createServeApp(loadServeConfig(process.env), { store: await openStore(config.database), widgetBundle });
 */
export function createServeApp(config: ServeConfig, dependencies: ServeDependencies): ServeApp {
  const fetch = dependencies.fetch ?? ((request: Request) => globalThis.fetch(request));
  const logger = dependencies.logger ?? console;
  const clock = dependencies.clock ?? { now: () => Date.now(), setTimer: defaultTimer };
  const webhooks = new WebhookSender({
    url: config.webhookUrl,
    signingSecret: config.signingSecret,
    timeoutMs: config.webhookTimeoutMs,
    fetch,
    clock,
    logger,
    store: dependencies.store,
    notificationRetryDelaysMs: NOTIFICATION_RETRY_DELAYS_MS,
  });
  const izly = izlyPay({
    baseUrl: config.izlyBaseUrl,
    appIdentifier: config.appIdentifier,
    apiKey: config.apiKey,
    secret: config.callbackSecret,
    store: dependencies.store,
    allowedOrigins: config.allowedOrigins,
    order: orderCallout({ url: config.orderUrl, signingSecret: config.signingSecret, timeoutMs: config.calloutTimeoutMs, fetch, now: () => clock.now() }),
    ...webhooks.hooks(),
    ...izlySettings(config),
    fetch,
    logger,
    clock,
  });

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  if (config.cors) app.use(`${config.basePath}/*`, corsForOrigins(config.allowedOrigins));
  if (dependencies.widgetBundle !== null) widgetRoute(app, `${config.basePath}/izly-pay.js`, dependencies.widgetBundle);
  app.route(config.basePath, izly);
  if (config.backOfficeKey !== null) app.route('/api', backOffice(izly, config.backOfficeKey));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'There is no such route here' } }, 404));
  return { app, izly, webhooks };
}

function defaultTimer(ms: number, fire: () => void, { keepAlive = true }: { keepAlive?: boolean } = {}): () => void {
  const timer = setTimeout(fire, Math.max(0, ms));
  if (!keepAlive) timer.unref();
  return () => clearTimeout(timer);
}
