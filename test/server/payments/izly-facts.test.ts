// What else Izly says about a payment, used: the AD's client code and assignment number kept for staff, and
// the beneficiary Izly names checked against our app identifier — a mismatch is recorded and logged, and
// Izly's word on the payment still counts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_IDENTIFIER, payAsStudent, startHarness, STUDENT } from '../helpers/harness.js';

describe("Izly's facts about the AD", () => {
  test('paid without a callback: the GET’s CustomerClientCode is kept, no assignment number (only callbacks carry it)', async () => {
    const h = await startHarness();
    try {
      h.orders.set('A-1', { amount: 250 });
      const payment = await (await h.createPayment('A-1')).json();
      h.sandbox.control.setFaults({ dropCallbacks: true });
      await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
      let view = await (await h.getPayment(payment.paymentId, 5)).json();
      while (view.status !== 'paid') view = await (await h.getPayment(payment.paymentId, 5)).json();
      const record = await h.izly.store.get(payment.paymentId);
      assert.equal(record?.customerClientCode, 'cmartin01');
      assert.equal(record?.customerAssignmentNumber, null);
    } finally {
      await h.close();
    }
  });
});

describe('the beneficiary Izly names', () => {
  test('another application than ours, at initiation and on the GET: recorded and logged, the payment still paid', async () => {
    const warnings: string[] = [];
    // The sandbox always names the point of sale's own application: the answers are rewritten on the way
    // back, as an Izly that names the application differently would send them.
    const otherBeneficiary = async (request: Request) => {
      const answer = await fetch(request);
      const text = await answer.text();
      const rewritten = text
        .replace(`"ClientId":"${APP_IDENTIFIER}"`, '"ClientId":"Paris-78-78-78-78"')
        .replace(`"BeneficiaryClientId":"${APP_IDENTIFIER}"`, '"BeneficiaryClientId":"Paris-78-78-78-78"');
      return new Response(rewritten, { status: answer.status, headers: answer.headers });
    };
    const h = await startHarness({ adapter: { fetch: otherBeneficiary, logger: { warn: (m) => void warnings.push(m), error() {} } } });
    try {
      h.orders.set('A-1', { amount: 250 });
      const payment = await (await h.createPayment('A-1')).json();
      assert.equal(payment.status, 'pending');
      const polled = h.getPayment(payment.paymentId, 20);
      await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
      assert.equal((await (await polled).json()).status, 'paid');
      await h.sandbox.control.settled();
      const mismatches = (await h.izly.store.events(payment.paymentId)).filter((event) => event.type === 'beneficiary_mismatch');
      assert.deepEqual(
        mismatches.map((event) => event.detail.source),
        ['initiate', 'callback'],
      );
      assert.deepEqual(mismatches[0]!.detail, { source: 'initiate', expected: APP_IDENTIFIER, izly: 'Paris-78-78-78-78' });
      assert.ok(warnings.some((warning) => warning.includes('Paris-78-78-78-78') && warning.includes(payment.paymentId)));
      assert.equal(h.hooks.paid.length, 1);
    } finally {
      await h.close();
    }
  });
});
