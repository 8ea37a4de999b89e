// The settings of `izly-pay serve`, from environment variables and/or a JSON file, checked strictly: an
// unknown key (in the file, or an `IZLY_PAY_*` variable) and a bad value are refused with their name, so
// that a misspelled setting never falls back to a default in silence. One table lists every setting with
// its variable, its default and its help line; the help text and the README's table are made from it.
import { IZLY_PREPRODUCTION } from '../index.js';

/** What the service runs with, every default filled in. */
export interface ServeConfig {
  /** Izly's origin (or the sandbox's). */
  izlyBaseUrl: string;
  appIdentifier: string;
  apiKey: string;
  authorization: 'raw-key' | 'basic' | null;
  contentType: string | null;
  callbackSecret: string;
  signingSecret: string;
  /** A SQLite file path, or a `postgres://` URL. */
  database: string;
  allowedOrigins: string[];
  cors: boolean;
  orderUrl: string;
  webhookUrl: string;
  host: string;
  port: number;
  basePath: string;
  backOfficeKey: string | null;
  calloutTimeoutMs: number;
  webhookTimeoutMs: number;
  webhookRetryDelaysMs: number[] | null;
  reconcileEveryMs: number;
  callbacks: 'auto' | 'allow-listed' | 'blocked' | null;
}

/** A setting refused: `setting` names it as the partner wrote it (the variable, or the file's key). */
export class ServeConfigError extends Error {
  override name = 'ServeConfigError' as const;
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(`${setting} ${message}`);
    this.setting = setting;
  }
}

/** Reads one value (a string from the environment, any JSON value from the file); throws `Invalid` on a bad one. */
type Parse<T> = (value: unknown, fromEnv: boolean) => T;

interface Setting<K extends keyof ServeConfig> {
  env: string;
  /** The default, or `undefined` when the setting is required. */
  fallback: ServeConfig[K] | undefined;
  parse: Parse<ServeConfig[K]>;
  /** One line of help (README table, `--help`). */
  help: string;
  /** Never printed back in an error message. */
  secret?: boolean;
}

class Invalid extends Error {}

function text(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Invalid('must be a non-empty string');
  return value.trim();
}

function secretText(minimum: number): Parse<string> {
  return (value) => {
    const secret = text(value);
    if (secret.length < minimum) throw new Invalid(`must be at least ${minimum} characters (e.g. openssl rand -base64 32)`);
    return secret;
  };
}

function httpUrl(value: unknown): string {
  const url = text(value);
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new Invalid(`must be an absolute http(s) URL, not "${url}"`);
  return url;
}

function integer(min: number, max: number): Parse<number> {
  return (value, fromEnv) => {
    const number = fromEnv && typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < min || number > max) {
      throw new Invalid(`must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`);
    }
    return number;
  };
}

function oneOf<T extends string>(...choices: T[]): Parse<T> {
  return (value) => {
    if (typeof value !== 'string' || !(choices as string[]).includes(value))
      throw new Invalid(`must be one of ${choices.join(', ')}, not ${JSON.stringify(value)}`);
    return value as T;
  };
}

function boolean(value: unknown, fromEnv: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (fromEnv && (value === 'true' || value === '1')) return true;
  if (fromEnv && (value === 'false' || value === '0')) return false;
  throw new Invalid(`must be true or false, not ${JSON.stringify(value)}`);
}

/** A list: a JSON array in the file, comma-separated in a variable. */
function list<T>(item: (value: unknown, fromEnv: boolean) => T): Parse<T[]> {
  return (value, fromEnv) => {
    const items = fromEnv && typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value;
    if (!Array.isArray(items) || items.length === 0) throw new Invalid('must be a non-empty list (a JSON array, or comma-separated in a variable)');
    return items.map((entry: unknown) => item(entry, fromEnv));
  };
}

function origin(value: unknown): string {
  const given = text(value);
  if (!URL.canParse(given) || !/^https?:$/.test(new URL(given).protocol) || new URL(given).origin !== given.replace(/\/$/, '')) {
    throw new Invalid(`lists "${given}", which is not an origin such as https://shop.example (scheme, host, port; no path)`);
  }
  return new URL(given).origin;
}

