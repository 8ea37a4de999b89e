// How often a waiting payment is read at Izly: at the rate limit until callbacks are known to arrive, then
// only as a safety net, so that with working callbacks a payment costs Izly exactly two calls (create and
// the read that confirms the callback), and without them payments still complete. Counted with the
// harness's counting fetch in front of the real sandbox. Time is the adapter's manual clock: a test lets
// the student's hesitation pass by moving it, not by sleeping.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { APP_IDENTIFIER, STUDENT, payAsStudent, startHarness, type Harness, type HarnessOptions } from '../helpers/harness.js';
import { ManualClock } from './manual-clock.js';

const ALL_CALLS = /./;
const GETS = /\/WebPayments\/\d+$/;
const SAFETY_NET_MS = 400;
/** The safety-net interval with the policy's largest jitter (20%). */
const SAFETY_NET_LONGEST_MS = SAFETY_NET_MS * 1.2;

describe('status read policy', () => {
  let h: Harness;
  let clock: ManualClock;
  let warnings: string[];
  let onWarning: (message: string) => void;
  afterEach(() => h.close());

  async function start(adapter: HarnessOptions['adapter'] = {}) {
    warnings = [];
    onWarning = () => {};
    clock = new ManualClock();
    h = await startHarness({
      adapter: {
        clock,
        logger: {
          warn: (message) => {
            warnings.push(message);
            onWarning(message);
          },
          error() {},
        },
        ...adapter,
      },
    });
  }

  let orders = 0;
  /** Creates a payment through the route; returns its id and Izly operation id. */
  async function newPayment(): Promise<{ paymentId: string; operationId: number }> {
    const orderId = `A-${++orders}`;
    h.orders.set(orderId, { amount: 250 });
    const { paymentId } = await (await h.createPayment(orderId)).json();
    const record = await h.izly.store.get(paymentId);
    return { paymentId, operationId: Number(record!.operationId) };
  }

  /** Starts a long poll; resolves once it sleeps (its timers are set), with its answer to come. */
  async function startPoll(paymentId: string, waitSeconds: number): Promise<{ answer: Promise<Response> }> {
    const asleep = clock.nextTimerSet();
    const answer = h.getPayment(paymentId, waitSeconds);
    await asleep;
    return { answer };
  }

  /**
   * Lets `ms` pass on the adapter's clock, one timer at a time: after each, waits until the code it woke
   * sleeps again (sets its next timer) or the poll has answered.
   */
  async function letTimePass(ms: number, poll: Promise<unknown>): Promise<void> {
    const end = clock.now() + ms;
    for (;;) {
      const slept = clock.nextTimerSet();
      if (!clock.fireNext(end)) break;
      await Promise.race([slept, poll]);
    }
    clock.advance(end - clock.now());
  }

  /** A tab long-polls the payment for `watchMs` while the student decides, then the student pays; returns
   *  the Izly calls made for it, from the click to the tab's "paid". */
  async function watchedPayment(watchMs: number): Promise<number> {
    const before = h.upstreamCount('GET', ALL_CALLS) + h.upstreamCount('POST', ALL_CALLS);
    const { paymentId, operationId } = await newPayment();
    const { answer } = await startPoll(paymentId, 20);
    await letTimePass(watchMs, answer);
    h.sandbox.control.authorize(operationId, STUDENT);
    assert.equal((await (await answer).json()).status, 'paid');
    await h.sandbox.control.settled();
    return h.upstreamCount('GET', ALL_CALLS) + h.upstreamCount('POST', ALL_CALLS) - before;
  }

  test('until a callback has been seen, a waiting payment is read at the rate limit', async () => {
    await start({ statusReadIntervalMs: 50 });
    assert.ok((await watchedPayment(600)) > 4);
  });

  test('once callbacks arrive, a waiting payment costs Izly exactly 2 calls', async () => {
    await start({ statusReadIntervalMs: 50 });
    await watchedPayment(0); // its callback shows that callbacks arrive
    assert.equal(await watchedPayment(600), 2);
    assert.equal(await watchedPayment(600), 2);
  });

  test('a student back from Izly (returned=1) gets a read at the rate limit, not the safety net: a cancel sends no callback', async () => {
    await start({ statusReadIntervalMs: 50, callbacks: 'allow-listed' });
    const { paymentId } = await newPayment();
    // From the student's browser (its payer cookie): only the payer's `returned=1` may hasten a read.
    const status = async (query = '') =>
      (await (await fetch(`${h.partnerUrl}/izly/payments/${paymentId}${query}`, { headers: { Cookie: h.cookie } })).json()).status;
    assert.equal(await status(), 'pending'); // this read puts the next one a safety-net interval away
    const record = await h.izly.store.get(paymentId);
    await payAsStudent(record!.authorizationUrl!, { ...STUDENT, action: 'cancel' });
    clock.advance(60);
    assert.equal(await status(), 'pending', 'a plain poll waits for the safety net');
    assert.equal(await status('?returned=1'), 'cancelled');
  });

  test("callbacks: 'allow-listed' costs 2 calls from the first payment", async () => {
    await start({ statusReadIntervalMs: 50, callbacks: 'allow-listed' });
    assert.equal(await watchedPayment(600), 2);
  });

  test("callbacks: 'blocked' keeps reading at the rate limit even after callbacks arrived", async () => {
    await start({ statusReadIntervalMs: 50, callbacks: 'blocked' });
    await watchedPayment(0);
    assert.ok((await watchedPayment(600)) > 4);
  });

  test('callbacks that stop arriving: the safety-net read completes the payment and reads go back to the rate limit', async () => {
    await start({ statusReadIntervalMs: 50, safetyNetReadIntervalMs: SAFETY_NET_MS });
    await watchedPayment(0);
    h.sandbox.control.updatePointOfSale(APP_IDENTIFIER, { callbackAllowListed: false });
    const missed = new Promise<void>((resolve) => (onWarning = (message) => message.includes('callback never came') && resolve()));
    // Paid without a callback: the long poll still answers "paid", from a safety-net read.
    const { paymentId, operationId } = await newPayment();
    const { answer } = await startPoll(paymentId, 20);
    h.sandbox.control.authorize(operationId, STUDENT);
    await letTimePass(SAFETY_NET_LONGEST_MS, answer);
    assert.equal((await (await answer).json()).status, 'paid');
    // The callback's grace (one safety-net interval) passes without it.
    clock.advance(SAFETY_NET_MS);
    await missed;
    assert.ok(h.sandbox.control.callbackLog().some((attempt) => attempt.outcome === 'blocked'));
    // Trust is gone: the next waiting payment is read at the rate limit again.
    const reads = h.upstreamCount('GET', GETS);
    const next = await newPayment();
    const { answer: waiting } = await startPoll(next.paymentId, 1);
    await letTimePass(1000, waiting);
    assert.equal((await (await waiting).json()).status, 'pending');
    assert.ok(h.upstreamCount('GET', GETS) - reads > 4);
    assert.equal(h.hooks.paid.length, 2);
  });

  test('a poll that finds nothing new adds nothing to the event log', async () => {
    await start({ statusReadIntervalMs: 0 });
    const { paymentId } = await newPayment();
    const logged = (await h.izly.store.events(paymentId)).length;
    for (let i = 0; i < 5; i++) assert.equal((await h.getPayment(paymentId)).status, 200);
    assert.ok(h.upstreamCount('GET', GETS) >= 5);
    assert.equal((await h.izly.store.events(paymentId)).length, logged);
  });
});
