// `izly-pay serve` as a partner runs it: the package's bin in a child process, configured by environment
// variables only (a clean environment, so that the test runner's own variables cannot leak in), on a
// free loopback port; and the settings every test starts from.
import { spawn } from 'node:child_process';
import { API_KEY, APP_IDENTIFIER } from '../helpers/harness.js';

/** A running service; `stop()` sends SIGTERM and resolves with its exit code. */
export interface ServeProcess {
  url: string;
  output(): string;
  /** Resolves once the output matches `pattern` (it may already). */
  printed(pattern: RegExp): Promise<void>;
  stop(): Promise<number | null>;
}

export const SIGNING_SECRET = 'whsec-e2e-signing-secret-0123456789abcdef';
export const CALLBACK_SECRET = 'callback-secret-for-tests-0123456789abcdef';
export const BACK_OFFICE_KEY = 'back-office-key-for-tests-0123456789abcdef';

/** The variables of a service in front of `sandboxUrl`, for a shop whose pages are on `shopUrl`. */
export function serveEnvironment(sandboxUrl: string, shopUrl: string, port: number, database: string): Record<string, string> {
  return {
    IZLY_BASE_URL: sandboxUrl,
    IZLY_APP_IDENTIFIER: APP_IDENTIFIER,
    IZLY_API_KEY: API_KEY,
    IZLY_PAY_CALLBACK_SECRET: CALLBACK_SECRET,
    IZLY_PAY_SIGNING_SECRET: SIGNING_SECRET,
    IZLY_PAY_DATABASE: database,
    IZLY_PAY_ALLOWED_ORIGINS: shopUrl,
    IZLY_PAY_ORDER_URL: `${shopUrl}/izly-order.php`,
    IZLY_PAY_WEBHOOK_URL: `${shopUrl}/izly-webhook.php`,
    IZLY_PAY_PORT: String(port),
    IZLY_PAY_BACK_OFFICE_KEY: BACK_OFFICE_KEY,
  };
}

/** Runs `node bin/izly-pay.mjs serve [args]` with `env` (and PATH); resolves once it listens, or rejects with its output. */
export async function startServe(env: Record<string, string>, args: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['bin/izly-pay.mjs', 'serve', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const printed = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (pattern.test(output)) {
          listeners.delete(check);
          resolve();
        }
      };
      listeners.add(check);
      check();
    });
  const ready = await Promise.race([printed(/listening on (http:\/\/\S+)/).then(() => true), exited.then(() => false)]);
  if (!ready) throw new Error(`izly-pay serve exited before listening:\n${output}`);
  const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
  return {
    url,
    output: () => output,
    printed,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** `node bin/izly-pay.mjs serve [args]` run to its end: its exit code and what it wrote to stderr and stdout. */
export function runServe(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, ['bin/izly-pay.mjs', 'serve', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr, stdout })));
}
