// The controls of `sandbox.control` over HTTP, as JSON under /sandbox/api/, for out-of-process users (e2e
// tests, the CLI, partners in any language). Errors: `{ "error": { "code", "message" } }`. Every route is behind
// `controlAccess` (Host, Origin, token, JSON writes: see control-access.ts).
import { Hono } from 'hono';
import type { SandboxConfig } from './config.js';
import { controlAccess, isLoopbackHost } from './control-access.js';
import type { SandboxControl } from './control.js';
import type { IzlyBehaviourInput } from './izly-behaviour.js';

function controlError(status: 400 | 404, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}

/** Runs a control change; a thrown `Error` (unknown record, bad field) becomes a 400 or 404 answer. */
function attempt(change: () => unknown): Response {
  try {
    return Response.json(change() ?? null);
  } catch (error) {
    const message = (error as Error).message;
    return message.startsWith('unknown ') ? controlError(404, 'not_found', message) : controlError(400, 'invalid_request', message);
  }
}

/**
 * Where the control API may send a point of sale's callbacks: this machine, the host of `publicUrl` or one of
 * `callbackHosts`, so that a stolen token cannot turn the sandbox into a client of any server.
 */
function callbackHostRefusal(changes: unknown, config: SandboxConfig): Response | undefined {
  const callbackUrl = (changes as { callbackUrl?: unknown } | null)?.callbackUrl;
  if (typeof callbackUrl !== 'string' || !URL.canParse(callbackUrl)) return undefined; // control.updatePointOfSale names the bad value
  const { hostname } = new URL(callbackUrl);
  if (isLoopbackHost(hostname) || hostname === new URL(config.publicUrl).hostname || config.callbackHosts.includes(hostname)) return undefined;
  return controlError(400, 'callback_host_not_allowed', `callbackUrl: "${hostname}" is neither this machine, the host of publicUrl nor in callbackHosts`);
}

export function controlApiRoutes(control: SandboxControl, config: SandboxConfig) {
  const app = new Hono().basePath('/sandbox/api');
  app.use('*', controlAccess(config));

  app.get('/state', (c) =>
    c.json({
      pointsOfSale: control.pointsOfSale(),
      accounts: control.accounts(),
      operations: control.operations(),
      callbackLog: control.callbackLog(),
      faults: control.faults(),
      izly: control.izly(),
    }),
  );

  app.get('/points-of-sale', (c) => c.json(control.pointsOfSale()));
  app.get('/points-of-sale/:appIdentifier', (c) => {
    const pos = control.pointOfSale(c.req.param('appIdentifier'));
    return pos ? c.json(pos) : controlError(404, 'not_found', 'unknown point of sale');
  });
  app.patch('/points-of-sale/:appIdentifier', async (c) => {
    const changes = await jsonBody(c.req.raw);
    const refused = callbackHostRefusal(changes, config);
    if (refused) return refused;
    return attempt(() => control.updatePointOfSale(c.req.param('appIdentifier'), changes as Record<string, never>));
  });

  app.get('/accounts', (c) => c.json(control.accounts()));
  app.get('/accounts/:identifier', (c) => {
    const account = control.account(c.req.param('identifier'));
    return account ? c.json(account) : controlError(404, 'not_found', 'unknown account');
  });
  app.patch('/accounts/:email', async (c) => {
    const changes = await jsonBody(c.req.raw);
    return attempt(() => control.updateAccount(c.req.param('email'), changes as Record<string, never>));
  });

  app.get('/operations', (c) => c.json(control.operations()));
  app.get('/operations/:id', (c) => {
    const operation = /^\d+$/.test(c.req.param('id')) ? control.operation(Number(c.req.param('id'))) : undefined;
    return operation ? c.json(operation) : controlError(404, 'not_found', 'unknown operation');
  });
  // For benchmarks and scripts that need payments decided without a browser; flow tests use the page.
  app.post('/operations/:id/authorize', async (c) => {
    const body = await jsonBody(c.req.raw);
    const { identifier, password } = (body ?? {}) as { identifier?: unknown; password?: unknown };
    if (typeof identifier !== 'string' || typeof password !== 'string') {
      return controlError(400, 'invalid_request', 'expected { "identifier": string, "password": string }');
    }
    return attempt(() => control.authorize(Number(c.req.param('id')), { identifier, password }));
  });

  app.get('/callbacks', (c) => c.json(control.callbackLog()));
  /** Answers once every scheduled callback delivery and retry is done. */
  app.get('/callbacks/settled', async (c) => {
    await control.settled();
    return c.json(control.callbackLog());
  });

  app.get('/faults', (c) => c.json(control.faults()));
  app.put('/faults', async (c) => {
    const faults = await jsonBody(c.req.raw);
    return attempt(() => {
      control.setFaults(faults as Record<string, never>);
      return control.faults();
    });
  });
  app.delete('/faults', (c) => {
    control.clearFaults();
    return c.json(control.faults());
  });

  // Which plausible Izly the sandbox is: PATCH changes some switches (or applies a preset such as
  // `"lenient"`), DELETE goes back to every default (the strictest values). An unknown switch or a bad value
  // answers 400 and changes nothing.
  app.get('/izly', (c) => c.json(control.izly()));
  app.patch('/izly', async (c) => {
    const changes = await jsonBody(c.req.raw);
    // The cast only names the type: updateIzly checks every key and value itself.
    return attempt(() => control.updateIzly(changes as IzlyBehaviourInput));
  });
  app.delete('/izly', (c) => c.json(control.updateIzly('default')));

  return app;
}
