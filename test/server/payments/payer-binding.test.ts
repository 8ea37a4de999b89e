// A payment belongs to the browser that started it (issue 14, point 1): its payer cookie. Another browser
// never gets an open payment's id or Izly page, reads nothing of it but its status, and a paid order is
// answered `order_already_paid` with the paid payment's public view (issue 15, point 3).
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { payAsStudent, startHarness, STUDENT, type Harness } from '../helpers/harness.js';

/** A browser other than the harness's: its own payer cookie (a well-formed one the adapter never set). */
const OTHER_BROWSER = { Cookie: `izly_payer=${'B'.repeat(43)}` };
/** A browser with no cookie at all (a new visitor, or one whose cookie expired). */
const NO_COOKIE = { Cookie: '' };

describe('payer binding', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.orders.set('A-1', { amount: 250 });
  });
  afterEach(() => h.close());

  test('the creation sets an HttpOnly, SameSite=Lax payer cookie scoped to the payments routes', async () => {
    const created = await h.createPayment('A-1');
    assert.equal(created.status, 201);
    const cookie = created.headers.getSetCookie().find((header) => header.startsWith('izly_payer='));
    assert.match(cookie ?? '', /^izly_payer=[A-Za-z0-9_-]{43}; Max-Age=86400; Path=\/izly\/payments; HttpOnly; SameSite=Lax$/);
  });

  test('on an https site the cookie is __Host-izly_payer, Secure, Path=/', async () => {
    const izly = h.izly;
    const answer = await izly.request('https://shop.example/payments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ orderId: 'A-1', returnUrl: `${h.partnerUrl}/back` }),
    });
    assert.equal(answer.status, 201);
    const cookie = answer.headers.getSetCookie()[0] ?? '';
    assert.match(cookie, /^__Host-izly_payer=[A-Za-z0-9_-]{43}; Max-Age=86400; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    // There, a plain cookie (which a sibling site could have planted) is no payer's.
    const { paymentId } = await answer.json();
    const plain = cookie.replace('__Host-izly_payer', 'izly_payer').split(';')[0]!;
    const asPlain = await (await izly.request(`https://shop.example/payments/${paymentId}`, { headers: { Cookie: plain } })).json();
    assert.deepEqual(Object.keys(asPlain), ['paymentId', 'status']);
    const asHost = await (await izly.request(`https://shop.example/payments/${paymentId}`, { headers: { Cookie: cookie.split(';')[0]! } })).json();
    assert.equal(asHost.amount, 250);
  });

  test('the same browser gets its open payment back (another tab, a re-click), with its Izly page', async () => {
    const first = await (await h.createPayment('A-1')).json();
    const again = await h.createPayment('A-1');
    assert.equal(again.status, 200);
    const body = await again.json();
    assert.equal(body.paymentId, first.paymentId);
    assert.equal(body.authorizationUrl, first.authorizationUrl);
    assert.equal(h.sandbox.control.operations().length, 1);
  });

  for (const [name, headers] of [
    ['another browser', OTHER_BROWSER],
    ['a browser with no cookie', NO_COOKIE],
  ] as const) {
    test(`${name} asking for the order gets 409 payment_in_progress and nothing of the payment`, async () => {
      const first = await (await h.createPayment('A-1')).json();
      const taken = await h.createPayment('A-1', { headers });
      assert.equal(taken.status, 409);
      const text = await taken.text();
      const body = JSON.parse(text);
      assert.equal(body.error.code, 'payment_in_progress');
      assert.deepEqual(Object.keys(body), ['error']);
      assert.ok(!text.includes(first.paymentId) && !text.includes(first.authorizationUrl));
      assert.equal(taken.headers.get('set-cookie'), null);
      assert.equal(h.sandbox.control.operations().length, 1);
    });

    test(`${name} replaying the payer's Idempotency-Key gets nothing of the payment either`, async () => {
      // With no cookie, a key counts as its payer only for the two minutes a lost answer's retry may take:
      // another browser with its own cookie never; one with none, once those minutes are past.
      let later = 0;
      await h.close();
      h = await startHarness({ adapter: { now: () => Date.now() + later } });
      h.orders.set('A-1', { amount: 250 });
      const key = crypto.randomUUID();
      const first = await (await h.createPayment('A-1', { key })).json();
      if (headers === NO_COOKIE) later = 3 * 60_000;
      const replayed = await h.createPayment('A-1', { key, headers });
      assert.equal(replayed.status, 409);
      const text = await replayed.text();
      assert.equal(JSON.parse(text).error.code, 'payment_in_progress');
      assert.ok(!text.includes(first.paymentId) && !text.includes(first.authorizationUrl));
    });

    test(`${name} reading or long-polling the payment gets its status only`, async () => {
      const first = await (await h.createPayment('A-1')).json();
      const read = await (await h.getPayment(first.paymentId, undefined, headers)).json();
      assert.deepEqual(read, { paymentId: first.paymentId, status: 'pending' });
      const polled = h.getPayment(first.paymentId, 10, headers);
      await payAsStudent(first.authorizationUrl, { ...STUDENT, action: 'validate' });
      assert.deepEqual(await (await polled).json(), { paymentId: first.paymentId, status: 'paid' });
      // The payer reads it whole.
      const mine = await (await h.getPayment(first.paymentId)).json();
      assert.equal(mine.amount, 250);
      assert.equal(mine.orderId, 'A-1');
      assert.ok(mine.paidAt);
    });
  }

  test('a cookie-less retry of a creation whose answer was lost gets its payment (the key is its payer for a while)', async () => {
    const key = crypto.randomUUID();
    const first = await (await h.createPayment('A-1', { key, headers: NO_COOKIE })).json();
    const retried = await h.createPayment('A-1', { key, headers: NO_COOKIE });
    assert.equal(retried.status, 200);
    const body = await retried.json();
    assert.equal(body.paymentId, first.paymentId);
    assert.equal(body.authorizationUrl, first.authorizationUrl);
    // ...and it gets the cookie the lost answer carried: the browser is the payer from then on.
    const cookie = retried.headers.getSetCookie()[0]!.split(';')[0]!;
    assert.equal((await (await h.getPayment(first.paymentId, undefined, { Cookie: cookie })).json()).amount, 250);
  });

  test('once the old payment is final, a browser whose cookie expired starts a new attempt', async () => {
    const first = await (await h.createPayment('A-1')).json();
    await payAsStudent(first.authorizationUrl, { ...STUDENT, action: 'cancel' });
    await h.sandbox.control.settled();
    const fresh = await h.createPayment('A-1', { headers: NO_COOKIE });
    assert.equal(fresh.status, 201);
    assert.notEqual((await fresh.json()).paymentId, first.paymentId);
    assert.equal((await h.izly.store.get(first.paymentId))?.status, 'cancelled');
  });

  test('a server-to-server caller without a cookie jar: its payment is whole to it only with the cookie it was given', async () => {
    const created = await h.izly.request('/payments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ orderId: 'A-1', returnUrl: `${h.partnerUrl}/back` }),
    });
    assert.equal(created.status, 201);
    const { paymentId } = await created.json();
    const binding = created.headers.getSetCookie()[0]!.split(';')[0]!;
    assert.deepEqual(Object.keys(await (await h.izly.request(`/payments/${paymentId}`)).json()), ['paymentId', 'status']);
    assert.equal((await (await h.izly.request(`/payments/${paymentId}`, { headers: { Cookie: binding } })).json()).amount, 250);
  });

  test('a payment id is pay_ and 38 characters, and with its tag changed it names no payment', async () => {
    const first = await (await h.createPayment('A-1')).json();
    const last = first.paymentId.at(-1) === 'A' ? 'B' : 'A';
    const forged = `${first.paymentId.slice(0, -1)}${last}`;
    assert.equal((await h.getPayment(forged)).status, 404);
    assert.equal(first.paymentId.length, 'pay_'.length + 38);
  });

  describe('an order already paid (issue 15, point 3)', () => {
    async function paidOrder(): Promise<{ paymentId: string }> {
      const first = await (await h.createPayment('A-1')).json();
      await payAsStudent(first.authorizationUrl, { ...STUDENT, action: 'validate' });
      assert.equal((await (await h.getPayment(first.paymentId, 10)).json()).status, 'paid');
      return first;
    }

    test('a new click answers 409 order_already_paid with the paid payment’s public view, and starts nothing', async () => {
      const paid = await paidOrder();
      const answer = await h.createPayment('A-1');
      assert.equal(answer.status, 409);
      const body = await answer.json();
      assert.deepEqual(Object.keys(body), ['error', 'payment']);
      assert.equal(body.error.code, 'order_already_paid');
      assert.equal(typeof body.error.message, 'string');
      assert.equal(body.payment.paymentId, paid.paymentId);
      assert.equal(body.payment.status, 'paid');
      assert.equal(body.payment.orderId, 'A-1');
      assert.equal(body.payment.amount, 250);
      assert.ok(body.payment.paidAt);
      assert.equal('authorizationUrl' in body.payment, false);
      assert.equal(h.sandbox.control.operations().length, 1);
    });

    test('another browser gets the same view (no Izly page in it), without the customer’s e-mail', async () => {
      await h.close();
      h = await startHarness({ adapter: { exposeCustomerEmail: true } });
      h.orders.set('A-1', { amount: 250 });
      const paid = await paidOrder();
      const mine = await (await h.createPayment('A-1')).json();
      assert.equal(mine.payment.customerEmail, STUDENT.identifier);
      const theirs = await h.createPayment('A-1', { headers: OTHER_BROWSER });
      assert.equal(theirs.status, 409);
      const body = await theirs.json();
      assert.equal(body.error.code, 'order_already_paid');
      assert.equal(body.payment.paymentId, paid.paymentId);
      assert.equal(body.payment.status, 'paid');
      assert.equal('customerEmail' in body.payment, false);
      assert.equal('authorizationUrl' in body.payment, false);
    });
  });
});