function basePath(value: unknown): string {
  const path = text(value);
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(path)) throw new Invalid(`must be a path such as /izly (no trailing slash), not "${path}"`);
  return path;
}

/** Every setting: the JSON key, its variable, its default and its help. Order is the help's and the README's. */
export const SETTINGS: { [K in keyof ServeConfig]: Setting<K> } = {
  izlyBaseUrl: {
    env: 'IZLY_BASE_URL',
    fallback: IZLY_PREPRODUCTION,
    parse: httpUrl,
    help: `Izly's origin: ${IZLY_PREPRODUCTION} (preproduction), https://rest.izly.fr, or a sandbox`,
  },
  appIdentifier: { env: 'IZLY_APP_IDENTIFIER', fallback: undefined, parse: text, help: 'the point of sale\'s "Identifiant de l\'application client"' },
  apiKey: { env: 'IZLY_API_KEY', fallback: undefined, parse: text, secret: true, help: 'the point of sale\'s "Clé d\'API"' },
  authorization: {
    env: 'IZLY_AUTHORIZATION',
    fallback: null,
    parse: oneOf('raw-key', 'basic'),
    help: 'raw-key or basic, as `izly-pay doctor` finds it; default raw-key',
  },
  contentType: {
    env: 'IZLY_CONTENT_TYPE',
    fallback: null,
    parse: text,
    help: "the payment calls' Content-Type, as `izly-pay doctor` finds it; default: tried",
  },
  callbackSecret: {
    env: 'IZLY_PAY_CALLBACK_SECRET',
    fallback: undefined,
    parse: secretText(32),
    secret: true,
    help: "signs Izly's callback URLs; stays in the service (32+ characters)",
  },
  signingSecret: {
    env: 'IZLY_PAY_SIGNING_SECRET',
    fallback: undefined,
    parse: secretText(32),
    secret: true,
    help: 'shared with your server: signs the order callouts and the webhooks (32+ characters)',
  },
  database: {
    env: 'IZLY_PAY_DATABASE',
    fallback: 'izly-pay.sqlite',
    parse: text,
    secret: true,
    help: 'a SQLite file (created if missing) or a postgres:// URL',
  },
  allowedOrigins: {
    env: 'IZLY_PAY_ALLOWED_ORIGINS',
    fallback: undefined,
    parse: list(origin),
    help: 'the origins of your pages, comma-separated: https://shop.example',
  },
  cors: { env: 'IZLY_PAY_CORS', fallback: false, parse: boolean, help: 'true when the service has its own origin: CORS for the allowed origins' },
  orderUrl: {
    env: 'IZLY_PAY_ORDER_URL',
    fallback: undefined,
    parse: httpUrl,
    help: 'your endpoint that tells an order\'s amount: POST {"orderId"} → {"amount","message"} or 404',
  },
  webhookUrl: { env: 'IZLY_PAY_WEBHOOK_URL', fallback: undefined, parse: httpUrl, help: 'your endpoint that receives payment.paid, payment.failed, ...' },
  host: { env: 'IZLY_PAY_HOST', fallback: '127.0.0.1', parse: text, help: 'address to listen on' },
  port: { env: 'IZLY_PAY_PORT', fallback: 8787, parse: integer(0, 65535), help: 'port to listen on' },
  basePath: {
    env: 'IZLY_PAY_BASE_PATH',
    fallback: '/izly',
    parse: basePath,
    help: "where the adapter's routes and izly-pay.js are served (the widget's endpoint)",
  },
  backOfficeKey: {
    env: 'IZLY_PAY_BACK_OFFICE_KEY',
    fallback: null,
    parse: secretText(32),
    secret: true,
    help: 'enables /api (reads, refunds) for your server, sent as Izly-Pay-Api-Key (32+ characters)',
  },
  calloutTimeoutMs: { env: 'IZLY_PAY_CALLOUT_TIMEOUT_MS', fallback: 5_000, parse: integer(100, 60_000), help: 'time your order endpoint has to answer, in ms' },
  webhookTimeoutMs: {
    env: 'IZLY_PAY_WEBHOOK_TIMEOUT_MS',
    fallback: 10_000,
    parse: integer(100, 60_000),
    help: 'time your webhook endpoint has to answer, in ms',
  },
  webhookRetryDelaysMs: {
    env: 'IZLY_PAY_WEBHOOK_RETRY_DELAYS_MS',
    fallback: null,
    parse: list(integer(0, 30 * 86_400_000)),
    help: 'delays before each retry of a webhook, in ms; default 30 s, 2 min, 10 min, 1 h, then 6 h for 3 days',
  },
  reconcileEveryMs: {
    env: 'IZLY_PAY_RECONCILE_EVERY_MS',
    fallback: 30_000,
    parse: integer(1_000, 3_600_000),
    help: 'how often open payments and owed webhooks are settled, in ms',
  },
  callbacks: {
    env: 'IZLY_PAY_CALLBACKS',
    fallback: null,
    parse: oneOf('auto', 'allow-listed', 'blocked'),
    help: "whether Izly's callbacks reach the service: auto (default), allow-listed, blocked",
  },
};

