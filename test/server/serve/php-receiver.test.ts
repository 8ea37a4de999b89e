// The PHP example's two endpoints, called as `izly-pay serve` calls them (signed with the service's own
// signatureHeader): the order callout answers the amount of an open order and 404 otherwise; the webhook
// receiver processes a good event once and refuses a bad signature, a stale timestamp and a replayed event
// id, changing nothing in its SQLite file.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signatureHeader, SIGNATURE_HEADER } from '../../../server-adapter/serve/signature.js';
import { SKIP_WITHOUT_PHP, startPhpShop, type PhpShop } from './php-shop.js';

const SECRET = 'whsec-php-receiver-test-0123456789abcdef';
const now = () => Math.floor(Date.now() / 1000);

describe('the PHP example shop receiving the service', { skip: SKIP_WITHOUT_PHP }, () => {
  let shop: PhpShop;

  before(async () => {
    shop = await startPhpShop({ signingSecret: SECRET });
  });
  after(() => shop.stop());

  function post(path: string, body: string, header: string | null): Promise<Response> {
    return fetch(`${shop.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(header === null ? {} : { [SIGNATURE_HEADER]: header }) },
      body,
    });
  }

  const signed = (body: string, at = now(), secret = SECRET) => signatureHeader(secret, body, at);

  function paidEvent(orderId: string, amount = 330, paymentId = `pay_${orderId}`): string {
    return JSON.stringify({ id: `evt_${paymentId}.paid`, type: 'payment.paid', payment: { id: paymentId, orderId, amount, status: 'paid' }, data: {} });
  }

  describe('the order callout (izly-order.php)', () => {
    test('answers the amount of an open order to a signed request', async () => {
      const orderId = await shop.order('ticket-ru');
      const body = JSON.stringify({ orderId });
      const response = await post('/izly-order.php', body, signed(body));
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { amount: 330, message: 'Ticket de restaurant universitaire' });
    });

    test('answers 404 for an order it does not have', async () => {
      const body = JSON.stringify({ orderId: 'cmd-unknown' });
      assert.equal((await post('/izly-order.php', body, signed(body))).status, 404);
    });

    test('refuses a tampered body, a stale or missing signature with 401', async () => {
      const orderId = await shop.order('ticket-ru');
      const body = JSON.stringify({ orderId });
      assert.equal((await post('/izly-order.php', JSON.stringify({ orderId: `${orderId} ` }), signed(body))).status, 401);
      assert.equal((await post('/izly-order.php', body, signed(body, now() - 600))).status, 401);
      assert.equal((await post('/izly-order.php', body, null)).status, 401);
    });
  });

  describe('the webhook receiver (izly-webhook.php)', () => {
    test('processes a good payment.paid once: the order is paid', async () => {
      const orderId = await shop.order('ticket-ru');
      const body = paidEvent(orderId);
      const response = await post('/izly-webhook.php', body, signed(body));
      assert.equal(response.status, 200);
      assert.equal(shop.orders().find((order) => order.id === orderId)?.status, 'paid');
      assert.equal(shop.webhookEvents().filter((event) => event.order_id === orderId).length, 1);
    });

    test('refuses a replayed event id with 409, the same request or re-signed, and changes nothing', async () => {
      const orderId = await shop.order('impression');
      const body = paidEvent(orderId, 500);
      const header = signed(body);
      assert.equal((await post('/izly-webhook.php', body, header)).status, 200);
      const before = { orders: shop.orders(), events: shop.webhookEvents() };
      assert.equal((await post('/izly-webhook.php', body, header)).status, 409, 'the same request again, within the window');
      assert.equal((await post('/izly-webhook.php', body, signed(body, now() + 1))).status, 409, 'the same event signed anew');
      assert.deepEqual({ orders: shop.orders(), events: shop.webhookEvents() }, before);
    });

    test('refuses a bad signature, another secret, a stale or missing one with 401, and changes nothing', async () => {
      const orderId = await shop.order('ticket-ru');
      const body = paidEvent(orderId);
      const before = { orders: shop.orders(), events: shop.webhookEvents() };
      const refused = [
        await post('/izly-webhook.php', paidEvent(orderId, 1), signed(body)),
        await post('/izly-webhook.php', body, signed(body).slice(0, -1) + (signed(body).endsWith('0') ? '1' : '0')),
        await post('/izly-webhook.php', body, signed(body, now(), `${SECRET}-not-this-one`)),
        await post('/izly-webhook.php', body, signed(body, now() - 301 - 5)),
        await post('/izly-webhook.php', body, null),
      ];
      assert.deepEqual(
        refused.map((response) => response.status),
        [401, 401, 401, 401, 401],
      );
      assert.deepEqual({ orders: shop.orders(), events: shop.webhookEvents() }, before);
      assert.equal(shop.orders().find((order) => order.id === orderId)?.status, 'open');
    });

    test('does not mark an order paid for another amount, and marks a refund', async () => {
      const orderId = await shop.order('ticket-ru');
      const wrong = paidEvent(orderId, 1, `pay_wrong_${orderId}`);
      assert.equal((await post('/izly-webhook.php', wrong, signed(wrong))).status, 200);
      assert.equal(shop.orders().find((order) => order.id === orderId)?.status, 'open', 'an amount that is not the order’s ships nothing');
      const paid = paidEvent(orderId);
      assert.equal((await post('/izly-webhook.php', paid, signed(paid))).status, 200);
      const refunded = JSON.stringify({
        id: `evt_pay_${orderId}.refunded`,
        type: 'payment.refunded',
        payment: { id: `pay_${orderId}`, orderId, amount: 330 },
        data: {},
      });
      assert.equal((await post('/izly-webhook.php', refunded, signed(refunded))).status, 200);
      assert.equal(shop.orders().find((order) => order.id === orderId)?.status, 'refunded');
    });
  });
});
