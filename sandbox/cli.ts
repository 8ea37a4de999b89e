// `npx izly-sandbox [--port 8790] [--host 127.0.0.1] [--config sandbox.json] [--public-url URL] [--lenient]
// [--control-token T] [--<switch> <value>...]`: serves the sandbox on Node for partners in any language and
// prints what they need to start, including which plausible Izly it is being and the control API's token.
// A bad setting or a port it cannot take stops it with one line that names the flag to change.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { formatEurosFrench } from './amounts.js';
import { createSandbox } from './index.js';
import { IZLY_SWITCH_NAMES, IZLY_SWITCHES, type IzlyBehaviourInput, type IzlySwitchName } from './izly-behaviour.js';

/** clientOrderIdReuse → client-order-id-reuse: one flag per switch. */
const flagOf = (name: IzlySwitchName) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

const SWITCH_USAGE = IZLY_SWITCH_NAMES.map((name) => {
  const { values, strictest, lenient } = IZLY_SWITCHES[name];
  return `  --${flagOf(name)} <${values.join('|')}>\n${' '.repeat(26)}default (strictest) ${strictest}, lenient ${lenient}`;
}).join('\n');

const USAGE = `Usage: izly-sandbox [options]

  --port, -p <port>       port to listen on (default 8790; 0: a free port, printed)
  --host <host>           interface to listen on (default 127.0.0.1, this machine only)
  --config, -c <file>     JSON file: pointsOfSale, accounts, callbackRetries, callbackRetryDelayMs, ...
  --public-url <url>      origin used in PaymentAuthorizationUrl (default http://localhost:<port>)
  --control-token <t>     the control API's token (default IZLY_SANDBOX_CONTROL_TOKEN, or a random one, printed)
  --lenient               every Izly switch at its lenient value, the document's easiest reading
                          (the flags below override it); without it every switch is at its strictest
  --strictest             every Izly switch at its strictest value, as by default (the flags below override it)
  --help, -h              this help

Which plausible Izly to be (see the sandbox README):
${SWITCH_USAGE}
`;

