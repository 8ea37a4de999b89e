// The pay button's single file stays within its weight budget: at most 10 KB, read as 10,240 bytes, min+gzip
// as `npm run size` measures it (gzip level 9 of the built, minified file). `npm test` builds before the
// server tests; the file of both elements is printed beside it, for the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '../../..');
/** The same figure as scripts/size.mjs's, which prints it. */
const BUDGET = 10_240;

function minGzip(file: string): number {
  const path = join(root, 'dist', file);
  assert.ok(existsSync(path), `dist/${file} is missing: run \`npm run build\` first (npm test does)`);
  return gzipSync(readFileSync(path), { level: 9 }).length;
}

const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;

test(`dist/izly-pay-button.js is at most ${bytes(BUDGET)} min+gzip`, (t) => {
  const size = minGzip('izly-pay-button.js');
  t.diagnostic(`dist/izly-pay-button.js: ${bytes(size)} min+gzip, ${bytes(BUDGET - size)} under the budget`);
  assert.ok(size <= BUDGET, `dist/izly-pay-button.js is ${bytes(size)} min+gzip, over its budget of ${bytes(BUDGET)}`);
});

test('dist/izly-pay.js (both elements) is built, and its size printed', (t) => {
  const size = minGzip('izly-pay.js');
  t.diagnostic(`dist/izly-pay.js: ${bytes(size)} min+gzip`);
  assert.ok(size > 0);
});
