// Abuse, as an attacker on loopback would try it (issue 14): taking over another student's open payment,
// flooding Izly through the adapter (creations, re-clicks, replayed callbacks), holding long polls, and
// the case the limits must never refuse: 300 students behind one campus NAT address. Clients come from
// 127.0.0.1 and 127.0.0.2 to a real server that sees their addresses; Izly is the real sandbox; time is
// the adapter's injected clock, moved by the test.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { payAsStudent, startHarness, STUDENT, type Harness, type HarnessOptions } from '../helpers/harness.js';
import { closeServer } from '../helpers/http-server.js';
import { ManualClock } from '../payments/manual-clock.js';
import { LoopbackClient, serveAdapter, type Answer } from './loopback-clients.js';
import { recordCheck } from './reliability-log.js';

const AREA = 'Abuse and limits';
const INITIATIONS = /\/WebPayments$/;
const READS = /\/WebPayments\/\d+$/;

interface World {
  h: Harness;
  clock: ManualClock;
  /** The adapter's own server, which sees each client's address. */
  base: string;
  /** Resolves once that many requests have reached the server (counting from this call). */
  arrivals(count: number): Promise<void>;
  close(): Promise<void>;
}

async function startWorld(adapter: HarnessOptions['adapter'] = {}): Promise<World> {
  const clock = new ManualClock();
  const h = await startHarness({ adapter: { clock, statusReadIntervalMs: 2_000, ...adapter } });
  const { url, server, arrivals } = await serveAdapter(h.izly);
  return {
    h,
    clock,
    base: url,
    arrivals,
    async close() {
      await closeServer(server);
      await h.close();
    },
  };
}

/**
 * Waits for `work` while moving the clock to each timer due within `stepMs` (a fresh read waiting for its
 * turn, a long poll's next look): the adapter's waits pass on its clock, not on the wall's.
 */
async function onTheClock<T>(clock: ManualClock, work: Promise<T>, stepMs: number): Promise<T> {
  let done = false;
  const finished = work.finally(() => (done = true));
  while (!done) {
    if (clock.fireNext(clock.now() + stepMs)) continue;
    await Promise.race([finished, clock.nextTimerSet()]);
  }
  return finished;
}

/**
 * Waits for the first of `polls` to answer (the refused one: a held poll answers only once the payment
 * changes) and gives the others, still held. The requests travel on separate connections, so which of them
 * the adapter sees last is not known in advance.
 */
async function oneRefused(polls: Promise<Answer>[]): Promise<{ refused: Answer; held: Promise<Answer>[] }> {
  const first = await Promise.race(polls.map((poll, index) => poll.then((answer) => ({ answer, index }))));
  return { refused: first.answer, held: polls.filter((_, index) => index !== first.index) };
}

/** A 429 in the JSON error shape with a Retry-After of at least one second. */
function assertRateLimited(answer: Answer): void {
  assert.equal(answer.status, 429);
  assert.deepEqual(Object.keys(answer.json().error), ['code', 'message']);
  assert.equal(answer.json().error.code, 'rate_limited');
  assert.ok(Number(answer.headers['retry-after']) >= 1, `Retry-After ${String(answer.headers['retry-after'])}`);
}

