// A payment cancelled on Izly (issue 15, point 1), over HTTP against the real sandbox, with an adapter that
// trusts callbacks (its safety-net read 30 s away): Izly calls nobody about a cancel, so the student's
// return read (`returned=1`, which the button sends once Izly's "URL after cancellation" brought them back)
// must reach Izly at once, even in the first seconds after the creation, whose answer told only "pending"
// before the student saw the page; and the return reads of one payment stay one per statusReadIntervalMs.
// The clock is the harness's, never moved here: "at once" is on the same instant as the creation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STUDENT, startConnectHarness, type ConnectHarness } from './connect-harness.js';

describe('a cancel on Izly is seen by the return read, callbacks trusted', () => {
  let harness: ConnectHarness;
  before(async () => {
    harness = await startConnectHarness({ adapter: { callbacks: 'allow-listed' } });
  });
  after(() => harness.close());

  /** Creates a payment as the button does, keeping the payer's cookie; Annuler on Izly's page at once unless told not to. */
  async function cancelledAtIzly(cancel = true): Promise<{ paymentId: string; cookie: string }> {
    const orderId = `C-${crypto.randomUUID().slice(0, 8)}`;
    harness.orders.set(orderId, { amount: 250 });
    const created = await fetch(`${harness.partnerUrl}/izly/payments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), Origin: harness.partnerUrl },
      body: JSON.stringify({ orderId, returnUrl: `${harness.partnerUrl}/commande` }),
    });
    assert.equal(created.status, 201);
    const cookie = created.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const { authorizationUrl, paymentId } = (await created.json()) as { authorizationUrl: string; paymentId: string };
    if (!cancel) return { paymentId, cookie };
    const decided = await fetch(authorizationUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...STUDENT, action: 'cancel' }),
    });
    assert.equal(decided.status, 200);
    return { paymentId, cookie };
  }

  /** The status reads the adapter sent to Izly so far (`GET WebPayments/{id}`). */
  const reads = () => harness.upstream.filter((call) => call.method === 'GET' && /webpayments\/\d+$/i.test(call.path)).length;

  test('the return read right after the creation reaches Izly and the record is cancelled', async () => {
    const { paymentId, cookie } = await cancelledAtIzly();
    const before = reads();
    const answer = await fetch(`${harness.partnerUrl}/izly/payments/${paymentId}?wait=0&returned=1`, { headers: { Cookie: cookie } });
    const view = (await answer.json()) as { status: string; failureReason?: string };
    assert.equal(view.status, 'cancelled');
    assert.equal(view.failureReason, 'cancelled');
    assert.equal(reads(), before + 1);
  });

  test('a polite read (not a return) at the same instant is held to the safety net: still pending, Izly not asked', async () => {
    const { paymentId, cookie } = await cancelledAtIzly();
    const before = reads();
    const view = (await (await fetch(`${harness.partnerUrl}/izly/payments/${paymentId}?wait=0`, { headers: { Cookie: cookie } })).json()) as { status: string };
    assert.equal(view.status, 'pending');
    assert.equal(reads(), before);
  });

  test('return reads stay one per statusReadIntervalMs: a second one at the same instant does not ask Izly again', async () => {
    // Still pending at Izly (the student went back without deciding): each return read could ask again.
    const { paymentId, cookie } = await cancelledAtIzly(false);
    const read = () => fetch(`${harness.partnerUrl}/izly/payments/${paymentId}?wait=0&returned=1`, { headers: { Cookie: cookie } }).then((r) => r.json());
    const before = reads();
    assert.equal(((await read()) as { status: string }).status, 'pending');
    assert.equal(((await read()) as { status: string }).status, 'pending');
    assert.equal(reads(), before + 1);
    // Once the interval has passed on the clock, the next return read asks Izly again.
    harness.advance(2_000);
    await read();
    assert.equal(reads(), before + 2);
  });
});
