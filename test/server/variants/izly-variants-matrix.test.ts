// Issue 12, point 3: the adapter survives every plausible Izly. Against the sandbox in each value of each
// switch (one switch at a time over the lenient preset) and in its defaults (every strictest value at once),
// a whole payment through the adapter's routes — created, cancelled, the same order created again, paid, the
// callback confirmed by a GET, refunded — and a whole login through `izlyPay({ connect })`'s routes. The
// variants come from IZLY_SWITCHES, so a new switch or value joins the matrix by itself. Time is the
// adapter's manual clock: the read that finds the cancellation is due because the clock was moved.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IZLY_SWITCHES, type IzlyBehaviour, type IzlyBehaviourInput, type IzlySwitchName } from '../../../sandbox/index.js';
import { payAsStudent, startHarness, STUDENT } from '../helpers/harness.js';
import { issuedTokens, loginUntilCallback, startConnectHarness } from '../connect/connect-harness.js';
import { ManualClock } from '../payments/manual-clock.js';

interface Variant {
  name: string;
  /** The sandbox's `izly` option; undefined: its defaults. */
  izly: IzlyBehaviourInput | undefined;
  /** The switches in force, to say what the adapter should have had to do. */
  behaviour: IzlyBehaviour;
}

const SWITCH_NAMES = Object.keys(IZLY_SWITCHES) as IzlySwitchName[];
const preset = (column: 'lenient' | 'strictest') => Object.fromEntries(SWITCH_NAMES.map((name) => [name, IZLY_SWITCHES[name][column]])) as IzlyBehaviour;
const LENIENT = preset('lenient');
const STRICTEST = preset('strictest');

const VARIANTS: Variant[] = [
  ...SWITCH_NAMES.flatMap((name) =>
    IZLY_SWITCHES[name].values.map((value) => ({
      name: `${name}: ${value}`,
      izly: { preset: 'lenient', [name]: value } as IzlyBehaviourInput,
      behaviour: { ...LENIENT, [name]: value },
    })),
  ),
  { name: 'the defaults: every switch at its strictest', izly: undefined, behaviour: STRICTEST },
];

const AMOUNT = 250;
const INITIATES = /\/WebPayments$/;
const GETS = /\/WebPayments\/\d+$/;
const REFUNDS = /\/WebPayments\/\d+\/Refund$/;
const READ_INTERVAL_MS = 100;

