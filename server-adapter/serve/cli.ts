// `izly-pay serve`: the adapter as a ready service for partners whose server is not JavaScript. Settings
// from the environment and/or a JSON file (`--config`, or IZLY_PAY_CONFIG), checked strictly: a bad one
// stops the start with one line naming it and exit code 2. Then the service listens until SIGTERM or
// SIGINT, reconciling on a schedule. Node-only (the HTTP server, the file system, the SQLite driver).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServeApp, type ServeApp } from './app.js';
import { CONFIG_FILE_VARIABLE, loadServeConfig, ServeConfigError, settingsHelp, type ServeConfig } from './config.js';
import { closeServer, listen } from './node-server.js';
import { isPostgresUrl, openStore } from './store.js';

/** What a command of `izly-pay` is given by the bin (as `izly-pay doctor` is). */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
}

export const SERVE_EXIT_CODES = { stopped: 0, failed: 1, badSettings: 2 } as const;

export const SERVE_HELP = `Usage: izly-pay serve [--config FILE]

Runs the izly-pay adapter as a service beside a site in any language (PHP, Java, Python...): the
widget's routes under the base path, izly-pay.js for the page's <script>, the amount asked of your
server (order callout), the outcomes sent to it as signed webhooks, and a back-office API.

Options:
  --config FILE   a JSON file of settings (keys below; or ${CONFIG_FILE_VARIABLE}); a variable wins over its key
  -h, --help      print this help

Settings (environment variable, JSON key, default):
${settingsHelp()}

Exit codes: 0 stopped by SIGTERM/SIGINT, 1 failed while running, 2 a setting refused (named on stderr).
`;

class ArgumentError extends Error {}

function parseArguments(args: readonly string[], env: CommandIo['env']): { configFile: string | null } | null {
  let configFile: string | null = null;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--help' || arg === '-h') return null;
    if (arg === '--config' || arg.startsWith('--config=')) {
      const value = arg === '--config' ? args[++index] : arg.slice('--config='.length);
      if (!value || value.startsWith('--')) throw new ArgumentError('--config needs a file');
      if (configFile !== null) throw new ArgumentError('--config is given twice');
      configFile = value;
    } else {
      throw new ArgumentError(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument "${arg}"`);
    }
  }
  return { configFile: configFile ?? (env[CONFIG_FILE_VARIABLE] || null) };
}

function readConfigFile(path: string | null): unknown {
  if (path === null) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ServeConfigError(`the config file ${path}`, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ServeConfigError(`the config file ${path}`, `is not JSON (${(error as Error).message})`);
  }
}

/** The widget bundle, from a built package (dist/server-adapter/serve → dist/) or a checkout (→ dist/). */
function widgetBundle(): string | null {
  for (const candidate of ['../../izly-pay.js', '../../dist/izly-pay.js']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  return null;
}

/** The settings, or the line that says which one is wrong. */
function settings(args: readonly string[], io: CommandIo): ServeConfig | number | null {
  try {
    const parsed = parseArguments(args, io.env);
    if (parsed === null) return null;
    return loadServeConfig(io.env, readConfigFile(parsed.configFile));
  } catch (error) {
    if (error instanceof ArgumentError) io.err(`izly-pay serve: ${error.message}. Run izly-pay serve --help.\n`);
    else if (error instanceof ServeConfigError) io.err(`izly-pay serve: ${error.message}.\n`);
    else throw error;
    return SERVE_EXIT_CODES.badSettings;
  }
}

/** Listens, or names the setting to change when the machine refuses the address or the port. */
async function listenOrExplain(service: ServeApp, config: ServeConfig): ReturnType<typeof listen> {
  try {
    return await listen(service.app.fetch, config.port, config.host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ServeConfigError('IZLY_PAY_PORT', `${config.port} is in use by another program`);
    if (code === 'EACCES') throw new ServeConfigError('IZLY_PAY_PORT', `${config.port} needs privileges: choose one above 1023`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      throw new ServeConfigError('IZLY_PAY_HOST', `"${config.host}" is not an address of this machine`);
    throw error;
  }
}

function readyLines(config: ServeConfig, port: number, bundle: boolean): string {
  const origin = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  return [
    `izly-pay serve: listening on ${origin}`,
    `  adapter (the widget's endpoint)  ${origin}${config.basePath}   Izly's callback URL: <public origin>${config.basePath}/callback`,
    `  widget                           ${bundle ? `${origin}${config.basePath}/izly-pay.js` : 'not served: dist/izly-pay.js is missing (npm run build)'}`,
    `  back office                      ${config.backOfficeKey === null ? 'off (set IZLY_PAY_BACK_OFFICE_KEY)' : `${origin}/api/payments`}`,
    `  store                            ${isPostgresUrl(config.database) ? 'PostgreSQL' : `SQLite file ${config.database}`}`,
    `  CORS                             ${config.cors ? config.allowedOrigins.join(', ') : 'off (same origin, or behind your reverse proxy)'}`,
    `  order callout ${config.orderUrl}, webhooks ${config.webhookUrl}`,
    '',
  ].join('\n');
}

/** Resolves at the first SIGTERM or SIGINT. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve(signal);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

/**
 * Runs `izly-pay serve` with its arguments (those after `serve`); resolves to the exit code once stopped.
 * @example
 * process.exitCode = await serveCommand(process.argv.slice(3), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env });
 */
export async function serveCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const config = settings(args, io);
  if (config === null) {
    io.out(SERVE_HELP);
    return SERVE_EXIT_CODES.stopped;
  }
  if (typeof config === 'number') return config;
  try {
    const store = await openStore(config.database);
    const bundle = widgetBundle();
    const service = createServeApp(config, { store, widgetBundle: bundle });
    const { server, port } = await listenOrExplain(service, config);
    const stopReconciling = service.izly.startReconciling({ everyMs: config.reconcileEveryMs });
    // The amount-mismatch and duplicate webhooks a previous run still owed: sent again in the background.
    service.webhooks.resumeOwed().catch((error: unknown) => io.err(`izly-pay serve: the owed webhooks could not be read: ${String(error)}\n`));
    // Listening for the signals before saying so: whoever reads the line may stop the service at once.
    const stopped = stopSignal();
    io.out(readyLines(config, port, bundle !== null));
    const signal = await stopped;
    io.out(`izly-pay serve: ${signal}, stopping\n`);
    await stopReconciling();
    service.webhooks.close();
    await closeServer(server);
    await store.close();
    return SERVE_EXIT_CODES.stopped;
  } catch (error) {
    if (error instanceof ServeConfigError) {
      io.err(`izly-pay serve: ${error.message}.\n`);
      return SERVE_EXIT_CODES.badSettings;
    }
    // The adapter's own checks of its options (izlyPay: ...) are settings refused too.
    if (error instanceof Error && /^(izlyPay|createIzlyClient): /.test(error.message)) {
      io.err(`izly-pay serve: ${error.message}.\n`);
      return SERVE_EXIT_CODES.badSettings;
    }
    io.err(`izly-pay serve: ${error instanceof Error ? error.message : String(error)}\n`);
    return SERVE_EXIT_CODES.failed;
  }
}
