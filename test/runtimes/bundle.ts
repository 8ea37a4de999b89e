// Bundles an example server (or a sandbox server) for one runtime with esbuild, straight from the sources:
// `izly-pay/...` imports resolve through the package's own `exports`, each built file mapped back to its
// TypeScript source, so a run needs no `npm run build` and tests the code as it is in the checkout.
import { build, type Plugin } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Under test/runtimes/node_modules, so the bundles sit outside lint and git and still find the project's node_modules. */
const OUT_DIR = join(ROOT, 'test/runtimes/node_modules/.cache/izly-pay-matrix');

export type Platform = 'node' | 'bun' | 'deno' | 'workerd';

/** `izly-pay/server/sqlite` → `<root>/server-adapter/sqlite.ts`, from package.json's `exports`. */
function sourceOf(specifier: string): string | null {
  const { exports } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { import?: string }> };
  const entry = exports[`.${specifier.slice('izly-pay'.length)}`];
  const built = typeof entry === 'string' ? entry : entry?.import;
  if (!built?.startsWith('./dist/')) return null;
  return join(ROOT, built.slice('./dist/'.length).replace(/\.js$/, '.ts'));
}

const packageFromSources: Plugin = {
  name: 'izly-pay-from-sources',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^izly-pay(\/|$)/ }, (args) => {
      const path = sourceOf(args.path);
      return path ? { path } : { errors: [{ text: `${args.path} is not an entry of package.json's exports` }] };
    });
  },
};

/** Bundles `entry` (relative to the repository) for `platform`; returns the bundle's path. */
export async function bundle(entry: string, platform: Platform, name: string): Promise<string> {
  mkdirSync(OUT_DIR, { recursive: true });
  const outfile = join(OUT_DIR, `${name}.mjs`);
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    logLevel: 'error',
    plugins: [packageFromSources],
    ...(platform === 'workerd'
      ? { platform: 'browser', conditions: ['workerd', 'worker', 'browser'], external: ['cloudflare:*', 'node:*'] }
      : { platform: 'node', external: ['better-sqlite3', 'pg', 'bun:*', 'node:*'] }),
  });
  return outfile;
}
