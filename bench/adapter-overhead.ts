// 2. Adapter overhead: GET /izly/payments/{id} of a paid payment (memory store, then SQLite) against a bare
// Hono route answering the same JSON on the same server, with autocannon in another process on another core;
// beside them, the same answer in the adapter's shape without its work (see bench/children/read-server.ts).
// The four routes are measured in turn, `rounds` times, and each figure is the median of its route's runs.
import { startChild } from './child-process.js';
import { medianRun, startLoadGenerator, type LoadResult } from './load-generator.js';
import { median } from './percentiles.js';
import { figure, type BenchResult, type Figure } from './report.js';

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

/** The routes measured: the adapter on each store, bare Hono, and bare Hono in the adapter's shape. */
const ROUTES = ['bare', 'shaped', 'memory', 'sqlite'] as const;
type Route = (typeof ROUTES)[number];

export async function adapterOverhead(settings: LoadSettings, rounds: number): Promise<BenchResult> {
  const server = await startChild<{ paths: Record<Route, string> }>('bench/children/read-server.ts', { role: 'server' });
  const load = await startLoadGenerator();
  try {
    const cpuMicros = async () => (await server.ask<{ cpuMicros: number }>({ type: 'cpu' })).cpuMicros;
    // How busy the server's core was during a run (warm-up included): near 100% when the server is what
    // limits the rate; lower when the load generator is (its figures then say little about the adapter).
    const busy = Object.fromEntries(ROUTES.map((route) => [route, [] as number[]])) as Record<Route, number[]>;
    const runs = Object.fromEntries(ROUTES.map((route) => [route, [] as LoadResult[]])) as Record<Route, LoadResult[]>;
    for (let round = 0; round < rounds; round++) {
      for (const route of ROUTES) {
        const [cpuBefore, startedAt] = [await cpuMicros(), performance.now()];
        runs[route].push(await load.run({ url: server.ready.paths[route], method: 'GET', ...settings }));
        busy[route].push(((await cpuMicros()) - cpuBefore) / 1000 / (performance.now() - startedAt));
      }
    }
    const busyText = (route: Route) => `${Math.round(100 * median(busy[route]))}%`;
    const [bare, shaped, memory, sqlite] = ROUTES.map((route) => medianRun(runs[route])) as [LoadResult, LoadResult, LoadResult, LoadResult];
    for (const [name, result] of Object.entries({ bare, shaped, memory, sqlite })) {
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    }
    const figures: Figure[] = [];
    for (const [store, result] of [
      ['memory', memory],
      ['sqlite', sqlite],
    ] as Array<[string, LoadResult]>) {
      const route = `GET /izly/payments/:id (${store === 'sqlite' ? 'SQLite' : 'memory'} store)`;
      const rps = result.requestsPerSecond;
      figures.push(
        figure({
          id: `adapter.${store}.rps`,
          group: '2. Adapter overhead',
          label: `${route} req/s`,
          value: rps,
          unit: 'req/s',
          baseline: { label: 'bare Hono', value: bare.requestsPerSecond },
          goal: { text: 'ratio ≥ 0.7', met: rps / bare.requestsPerSecond >= 0.7 },
        }),
        figure({
          id: `adapter.${store}.p50`,
          group: '2. Adapter overhead',
          label: `${route} p50`,
          value: result.latencyP50Ms,
          unit: 'ms',
          baseline: { label: 'bare Hono', value: bare.latencyP50Ms },
        }),
        figure({
          id: `adapter.${store}.p99`,
          group: '2. Adapter overhead',
          label: `${route} p99`,
          value: result.latencyP99Ms,
          unit: 'ms',
          baseline: { label: 'bare Hono', value: bare.latencyP99Ms },
        }),
      );
    }
    figures.push(
      figure({
        id: 'adapter.shaped.rps',
        group: '2. Adapter overhead',
        label: "bare Hono in the adapter's shape (mounted sub-app, error handler, middleware, async handler, catch-all) req/s",
        value: shaped.requestsPerSecond,
        unit: 'req/s',
        baseline: { label: 'bare Hono', value: bare.requestsPerSecond },
      }),
    );
    return {
      figures,
      notes: [
        `autocannon, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up then ${settings.seconds} s per route, one route after the other, all four routes on one @hono/node-server over loopback; ${rounds} round${rounds === 1 ? '' : 's'}, each figure the median of its route's runs`,
        `requests counted: bare ${bare.total}, in the adapter's shape ${shaped.total}, memory ${memory.total}, SQLite ${sqlite.total}; latency is autocannon's (1 ms resolution)`,
        `server core busy (median of the runs, CPU time over wall time): bare ${busyText('bare')}, shaped ${busyText('shaped')}, memory ${busyText('memory')}, SQLite ${busyText('sqlite')}; a route below about 90% was limited by the load generator, not by the server`,
      ],
    };
  } finally {
    await load.end();
    await server.end();
  }
}
