// Parent side of the load generator: one autocannon process on the load core for a whole benchmark.
import { startChild, type BenchChild } from './child-process.js';
import type { LoadRequest, LoadResult } from './children/load-generator.js';

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
