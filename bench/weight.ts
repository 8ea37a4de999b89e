// 1. Weight: min+gzip bytes of every distributed file, beside a minimal Lit element bundled the same way
// (the baseline of `npm run size`: scripts/size-baseline.mjs, Lit's production build, terser).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terserModule from '@rollup/plugin-terser';
import { rollup, type Plugin } from 'rollup';
import { figure, type BenchResult } from './report.js';

// The plugin's types describe a CommonJS module (`{ default: terser }`); loaded as ESM its default export is
// the function itself. Either way, this is the function.
const terser: typeof terserModule.default = typeof terserModule === 'function' ? terserModule : terserModule.default;

const BUTTON = 'dist/izly-pay-button.js';
const BUTTON_BUDGET = 10 * 1024;

const gzipped = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((file) => join(dir, String(file)))
    .filter((file) => statSync(file).isFile() && file.endsWith(extension))
    .sort();
}

/** True when the bundle is missing or older than a widget source (the demo's own rule). */
function bundleIsStale(): boolean {
  if (!existsSync(BUTTON)) return true;
  const built = statSync(BUTTON).mtimeMs;
  return filesUnder('widget', '.ts').some((file) => statSync(file).mtimeMs > built);
}

/** Runs the project's build (rollup.config.mjs) when asked to, or when the bundle is stale. */
export function buildWidget(always: boolean): { built: boolean } {
  if (!always && !bundleIsStale()) return { built: false };
  const build = spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'], {
    stdio: 'inherit',
    timeout: 180_000,
  });
  if (build.status !== 0) throw new Error('the widget build failed (npm run build)');
  return { built: true };
}

async function minimalLitElement(): Promise<Buffer> {
  // The same baseline module as `npm run size`, so that both print the same figure.
  const { default: baselineModule } = (await import(pathToFileURL('scripts/size-baseline.mjs').href)) as { default: () => Plugin };
  const bundle = await rollup({ input: 'baseline', plugins: [baselineModule(), nodeResolve({ browser: true, exportConditions: ['production'] })] });
  try {
    const { output } = await bundle.generate({
      format: 'es',
      plugins: [terser({ module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } })],
    });
    return Buffer.from(output[0].code);
  } finally {
    await bundle.close();
  }
}

export async function weight(options: { alwaysBuild: boolean }): Promise<BenchResult> {
  const { built } = buildWidget(options.alwaysBuild);
  const baseline = { label: 'minimal Lit element', value: gzipped(await minimalLitElement()) };
  // What reaches the partner's page: the bundles (dist/*.js) and the library modules (dist/widget/), one row
  // each. Server-side folders that a build may also put in dist/ never reach a browser: one total row each.
  const browserFiles = filesUnder('dist', '.js').filter((file) => !file.slice('dist/'.length).includes('/') || file.startsWith(join('dist', 'widget')));
  const serverFolders = readdirSync('dist', { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'widget' && filesUnder(join('dist', entry.name), '.js').length > 0)
    .map((entry) => entry.name);
  const figures = browserFiles.map((file) => {
    const value = gzipped(readFileSync(file));
    const name = file.replaceAll('\\', '/');
    return figure({
      id: `weight.${name.replace(/^dist\//, '')}`,
      group: '1. Weight',
      label: name,
      value,
      unit: 'B',
      baseline,
      ...(name === BUTTON ? { goal: { text: '≤ 10 KB', met: value <= BUTTON_BUDGET } } : {}),
    });
  });
  for (const folder of serverFolders) {
    const files = filesUnder(join('dist', folder), '.js');
    figures.push(
      figure({
        id: `weight.${folder}/`,
        group: '1. Weight',
        label: `dist/${folder}/ (${files.length} files, server side, never sent to a browser)`,
        value: files.reduce((total, file) => total + gzipped(readFileSync(file)), 0),
        unit: 'B',
        baseline,
      }),
    );
  }
  if (!figures.some((f) => f.id === 'weight.izly-pay-button.js')) throw new Error(`${BUTTON} is missing after the build`);
  return {
    figures,
    notes: [
      `gzip level 9 of each file as distributed (${built ? 'built by this run' : 'build already up to date'}: rollup.config.mjs — Lit production build, esbuild, terser); dist/widget/ is the library for bundlers (one module per source file, Lit external, not minified: gzip only)`,
      'baseline: scripts/size-baseline.mjs (a Lit element with styles, one property and a template) bundled with Lit and terser, as `npm run size` does',
    ],
  };
}
