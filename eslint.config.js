// `npm run lint` (and a step of `npm test`): typescript-eslint's recommended rules everywhere, the Lit and
// web-components rules on the widget, and the two type-aware rules worth their cost in a codebase of async
// flows (a promise neither awaited nor handled, a promise passed where a callback's result is ignored).
// Formatting is Prettier's job (`npm run format`), so no rule here is about layout.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', '.test-results/', 'demo/data/', 'custom-elements.json'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A `let` declared before the closures that read it and assigned once they exist (a server that must
      // listen before the app that answers it can be built) is not a `const` in waiting.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // French typography: the no-break spaces before « : ; ? » and inside prices are meant.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipJSXText: true, skipComments: true }],
      // `_name` says "unused on purpose" (an interface's parameter, a destructured field left out).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's `test()` and `describe()` return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
  {
    files: ['widget/**/*.ts'],
    extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended']],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The scripts that drive Chromium hand functions to `page.evaluate()`, which run in the page.
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['demo/assets/**/*.js', 'test/browser/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.mocha } },
  },
  {
    files: ['test/browser/**/*.ts'],
    rules: {
      // @open-wc/semantic-dom-diff types every chai `equal` as a promise (its `.dom.equal` is async), so a plain
      // `expect(a).to.equal(b)` would read as floating; the tests do not use the DOM diff.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'chai', name: ['equal', 'equals', 'eq', 'Equal'] }] },
      ],
    },
  },
);