async function wholePayment({ izly, behaviour }: Variant): Promise<void> {
  const clock = new ManualClock();
  const h = await startHarness({
    adapter: { clock, statusReadIntervalMs: READ_INTERVAL_MS, safetyNetReadIntervalMs: READ_INTERVAL_MS, authorizeRefund: () => true },
    sandbox: izly === undefined ? {} : { izly },
  });
  try {
    assert.deepEqual(h.sandbox.control.izly(), behaviour);
    const orderId = 'M-1042';
    h.orders.set(orderId, { amount: AMOUNT });
    const balance = () => h.sandbox.control.account(STUDENT.identifier)?.balance;

    // Created, then cancelled on Izly's page: Izly sends no callback, the next due read finds it.
    const created = await h.createPayment(orderId);
    assert.equal(created.status, 201);
    const first = await created.json();
    assert.equal(first.status, 'pending');
    await payAsStudent(first.authorizationUrl, { ...STUDENT, action: 'cancel' });
    clock.advance(READ_INTERVAL_MS * 1.2 + 1);
    assert.equal((await (await h.getPayment(first.paymentId)).json()).status, 'cancelled');

    // The same order again: a new attempt with its own Izly reference (the strictest Izly refuses a reused one).
    const again = await h.createPayment(orderId);
    assert.equal(again.status, 201);
    const second = await again.json();
    assert.notEqual(second.paymentId, first.paymentId);
    assert.equal(second.orderId, orderId);
    const operations = () => h.sandbox.control.operations().sort((a, b) => a.id - b.id);
    assert.deepEqual(
      operations().map((operation) => [operation.clientOrderId, operation.status]),
      [
        [orderId, 'Canceled'],
        [`${orderId}-2`, 'Pending'],
      ],
    );
    // A 415 means Izly did nothing: the document's type once, then kept for every later call.
    assert.equal(h.upstreamCount('POST', INITIATES), 2 + (behaviour.contentTypes === 'xpollens' ? 1 : 0));

    // Paid: the callback reaches the adapter wherever this Izly put the signature, and one GET confirms it.
    const readsBefore = h.upstreamCount('GET', GETS);
    await payAsStudent(second.authorizationUrl, { ...STUDENT, action: 'validate' });
    await h.sandbox.control.settled();
    const deliveries = h.sandbox.control.callbackLog().filter((attempt) => attempt.body.OperationSMoney.ClientOrderId === `${orderId}-2`);
    assert.deepEqual(
      deliveries.map((attempt) => [attempt.outcome, attempt.status]),
      [['delivered', 200]],
    );
    assert.equal(h.upstreamCount('GET', GETS) - readsBefore, 1, 'the callback is confirmed by one GET');
    const paid = await h.izly.store.get(second.paymentId);
    assert.equal(paid?.status, 'paid');
    assert.equal(paid?.clientOrderId, `${orderId}-2`);
    assert.equal(paid?.amountMismatch, null, 'the amount matched in one of its readings');
    assert.ok((await h.izly.store.events(second.paymentId)).some((event) => event.type === 'callback'));
    assert.equal(balance(), 10_000 - AMOUNT, 'one Izly debit');
    assert.equal((await (await h.getPayment(second.paymentId)).json()).status, 'paid');

    // Refunded, once.
    const refunded = await fetch(`${h.partnerUrl}/izly/payments/${second.paymentId}/refund`, { method: 'POST' });
    assert.equal(refunded.status, 200);
    assert.equal((await refunded.json()).status, 'refunded');
    assert.equal(h.upstreamCount('POST', REFUNDS), 1, 'one refund');
    assert.equal(operations()[1]?.status, 'Refund');
    assert.equal(balance(), 10_000);

    assert.deepEqual(
      h.hooks.paid.map((payment) => payment.id),
      [second.paymentId],
    );
    assert.deepEqual(
      h.hooks.refunded.map((payment) => payment.id),
      [second.paymentId],
    );
    // onFailed covers a payment that ended unpaid: the cancelled attempt, once.
    assert.deepEqual(
      h.hooks.failed.map((payment) => [payment.id, payment.status]),
      [[first.paymentId, 'cancelled']],
    );
  } finally {
    await h.close();
  }
}

async function wholeLogin({ izly, behaviour }: Variant): Promise<void> {
  const harness = await startConnectHarness({ sandbox: izly === undefined ? {} : { izly } });
  try {
    const browser = harness.browser();
    const callback = await loginUntilCallback(harness, browser);
    assert.equal(new URL(callback).searchParams.has('state'), behaviour.connectState === 'echoed');
    const answer = await browser.get(callback);
    assert.equal(answer.status, 303, answer.body);
    assert.equal(new URL(answer.location ?? '').searchParams.get('izly_connect'), 'success');
    assert.equal(harness.logins.length, 1, 'onLogin once');
    const { user, tokens } = harness.logins[0]!;
    assert.equal(user.id, '6000050617');
    assert.equal(user.email, STUDENT.identifier);
    assert.ok(browser.cookies.has('shop_session'));
    browser.assertNeverSent(issuedTokens(harness));
    // The built-in key looks like base64: a refused standard Basic costs one extra token call, once.
    const tokenCalls = () => harness.upstream.filter((request) => request.path === '/oauth/Home/Token').length;
    assert.equal(tokenCalls(), 1 + (behaviour.tokenAuthorization === 'raw-key' ? 1 : 0));
    const refreshed = await harness.izly.connect.refresh(tokens.refreshToken);
    assert.ok(refreshed.accessToken && refreshed.accessToken !== tokens.accessToken);
    assert.equal(tokenCalls(), 2 + (behaviour.tokenAuthorization === 'raw-key' ? 1 : 0));
  } finally {
    await harness.close();
  }
}

// Each variant has its own sandbox and adapters (in this process, on loopback ports): about 0.15 s each.
describe('the adapter against every plausible Izly', () => {
  for (const variant of VARIANTS) {
    test(`${variant.name}: a whole payment and a whole login`, async () => {
      await wholePayment(variant);
      await wholeLogin(variant);
    });
  }
});
