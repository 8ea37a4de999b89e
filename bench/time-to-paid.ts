// 4. Time to "paid": N payments wait at once, then the student decides each one (sandbox `control.authorize`,
// which sends Izly's real callback over HTTP to the adapter). Measured per payment: from the callback's
// arrival at the partner's server (noted in the child before the adapter sees it) to the answer that says
// "paid" at the client. Clients: widget-like long polls (`?wait=25`, asked again when they come back
// unanswered), beside the baseline of plain polling every 2 s (no `wait`). A fresh partner process per line.
import { setMaxListeners } from 'node:events';
import { percentile } from './percentiles.js';
import { createPayments, sleep, startWorld, until, type World } from './izly-world.js';
import { STUDENT } from './children/bench-constants.js';
import { figure, type BenchResult, type Figure } from './report.js';
import { BENCH_DATABASE_SERVER, createBenchDatabase } from './throwaway-database.js';

type Mode = 'long-poll' | 'polling';

const POLL_INTERVAL_MS = 2_000;
const LONG_POLL_WAIT_SECONDS = 25;
/** Decisions come in at most this fast (one every 5 ms), spread over at most 5 s. */
const DECISION_GAP_MS = 5;
const DECISION_SPREAD_MAX_MS = 5_000;
/** After the last decision, clients get this long to see "paid" before they are stopped. */
const SETTLE_LIMIT_MS = 30_000;

const now = () => performance.timeOrigin + performance.now();

interface ScenarioResult {
  latencies: number[];
  /** Answered "paid" before the callback arrived (a status read at Izly got there first). */
  beforeCallback: number;
  /** Never answered "paid", or no callback arrived, within the limits. */
  missing: number;
  clientErrors: number;
  spreadMs: number;
}

/** Payments run through the whole path first in each fresh partner, so that its code is warm, as a
 *  server's is in production; they are not measured. */
async function warmUp(world: World, payments: number): Promise<void> {
  const ids = await createPayments(world.endpoint, payments);
  const { operationIds } = await world.partner.ask<{ operationIds: number[] }>({ type: 'operations', paymentIds: ids });
  const answers = ids.map((id) => fetch(`${world.endpoint}/payments/${id}?wait=10`, { signal: AbortSignal.timeout(15_000) }).then((r) => r.json()));
  await until(async () => (await world.partner.ask<{ longPolls: number }>({ type: 'stats' })).longPolls >= ids.length, 10_000, 'the warm-up long polls');
  for (const operationId of operationIds) world.sandbox.control.authorize(operationId, STUDENT);
  const statuses = (await Promise.all(answers)) as Array<{ status: string }>;
  if (statuses.some(({ status }) => status !== 'paid')) throw new Error('a warm-up payment did not end paid');
  await world.sandbox.control.settled();
}

async function scenario(mode: Mode, count: number, warmUpPayments: number, databaseUrl?: string): Promise<ScenarioResult> {
  const world: World = await startWorld(databaseUrl ? { databaseUrl } : {});
  const stop = new AbortController();
  // One listener per request in flight on this signal, by design: thousands of them.
  setMaxListeners(0, stop.signal);
  const answeredAt = new Map<string, number>();
  let clientErrors = 0;
  try {
    await warmUp(world, warmUpPayments);
    const ids = await createPayments(world.endpoint, count);
    const { operationIds } = await world.partner.ask<{ operationIds: number[] }>({ type: 'operations', paymentIds: ids });

    /** One GET; returns the status, or null after a network error (counted; the client tries again). */
    const read = async (id: string, wait: number): Promise<string | null> => {
      try {
        const response = await fetch(`${world.endpoint}/payments/${id}${wait > 0 ? `?wait=${wait}` : ''}`, { signal: stop.signal });
        const at = now();
        const { status } = (await response.json()) as { status: string };
        if (status === 'paid' && !answeredAt.has(id)) answeredAt.set(id, at);
        return status;
      } catch {
        if (!stop.signal.aborted) clientErrors++;
        return null;
      }
    };
    const open = (status: string | null) => status === null || status === 'pending' || status === 'created';

    const longPollClient = async (id: string) => {
      while (!stop.signal.aborted) {
        const status = await read(id, LONG_POLL_WAIT_SECONDS);
        if (!open(status)) return;
        if (status === null) await sleep(100); // a short pause after a network error, as the widget backs off
      }
    };
    const pollingClient = async (id: string) => {
      // Clients are out of phase, as real tabs opened at different moments are.
      const start = performance.now() + Math.random() * POLL_INTERVAL_MS;
      for (let tick = 0; !stop.signal.aborted; tick++) {
        await sleep(Math.max(0, start + tick * POLL_INTERVAL_MS - performance.now()));
        if (stop.signal.aborted || !open(await read(id, 0))) return;
      }
    };
    const clients = Promise.all(ids.map(mode === 'long-poll' ? longPollClient : pollingClient));

    if (mode === 'long-poll') {
      await until(async () => (await world.partner.ask<{ longPolls: number }>({ type: 'stats' })).longPolls >= count, 20_000, `${count} long polls to be held`);
    } else {
      await sleep(POLL_INTERVAL_MS); // every client has polled once
    }

    const spreadMs = Math.min(DECISION_SPREAD_MAX_MS, (count - 1) * DECISION_GAP_MS);
    const began = performance.now();
    for (let index = 0; index < count; index++) {
      const due = began + (count > 1 ? (index * spreadMs) / (count - 1) : 0);
      if (due > performance.now()) await sleep(due - performance.now());
      const outcome = world.sandbox.control.authorize(operationIds[index]!, STUDENT);
      if (outcome.kind !== 'accepted') throw new Error(`the sandbox did not accept payment ${index}: ${outcome.kind}`);
    }

    const limit = setTimeout(() => stop.abort(), SETTLE_LIMIT_MS);
    await clients;
    clearTimeout(limit);
    stop.abort();

    const { arrivals } = await world.callbackPartner.ask<{ arrivals: Record<string, number> }>({ type: 'arrivals' });
    const latencies: number[] = [];
    let beforeCallback = 0;
    let missing = 0;
    for (const id of ids) {
      const answered = answeredAt.get(id);
      const arrived = arrivals[id];
      if (answered === undefined || arrived === undefined) missing++;
      else if (answered < arrived) beforeCallback++;
      else latencies.push(answered - arrived);
    }
    return { latencies, beforeCallback, missing, clientErrors, spreadMs };
  } finally {
    stop.abort();
    await world.end();
  }
}

