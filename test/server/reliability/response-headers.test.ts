// Response headers fit for a payment endpoint, on every answer of the adapter (successes and refusals):
// no CORS header (izlyPay() has no CORS option: the widget calls it from the shop's own origin), payment
// answers never cached, no framework banner.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { recordCheck } from './reliability-log.js';
import { startTargets, type Targets } from './reliability-fixture.js';

const BANNERS = ['x-powered-by', 'server', 'x-aspnet-version', 'x-runtime', 'via'];

describe('response headers of the adapter', () => {
  let t: Targets;
  before(async () => {
    t = await startTargets();
  });
  after(() => t.h.close());

  test('no CORS, no-store on payment answers, no banner — on successes and refusals alike', async () => {
    const { h, pending, paid, freshOrders } = t;
    const evil = { Origin: 'https://evil.example' };
    const answers: Array<[string, Response, boolean]> = [
      ['POST /payments 201', await h.createPayment(freshOrders[0]!), true],
      [
        'POST /payments 200 (same key)',
        await h.createPayment(freshOrders[1]!, { key: 'same-key' }).then(() => h.createPayment(freshOrders[1]!, { key: 'same-key' })),
        true,
      ],
      ['POST /payments 403', await h.createPayment(freshOrders[2]!, { headers: evil }), true],
      [
        'POST /payments 415',
        await fetch(`${h.partnerUrl}/izly/payments`, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...evil }, body: '{}' }),
        true,
      ],
      ['POST /payments 404 unknown order', await h.createPayment('nope'), true],
      ['GET /payments/:id pending', await h.getPayment(pending.paymentId), true],
      ['GET /payments/:id paid', await h.getPayment(paid.paymentId, 1), true],
      ['GET /payments/:id from a foreign origin', await fetch(`${h.partnerUrl}/izly/payments/${paid.paymentId}`, { headers: evil }), true],
      ['GET /payments/:id 404', await h.getPayment('pay_nope'), true],
      ['GET /payments/:id 400', await fetch(`${h.partnerUrl}/izly/payments/${pending.paymentId}?wait=-1`), true],
      [
        'OPTIONS preflight from a foreign origin',
        await fetch(`${h.partnerUrl}/izly/payments`, {
          method: 'OPTIONS',
          headers: { ...evil, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,idempotency-key' },
        }),
        true,
      ],
      ['refund 403', await fetch(`${h.partnerUrl}/izly/payments/${paid.paymentId}/refund`, { method: 'POST' }), true],
      ['refund 200', await fetch(`${h.partnerUrl}/izly/payments/${paid.paymentId}/refund`, { method: 'POST', headers: { 'X-Staff': 'yes' } }), true],
      ['refund 409', await fetch(`${h.partnerUrl}/izly/payments/${paid.paymentId}/refund`, { method: 'POST', headers: { 'X-Staff': 'yes' } }), true],
      ['callback 403', await h.postCallback('?p=x&s=y', {}), false],
      ['callback 200', await h.postCallback(`?${pending.callbackParameters}`, {}), false],
    ];
    for (const [label, response, isPaymentAnswer] of answers) {
      await response.arrayBuffer();
      const names = [...response.headers.keys()];
      assert.deepEqual(
        names.filter((name) => name.startsWith('access-control-')),
        [],
        `${label}: CORS headers`,
      );
      assert.deepEqual(
        names.filter((name) => BANNERS.includes(name)),
        [],
        `${label}: banner`,
      );
      if (isPaymentAnswer) assert.equal(response.headers.get('cache-control'), 'no-store', `${label}: Cache-Control`);
    }
    recordCheck({
      id: 'headers',
      area: 'Response headers',
      tried:
        'Headers of every route’s answers: created, replayed, read, long-polled, refunded, refused (400, 403, 404, 405, 409, 415), a foreign-origin preflight, callbacks',
      cases: answers.length,
      held: 'no Access-Control-* header (no CORS unless the partner adds it), Cache-Control: no-store on every payment answer, no X-Powered-By or Server banner',
    });
  });
});