/** The variable that names the JSON file (the `--config` flag wins over it). */
export const CONFIG_FILE_VARIABLE = 'IZLY_PAY_CONFIG';
/** Variables of this prefix that are not settings are refused: a misspelled one would otherwise do nothing. */
const OWN_PREFIX = 'IZLY_PAY_';

function readSetting<K extends keyof ServeConfig>(key: K, env: Readonly<Record<string, string | undefined>>, file: Record<string, unknown>): ServeConfig[K] {
  const setting: Setting<K> = SETTINGS[key];
  const fromEnv = env[setting.env] !== undefined && env[setting.env] !== '';
  const value = fromEnv ? env[setting.env]! : file[key];
  const name = fromEnv ? setting.env : `"${key}" (config file)`;
  if (value === undefined || value === null) {
    if (setting.fallback === undefined) throw new ServeConfigError(setting.env, `is required (or "${key}" in the config file)`);
    return setting.fallback;
  }
  try {
    return setting.parse(value, fromEnv);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    // A secret's value is never echoed; its rule is.
    throw new ServeConfigError(name, setting.secret ? error.message.replace(/,? not .*$/, '') : error.message);
  }
}

/**
 * The settings from `env` over the config file's object (a variable wins over the file's key). Throws
 * `ServeConfigError` naming the first unknown key or bad value.
 */
export function loadServeConfig(env: Readonly<Record<string, string | undefined>>, file: unknown = {}): ServeConfig {
  if (typeof file !== 'object' || file === null || Array.isArray(file)) throw new ServeConfigError('the config file', 'must hold a JSON object');
  const fileObject = file as Record<string, unknown>;
  for (const key of Object.keys(fileObject)) {
    if (!Object.hasOwn(SETTINGS, key)) throw new ServeConfigError(`"${key}" (config file)`, `is not a setting (known: ${Object.keys(SETTINGS).join(', ')})`);
  }
  const variables = new Set([...Object.values(SETTINGS).map((setting) => setting.env), CONFIG_FILE_VARIABLE]);
  for (const name of Object.keys(env)) {
    if (name.startsWith(OWN_PREFIX) && !variables.has(name) && env[name] !== undefined) {
      throw new ServeConfigError(name, `is not a setting of izly-pay serve (izly-pay serve --help lists them)`);
    }
  }
  const config = {} as Record<keyof ServeConfig, unknown>;
  for (const key of Object.keys(SETTINGS) as Array<keyof ServeConfig>) config[key] = readSetting(key, env, fileObject);
  return config as unknown as ServeConfig;
}

/** The settings as a table of text lines (`--help`). */
export function settingsHelp(): string {
  const rows = Object.entries(SETTINGS).map(([key, setting]) => {
    const fallback = setting.fallback === undefined ? 'required' : setting.fallback === null ? 'optional' : `default ${JSON.stringify(setting.fallback)}`;
    return `  ${setting.env.padEnd(33)}${key.padEnd(22)}${fallback}\n  ${''.padEnd(33)}${setting.help}`;
  });
  return rows.join('\n');
}
