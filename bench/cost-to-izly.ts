// 5. Cost to Izly: requests the adapter sends to Izly per payment, counted by wrapping the fetch its client
// uses (the wrapper only counts and forwards to the real sandbox over loopback). Default adapter settings.
//   - with the callback, redirect mode: nobody polls while the student is at Izly; the tab that comes back
//     reads the payment once it is paid;
//   - with the callback, popup mode: the page long-polls (as the widget does) while the student decides;
//   - callbacks blocked (POS not allow-listed yet), in a partner of its own that has never seen a callback:
//     1, 10 or 100 tabs long-poll one payment for a window, then the student pays and every tab waits until
//     it sees "paid".
// The adapter reads a waiting payment at Izly every 2 s until it has seen a verified callback, then only every
// 30 s (a safety net): the first two lines run after a first callback, as on a partner that is live.
import { Hono } from 'hono';
import { createSandbox, type Sandbox } from '../sandbox/index.js';
import { izlyPay, memoryStore, type IzlyPayApp } from '../server-adapter/index.js';
import { BENCH_SECRET, DEMO_API_KEY, DEMO_APP_ID, STUDENT, quietLogger } from './children/bench-constants.js';
import { closeServer, createPayments, listen, sleep, until } from './izly-world.js';
import { figure, type BenchResult, type Figure } from './report.js';

const LONG_POLL_WAIT_SECONDS = 25;
const SEE_PAID_LIMIT_MS = 15_000;

interface CountingWorld {
  sandbox: Sandbox;
  izly: IzlyPayApp;
  endpoint: string;
  upstreamCalls(): number;
  end(): Promise<void>;
}

async function startCountingWorld(options: { callbacksAllowListed: boolean }): Promise<CountingWorld> {
  let sandbox: Sandbox | undefined;
  let partner: Hono | undefined;
  const sandboxServer = await listen((request) => sandbox!.fetch(request));
  const partnerServer = await listen((request) => partner!.fetch(request));
  sandbox = createSandbox({ publicUrl: sandboxServer.url, callbackRetryDelayMs: 1_000 });
  sandbox.control.updatePointOfSale(DEMO_APP_ID, { callbackUrl: `${partnerServer.url}/izly/callback`, callbackAllowListed: options.callbacksAllowListed });
  let calls = 0;
  const izly = izlyPay({
    baseUrl: sandboxServer.url,
    appIdentifier: DEMO_APP_ID,
    apiKey: DEMO_API_KEY,
    secret: BENCH_SECRET,
    store: memoryStore(),
    allowedOrigins: ['https://shop.example'],
    order: () => ({ amount: 100 }),
    logger: quietLogger,
    // Only counts and forwards: the real sandbox answers every request.
    fetch: (request) => {
      calls++;
      return fetch(request);
    },
  });
  partner = new Hono().route('/izly', izly);
  return {
    sandbox,
    izly,
    endpoint: `${partnerServer.url}/izly`,
    upstreamCalls: () => calls,
    async end() {
      sandbox!.control.close();
      await closeServer(partnerServer.server);
      await closeServer(sandboxServer.server);
    },
  };
}

/** A tab following a payment as the widget does: long polls, one after the other, until it is final. */
async function tab(endpoint: string, paymentId: string, signal: AbortSignal): Promise<string> {
  while (!signal.aborted) {
    try {
      const response = await fetch(`${endpoint}/payments/${paymentId}?wait=${LONG_POLL_WAIT_SECONDS}`, { signal });
      const { status } = (await response.json()) as { status: string };
      if (status !== 'pending' && status !== 'created') return status;
    } catch {
      if (!signal.aborted) await sleep(100);
    }
  }
  return 'stopped';
}

/** Creates one payment through the adapter's route; returns its id and its Izly operation id. */
async function onePayment(world: CountingWorld): Promise<{ paymentId: string; operationId: number }> {
  const [paymentId] = await createPayments(world.endpoint, 1);
  const record = await world.izly.store.get(paymentId!);
  return { paymentId: paymentId!, operationId: Number(record!.operationId) };
}

async function redirectMode(world: CountingWorld): Promise<number> {
  const before = world.upstreamCalls();
  const { paymentId, operationId } = await onePayment(world);
  world.sandbox.control.authorize(operationId, STUDENT);
  await world.sandbox.control.settled();
  const answer = (await (await fetch(`${world.endpoint}/payments/${paymentId}?wait=${LONG_POLL_WAIT_SECONDS}`)).json()) as { status: string };
  if (answer.status !== 'paid') throw new Error(`redirect mode: the payment is ${answer.status}, not paid`);
  return world.upstreamCalls() - before;
}

