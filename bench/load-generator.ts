// Parent side of the load generator: one autocannon process on the load core for a whole benchmark.
import { startChild, type BenchChild } from './child-process.js';
import type { LoadRequest, LoadResult } from './children/load-generator.js';
import { median } from './percentiles.js';

export type { LoadRequest, LoadResult };

export interface LoadGenerator {
  run(request: LoadRequest): Promise<LoadResult>;
  end(): Promise<void>;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child: BenchChild<object> = await startChild('bench/children/load-generator.ts', { role: 'load' });
  return {
    async run(request) {
      const timeoutMs = (request.warmupSeconds + request.seconds) * 1000 + 30_000;
      const answer = await child.ask<{ result: LoadResult }>({ type: 'run', request }, timeoutMs);
      if (answer.result.total === 0) throw new Error(`no request completed against ${request.url}`);
      return answer.result;
    },
    end: () => child.end(),
  };
}

/**
 * One line's figures from several runs of it, alternated with the other lines' (the machine's noise then
 * falls on every line alike): the median of each figure, and the sums of the counts.
 */
export function medianRun(runs: readonly LoadResult[]): LoadResult {
  const of = (key: 'requestsPerSecond' | 'latencyP50Ms' | 'latencyP99Ms') => median(runs.map((run) => run[key]));
  const sum = (key: 'total' | 'non2xx' | 'errors' | 'timeouts') => runs.reduce((total, run) => total + run[key], 0);
  return {
    requestsPerSecond: of('requestsPerSecond'),
    latencyP50Ms: of('latencyP50Ms'),
    latencyP99Ms: of('latencyP99Ms'),
    total: sum('total'),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
  };
}
