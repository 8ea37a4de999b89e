// 3. Payment creation: POST /izly/payments per second, the adapter calling the sandbox of the same process
// over loopback, beside the sandbox's own POST /api/Izly/WebPayments called directly. Every request is a
// new order with a new Idempotency-Key (autocannon's `[<id>]`), so each one creates an Izly operation.
// The four lines are measured in turn, `rounds` times, and each figure is the median of its line's runs:
// on this 2-core machine one run of a line moved by ±30% from the next, which one round turned into a
// ratio off by as much.
import { startChild } from './child-process.js';
import type { LoadSettings } from './adapter-overhead.js';
import { medianRun, startLoadGenerator, type LoadResult } from './load-generator.js';
import { DEMO_API_KEY, DEMO_APP_ID, IZLY_CONTENT_TYPE } from './children/bench-constants.js';
import { figure, type BenchResult, type Figure } from './report.js';

type Ready = { sandboxUrl: string; partnerUrl: string };

/** Issue 13's goals against the floor: the memory store's own share, and SQLite's two commits per creation on top. */
const FLOOR_GOALS: Record<string, number> = { memory: 0.7, sqlite: 0.6 };

async function measureOn(store: 'memory' | 'sqlite', run: (ready: Ready) => Promise<LoadResult>): Promise<{ result: LoadResult; operations: number }> {
  const server = await startChild<Ready>('bench/children/create-server.ts', { role: 'server', env: { STORE: store } });
  try {
    const result = await run(server.ready);
    const { operations } = await server.ask<{ operations: number }>({ type: 'count' });
    return { result, operations };
  } finally {
    await server.end();
  }
}

function checked(name: string, { result, operations }: { result: LoadResult; operations: number }): LoadResult {
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  // Every answered request made an Izly operation (warm-up included): nothing was answered from a cache.
  if (operations < result.total) throw new Error(`${name}: ${result.total} answers but only ${operations} Izly operations`);
  return result;
}

export async function paymentCreation(settings: LoadSettings, rounds: number): Promise<BenchResult> {
  const load = await startLoadGenerator();
  try {
    const sandboxDirect = () =>
      measureOn('memory', ({ sandboxUrl }) =>
        load.run({
          url: `${sandboxUrl}/api/Izly/WebPayments`,
          method: 'POST',
          headers: { Authorization: `Basic ${DEMO_API_KEY}`, AppIdentifier: DEMO_APP_ID, 'Content-Type': IZLY_CONTENT_TYPE },
          body: JSON.stringify({ Amount: 250, ClientOrderId: '[<id>]', CallbackParameters: 'p=bench', RedirectUrlAfterPayment: 'https://shop.example/order' }),
          ...settings,
        }),
      );
    const throughPartner = (store: 'memory' | 'sqlite', path: string) => () =>
      measureOn(store, ({ partnerUrl }) =>
        load.run({
          url: `${partnerUrl}${path}`,
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': '[<id>]' },
          body: JSON.stringify({ orderId: '[<id>]', returnUrl: 'https://shop.example/order' }),
          ...settings,
        }),
      );
    const lines = {
      sandbox: sandboxDirect,
      'bare forwarder': throughPartner('memory', '/forward/payments'),
      'adapter (memory)': throughPartner('memory', '/izly/payments'),
      'adapter (SQLite)': throughPartner('sqlite', '/izly/payments'),
    };
    const runs = new Map<string, LoadResult[]>(Object.keys(lines).map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, measure] of Object.entries(lines)) runs.get(name)!.push(checked(name, await measure()));
    }
    const [direct, forward, memory, sqlite] = [...runs.values()].map(medianRun) as [LoadResult, LoadResult, LoadResult, LoadResult];

    const figures: Figure[] = [];
    for (const [store, result] of [
      ['memory', memory],
      ['sqlite', sqlite],
    ] as Array<[string, LoadResult]>) {
      const label = `POST /izly/payments (${store === 'sqlite' ? 'SQLite' : 'memory'} store)`;
      figures.push(
        figure({
          id: `create.${store}.rps`,
          group: '3. Payment creation',
          label: `${label} req/s`,
          value: result.requestsPerSecond,
          unit: 'req/s',
          baseline: { label: 'sandbox WebPayments direct', value: direct.requestsPerSecond },
          goal: { text: 'ratio ≥ 0.5', met: result.requestsPerSecond / direct.requestsPerSecond >= 0.5 },
        }),
        figure({
          id: `create.${store}.p99`,
          group: '3. Payment creation',
          label: `${label} p99`,
          value: result.latencyP99Ms,
          unit: 'ms',
          baseline: { label: 'sandbox WebPayments direct', value: direct.latencyP99Ms },
        }),
        figure({
          id: `create.${store}.vs-forward`,
          group: '3. Payment creation',
          label: `${label} req/s against the floor`,
          value: result.requestsPerSecond,
          unit: 'req/s',
          baseline: { label: 'bare route forwarding to the sandbox', value: forward.requestsPerSecond },
          goal: { text: `ratio ≥ ${FLOOR_GOALS[store]}`, met: result.requestsPerSecond / forward.requestsPerSecond >= FLOOR_GOALS[store]! },
        }),
      );
    }
    figures.push(
      figure({
        id: 'create.forward.rps',
        group: '3. Payment creation',
        label: 'bare route forwarding to the sandbox with fetch (the floor) req/s',
        value: forward.requestsPerSecond,
        unit: 'req/s',
        baseline: { label: 'sandbox WebPayments direct', value: direct.requestsPerSecond },
      }),
    );
    return {
      figures,
      notes: [
        `autocannon, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up then ${settings.seconds} s; a fresh server process per run (sandbox + adapter in one process on the server core), so stores start empty`,
        `${rounds} round${rounds === 1 ? '' : 's'} of the four lines in turn; each figure is the median of its line's runs`,
        `payments created: sandbox direct ${direct.total}, bare forwarder ${forward.total}, adapter memory ${memory.total}, adapter SQLite ${sqlite.total} (each request a new order and key)`,
        "the floor: a bare Hono route on the partner server that POSTs the same payment to the sandbox with fetch and answers its JSON — a second HTTP server and an HTTP client per payment, which no adapter avoids; the ratio against it is the adapter's own share",
      ],
    };
  } finally {
    await load.end();
  }
}
