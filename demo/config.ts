// The demo's settings, read from environment variables. A missing or malformed setting stops the start
// with a message that names the variable, rather than a shop that half works.

/** Everything the demo needs to start, resolved from the environment. */
export interface DemoConfig {
  /** Port of the shop (PORT, default 8787). */
  port: number;
  /**
   * Interface the shop listens on (HOST, default 127.0.0.1: this machine only; 0.0.0.0 to be reachable). The
   * built-in sandbox stays on 127.0.0.1 whatever HOST says: its control API can mark payments paid.
   */
  host: string;
  /** The shop's address as the browser and Izly reach it (PUBLIC_URL, default http://localhost:{port}). */
  publicUrl: string;
  /** Izly's base URL (IZLY_BASE_URL); null means the built-in sandbox is started. */
  izlyBaseUrl: string | null;
  /** Port of the built-in sandbox (SANDBOX_PORT, default 8790); unused when IZLY_BASE_URL is set. */
  sandboxPort: number;
  /** The point of sale's AppIdentifier (IZLY_APP_IDENTIFIER). */
  appIdentifier: string;
  /** The point of sale's API key (IZLY_API_KEY). */
  apiKey: string;
  /** How the API key travels (IZLY_AUTHORIZATION: raw-key, the default as Izly expects, or basic). */
  authorization: 'raw-key' | 'basic';
  /** The secret that signs callback parameters (IZLY_CALLBACK_SECRET, at least 32 characters). */
  callbackSecret: string;
  /** Folder of the SQLite files (DEMO_DATA_DIR, default demo/data). */
  dataDir: string;
  /** PostgreSQL database of the payments (DATABASE_URL, postgres://…); null keeps them in SQLite under `dataDir`. */
  databaseUrl: string | null;
  /** Password of the staff's orders page (DEMO_ADMIN_PASSWORD, default "demo"). */
  adminPassword: string;
  /** Delay between the built-in sandbox's callback attempts (SANDBOX_CALLBACK_RETRY_DELAY_MS; null: Izly's 20 s). */
  sandboxCallbackRetryDelayMs: number | null;
  /** The built-in sandbox's control token (IZLY_SANDBOX_CONTROL_TOKEN, for scripts); null: a random one, printed at start. */
  sandboxControlToken: string | null;
}

/** A setting that stops the demo from starting; `variable` names the environment variable at fault. */
export class DemoConfigError extends Error {
  override readonly name = 'DemoConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

// The built-in sandbox's point of sale key (DEFAULT_POINT_OF_SALE): already a base64 string, as a back
// office's "Clé d'API" may be.
const SANDBOX_API_KEY = 'aXpseS1wYXktZGVtbzpzYW5kYm94LWRlbW8tc2VjcmV0';

// Only for the built-in sandbox, whose point of sale is public anyway. Against real Izly the secret must be set.
const SANDBOX_CALLBACK_SECRET = 'izly-pay-demo-sandbox-callback-secret-not-for-production';

function readPort(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new DemoConfigError(variable, `expected a port number from 1 to 65535, got "${raw}"`);
  }
  return Number(raw);
}

function readUrl(env: NodeJS.ProcessEnv, variable: string, fallback: string | null): string | null {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DemoConfigError(variable, `expected an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DemoConfigError(variable, `expected an http or https URL, got "${raw}"`);
  }
  if (url.search || url.hash) throw new DemoConfigError(variable, 'must not carry a query string or a fragment');
  return url.href.replace(/\/$/, '');
}

function readRequired(env: NodeJS.ProcessEnv, variable: string, why: string): string {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') throw new DemoConfigError(variable, `is required ${why}`);
  return raw.trim();
}

/** Reads and checks the demo's settings; throws `DemoConfigError` naming the first bad variable. */
export function loadDemoConfig(env: NodeJS.ProcessEnv): DemoConfig {
  const port = readPort(env, 'PORT', 8787);
  const host = env.HOST || '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) throw new DemoConfigError('HOST', `expected a host name or an IP address, got "${host}"`);
  const sandboxPort = readPort(env, 'SANDBOX_PORT', 8790);
  if (sandboxPort === port) throw new DemoConfigError('SANDBOX_PORT', `must differ from PORT (${port})`);
  const publicUrl = readUrl(env, 'PUBLIC_URL', `http://localhost:${port}`)!;
  const izlyBaseUrl = readUrl(env, 'IZLY_BASE_URL', null);
  const live = izlyBaseUrl !== null;
  const why = 'when IZLY_BASE_URL points at a real Izly';

  const appIdentifier = live ? readRequired(env, 'IZLY_APP_IDENTIFIER', why) : env.IZLY_APP_IDENTIFIER || 'izly-pay-demo';
  const apiKey = live ? readRequired(env, 'IZLY_API_KEY', why) : env.IZLY_API_KEY || SANDBOX_API_KEY;
  const callbackSecret = live ? readRequired(env, 'IZLY_CALLBACK_SECRET', why) : env.IZLY_CALLBACK_SECRET || SANDBOX_CALLBACK_SECRET;
  if (callbackSecret.length < 32) {
    throw new DemoConfigError('IZLY_CALLBACK_SECRET', 'must be at least 32 characters long (e.g. `openssl rand -hex 32`)');
  }

  const authorization = env.IZLY_AUTHORIZATION || 'raw-key';
  if (authorization !== 'raw-key' && authorization !== 'basic') {
    throw new DemoConfigError('IZLY_AUTHORIZATION', `expected "raw-key" or "basic", got "${authorization}"`);
  }

  const adminPassword = env.DEMO_ADMIN_PASSWORD ?? 'demo';
  if (adminPassword === '') throw new DemoConfigError('DEMO_ADMIN_PASSWORD', 'must not be empty');

  const retryDelay = env.SANDBOX_CALLBACK_RETRY_DELAY_MS;
  if (retryDelay !== undefined && retryDelay !== '' && !/^\d{1,6}$/.test(retryDelay)) {
    throw new DemoConfigError('SANDBOX_CALLBACK_RETRY_DELAY_MS', `expected milliseconds (0 to 999999), got "${retryDelay}"`);
  }

  const sandboxControlToken = env.IZLY_SANDBOX_CONTROL_TOKEN || null;
  if (sandboxControlToken !== null && !/^[A-Za-z0-9._~+/=-]{16,200}$/.test(sandboxControlToken)) {
    throw new DemoConfigError('IZLY_SANDBOX_CONTROL_TOKEN', 'expected 16 to 200 URL-safe characters (e.g. `openssl rand -hex 16`)');
  }

  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\/./.test(databaseUrl)) {
    throw new DemoConfigError('DATABASE_URL', 'expected a PostgreSQL URL such as postgres://user:password@localhost:5432/shop');
  }

  return {
    port,
    host,
    publicUrl,
    izlyBaseUrl,
    sandboxPort,
    appIdentifier,
    apiKey,
    authorization,
    callbackSecret,
    dataDir: env.DEMO_DATA_DIR || 'demo/data',
    databaseUrl,
    adminPassword,
    sandboxCallbackRetryDelayMs: retryDelay ? Number(retryDelay) : null,
    sandboxControlToken,
  };
}
