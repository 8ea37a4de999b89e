// The sandbox on Deno, for the runtime matrix. `Deno` is read from globalThis with the little of its type
// used here, so that the project's type check (Node's types) neither needs Deno's nor lets other code use them.
import { matrixSandbox } from './sandbox-app.js';

interface DenoRuntime {
  env: { toObject(): Record<string, string> };
  serve(
    options: { hostname: string; port: number; onListen(address: { hostname: string; port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
}

const { Deno } = globalThis as unknown as { Deno: DenoRuntime };
const settings = Deno.env.toObject();
const sandbox = matrixSandbox(settings);
Deno.serve(
  { hostname: '127.0.0.1', port: Number(settings.PORT), onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`) },
  (request) => sandbox.fetch(request),
);
