// createSandbox(): a local Izly that speaks the partner contract (../shared/izly-partner-api.md), as one
// Hono app with a `control` property. Web-standard only, so it runs on Node, Bun, Deno or Workers.
import { Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import { CallbackDispatcher } from './callbacks.js';
import { resolveConfig, type SandboxOptions } from './config.js';
import { createControl, type SandboxControl } from './control.js';
import { controlApiRoutes } from './control-api.js';
import { FaultInjector } from './faults.js';
import { homePageRoutes } from './home-page.js';
import { izlyConnectRoutes } from './izly-connect.js';
import { pageAssetsRoutes } from './page-assets.js';
import { paymentPageRoutes } from './payment-page.js';
import { SandboxState } from './sandbox-state.js';
import { webPaymentsRoutes } from './web-payments.js';

export type { Account, CallbackAmountFormat, PointOfSale, SandboxOptions } from './config.js';
export { DEFAULT_ACCOUNTS, DEFAULT_PASSWORD, DEFAULT_POINT_OF_SALE } from './config.js';
export type { CallbackAttempt, CallbackBody } from './callbacks.js';
export type { SandboxControl } from './control.js';
export type { FaultRoute, Faults } from './faults.js';
export type { IzlyUser } from './izly-connect.js';
export type { ValidationOutcome } from './payment-decision.js';
export type { Operation, OperationStatus } from './sandbox-state.js';
export { PARTNER_ERRORS, REFUSAL_ERRORS } from './partner-errors.js';

/** The sandbox: a Hono app (`fetch`, `request`) plus its controls. */
export type Sandbox = Hono & { control: SandboxControl };

/** Izly's API paths are matched without regard to case, as ASP.NET does (the document itself writes both
 *  `/api/Izly/WebPayments` and `/api/izly/users`); the routes are declared in lower case. */
function caseInsensitiveApiPath(request: Request): string {
  const path = getPath(request);
  return /^\/(api|oauth)\//i.test(path) ? path.toLowerCase() : path;
}

/**
 * Creates a sandbox. Throws `Error` on bad options.
 * @example
 * const sandbox = createSandbox({ publicUrl: 'http://127.0.0.1:8790', callbackRetryDelayMs: 20 });
 * serve({ fetch: sandbox.fetch, port: 8790 });
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const state = new SandboxState(resolveConfig(options));
  const faults = new FaultInjector();
  const callbacks = new CallbackDispatcher(state, faults);
  const services = { state, callbacks, faults };
  const control = createControl(services);

  const app = new Hono({ getPath: caseInsensitiveApiPath });
  app.route('/', pageAssetsRoutes());
  app.route('/', webPaymentsRoutes(services));
  app.route('/', paymentPageRoutes(services));
  app.route('/', izlyConnectRoutes(services));
  app.route('/', controlApiRoutes(control));
  app.route('/', homePageRoutes(control, state.config.publicUrl));
  return Object.assign(app, { control });
}
