// One `ClientOrderId` per payment (attempt): the order id, then `-2`, `-3`…, against a sandbox that refuses a
// reference it has seen (Xpollens' 710). A student can pay an order again after a cancel; a reference used
// elsewhere costs one more try, never an error; an order id Izly would refuse is a 400 before any Izly call.
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { payAsStudent, startHarness, STUDENT, type Harness } from '../helpers/harness.js';

const INITIATES = /\/WebPayments$/;

describe('POST /payments: one Izly reference per attempt', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ adapter: { authorizeRefund: () => true }, sandbox: { izly: { clientOrderIdReuse: 'refused' } } });
    h.orders.set('A-1042', { amount: 250 });
  });
  afterEach(() => h.close());

  async function create(orderId: string) {
    const answer = await h.createPayment(orderId);
    assert.equal(answer.status, 201, orderId);
    return answer.json();
  }

  test('created, cancelled, created again: a second reference, paid, refunded with it; the API speaks the order id', async () => {
    const first = await create('A-1042');
    await payAsStudent(first.authorizationUrl, { ...STUDENT, action: 'cancel' });
    const second = await create('A-1042');
    assert.notEqual(second.paymentId, first.paymentId);
    assert.equal(second.orderId, 'A-1042');
    assert.equal((await h.izly.store.get(first.paymentId))?.status, 'cancelled');
    assert.deepEqual(
      h.sandbox.control
        .operations()
        .map((operation) => operation.clientOrderId)
        .sort(),
      ['A-1042', 'A-1042-2'],
    );

    const polled = h.getPayment(second.paymentId, 20);
    await payAsStudent(second.authorizationUrl, { ...STUDENT, action: 'validate' });
    assert.equal((await (await polled).json()).status, 'paid');
    await h.sandbox.control.settled();
    assert.ok(h.sandbox.control.callbackLog().some((attempt) => attempt.body.OperationSMoney.ClientOrderId === 'A-1042-2' && attempt.status === 200));
    const paid = await h.izly.store.get(second.paymentId);
    assert.equal(paid?.orderId, 'A-1042');
    assert.equal(paid?.clientOrderId, 'A-1042-2');
    assert.deepEqual(
      h.hooks.paid.map((payment) => payment.clientOrderId),
      ['A-1042-2'],
    );

    const refunded = await fetch(`${h.partnerUrl}/izly/payments/${second.paymentId}/refund`, { method: 'POST' });
    assert.equal(refunded.status, 200);
    assert.equal((await refunded.json()).status, 'refunded');
  });

  test('a reference Izly already knows (710, used by another process on the point of sale) moves to the next one, once', async () => {
    // Another process of the shop, with its own records, already sent Izly this order's first reference.
    await h.izly.client.initiatePayment({ amount: 250, clientOrderId: 'A-1042' });
    const payment = await create('A-1042');
    assert.equal(payment.status, 'pending');
    const record = await h.izly.store.get(payment.paymentId);
    assert.equal(record?.clientOrderId, 'A-1042-2');
    assert.equal(h.upstreamCount('POST', INITIATES), 3);
    const failed = (await h.izly.store.events(payment.paymentId)).filter((event) => event.type === 'izly_initiate_failed');
    assert.deepEqual(
      failed.map((event) => event.detail.clientOrderId),
      ['A-1042'],
    );

    const polled = h.getPayment(payment.paymentId, 20);
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    assert.equal((await (await polled).json()).status, 'paid');
  });

  test('a second 710 is shown as Izly refusing, and the attempt fails without a third try', async () => {
    await h.izly.client.initiatePayment({ amount: 250, clientOrderId: 'A-1042' });
    await h.izly.client.initiatePayment({ amount: 250, clientOrderId: 'A-1042-2' });
    const before = h.upstreamCount('POST', INITIATES);
    const answer = await h.createPayment('A-1042');
    assert.equal(answer.status, 502);
    assert.equal((await answer.json()).error.code, 'izly_error');
    assert.equal(h.upstreamCount('POST', INITIATES) - before, 2);
    const [record] = await h.izly.store.findByOrderId('A-1042');
    assert.equal(record?.status, 'failed');
  });

  test("another order's reference is never reused: order C's second attempt skips C-2, the first reference of order C-2", async () => {
    h.orders.set('C', { amount: 100 });
    h.orders.set('C-2', { amount: 100 });
    await create('C-2');
    const first = await create('C');
    await payAsStudent(first.authorizationUrl, { ...STUDENT, action: 'cancel' });
    const second = await create('C');
    assert.equal((await h.izly.store.get(second.paymentId))?.clientOrderId, 'C-3');
    assert.deepEqual(
      h.sandbox.control
        .operations()
        .map((operation) => operation.clientOrderId)
        .sort(),
      ['C', 'C-2', 'C-3'],
    );
  });

  test('the reference and the AD details stay on the server: the public views never carry them', async () => {
    const payment = await create('A-1042');
    const polled = h.getPayment(payment.paymentId, 20);
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    const view = await (await polled).json();
    assert.equal(view.status, 'paid');
    await h.sandbox.control.settled();
    const record = await h.izly.store.get(payment.paymentId);
    assert.equal(record?.customerClientCode, 'cmartin01');
    assert.equal(record?.customerAssignmentNumber, '75012345');
    const again = await (await h.getPayment(payment.paymentId)).json();
    for (const shown of [payment, view, again]) {
      const text = JSON.stringify(shown);
      for (const secret of ['clientOrderId', 'cmartin01', '75012345', 'customerClientCode', 'customerAssignmentNumber']) {
        assert.ok(!text.includes(secret), `${secret} in ${text}`);
      }
    }
  });
});

describe('POST /payments: order ids Izly would refuse are a 400 before any Izly call', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  for (const [what, orderId] of [
    ['41 characters', 'x'.repeat(41)],
    ['60 characters', 'x'.repeat(60)],
    ['blank', '   '],
    ['empty', ''],
    ['a C1 control character (NEL)', 'A-\u00851'],
    ['a C0 control character (tab)', 'A-\t1'],
    ['DEL', 'A-\u007f1'],
    ['not a string', 1042],
  ] as const) {
    test(`${what}: 400 invalid_order_id, no record, no Izly call`, async () => {
      h.orders.set(String(orderId), { amount: 250 });
      const answer = await h.createPayment('ignored', { body: { orderId } });
      assert.equal(answer.status, 400);
      const { error } = await answer.json();
      assert.equal(error.code, 'invalid_order_id');
      assert.match(error.message, /40/);
      assert.equal(h.upstream.length, 0);
      assert.deepEqual(await h.izly.store.findByOrderId(String(orderId)), []);
    });
  }

  test('40 characters, the longest, is accepted, and its later attempts fit within Izly’s 50', async () => {
    const orderId = 'y'.repeat(40);
    h.orders.set(orderId, { amount: 250 });
    const answer = await h.createPayment(orderId);
    assert.equal(answer.status, 201);
    assert.equal(h.sandbox.control.operations()[0]?.clientOrderId, orderId);
  });
});

describe('izlyPay({ software })', () => {
  test('sends Software with every initiation', async () => {
    const h = await startHarness({ adapter: { software: 42 } });
    try {
      h.orders.set('A-1', { amount: 250 });
      assert.equal((await h.createPayment('A-1')).status, 201);
      assert.equal(h.sandbox.control.operations()[0]?.software, 42);
    } finally {
      await h.close();
    }
  });
});
