// The little of Bun's and Deno's globals the examples use, for this repository's type check only. In your
// project: `bun add -d @types/bun` on Bun; Deno knows its own; Workers: `npm i -D @cloudflare/workers-types`.
declare namespace Bun {
  const env: Record<string, string | undefined>;
  function serve(options: { fetch: (request: Request) => Response | Promise<Response>; hostname?: string; port?: number; idleTimeout?: number }): {
    url: URL;
    stop(closeActiveConnections?: boolean): Promise<void>;
  };
}

declare namespace Deno {
  const env: { get(name: string): string | undefined };
  function serve(
    options: { hostname?: string; port?: number; onListen?: (address: { hostname: string; port: number }) => void },
    handler: (request: Request, info: { remoteAddr: { hostname: string; port: number } }) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  function addSignalListener(signal: 'SIGTERM' | 'SIGINT', handler: () => void): void;
}
