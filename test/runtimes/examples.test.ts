// The example servers of examples/ (the code the README quotes and the runtime matrix runs) type-check
// strictly, with `izly-pay/...` mapped to the sources: a renamed option or export breaks this test, not a
// partner's first build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './bundle.js';

test('the examples type-check (tsc -p examples/tsconfig.json)', () => {
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'examples/tsconfig.json'), '--noEmit'], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});
