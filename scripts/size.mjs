#!/usr/bin/env node
// `npm run size`: the minified + gzipped size of every distributed file, and of a minimal Lit element built
// the same way (Lit's production build, esbuild, terser) as a baseline; then the single-file bundles in
// bytes, the pay button against its budget. Prints; never fails on a figure.
// Run `npm run build` first.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import virtual from './size-baseline.mjs';

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((file) => join(dir, String(file)))
    .filter((file) => statSync(file).isFile() && file.endsWith('.js'))
    .sort();
}

async function baseline() {
  const bundle = await rollup({
    input: 'baseline',
    plugins: [virtual(), nodeResolve({ browser: true, exportConditions: ['production'] })],
  });
  const { output } = await bundle.generate({
    format: 'es',
    plugins: [terser({ module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } })],
  });
  await bundle.close();
  return Buffer.from(output[0].code);
}

const rows = [];
for (const file of filesUnder('dist')) {
  const bytes = readFileSync(file);
  rows.push([relative('.', file), bytes.length, gz(bytes)]);
}
const base = await baseline();
rows.push(['(baseline: a minimal Lit element)', base.length, gz(base)]);

const width = Math.max(...rows.map(([name]) => name.length));
console.log(`${'file'.padEnd(width)}  ${'min'.padStart(10)}  ${'min+gzip'.padStart(10)}`);
for (const [name, min, gzip] of rows) console.log(`${name.padEnd(width)}  ${kb(min).padStart(10)}  ${kb(gzip).padStart(10)}`);
/** The pay button's single file: at most 10 KB, read as 10,240 bytes (test/server/widget/bundle-size.test.ts holds it). */
const BUDGET = 10_240;
const bytes = (n) => `${n.toLocaleString('en-US')} bytes`;
console.log('');
for (const [file, tag] of [
  ['izly-pay-button.js', '<izly-pay-button>'],
  ['izly-connect-button.js', '<izly-connect-button>'],
  ['izly-pay.js', 'both elements'],
]) {
  const row = rows.find(([name]) => name === join('dist', file));
  if (!row) continue;
  const budget = file === 'izly-pay-button.js' ? ` (budget ${bytes(BUDGET)}: ${row[2] <= BUDGET ? 'within' : 'OVER'})` : '';
  console.log(`${tag} single file: ${bytes(row[2])} min+gzip${budget}, ${bytes(row[2] - gz(base))} over bare Lit.`);
}