async function popupMode(world: CountingWorld, thinkSeconds: number): Promise<number> {
  const before = world.upstreamCalls();
  const { paymentId, operationId } = await onePayment(world);
  const stop = new AbortController();
  const following = tab(world.endpoint, paymentId, stop.signal);
  await sleep(thinkSeconds * 1000);
  world.sandbox.control.authorize(operationId, STUDENT);
  const limit = setTimeout(() => stop.abort(), SEE_PAID_LIMIT_MS);
  const status = await following;
  clearTimeout(limit);
  if (status !== 'paid') throw new Error(`popup mode: the tab saw ${status}, not paid`);
  await world.sandbox.control.settled();
  return world.upstreamCalls() - before;
}

async function callbacksBlocked(world: CountingWorld, tabs: number, windowSeconds: number): Promise<number> {
  const before = world.upstreamCalls();
  const { paymentId, operationId } = await onePayment(world);
  const stop = new AbortController();
  const following = Promise.all(Array.from({ length: tabs }, () => tab(world.endpoint, paymentId, stop.signal)));
  await sleep(windowSeconds * 1000);
  world.sandbox.control.authorize(operationId, STUDENT);
  const limit = setTimeout(() => stop.abort(), SEE_PAID_LIMIT_MS);
  const statuses = await following;
  clearTimeout(limit);
  if (statuses.some((status) => status !== 'paid')) throw new Error(`callbacks blocked, ${tabs} tabs: not every tab saw paid`);
  await until(async () => (await world.izly.store.get(paymentId))?.status === 'paid', 5_000, 'the payment to be paid');
  return world.upstreamCalls() - before;
}

export async function costToIzly(options: { tabs: number[]; windowSeconds: number; thinkSeconds: number }): Promise<BenchResult> {
  const group = '5. Cost to Izly';
  const live = await startCountingWorld({ callbacksAllowListed: true });
  let firstPopup: number;
  let redirect: number;
  let popup: number;
  try {
    // The partner's first payment after start: no callback seen yet, so the waiting tab's reads run at 2 s.
    firstPopup = await popupMode(live, options.thinkSeconds);
    redirect = await redirectMode(live);
    popup = await popupMode(live, options.thinkSeconds);
  } finally {
    await live.end();
  }
  const world = await startCountingWorld({ callbacksAllowListed: false });
  try {
    const figures: Figure[] = [
      figure({
        id: 'cost.callback.redirect',
        group,
        label: 'with callback, redirect (nobody polls while the student decides)',
        value: redirect,
        unit: 'calls',
        baseline: null,
        goal: { text: 'exactly 2', met: redirect === 2 },
      }),
      figure({
        id: 'cost.callback.popup',
        group,
        label: `with callback, popup (a tab long-polls; student decides in ${options.thinkSeconds} s)`,
        value: popup,
        unit: 'calls',
        baseline: null,
        goal: { text: 'exactly 2', met: popup === 2 },
      }),
      figure({
        id: 'cost.callback.popup-first',
        group,
        label: 'the same, first payment after start (no callback seen yet)',
        value: firstPopup,
        unit: 'calls',
        baseline: null,
      }),
    ];
    const blocked = new Map<number, number>();
    for (const tabs of options.tabs) blocked.set(tabs, await callbacksBlocked(world, tabs, options.windowSeconds));
    const single = blocked.get(options.tabs[0]!)!;
    for (const [tabs, calls] of blocked) {
      figures.push(
        figure({
          id: `cost.blocked.${tabs}`,
          group,
          label: `callbacks blocked, ${tabs} tab${tabs > 1 ? 's' : ''} for ${options.windowSeconds} s`,
          value: calls,
          unit: 'calls',
          baseline: { label: `${options.tabs[0]} tab`, value: single },
          ...(tabs !== options.tabs[0] ? { goal: { text: `same as ${options.tabs[0]} tab (±1)`, met: Math.abs(calls - single) <= 1 } } : {}),
        }),
      );
    }
    return {
      figures,
      notes: [
        'counted: every request through the fetch of the adapter\'s Izly client (initiate, status reads), from the click to the moment every tab has seen "paid"',
        "default adapter settings (callbacks: 'auto'): a waiting payment is read at Izly at most every 2 s (+ up to 20% jitter) until a verified callback has been seen, then every 30 s (+ jitter) as a safety net; lines run in the order first popup, redirect, popup: the callback of the first popup is the one that tells the adapter that callbacks arrive",
        `callbacks blocked: a second partner whose POS was never allow-listed (no callback ever seen, so reads stay at the 2 s rate limit); tabs long-poll with wait=${LONG_POLL_WAIT_SECONDS} as the widget does; window ${options.windowSeconds} s, then the student pays (±1 on "same": where the window edge falls against the read schedule)`,
      ],
    };
  } finally {
    await world.end();
  }
}
