// 6. Memory: resident memory the partner's server adds per 1,000 waiting long polls (each on its own
// payment and its own connection), beside a bare Hono route holding as many requests and doing nothing else.
// The server is a child run with --expose-gc, measured after a full GC before and after the requests are
// held; the clients and the sandbox are in this process, so their memory is not counted.
import { setMaxListeners } from 'node:events';
import { STUDENT } from './children/bench-constants.js';
import { createPayments, sleep, startWorld, until, type World } from './izly-world.js';
import { median } from './percentiles.js';
import { figure, type BenchResult } from './report.js';

const WARM_UP_REQUESTS = 50;

type Memory = { rss: number; heapUsed: number; gc: boolean };
type Variant = 'long-poll' | 'bare';

/** The URLs to hold: long polls on fresh pending payments, or the bare route. */
async function targets(world: World, variant: Variant, count: number): Promise<string[]> {
  if (variant === 'bare') return Array.from({ length: count }, () => `${world.partner.ready.url}/bare/hold`);
  return (await createPayments(world.endpoint, count)).map((id) => `${world.endpoint}/payments/${id}?wait=25`);
}

/** Sends the requests and resolves once the server holds all of them, with their answers to come (wrapped:
 *  an async function returning a bare promise would wait for it). */
async function hold(world: World, variant: Variant, urls: string[], signal: AbortSignal): Promise<{ answers: Promise<unknown> }> {
  const counter = variant === 'bare' ? 'held' : 'longPolls';
  const holding = async () => (await world.partner.ask<Record<string, number>>({ type: 'stats' }))[counter]!;
  const before = await holding();
  const answers = Promise.all(
    urls.map((url) =>
      fetch(url, { signal })
        .then((response) => response.text())
        .catch(() => undefined),
    ),
  );
  await until(async () => (await holding()) >= before + urls.length, 20_000, `${urls.length} held requests`);
  return { answers };
}

/** Ends held requests: the bare route is released, long polls are paid (so they answer). */
async function finish(world: World, variant: Variant): Promise<void> {
  if (variant === 'bare') {
    await world.partner.ask({ type: 'release' });
    return;
  }
  for (const operation of world.sandbox.control.operations()) {
    if (operation.status === 'Pending') world.sandbox.control.authorize(operation.id, STUDENT);
  }
}

/** Bytes of RSS (and of heap) the server adds while holding `count` requests. */
async function measure(variant: Variant, count: number, settleMs: number): Promise<{ rss: number; heap: number; gc: boolean }> {
  const world = await startWorld({ nodeArgs: ['--expose-gc'] });
  const stop = new AbortController();
  // One listener per request in flight on this signal, by design: thousands of them.
  setMaxListeners(0, stop.signal);
  const limit = setTimeout(() => stop.abort(), 60_000);
  try {
    // Warm-up: the code that holds and answers requests runs before anything is measured.
    const warm = await hold(world, variant, await targets(world, variant, WARM_UP_REQUESTS), stop.signal);
    await finish(world, variant);
    await warm.answers;
    await world.sandbox.control.settled();

    // Payments (for long polls) exist before the first measure: only the waiting is counted.
    const urls = await targets(world, variant, count);
    await sleep(settleMs);
    const before = await world.partner.ask<Memory>({ type: 'memory' });
    const held = await hold(world, variant, urls, stop.signal);
    await sleep(settleMs);
    const during = await world.partner.ask<Memory>({ type: 'memory' });
    await finish(world, variant);
    await held.answers;
    return { rss: during.rss - before.rss, heap: during.heapUsed - before.heapUsed, gc: before.gc };
  } finally {
    clearTimeout(limit);
    stop.abort();
    await world.end();
  }
}

/** `settleMs`: time given to the held requests (first status reads done, buffers allocated) before measuring. */
export async function memoryPerLongPoll(options: { longPolls: number; repetitions: number; settleMs: number }): Promise<BenchResult> {
  const count = options.longPolls;
  const perThousandMB = (bytes: number) => (bytes * (1000 / count)) / 2 ** 20;
  const longPolls: Array<{ rss: number; heap: number; gc: boolean }> = [];
  const bares: Array<{ rss: number; heap: number; gc: boolean }> = [];
  // RSS moves by whole pages and allocator arenas: several fresh servers, alternated, and the median.
  for (let run = 0; run < options.repetitions; run++) {
    longPolls.push(await measure('long-poll', count, options.settleMs));
    bares.push(await measure('bare', count, options.settleMs));
  }
  const medianMB = (runs: Array<{ rss: number; heap: number }>, key: 'rss' | 'heap') => perThousandMB(median(runs.map((run) => run[key])));
  const value = medianMB(longPolls, 'rss');
  const heap = medianMB(longPolls, 'heap');
  const gc = [...longPolls, ...bares].every((run) => run.gc);
  const each = (runs: Array<{ rss: number }>) => runs.map((run) => perThousandMB(run.rss).toFixed(1)).join(', ');
  return {
    figures: [
      figure({
        id: 'memory.long-poll.rss',
        group: '6. Memory',
        label: 'RSS added per 1,000 waiting long polls',
        value,
        unit: 'MB',
        baseline: { label: 'bare Hono route holding requests', value: medianMB(bares, 'rss') },
        goal: { text: '< 20 MB', met: value < 20 },
      }),
      // RSS can under-count (held requests reuse pages freed earlier but still resident); live heap objects
      // are resident for sure, so the goal is met only when the heap alone is under it too.
      figure({
        id: 'memory.long-poll.heap',
        group: '6. Memory',
        label: 'JS heap added per 1,000 waiting long polls',
        value: heap,
        unit: 'MB',
        baseline: { label: 'bare Hono route holding requests', value: medianMB(bares, 'heap') },
        goal: { text: '< 20 MB', met: heap < 20 },
      }),
    ],
    notes: [
      `${count} requests held at once, each on its own connection and (long polls) its own pending payment, scaled to 1,000; median of ${options.repetitions} fresh server${options.repetitions > 1 ? 's' : ''} per line (RSS runs: long polls ${each(longPolls)} MB; bare ${each(bares)} MB)`,
      `server measured after a full GC${gc ? '' : ' (NOT AVAILABLE: --expose-gc was refused, figures include garbage)'} ${options.settleMs / 1000} s after the requests are all held, against the same server just before (payments already created, code warmed up by ${WARM_UP_REQUESTS} requests); default adapter settings: the warm-up's callbacks tell the adapter that callbacks arrive, so the waiting payments are read at Izly only every 30 s (a safety net), none of them within the measure`,
    ],
  };
}
