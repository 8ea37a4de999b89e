// The widget on a server (server-side rendering, a test runner without a DOM). What the README
// promises: `izly-pay`, `izly-pay/pay-button` and `izly-pay/connect-button` (the library build, and the
// sources it is built from) import in Node with no DOM and no `window`: Lit's Node build brings a minimal
// shim of `HTMLElement` and `customElements`, in whose registry the elements are defined; nothing renders
// until a browser upgrades the tags. The single-file bundles (`dist/izly-pay-button.js`...) are for
// browsers: they stop at the first DOM global.
// Each import runs in a fresh Node process, so that one import's globals cannot help the next.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface ImportReport {
  ok: boolean;
  error?: { name: string; message: string };
  /** `typeof window` / `typeof document` before and after the import. */
  windowBefore: string;
  windowAfter: string;
  documentAfter: string;
  exports: string[];
  /** For each tag, whether `customElements` knows it after the import (false when there is no registry at all). */
  registered: Record<string, boolean>;
}

/** Imports `specifier` in a new Node process (with tsx when `typescript`) and reports what happened. */
async function importInFreshNode(specifier: string, typescript = false): Promise<ImportReport> {
  const script = `
    const windowBefore = typeof window;
    const report = { windowBefore, exports: [], registered: {} };
    try {
      const module = await import(${JSON.stringify(specifier)});
      report.ok = true;
      report.exports = Object.keys(module).sort();
    } catch (error) {
      report.ok = false;
      report.error = { name: error.name, message: error.message };
    }
    report.windowAfter = typeof window;
    report.documentAfter = typeof document;
    for (const tag of ['izly-pay-button', 'izly-connect-button']) {
      report.registered[tag] = typeof customElements !== 'undefined' && customElements.get(tag) !== undefined;
    }
    process.stdout.write(JSON.stringify(report));
  `;
  const args = [...(typescript ? ['--import', 'tsx'] : []), '--input-type=module', '--eval', script];
  const { stdout } = await run(process.execPath, args, { cwd: process.cwd() });
  return JSON.parse(stdout) as ImportReport;
}

function assertImportedWithoutDom(report: ImportReport, tags: string[]): void {
  assert.equal(report.error, undefined, `import failed: ${report.error?.name}: ${report.error?.message}`);
  assert.equal(report.ok, true);
  assert.equal(report.windowBefore, 'undefined');
  assert.equal(report.windowAfter, 'undefined', 'the import must not create a window');
  assert.equal(report.documentAfter, 'undefined', 'the import must not create a document');
  for (const tag of tags) assert.equal(report.registered[tag], true, `${tag} is defined in Lit's server registry`);
}

function requireBuild(file: string): void {
  assert.ok(existsSync(file), `${file} is missing: run \`npm run build\` first (npm test does)`);
}

test('the sources: widget/index.ts imports without a DOM and defines both elements', async () => {
  const report = await importInFreshNode('./widget/index.ts', true);
  assertImportedWithoutDom(report, ['izly-pay-button', 'izly-connect-button']);
  for (const name of ['IzlyPayButton', 'IzlyConnectButton', 'AdapterClient', 'IzlyPaySuccessEvent', 'IzlyConnectSuccessEvent']) {
    assert.ok(report.exports.includes(name), `exports ${name}`);
  }
});

test("the library build through the package's own exports: izly-pay", async () => {
  requireBuild('dist/widget/index.js');
  const report = await importInFreshNode('izly-pay');
  assertImportedWithoutDom(report, ['izly-pay-button', 'izly-connect-button']);
  assert.ok(report.exports.includes('IzlyPayButton') && report.exports.includes('IzlyConnectButton'));
});

test('one element only: izly-pay/pay-button and izly-pay/connect-button define their own tag', async () => {
  requireBuild('dist/widget/pay-button/pay-button.js');
  requireBuild('dist/widget/connect-button/connect-button.js');
  const pay = await importInFreshNode('izly-pay/pay-button');
  assertImportedWithoutDom(pay, ['izly-pay-button']);
  assert.equal(pay.registered['izly-connect-button'], false);
  const connect = await importInFreshNode('izly-pay/connect-button');
  assertImportedWithoutDom(connect, ['izly-connect-button']);
  assert.equal(connect.registered['izly-pay-button'], false);
});

test('the single-file bundles are for browsers: in Node they stop at the first DOM global', async () => {
  for (const file of ['izly-pay-button.js', 'izly-connect-button.js', 'izly-pay.js']) {
    requireBuild(`dist/${file}`);
    const report = await importInFreshNode(`izly-pay/${file}`);
    assert.equal(report.ok, false, `${file} is not expected to load without a DOM`);
    assert.equal(report.error?.name, 'ReferenceError', `${file}: ${report.error?.message}`);
    assert.match(report.error!.message, /^(HTMLElement|document|window) is not defined$/);
    assert.equal(report.windowAfter, 'undefined');
  }
});
