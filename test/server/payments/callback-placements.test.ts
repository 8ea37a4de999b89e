// POST /callback finds our signature wherever a plausible Izly puts `CallbackParameters`: the query, a
// literal suffix of the path, one URL-encoded parameter, the body's `OperationSMoney.CallbackParameters` or
// its `ClientParameters`. The adapter is mounted under /izly (`app.route('/izly', izly)`, as the harness
// does) and the back office's callback URL stays `…/izly/callback`. Forged ones are refused before any Izly call.
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { IzlyBehaviour } from '../../../sandbox/index.js';
import { payAsStudent, startHarness, STUDENT, type Harness } from '../helpers/harness.js';

const GETS = /\/WebPayments\/\d+$/;
const FORGED_SIGNATURE = 'A'.repeat(43);

describe('POST /callback: every placement of the sandbox delivers a callback the adapter accepts', () => {
  const placements: Array<IzlyBehaviour['callbackParameters']> = ['joined', 'concatenated', 'encoded', 'body-only'];
  for (const placement of placements) {
    test(`callbackParameters: '${placement}': 200 at the first attempt, the long poll wakes on paid`, async () => {
      // Reads spaced far apart: only the callback can wake the long poll.
      const h = await startHarness({ adapter: { statusReadIntervalMs: 60_000 }, sandbox: { izly: { callbackParameters: placement } } });
      try {
        h.orders.set('A-1', { amount: 250 });
        const payment = await (await h.createPayment('A-1')).json();
        const polled = h.getPayment(payment.paymentId, 20);
        await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
        assert.equal((await (await polled).json()).status, 'paid');
        await h.sandbox.control.settled();
        const [attempt, ...more] = h.sandbox.control.callbackLog();
        assert.equal(attempt?.status, 200, attempt?.url);
        assert.equal(more.length, 0);
        const url = new URL(attempt!.url);
        if (placement === 'concatenated') assert.match(url.pathname, new RegExp(`^/izly/callbackp=${payment.paymentId}&s=`));
        else assert.equal(url.pathname, '/izly/callback');
        assert.equal(h.hooks.paid.length, 1);
      } finally {
        await h.close();
      }
    });
  }
});

describe('POST /callback: signatures placed by hand', () => {
  let h: Harness;
  let orders = 0;
  beforeEach(async () => {
    h = await startHarness({ adapter: { statusReadIntervalMs: 60_000 } });
  });
  afterEach(() => h.close());

  /** A payment the student validated while callbacks were dropped, its signed parameters and the body Izly would have sent. */
  async function decidedWithoutCallback() {
    const orderId = `P-${++orders}`;
    h.orders.set(orderId, { amount: 250 });
    const payment = await (await h.createPayment(orderId)).json();
    h.sandbox.control.setFaults({ dropCallbacks: true });
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    await h.sandbox.control.settled();
    h.sandbox.control.clearFaults();
    const attempt = h.sandbox.control.callbackLog().find((a) => a.body.OperationSMoney.ClientOrderId === orderId)!;
    const signed = attempt.body.OperationSMoney.CallbackParameters;
    // The body without its echo, for placements that must not lean on it.
    const bare = { ...attempt.body, OperationSMoney: { ...attempt.body.OperationSMoney, CallbackParameters: '' } };
    return { paymentId: payment.paymentId as string, signed, forged: `p=${payment.paymentId}&s=${FORGED_SIGNATURE}`, bare };
  }

  const placements: Array<[string, (signature: string, bare: object) => [string, object]]> = [
    ['the query', (signature, bare) => [`?${signature}`, bare]],
    ['a literal suffix of the path', (signature, bare) => [signature, bare]],
    ['a suffix of the path after &', (signature, bare) => [`&${signature}`, bare]],
    ['one URL-encoded CallbackParameters parameter', (signature, bare) => [`?CallbackParameters=${encodeURIComponent(signature)}`, bare]],
    [
      "the body's OperationSMoney.CallbackParameters",
      (signature, bare) => ['', { ...bare, OperationSMoney: { ...(bare as { OperationSMoney: object }).OperationSMoney, CallbackParameters: signature } }],
    ],
    ["the body's ClientParameters", (signature, bare) => ['', { ...bare, ClientParameters: signature }]],
  ];

  for (const [where, place] of placements) {
    test(`in ${where}: accepted, confirmed by one GET; forged there: 403 before any Izly call`, async () => {
      const payment = await decidedWithoutCallback();
      const reads = h.upstreamCount('GET', GETS);
      const forged = await h.postCallback(...place(payment.forged, payment.bare));
      assert.equal(forged.status, 403);
      assert.equal((await forged.json()).Code, 1);
      assert.equal(h.upstreamCount('GET', GETS), reads);
      assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'pending');

      const genuine = await h.postCallback(...place(payment.signed, payment.bare));
      assert.equal(genuine.status, 200);
      assert.deepEqual(await genuine.json(), { Code: 0, ErrorMessage: '' });
      assert.equal(h.upstreamCount('GET', GETS), reads + 1);
      assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'paid');
    });
  }

  test('unsigned everywhere, or a wrong signature in the URL with the genuine echo in the body: 403, no Izly call', async () => {
    const payment = await decidedWithoutCallback();
    const reads = h.upstreamCount('GET', GETS);
    const echoed = { ...payment.bare, OperationSMoney: { ...payment.bare.OperationSMoney, CallbackParameters: payment.signed } };
    for (const [suffix, body] of [
      ['', payment.bare],
      [`p=${payment.paymentId}`, payment.bare],
      [payment.forged, echoed],
      [`?CallbackParameters=${encodeURIComponent(payment.forged)}`, echoed],
      ['s', payment.bare],
    ] as const) {
      assert.equal((await h.postCallback(suffix, body)).status, 403, suffix);
    }
    assert.equal(h.upstreamCount('GET', GETS), reads);
    assert.equal((await h.izly.store.get(payment.paymentId))?.status, 'pending');
  });

  test('another method on a suffixed path answers 405 in the callback shape', async () => {
    const payment = await decidedWithoutCallback();
    const answer = await fetch(`${h.partnerUrl}/izly/callback${payment.signed}`);
    assert.equal(answer.status, 405);
    assert.equal(answer.headers.get('allow'), 'POST');
  });
});
