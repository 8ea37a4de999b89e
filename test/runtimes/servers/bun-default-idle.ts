// Bun.serve() with its defaults, answering a request only after 20 s of silence: the runtime matrix checks
// that Bun still cuts such a request (its 10 s `idleTimeout`), the quirk the Bun example's `idleTimeout: 60`
// is there for. If Bun's default changes, this test says the README's warning is out of date.
interface BunRuntime {
  env: Record<string, string | undefined>;
  serve(options: { fetch: (request: Request) => Promise<Response>; hostname: string; port: number }): { url: URL };
}

const { Bun } = globalThis as unknown as { Bun: BunRuntime };
const server = Bun.serve({
  fetch: () => new Promise((resolve) => setTimeout(() => resolve(new Response('answered after 20 s')), 20_000)),
  hostname: '127.0.0.1',
  port: Number(Bun.env.PORT),
});
console.log(`listening on ${server.url.origin}`);