describe('abuse: takeovers, floods and long polls held to the limits', () => {
  let world: World;
  afterEach(() => world.close());

  test('another browser at another address cannot take over, read or cancel open payments', async () => {
    world = await startWorld();
    const { h, base } = world;
    const victim = new LoopbackClient('127.0.0.1');
    const attacker = new LoopbackClient('127.0.0.2');
    const orders = Array.from({ length: 20 }, (_, i) => `T-${i}`);
    for (const orderId of orders) h.orders.set(orderId, { amount: 330 });
    const keys = orders.map(() => crypto.randomUUID());
    const open = [];
    for (const [i, orderId] of orders.entries()) open.push((await victim.createPayment(base, h.partnerUrl, orderId, keys[i])).json());
    // The attacker has a payer cookie of its own, from an order of its own.
    h.orders.set('T-own', { amount: 100 });
    assert.equal((await attacker.createPayment(base, h.partnerUrl, 'T-own')).status, 201);
    const operationsBefore = h.upstreamCount('POST', INITIATIONS);
    const readsBefore = h.upstreamCount('GET', READS);

    // A click for an open payment reads it at Izly first (a cancel may have freed the order), at most once per
    // interval: the clock is moved to let such reads have their turn.
    const answers: Answer[] = [];
    await onTheClock(
      world.clock,
      (async () => {
        for (const [i, orderId] of orders.entries()) {
          answers.push(await attacker.createPayment(base, h.partnerUrl, orderId)); // a new key
          answers.push(await attacker.createPayment(base, h.partnerUrl, orderId, keys[i])); // the victim's key
        }
      })(),
      2_000,
    );
    for (const answer of answers) {
      assert.equal(answer.status, 409);
      assert.equal(answer.json().error.code, 'payment_in_progress');
    }
    const reads = await Promise.all(open.map(async ({ paymentId }) => (await attacker.send(`${base}/izly/payments/${paymentId}`)).json()));
    for (const [i, read] of reads.entries()) assert.deepEqual(read, { paymentId: open[i].paymentId, status: 'pending' });
    const seen = JSON.stringify(answers.map((answer) => answer.text));
    for (const payment of open) assert.ok(!seen.includes(payment.paymentId) && !seen.includes(payment.authorizationUrl));
    assert.equal(h.upstreamCount('POST', INITIATIONS), operationsBefore, 'no Izly operation for the attacker');
    // A click for an open payment reads it at Izly (one read per order here: at most one per interval).
    const attackReads = h.upstreamCount('GET', READS) - readsBefore;
    assert.ok(attackReads <= orders.length, `${attackReads} Izly reads`);
    // The victim's payments are intact: a re-click gives each back, payable.
    const again = await onTheClock(world.clock, Promise.all(orders.map((orderId) => victim.createPayment(base, h.partnerUrl, orderId))), 2_000);
    for (const [i, answer] of again.entries()) {
      assert.equal(answer.status, 200);
      assert.equal(answer.json().authorizationUrl, open[i].authorizationUrl);
    }
    const paid = await onTheClock(world.clock, payAsStudent(open[0].authorizationUrl, { ...STUDENT, action: 'validate' }), 2_000);
    assert.equal(paid.status, 200);
    const cases = answers.length + reads.length;
    console.log(
      `takeover: ${cases} attempts from 127.0.0.2, ${answers.length} answered 409, ${reads.length} reads with the status only, 0 Izly operations, ${attackReads} Izly status reads`,
    );
    recordCheck({
      id: 'payment-takeover-refused',
      area: AREA,
      tried: `Another browser at another address (its own payer cookie) asking for ${orders.length} open payments of another student: a new Idempotency-Key, the victim's own key, and reads of the payment ids`,
      cases,
      held: `every creation 409 payment_in_progress with no payment id or Izly page in it; reads give { paymentId, status } only; no Izly operation made (${attackReads} status reads, one per order at most); the victim re-clicks and gets each payment back`,
      figures: { sent: cases, izlyCalls: attackReads, refused: 0 },
    });
  });

  test('a creation flood from one address is held to creationsPerClientPerMinute; another address is not slowed', async () => {
    world = await startWorld();
    const { h, base, clock } = world;
    const flood = new LoopbackClient('127.0.0.2');
    const student = new LoopbackClient('127.0.0.1');
    const sent = 200;
    for (let i = 0; i < sent; i++) h.orders.set(`F-${i}`, { amount: 100 });
    h.orders.set('S-1', { amount: 100 });
    const answers = await Promise.all(Array.from({ length: sent }, (_, i) => flood.createPayment(base, h.partnerUrl, `F-${i}`)));
    const created = answers.filter((answer) => answer.status === 201).length;
    const refused = answers.filter((answer) => answer.status === 429);
    for (const answer of refused) assertRateLimited(answer);
    assert.equal(created, 120, 'the default: 120 a minute, in a burst of as many');
    assert.equal(created + refused.length, sent);
    const izlyCalls = h.upstreamCount('POST', INITIATIONS);
    assert.equal(izlyCalls, created);
    assert.equal((await student.createPayment(base, h.partnerUrl, 'S-1')).status, 201, 'another address is not refused');
    // The bucket refills: half a minute later, 60 more.
    clock.advance(30_000);
    const later = await Promise.all(Array.from({ length: 61 }, (_, i) => flood.createPayment(base, h.partnerUrl, `F-${i}`)));
    assert.equal(later.filter((answer) => answer.status !== 429).length, 60);
    console.log(
      `creation flood: ${sent} sent from 127.0.0.2, ${created} created (${izlyCalls} Izly operations), ${refused.length} answered 429; 127.0.0.1 unaffected`,
    );
    recordCheck({
      id: 'creation-flood-held',
      area: AREA,
      tried: `${sent} POST /payments at once from one address (distinct orders), then 61 more half a minute later, while another address creates`,
      cases: sent + 61 + 1,
      held: `${created} created (${izlyCalls} Izly operations), ${refused.length} refused 429 rate_limited with Retry-After; 60 of the 61 later ones let through as the bucket refilled; the other address created at once`,
      figures: { sent, izlyCalls, refused: refused.length },
    });
  });

  test('re-clicks on one open order reach Izly at most once per statusReadIntervalMs', async () => {
    world = await startWorld();
    const { h, base, clock } = world;
    const student = new LoopbackClient('127.0.0.1');
    h.orders.set('R-1', { amount: 250 });
    const first = (await student.createPayment(base, h.partnerUrl, 'R-1')).json();
    const before = h.upstreamCount('GET', READS);
    const startedAt = clock.now();
    const sent = 100;
    const arrived = world.arrivals(sent);
    const clicks = Promise.all(Array.from({ length: sent }, () => student.createPayment(base, h.partnerUrl, 'R-1')));
    // The clock moves once they are all in, as for clicks made within the same instant.
    await arrived;
    const answers = await onTheClock(clock, clicks, 2_000);
    for (const answer of answers) assert.equal(answer.json().paymentId, first.paymentId);
    const reads = h.upstreamCount('GET', READS) - before;
    const intervals = Math.floor((clock.now() - startedAt) / 2_000);
    assert.ok(reads >= 1 && reads <= intervals + 1, `${reads} Izly reads over ${intervals} intervals`);
    console.log(`re-click flood: ${sent} re-clicks, ${reads} Izly reads over ${clock.now() - startedAt} ms of the adapter's clock, 0 answered 429`);
    recordCheck({
      id: 'reclick-flood-reads',
      area: AREA,
      tried: `${sent} re-clicks at once on one open order, from its own browser`,
      cases: sent,
      held: `every one answered the same payment; ${reads} Izly status reads in all (at most one per statusReadIntervalMs, the re-clicks sharing them)`,
      figures: { sent, izlyCalls: reads, refused: 0 },
    });
  });

  test('a signed callback replayed in a flood is confirmed a few times, refused 429 beyond, and Izly read once per interval', async () => {
    world = await startWorld();
    const { h, base, clock } = world;
    const replayer = new LoopbackClient('127.0.0.2');
    h.orders.set('C-1', { amount: 250 });
    const payment = (await new LoopbackClient('127.0.0.1').createPayment(base, h.partnerUrl, 'C-1')).json();
    const operation = h.sandbox.control.operations().find((candidate) => candidate.clientOrderId === 'C-1')!;
    const before = h.upstreamCount('GET', READS);
    const startedAt = clock.now();
    const sent = 50;
    const body = JSON.stringify({ OperationSMoney: { Id: operation.id, ClientOrderId: 'C-1' } });
    const arrived = world.arrivals(sent);
    const replays = Promise.all(
      Array.from({ length: sent }, () =>
        replayer.send(`${base}/izly/callback?${operation.callbackParameters}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
      ),
    );
    await arrived;
    const answers = await onTheClock(clock, replays, 2_000);
    const confirmed = answers.filter((answer) => answer.status === 200).length;
    const refused = answers.filter((answer) => answer.status === 429);
    // callbacksPerPaymentPerMinute: 10 by default, refilled as the adapter's clock moves (10 a minute).
    const refilled = Math.floor(((clock.now() - startedAt) * 10) / 60_000);
    assert.ok(confirmed >= 10 && confirmed <= 10 + refilled, `${confirmed} confirmed, ${refilled} refilled`);
    assert.equal(refused.length, sent - confirmed);
    for (const answer of refused) {
      assert.equal(answer.json().Code, 6);
      assert.ok(Number(answer.headers['retry-after']) >= 1);
    }
    const reads = h.upstreamCount('GET', READS) - before;
    const intervals = Math.floor((clock.now() - startedAt) / 2_000);
    assert.ok(reads >= 1 && reads <= intervals + 1, `${reads} Izly reads over ${intervals} intervals`);
    const logged = (await h.izly.store.events(payment.paymentId)).filter((event) => event.type === 'callback').length;
    assert.equal(logged, confirmed, 'a refused callback writes nothing');
    console.log(`callback flood: ${sent} replays, ${confirmed} confirmed, ${refused.length} answered 429, ${reads} Izly reads, ${logged} callback events`);
    recordCheck({
      id: 'callback-replay-flood',
      area: AREA,
      tried: `One genuine signed callback of an open payment replayed ${sent} times at once`,
      cases: sent,
      held: `${confirmed} confirmed (callbacksPerPaymentPerMinute), ${refused.length} refused 429 {Code: 6} with Retry-After and nothing logged; ${reads} Izly reads in all, each confirmation reading Izly after it arrived`,
      figures: { sent, izlyCalls: reads, refused: refused.length },
    });
  });

  test('long polls are capped per client and overall; a flood of them holds no more', async () => {
    world = await startWorld({ limits: { longPollsPerClient: 5, longPolls: 8 } });
    const { h, base } = world;
    const near = new LoopbackClient('127.0.0.1');
    const far = new LoopbackClient('127.0.0.2');
    h.orders.set('L-1', { amount: 250 });
    const payment = (await near.createPayment(base, h.partnerUrl, 'L-1')).json();
    const poll = (client: LoopbackClient) => client.send(`${base}/izly/payments/${payment.paymentId}?wait=30`);
    // Six at once from one client: whichever reaches the limiter last is refused, and nothing else answers
    // before the payment changes. Only then four from the other: 5 + 3 fill the 8, the fourth is refused.
    const fromFar = await oneRefused(Array.from({ length: 6 }, () => poll(far)));
    assertRateLimited(fromFar.refused);
    const fromNear = await oneRefused(Array.from({ length: 4 }, () => poll(near)));
    assertRateLimited(fromNear.refused);
    const held = [...fromFar.held, ...fromNear.held];
    assert.equal(held.length, 8);
    const answers = await onTheClock(
      world.clock,
      payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' }).then(() => Promise.all(held)),
      2_000,
    );
    assert.ok(answers.every((answer) => answer.status === 200 && answer.json().status === 'paid'));
    // Once answered, their places are free again.
    assert.equal((await poll(far)).status, 200);
    recordCheck({
      id: 'long-poll-caps',
      area: AREA,
      tried: 'Long polls of one payment from two addresses with longPollsPerClient 5 and longPolls 8: a sixth from one client, a ninth overall',
      cases: held.length + 3,
      held: 'the 8 held until the payment was paid; the sixth of a client and the ninth overall refused 429 rate_limited with Retry-After; a new poll accepted once they had answered',
    });
  });

  test('a flood of 500 long polls from one address holds 200 (the default), refuses the rest', async () => {
    world = await startWorld();
    const { h, base } = world;
    const flood = new LoopbackClient('127.0.0.2');
    h.orders.set('L-2', { amount: 250 });
    const payment = (await new LoopbackClient('127.0.0.1').createPayment(base, h.partnerUrl, 'L-2')).json();
    const sent = 500;
    const polls = Array.from({ length: sent }, () => flood.send(`${base}/izly/payments/${payment.paymentId}?wait=30`));
    const refusedAnswers: Answer[] = [];
    // The refused answer at once; the held ones only once the payment is paid.
    let answered = 0;
    await new Promise<void>((resolve) => {
      for (const poll of polls) {
        void poll.then((answer) => {
          if (answer.status === 429) refusedAnswers.push(answer);
          if (++answered === sent - 200) resolve();
        });
      }
    });
    assert.equal(refusedAnswers.length, sent - 200, 'only refusals answer while the payment stays pending');
    for (const answer of refusedAnswers) assertRateLimited(answer);
    const all = await onTheClock(
      world.clock,
      payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' }).then(() => Promise.all(polls)),
      2_000,
    );
    const held = all.filter((answer) => answer.status === 200);
    assert.equal(held.length, 200);
    assert.ok(held.every((answer) => answer.json().status === 'paid'));
    const izlyReads = h.upstreamCount('GET', READS);
    console.log(`long-poll flood: ${sent} sent from 127.0.0.2, 200 held, ${refusedAnswers.length} answered 429, ${izlyReads} Izly reads`);
    recordCheck({
      id: 'long-poll-flood-held',
      area: AREA,
      tried: `${sent} long polls at once from one address on one open payment (default limits)`,
      cases: sent,
      held: `200 held (longPollsPerClient) and answered paid when it was paid; ${refusedAnswers.length} refused at once 429 rate_limited with Retry-After; ${izlyReads} Izly reads`,
      figures: { sent, izlyCalls: izlyReads, refused: refusedAnswers.length },
    });
  });
});

describe('abuse: a campus rush behind one NAT address', () => {
  let world: World;
  afterEach(() => world.close());

  test('300 students behind one address, each paying once within five minutes, are never refused', async () => {
    world = await startWorld(); // statusReadIntervalMs 2 s and every limit: the defaults
    const { h, base, clock } = world;
    const students = 300;
    h.sandbox.control.updateAccount(STUDENT.identifier, { balance: students * 330 * 2 });
    const answers: Answer[] = [];
    const keep = (answer: Answer) => (answers.push(answer), answer);
    /** One student's whole payment, from their own browser at the campus's one address. */
    async function pays(index: number, created: Answer): Promise<string> {
      const browser = browsers[index]!;
      const { paymentId, authorizationUrl } = created.json();
      await payAsStudent(authorizationUrl, { ...STUDENT, action: 'validate' });
      for (;;) {
        const view = keep(await browser.send(`${base}/izly/payments/${paymentId}?wait=30`)).json();
        if (view.status !== 'pending') return view.status;
      }
    }
    const browsers = Array.from({ length: students }, () => new LoopbackClient('127.0.0.1'));
    for (let i = 0; i < students; i++) h.orders.set(`N-${i}`, { amount: 330 });
    // A rush: 100 in the first 30 seconds (one every 300 ms), the other 200 over the next 4.5 minutes.
    const arrivals = Array.from({ length: students }, (_, i) => (i < 100 ? i * 300 : 30_000 + (i - 100) * 1_350));
    const startedAt = clock.now();
    const outcomes: Array<Promise<string>> = [];
    for (const [i, at] of arrivals.entries()) {
      clock.advance(startedAt + at - clock.now());
      const created = keep(await browsers[i]!.createPayment(base, h.partnerUrl, `N-${i}`));
      assert.equal(created.status, 201, `student ${i} at ${at} ms: ${created.text}`);
      outcomes.push(pays(i, created));
    }
    assert.ok(clock.now() - startedAt < 5 * 60_000);
    // The last ones finish; a long poll still waiting is answered at its deadline.
    const statuses = await onTheClock(clock, Promise.all(outcomes), 31_000);
    const refused = answers.filter((answer) => answer.status === 429).length;
    assert.equal(refused, 0);
    assert.ok(statuses.every((status) => status === 'paid'));
    assert.equal(h.hooks.paid.length, students);
    assert.equal(h.upstreamCount('POST', INITIATIONS), students);
    console.log(
      `campus rush: ${students} students at one address over ${(clock.now() - startedAt) / 1000} s of the adapter's clock, ${answers.length} requests, ${h.upstreamCount('POST', INITIATIONS)} Izly operations, ${h.upstreamCount('GET', READS)} Izly reads, ${refused} answered 429`,
    );
    recordCheck({
      id: 'campus-rush',
      area: AREA,
      tried: `${students} students behind one campus NAT address (127.0.0.1), each paying once within five minutes (100 in the first 30 s), with the default limits, each from their own browser`,
      cases: students,
      held: `every one paid once (${h.hooks.paid.length} onPaid), ${answers.length} requests and none refused 429`,
      figures: { sent: answers.length, izlyCalls: h.upstreamCount('POST', INITIATIONS) + h.upstreamCount('GET', READS), refused },
    });
  });
});
