// Three builds of the widget:
// - dist/izly-pay-button.js, dist/izly-connect-button.js and dist/izly-pay.js: single-file ES modules with Lit
//   inside, minified, for a plain <script type="module"> (one element each, or every element);
// - dist/widget/: the library for bundler users, one module per source file, Lit left external so that
//   the partner's bundle shares one copy. Its type declarations come from `tsc -p widget/tsconfig.build.json`,
//   which takes the browser contract's (contract/) from dist/contract/: this config builds those first.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

/**
 * Minifies the CSS in `css\`...\`` templates of `*.styles.ts` files (they hold no `${}`): comments out,
 * whitespace collapsed. Lit ships template text as written, and terser leaves strings alone.
 */
const minifyStyles = () => ({
  name: 'minify-styles',
  transform(code, id) {
    if (!id.endsWith('.styles.ts')) return null;
    return {
      code: code.replace(
        /\bcss`([^`]*)`/g,
        (_, text) =>
          `css\`${text
            .replace(/\/\*[\s\S]*?\*\//g, '')
            .replace(/\s+/g, ' ')
            .replace(/\s*([{};,>])\s*/g, '$1')
            .replace(/:\s+/g, ':')
            .replace(/;}/g, '}')
            .replace(/@media \(/g, '@media(')
            .replace(/ \/ /g, '/')
            .replace(/([\s:(,-])0\.(\d)/g, '$1.$2')
            .trim()}\``,
      ),
      map: null,
    };
  },
});

/**
 * Writes the browser contract's declarations to dist/contract/ before the library build: the widget's
 * declaration step (next in `npm run build`) reads them through its project reference, and fails without
 * them. `--composite false`: a full emit every time, with no build-info file to believe a deleted dist/
 * is still up to date.
 */
const contractDeclarations = () => ({
  name: 'contract-declarations',
  buildStart() {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', 'contract/tsconfig.json', '--composite', 'false'], { stdio: 'inherit' });
  },
});

const typescript = (minifySyntax = false) => esbuild({ target: 'es2022', tsconfig: 'tsconfig.json', minifySyntax });

/** Lit's production build (no dev-mode warnings or checks), browser flavour. */
const resolveProduction = () => nodeResolve({ browser: true, exportConditions: ['production'] });

const standalone = (input, file) => ({
  input,
  output: { file, format: 'es', sourcemap: true },
  // The single files are weighed (the pay button's budget): esbuild's syntax pass before terser's, and unused
  // parameters dropped (nothing here reads a function's `length`), a few bytes each.
  plugins: [
    resolveProduction(),
    minifyStyles(),
    typescript(true),
    terser({ module: true, ecma: 2020, compress: { passes: 2, keep_fargs: false }, format: { comments: false } }),
  ],
});

export default [
  standalone('widget/pay-button/pay-button.ts', 'dist/izly-pay-button.js'),
  standalone('widget/connect-button/connect-button.ts', 'dist/izly-connect-button.js'),
  standalone('widget/index.ts', 'dist/izly-pay.js'),
  {
    input: ['widget/index.ts', 'widget/pay-button/pay-button.ts', 'widget/connect-button/connect-button.ts'],
    external: (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/'),
    output: { dir: 'dist/widget', format: 'es', preserveModules: true, preserveModulesRoot: 'widget', sourcemap: true },
    plugins: [contractDeclarations(), typescript()],
  },
];
