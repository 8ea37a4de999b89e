// Starts a bundled server on one runtime of the matrix (a child process of Node, Bun or Deno, or a Worker in
// workerd through Miniflare) on a given loopback port, and collects what it prints, so that a test can
// await a line such as "paid: order-1001" rather than sleep.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { ROOT, type Platform } from './bundle.js';

const BIN = join(ROOT, 'test/runtimes/node_modules/.bin');
const MINIFLARE = join(ROOT, 'test/runtimes/node_modules/miniflare/dist/src/index.js');
/** How long a server may take to print that it listens (workerd's first start is the slowest). */
const START_LIMIT_MS = 30_000;
/** How long an expected line may take to be printed once its cause happened. */
const LINE_LIMIT_MS = 15_000;

/** A server of the matrix, listening. */
export interface RuntimeServer {
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once it printed a line matching `pattern`; rejects after a while or if it stopped. */
  line(pattern: RegExp): Promise<string>;
  stop(): Promise<void>;
}

/** Why a runtime cannot run here (its binary not installed), or null when it can. */
export function missingRuntime(platform: Platform): string | null {
  if (platform === 'node') return null;
  const path = platform === 'workerd' ? MINIFLARE : join(BIN, platform);
  return existsSync(path) ? null : `${path} is missing: run npm ci --prefix test/runtimes`;
}

/** A loopback port free right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** What a server printed, and the lines awaited in it. */
class Output {
  private text = '';
  private readonly listeners = new Set<() => void>();
  stopped: string | null = null;

  read(stream: Readable): void {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.push(chunk));
  }

  push(chunk: string): void {
    this.text += chunk;
    for (const listener of this.listeners) listener();
  }

  all(): string {
    return this.text;
  }

  end(reason: string): void {
    this.stopped = reason;
    for (const listener of this.listeners) listener();
  }

  line(pattern: RegExp, limitMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no line matching ${pattern} within ${limitMs} ms; output:\n${this.text}`)), limitMs);
      const check = () => {
        const match = this.text.split('\n').find((line) => pattern.test(line));
        if (match !== undefined) done(null, match);
        else if (this.stopped !== null) done(new Error(`stopped (${this.stopped}) before a line matching ${pattern}; output:\n${this.text}`));
      };
      const done = (error: Error | null, match?: string) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolve(match!);
      };
      this.listeners.add(check);
      check();
    });
  }
}

async function listening(output: Output, stop: () => Promise<void>, url: string): Promise<RuntimeServer> {
  try {
    await output.line(/listening on http:\/\//, START_LIMIT_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: () => output.all(), line: (pattern) => output.line(pattern, LINE_LIMIT_MS), stop };
}

/** The command line that runs a bundle on Node, Bun or Deno. */
function commandFor(platform: 'node' | 'bun' | 'deno', bundle: string): [string, string[]] {
  if (platform === 'node') return [process.execPath, [bundle]];
  if (platform === 'bun') return [join(BIN, 'bun'), ['run', bundle]];
  // node:sqlite reads and writes its file; the rest is loopback traffic and the settings. The README's line:
  // request.signal aborted only when the client goes away, not after every answer (Deno's legacy behaviour).
  return [
    join(BIN, 'deno'),
    ['run', '--quiet', '--no-prompt', '--allow-net', '--allow-env', '--allow-read', '--allow-write', '--unstable-no-legacy-abort', bundle],
  ];
}

/** A server run as a child process. */
export interface ProcessServer extends RuntimeServer {
  /** Sends SIGTERM and resolves with how the process ended (`exit 0`…), killing it if it has not within a while. */
  terminate(): Promise<string>;
}

/** Runs `bundle` on Node, Bun or Deno with `env` (PORT included). */
export async function startProcess(platform: 'node' | 'bun' | 'deno', bundle: string, port: number, env: Record<string, string>): Promise<ProcessServer> {
  const [command, args] = commandFor(platform, bundle);
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new Output();
  output.read(child.stdout);
  output.read(child.stderr);
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => (output.end(`exit ${code ?? signal}`), resolve())));
  const stop = async () => {
    if (output.stopped === null) child.kill('SIGKILL');
    await exited;
  };
  const terminate = async () => {
    child.kill('SIGTERM');
    const limit = setTimeout(() => child.kill('SIGKILL'), LINE_LIMIT_MS);
    await exited;
    clearTimeout(limit);
    return output.stopped!;
  };
  return { ...(await listening(output, stop, `http://127.0.0.1:${port}`)), terminate };
}

/** The part of Miniflare used here (loaded from test/runtimes, which the project's type check may not have). */
interface MiniflareInstance {
  ready: Promise<URL>;
  dispose(): Promise<void>;
  getWorker(): Promise<{ scheduled(options: { cron: string }): Promise<{ outcome: string }> }>;
}

/** A Worker in workerd, through Miniflare. */
export interface WorkerServer extends RuntimeServer {
  /** Runs the Worker's `scheduled()` handler as a Cron trigger would. */
  scheduled(cron: string): Promise<string>;
}

/** A Worker's D1 databases: their binding names, and the folder that keeps them across restarts. */
export interface WorkerDatabases {
  names: string[];
  folder: string;
}

/** Runs `bundle` as a module Worker on `port`, with `bindings` and, when given, D1 databases. */
export async function startWorker(bundle: string, port: number, bindings: Record<string, string>, d1?: WorkerDatabases): Promise<WorkerServer> {
  const { Miniflare } = (await import(pathToFileURL(MINIFLARE).href)) as { Miniflare: new (options: object) => MiniflareInstance };
  const output = new Output();
  const miniflare = new Miniflare({
    modules: true,
    scriptPath: bundle,
    compatibilityDate: '2026-07-30',
    host: '127.0.0.1',
    port,
    bindings,
    ...(d1 && { d1Databases: d1.names, d1Persist: d1.folder }),
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => (output.read(stdout), output.read(stderr)),
  });
  const url = (await miniflare.ready).origin;
  // Miniflare prints nothing of its own once ready: say it, as the other servers do.
  output.push(`listening on ${url}\n`);
  let disposed: Promise<void> | undefined;
  const stop = () => {
    output.end('disposed');
    return (disposed ??= miniflare.dispose());
  };
  const server = await listening(output, stop, url);
  return {
    ...server,
    async scheduled(cron) {
      const worker = await miniflare.getWorker();
      return (await worker.scheduled({ cron })).outcome;
    },
  };
}
