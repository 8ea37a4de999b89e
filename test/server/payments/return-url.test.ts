// The return URL's facts, kept per text, and Izly's redirect built around the id's place: the same text the
// URL API gives, for every shape of return URL a partner may send, first time and from the cache.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PAYMENT_RETURN_PARAM } from '../../../contract/browser-contract.js';
import { newPaymentId } from '../../../server-adapter/payments/callback-signature.js';
import { redirectUrlFor, returnUrlFacts } from '../../../server-adapter/payments/return-url.js';

function byTheUrlApi(returnUrl: string, paymentId: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set(PAYMENT_RETURN_PARAM, paymentId);
  return url.href;
}

const RETURN_URLS = [
  'https://shop.example/order',
  'https://shop.example',
  'https://shop.example/order?cart=12&lang=fr',
  'https://shop.example/order?izly_payment=pay_old&x=1',
  'https://shop.example/order#paid',
  'https://shop.example/order?a=b c&d=é#frag',
  'https://shop.example:8443/a/../b/./c?x',
  'HTTPS://Shop.Example/Order?',
  'http://localhost:3000/caisse?retour=1',
  'https://shop.example/izlypay0id0mark?izlypay0id0mark=1',
];

describe('return URLs read once per text', () => {
  test('the redirect is what the URL API writes, for each shape, first time and from the cache', () => {
    for (const returnUrl of RETURN_URLS) {
      for (let time = 0; time < 2; time++) {
        const paymentId = newPaymentId();
        assert.equal(redirectUrlFor(returnUrl, paymentId), byTheUrlApi(returnUrl, paymentId), returnUrl);
      }
    }
  });

  test('an id that is not URL-safe is escaped as the URL API escapes it', () => {
    for (const paymentId of ['pay_a b', 'pay_&x=1', 'pay_é#']) {
      assert.equal(redirectUrlFor('https://shop.example/order?x=1', paymentId), byTheUrlApi('https://shop.example/order?x=1', paymentId));
    }
  });

  test('the facts are those of new URL(); a text that is not an absolute URL reads as null, every time', () => {
    assert.deepEqual(
      { ...returnUrlFacts('https://shop.example:8443/order?x=1'), aroundId: undefined },
      { protocol: 'https:', origin: 'https://shop.example:8443', aroundId: undefined },
    );
    for (const text of ['/order', 'not a url', '', 'https://']) {
      assert.equal(returnUrlFacts(text), null, text);
      assert.equal(returnUrlFacts(text), null, text);
    }
  });

  test('many distinct texts (more than are kept) each still read right', () => {
    for (let i = 0; i < 600; i++) {
      const returnUrl = `https://shop.example/order/${i}?n=${i}`;
      const paymentId = newPaymentId();
      assert.equal(returnUrlFacts(returnUrl)?.origin, 'https://shop.example');
      assert.equal(redirectUrlFor(returnUrl, paymentId), byTheUrlApi(returnUrl, paymentId));
    }
    const long = `https://shop.example/${'x'.repeat(3_000)}`;
    const paymentId = newPaymentId();
    assert.equal(redirectUrlFor(long, paymentId), byTheUrlApi(long, paymentId));
  });
});