/** One line on stderr, no stack trace: a bad setting exits 2, a port or host the machine refuses exits 1. */
function fail(message: string, exitCode = 2): never {
  process.stderr.write(`izly-sandbox: ${message}${exitCode === 2 ? ' (izly-sandbox --help lists the options)' : ''}\n`);
  process.exit(exitCode);
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', short: 'p', default: '8790' },
        host: { type: 'string', default: '127.0.0.1' },
        config: { type: 'string', short: 'c' },
        'public-url': { type: 'string' },
        'control-token': { type: 'string' },
        strictest: { type: 'boolean', default: false },
        lenient: { type: 'boolean', default: false },
        ...Object.fromEntries(IZLY_SWITCH_NAMES.map((name) => [flagOf(name), { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

const options = parseCommandLine();
if (options.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const port = Number(options.port);
if (!/^\d+$/.test(options.port) || port > 65535) fail(`invalid port "${options.port}": choose one from 0 to 65535 with --port`);
const host = options.host ?? '127.0.0.1';
if (options.strictest && options.lenient) fail('--strictest and --lenient are two different Izlys: give one');

/** The config file's own publicUrl, when it sets one: the command line must not override it silently. */
function configFilePublicUrl(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { publicUrl?: unknown };
    return typeof parsed.publicUrl === 'string' ? parsed.publicUrl : undefined;
  } catch {
    return undefined; // createSandbox reports the problem with the file
  }
}

const loopback = ['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::'].includes(host);
const derivedPublicUrl = (listeningPort: number) => `http://${loopback ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${listeningPort}`;
const givenPublicUrl = options['public-url'] ?? configFilePublicUrl(options.config);
const controlToken = options['control-token'] ?? (process.env.IZLY_SANDBOX_CONTROL_TOKEN || undefined);

/** The switches the flags set, over the preset `--strictest` or `--lenient` names; undefined when none is given. */
function izlyFromFlags(): IzlyBehaviourInput | undefined {
  const preset = options.lenient ? 'lenient' : options.strictest ? 'strictest' : undefined;
  const switches: Record<string, unknown> = preset ? { preset } : {};
  for (const name of IZLY_SWITCH_NAMES) {
    const value = (options as Record<string, unknown>)[flagOf(name)];
    if (value !== undefined) switches[name] = value;
  }
  // createSandbox checks the values and names the switch of a bad one.
  return Object.keys(switches).length > 0 ? (switches as IzlyBehaviourInput) : undefined;
}

/** The sandbox at `publicUrl`; a bad option or config file stops the CLI with its message. */
function sandboxAt(publicUrl: string, token: string | undefined) {
  try {
    const izly = izlyFromFlags();
    return createSandbox({
      publicUrl,
      ...(options.config ? { configFile: options.config } : {}),
      ...(izly ? { izly } : {}),
      ...(token === undefined ? {} : { controlToken: token }),
    });
  } catch (error) {
    const message = (error as Error).message;
    return fail(message.startsWith('controlToken') ? `${message}: change --control-token (or IZLY_SANDBOX_CONTROL_TOKEN)` : message);
  }
}

// Made before listening so that a bad setting stops the CLI before it takes the port; with `--port 0` and no
// publicUrl, made again once the real port is known, so that its pages and PaymentAuthorizationUrl use it.
let sandbox = sandboxAt(givenPublicUrl ?? derivedPublicUrl(port), controlToken);

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd()).join('\n');
}

function banner(origin: string): string {
  const lines = [`Izly sandbox listening on ${origin}`, ''];
  for (const pos of sandbox.control.pointsOfSale()) {
    lines.push(
      `Point of sale "${pos.siteName}"`,
      `  AppIdentifier      ${pos.appIdentifier}`,
      `  API key            ${pos.apiKey}`,
      `  callback URL       ${pos.callbackUrl}${pos.callbackAllowListed ? '' : '  (not allow-listed: callbacks blocked)'}`,
      `  after connection   ${pos.urlAfterConnection}`,
      `  after payment      ${pos.urlAfterPayment}`,
      `  after cancellation ${pos.urlAfterCancellation}`,
      '',
    );
  }
  lines.push(
    'Partner API',
    `  POST ${origin}/api/Izly/WebPayments`,
    `  GET  ${origin}/api/Izly/WebPayments/{OperationId}`,
    `  POST ${origin}/api/Izly/WebPayments/{OperationId}/Refund?clientOrderId={ClientOrderId}`,
    `  GET  ${origin}/oauth/Home/Authorize?response_type=code&client_id={AppIdentifier}&scope=1`,
    `  POST ${origin}/oauth/Home/Token?grant_type=authorization_code&code={code}`,
    `  GET  ${origin}/api/izly/users`,
    `Home page          ${origin}/`,
    `Control API        ${origin}/sandbox/api/state`,
    `  token            ${sandbox.control.controlToken()}`,
    `  curl -H "Authorization: Bearer ${sandbox.control.controlToken()}" ${origin}/sandbox/api/state`,
    '',
    'Izly behaviour (switches)',
    table(Object.entries(sandbox.control.izly()).map(([name, value]) => [name, value])),
    '',
    'Accounts',
    table([
      ['e-mail', 'phone', 'password', 'balance', 'unpaid debt'],
      ...sandbox.control
        .accounts()
        .map((account) => [
          account.email,
          account.phone,
          account.password,
          formatEurosFrench(account.balance).replace(/[\u00a0\u202f]/g, ' '),
          account.unpaidDebt ? 'yes' : 'no',
        ]),
    ]),
    '',
  );
  return lines.join('\n');
}

/** The one line for a port or host the machine refuses, naming the flag to change. */
function listenFailure(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} is in use: choose another with --port`;
    case 'EACCES':
      return `port ${port} needs privileges on this machine: choose one above 1023 with --port`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on host "${host}", not an address of this machine: choose another with --host`;
    default:
      return `cannot listen on ${host}:${port} (${error.message}): change --host or --port`;
  }
}

const server = serve({ fetch: (request) => sandbox.fetch(request), port, hostname: host }, (info: AddressInfo) => {
  if (port === 0 && givenPublicUrl === undefined) {
    const token = sandbox.control.controlToken();
    sandbox.control.close();
    sandbox = sandboxAt(derivedPublicUrl(info.port), token);
  }
  process.stdout.write(`${banner(givenPublicUrl ?? derivedPublicUrl(info.port))}\n`);
});
server.on('error', (error: NodeJS.ErrnoException) => fail(listenFailure(error), 1));

function shutDown() {
  sandbox.control.close();
  server.close(() => process.exit(0));
}
process.on('SIGINT', shutDown);
process.on('SIGTERM', shutDown);
