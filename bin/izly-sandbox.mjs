#!/usr/bin/env node
// `npx izly-sandbox`: runs the built CLI when the package has been built, else the TypeScript source
// through tsx (a development checkout).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/sandbox/cli.js', import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../sandbox/cli.ts', import.meta.url).href);
}
