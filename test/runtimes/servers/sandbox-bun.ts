// The sandbox on Bun, for the runtime matrix. `Bun` is read from globalThis with the little of its type used
// here, so that the project's type check (Node's types) neither needs Bun's nor lets other code use them.
import { matrixSandbox } from './sandbox-app.js';

interface BunRuntime {
  env: Record<string, string | undefined>;
  serve(options: { fetch: (request: Request) => Response | Promise<Response>; hostname: string; port: number; idleTimeout: number }): { url: URL };
}

const { Bun } = globalThis as unknown as { Bun: BunRuntime };
const sandbox = matrixSandbox(Bun.env);
const server = Bun.serve({ fetch: (request) => sandbox.fetch(request), hostname: '127.0.0.1', port: Number(Bun.env.PORT), idleTimeout: 60 });
console.log(`listening on ${server.url.origin}`);
