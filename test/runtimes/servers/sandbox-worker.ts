// The sandbox as a Worker, for the runtime matrix. Its callbacks are sent after the student's page has been
// answered: handed to `waitUntil`, or workerd would drop them with the request.
import type { Sandbox } from '../../../sandbox/index.js';
import { matrixSandbox, type SandboxSettings } from './sandbox-app.js';

// Built on the first request: workerd refuses timers and random values at module scope.
let sandbox: Sandbox | undefined;

export default {
  async fetch(request: Request, env: SandboxSettings, ctx: { waitUntil(promise: Promise<unknown>): void }): Promise<Response> {
    sandbox ??= matrixSandbox(env);
    const response = await sandbox.fetch(request);
    ctx.waitUntil(sandbox.control.settled());
    return response;
  },
};
