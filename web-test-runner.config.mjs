// Browser tests: real Debian Chromium, TypeScript compiled on the fly by esbuild.
// The test server also mounts the real adapter (`izlyPay()`, under /izly) and the real Izly sandbox
// (`createSandbox()`, under /sandbox-izly) on its own origin, so the widget's tests talk to both for real.
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { tsImport } from 'tsx/esm/api';
import { totalsReporter } from './test/totals-reporter.mjs';
import { faultProxy } from './test/browser/fault-proxy.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

/** Hono apps keyed by the path prefix they answer; filled once the server knows its own origin. */
const mounts = [];

/** Answers a Koa request with a Web-standard `fetch(request)` handler, bypassing Koa's caching middleware. */
async function answerWith(handler, ctx, url) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  const aborted = new AbortController();
  ctx.res.on('close', () => aborted.abort());
  const request = new Request(url, {
    method: ctx.method,
    headers: Object.entries(ctx.req.headers).flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => [name, v]) : [[name, value ?? '']])),
    body: ['GET', 'HEAD'].includes(ctx.method) ? undefined : Buffer.concat(chunks),
    signal: aborted.signal,
  });
  return handler(request);
}

async function send(ctx, response) {
  ctx.respond = false;
  const body = Buffer.from(await response.arrayBuffer());
  ctx.res.writeHead(response.status, Object.fromEntries(response.headers));
  ctx.res.end(body);
}

/** Mounts the real adapter and sandbox once the test server's origin is known. */
function izlyServers() {
  return {
    name: 'izly-servers',
    async serverStart({ config }) {
      const origin = `http://${config.hostname ?? 'localhost'}:${config.port}`;
      const { mountIzly } = await tsImport('./test/browser/izly-servers.ts', import.meta.url);
      mounts.push(...(await mountIzly(origin)));
    },
  };
}

const proxy = faultProxy((request) => {
  const mount = mounts.find((m) => new URL(request.url).pathname.startsWith(m.prefix));
  return mount ? mount.fetch(request) : new Response('no such mount', { status: 404 });
});

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        args: ['--headless=new', ...CHROMIUM_ARGS],
      },
    }),
  ],
  middleware: [
    async (ctx, next) => {
      const url = new URL(ctx.url, `http://${ctx.host}`);
      if (url.pathname.startsWith('/test-proxy/')) return proxy.handle(ctx, url, answerWith, send);
      const mount = mounts.find((m) => url.pathname.startsWith(m.prefix));
      if (!mount) {
        // The test shop runs under a strict CSP, as a careful partner's page would.
        if (url.pathname.startsWith('/test/browser/fixtures/')) ctx.set('Content-Security-Policy', "default-src 'self'");
        return next();
      }
      return send(ctx, await answerWith(mount.fetch, ctx, url.href));
    },
  ],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), izlyServers()],
  reporters: [defaultReporter(), totalsReporter('browser')],
  testFramework: { config: { timeout: 20000 } },
};
