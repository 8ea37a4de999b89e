// createSandbox(): a local Izly that speaks the partner contract (../shared/izly-partner-api.md), as one
// Hono app with a `control` property. Web-standard only, so it runs on Node, Bun, Deno or Workers.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getPath } from 'hono/utils/url';
import { CallbackDispatcher } from './callbacks.js';
import { resolveConfig, type SandboxOptions } from './config.js';
import { createControl, type SandboxControl } from './control.js';
import { controlApiRoutes } from './control-api.js';
import { FaultInjector } from './faults.js';
import { homePageRoutes } from './home-page.js';
import { izlyConnectRoutes } from './connect-api.js';
import { pageAssetsRoutes } from './page-assets.js';
import { paymentPageRoutes } from './payment-page.js';
import { partnerError } from './partner-errors.js';
import { SandboxState } from './sandbox-state.js';
import { webPaymentsRoutes } from './payment-api.js';

export type { Account, CallbackAmountFormat, PointOfSale, SandboxOptions } from './config.js';
export { DEFAULT_ACCOUNTS, DEFAULT_PASSWORD, DEFAULT_POINT_OF_SALE } from './config.js';
export type { CallbackAttempt, CallbackBody } from './callbacks.js';
export type { SandboxControl } from './control.js';
export type { FaultRoute, Faults } from './faults.js';
export type { IzlyBehaviour, IzlyBehaviourInput, IzlyPreset, IzlySwitchName } from './izly-behaviour.js';
export { IZLY_SWITCHES } from './izly-behaviour.js';
export type { SandboxMinimalUserAnswer, SandboxProfileUserAnswer, SandboxUserAnswer } from './connect-api.js';
export type { ValidationOutcome } from './payment-decision.js';
export type { Operation, OperationStatus } from './sandbox-state.js';
export { PARTNER_ERRORS, REFUSAL_ERRORS } from './partner-errors.js';

/** The largest request body the sandbox reads, in bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/** The sandbox: a Hono app (`fetch`, `request`) plus its controls. */
export type Sandbox = Hono & { control: SandboxControl };

/**
 * The path the sandbox's routes see: without the path of `publicUrl` when the request carries it (mounted
 * with `app.route()`, or behind a proxy that keeps the prefix), and with Izly's API paths in lower case,
 * since they are matched without regard to case as ASP.NET does (the document itself writes both
 * `/api/Izly/WebPayments` and `/api/izly/users`); the routes are declared in lower case.
 */
function sandboxPath(request: Request, basePath: string): string {
  let path = getPath(request);
  if (basePath !== '' && (path === basePath || path.startsWith(`${basePath}/`))) path = path.slice(basePath.length) || '/';
  return /^\/(api|oauth)\//i.test(path) ? path.toLowerCase() : path;
}

/**
 * Creates a sandbox. Throws `Error` on bad options.
 * @example
 * const sandbox = createSandbox({ publicUrl: 'http://127.0.0.1:8790', callbackRetryDelayMs: 20 });
 * serve({ fetch: sandbox.fetch, port: 8790 });
 * @example
 * // Under a prefix of the partner's own app: publicUrl says where.
 * app.route('/izly-sandbox', createSandbox({ publicUrl: 'http://localhost:8787/izly-sandbox' }));
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const state = new SandboxState(resolveConfig(options));
  const faults = new FaultInjector();
  const callbacks = new CallbackDispatcher(state, faults);
  const services = { state, callbacks, faults };
  const control = createControl(services);

  const routes = new Hono({ getPath: (request) => sandboxPath(request, state.config.basePath) });
  // No request of the contract, a page form or the control API comes near 64 KiB; a bigger body is refused
  // before it is read, in Izly's error shape on its API and in the sandbox's own elsewhere.
  routes.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        /^\/(api|oauth)\//.test(c.req.path)
          ? partnerError(state.izly.errorCodes, 'payloadTooLarge')
          : c.json({ error: { code: 'payload_too_large', message: 'request bodies are limited to 64 KiB' } }, 413),
    }),
  );
  routes.route('/', pageAssetsRoutes());
  routes.route('/', webPaymentsRoutes(services));
  routes.route('/', paymentPageRoutes(services));
  routes.route('/', izlyConnectRoutes(services));
  routes.route('/', controlApiRoutes(control, state.config));
  routes.route('/', homePageRoutes(control, state.config));
  // One catch-all route: a parent app's `route()` copies it, so every request still reaches the sandbox's
  // own router and its `getPath` (which a parent would otherwise replace with its own, case-sensitive).
  const app = new Hono();
  app.all('*', (c) => routes.fetch(c.req.raw));
  return Object.assign(app, { control });
}
