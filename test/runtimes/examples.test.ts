// The example servers of examples/ (the code the README quotes and the runtime matrix runs) type-check
// strictly, with `izly-pay/...` mapped to the sources: a renamed option or export breaks this test, not a
// partner's first build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './bundle.js';

test('the examples type-check (tsc -p examples/tsconfig.json)', () => {
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'examples/tsconfig.json'), '--noEmit'], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});

// The README quotes each example whole, after a marker line `<!-- example: examples/bun/server.ts -->`: what a
// partner copies is what the matrix runs.
const QUOTED = ['examples/node/server.ts', 'examples/bun/server.ts', 'examples/deno/server.ts', 'examples/workers/worker.ts', 'examples/workers/wrangler.toml'];

test('the README quotes every example as it is in examples/', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const file of QUOTED) {
    const quote = new RegExp(`<!-- example: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\`\\n`).exec(readme);
    assert.ok(quote, `README.md has no block after <!-- example: ${file} -->`);
    assert.equal(quote[1], readFileSync(join(ROOT, file), 'utf8'), `README.md quotes ${file} otherwise than the file is`);
  }
});
