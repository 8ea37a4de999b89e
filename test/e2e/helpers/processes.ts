// Starts the real demo (and, when a test needs them apart, the sandbox CLI) as child processes on free
// loopback ports, the way a developer starts them, and stops them at the end of the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The control token of every sandbox the e2e tests start (the demo's and the CLI's, through
 * IZLY_SANDBOX_CONTROL_TOKEN in `startScript`'s environment), which `sandboxApi()` sends: one random value per run.
 */
export const E2E_SANDBOX_CONTROL_TOKEN = randomBytes(16).toString('hex');

/** A free TCP port on loopback, as the kernel hands it out. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A started child process with the output it printed so far. */
export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  /** Stops it: SIGTERM, or SIGKILL to simulate a crash. Resolves once it has exited. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/** Runs `node --import tsx <script> [args]` and waits until its output matches `ready`. */
export async function startScript(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 30_000,
  args: string[] = [],
): Promise<RunningProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, IZLY_SANDBOX_CONTROL_TOKEN: E2E_SANDBOX_CONTROL_TOKEN, ...env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${output}`));
    });
    check();
  });

  return {
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A temporary folder for a test's data, removed by the returned function. */
export function temporaryFolder(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The demo as `npm start` runs it (the shop and its built-in sandbox) on free ports, its data in a temporary folder. */
export interface RunningDemo {
  shopUrl: string;
  sandboxUrl: string;
  /** Stops the demo and removes its data. */
  stop: () => Promise<void>;
}

/** Starts `demo/start.ts` with `env` added to the ports and data folder it is given. */
export async function startDemo(env: Record<string, string> = {}): Promise<RunningDemo> {
  const port = await freePort();
  const sandboxPort = await freePort();
  const data = temporaryFolder('izly-pay-e2e-');
  try {
    const demo = await startScript(
      'demo/start.ts',
      { PORT: String(port), SANDBOX_PORT: String(sandboxPort), DEMO_DATA_DIR: data.path, ...env },
      /Ready: /,
      60_000,
    );
    return {
      shopUrl: `http://localhost:${port}`,
      sandboxUrl: `http://localhost:${sandboxPort}`,
      stop: async () => {
        await demo.stop();
        data.remove();
      },
    };
  } catch (error) {
    data.remove();
    throw error;
  }
}