/** Both scenarios at each count, as figures `{idPrefix}.{count}.p50|p99`. */
async function measureCounts(options: {
  waiting: number[];
  warmUpPayments: number;
  idPrefix: string;
  group: string;
  databaseUrl?: string;
}): Promise<{ figures: Figure[]; notes: string[] }> {
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const count of options.waiting) {
    const longPoll = await scenario('long-poll', count, options.warmUpPayments, options.databaseUrl);
    const polling = await scenario('polling', count, options.warmUpPayments, options.databaseUrl);
    for (const [name, p] of [
      ['p50', 50],
      ['p99', 99],
    ] as const) {
      const value = percentile(longPoll.latencies, p);
      figures.push(
        figure({
          id: `${options.idPrefix}.${count}.${name}`,
          group: options.group,
          label: `${count} waiting, long poll ${name}`,
          value,
          unit: 'ms',
          baseline: { label: 'polling every 2 s', value: percentile(polling.latencies, p) },
          ...(name === 'p99' && count === 1000 ? { goal: { text: 'p99 ≤ 100 ms at 1,000', met: value <= 100 } } : {}),
        }),
      );
    }
    const describe = (r: ScenarioResult) =>
      `${r.latencies.length} measured, ${r.beforeCallback} settled by a status read before their callback, ${r.missing} missing, ${r.clientErrors} client errors`;
    notes.push(
      `${count} waiting (decisions spread over ${(longPoll.spreadMs / 1000).toFixed(2)} s): long poll ${describe(longPoll)}; polling ${describe(polling)}`,
    );
  }
  return { figures, notes };
}

export async function timeToPaid(options: { waiting: number[]; warmUpPayments: number }): Promise<BenchResult> {
  const { figures, notes } = await measureCounts({ ...options, idPrefix: 'paid', group: '4. Time to "paid"' });
  notes.push(
    `the sandbox (Izly) and the clients run in this process on the load core, the partner server alone on the server core; a fresh partner per line, warmed up by ${options.warmUpPayments} payments paid the same way and not measured; default adapter settings (callbacks: 'auto': the warm-up's callbacks tell the adapter that callbacks arrive, so waiting payments are read at Izly only every 30 s as a safety net)`,
  );
  return { figures, notes };
}

/**
 * 4b. The same across two instances behind one address (issue 9): both partner instances share a throwaway
 * PostgreSQL database, Izly's callbacks reach instance A and the clients long-poll instance B, which is woken
 * by PostgreSQL's LISTEN/NOTIFY. Skipped, with a note, when no PostgreSQL server is configured.
 */
export async function timeToPaidAcrossInstances(options: { waiting: number[]; warmUpPayments: number }): Promise<BenchResult> {
  if (!BENCH_DATABASE_SERVER) {
    return {
      figures: [],
      notes: [
        'skipped: no PostgreSQL server (set IZLY_PAY_BENCH_DATABASE_URL, or IZLY_PAY_TEST_DATABASE_URL as .ci/run does, to a URL whose user may CREATE DATABASE)',
      ],
    };
  }
  const database = await createBenchDatabase(BENCH_DATABASE_SERVER);
  try {
    const { figures, notes } = await measureCounts({ ...options, idPrefix: 'paid-2', group: '4b. Time to "paid", two instances', databaseUrl: database.url });
    notes.push(
      `two partner instances (postgresStore, a throwaway database on the configured server, dropped after) on the server core; the callbacks reach A, the clients long-poll B, which wakes on PostgreSQL's NOTIFY; A's clock and the client's are both the machine's wall clock; PostgreSQL itself is not pinned; warmed up by ${options.warmUpPayments} payments paid the same way (which also tell B, through the store, that callbacks arrive)`,
    );
    return { figures, notes };
  } finally {
    await database.drop();
  }
}
