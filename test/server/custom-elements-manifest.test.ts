// custom-elements.json, which editors and framework tooling read, is generated from the widget's JSDoc and
// static properties by `npm run analyze`; regenerated here in memory, it must equal the committed file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '@custom-elements-manifest/analyzer/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('custom-elements.json is what `npm run analyze` generates from the widget as it is', async () => {
  const generated = await cli({ argv: ['analyze', '--litelement', '--quiet'], cwd: root, noWrite: true });
  const committed: unknown = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
  assert.deepEqual(JSON.parse(JSON.stringify(generated)), committed, 'custom-elements.json is stale: run `npm run analyze` and commit it');
});
