// Starting, talking to and ending the benchmark's child processes. The machine has 2 cores: a server under
// test runs on one, the load generator on the other (`taskset`, when the system has it), so neither starves
// the other. Every child is a TypeScript file run with tsx, answers messages over Node's IPC channel, and
// exits when the channel closes, so a crashed benchmark leaves nothing running behind it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Which core a process runs on: `server` (core 0), `load` (core 1) or `any`. */
export type CoreRole = 'server' | 'load' | 'any';

const pinningAvailable = process.platform === 'linux' && availableParallelism() >= 2 && spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;

/** How processes are placed on cores, said in the output. */
export function placementNote(): string {
  return pinningAvailable
    ? 'servers under test pinned to core 0, load generators and clients (this process) to core 1 (taskset)'
    : `not pinned (taskset unavailable or ${availableParallelism()} core(s)); servers and load share the cores`;
}

/** Pins this process (all its threads) to the load core, so that the servers keep core 0 to themselves. */
export function pinSelfToLoadCore(): void {
  if (pinningAvailable) spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}

function commandFor(role: CoreRole, args: string[]): [string, string[]] {
  if (!pinningAvailable) return [process.execPath, args];
  const cores = role === 'server' ? '0' : role === 'load' ? '1' : `0-${availableParallelism() - 1}`;
  return ['taskset', ['-c', cores, process.execPath, ...args]];
}

/** Spawns `node [nodeArgs] --import tsx file` on the given core; no IPC (for the start-up benchmark). */
export function spawnNode(role: CoreRole, nodeArgs: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const [command, args] = commandFor(role, nodeArgs);
  return spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Ends a child: SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves once it has exited. */
export function endProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A child that speaks the benchmark's message protocol: it sends `{ type: 'ready', ...info }` once, then
 *  answers each `{ id, ...request }` with `{ id, ...answer }` (or `{ id, error }`). */
export interface BenchChild<Ready> {
  readonly ready: Ready;
  readonly process: ChildProcess;
  ask<Answer>(request: Record<string, unknown>, timeoutMs?: number): Promise<Answer>;
  end(): Promise<void>;
}

/** Starts `bench/children/<name>.ts` on a core and waits (bounded) for its `ready` message. */
export async function startChild<Ready>(
  file: string,
  options: { role: CoreRole; nodeArgs?: string[]; env?: NodeJS.ProcessEnv; readyTimeoutMs?: number },
): Promise<BenchChild<Ready>> {
  const [command, args] = commandFor(options.role, [...(options.nodeArgs ?? []), '--import', 'tsx', file]);
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  child.on('exit', (code, signal) => failAll(new Error(`${file} exited (${signal ?? code})`)));

  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} was not ready within ${options.readyTimeoutMs ?? 30_000} ms`)), options.readyTimeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before it was ready (${code})`));
    });
    child.on('message', (message: { type?: string; id?: number; error?: string }) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message as Ready);
        return;
      }
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id!);
      if (message.error !== undefined) waiter.reject(new Error(`${file}: ${message.error}`));
      else waiter.resolve(message);
    });
  }).catch(async (error: unknown) => {
    await endProcess(child);
    throw error;
  });

  return {
    ready,
    process: child,
    ask<Answer>(request: Record<string, unknown>, timeoutMs = 120_000) {
      const id = nextId++;
      return new Promise<Answer>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${file} did not answer ${String(request.type)} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as Answer);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        child.send({ id, ...request });
      });
    },
    end: () => endProcess(child),
  };
}
