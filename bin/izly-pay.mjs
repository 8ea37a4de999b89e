#!/usr/bin/env node
// `npx izly-pay <command>`: the Node shell around the commands, which are runtime-neutral modules of the
// package (they take arguments, an environment and writers, and return an exit code). Runs the built module
// when the package has been built, else the TypeScript source through tsx (a development checkout).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Each command: the module (from the package root, without extension), its export, and a line of help. */
const COMMANDS = {
  doctor: {
    module: 'server-adapter/doctor/cli',
    run: 'doctorCommand',
    summary: 'checks a point of sale against Izly without moving money, and the callback URL',
  },
  serve: {
    module: 'server-adapter/serve/cli',
    run: 'serveCommand',
    summary: 'runs the adapter as a service for a site in any language (order callout, signed webhooks)',
  },
};

const USAGE = `Usage: izly-pay <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(8)}${summary}`)
  .join('\n')}

Run izly-pay <command> --help for its options.
`;

async function load(module) {
  const built = new URL(`../dist/${module}.js`, import.meta.url);
  if (existsSync(fileURLToPath(built))) return import(built.href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL(`../${module}.ts`, import.meta.url).href);
}

const [name, ...args] = process.argv.slice(2);
if (name === undefined || name === '--help' || name === '-h') {
  (name === undefined ? process.stderr : process.stdout).write(USAGE);
  process.exitCode = name === undefined ? 2 : 0;
} else if (!Object.hasOwn(COMMANDS, name)) {
  process.stderr.write(`izly-pay: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}. Run izly-pay --help.\n`);
  process.exitCode = 2;
} else {
  const command = COMMANDS[name];
  const module = await load(command.module);
  process.exitCode = await module[command.run](args, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  });
}
