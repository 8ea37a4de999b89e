// izlyPay() checks its options at construction and names the bad one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { izlyPay, memoryStore, type IzlyPayOptions } from '../../../server-adapter/index.js';

const valid = (): IzlyPayOptions => ({
  baseUrl: 'http://127.0.0.1:8790',
  appIdentifier: 'izly-pay-demo',
  apiKey: 'aXpseS1wYXktZGVtbzpzYW5kYm94LWRlbW8tc2VjcmV0',
  secret: 'x'.repeat(32),
  store: memoryStore(),
  allowedOrigins: ['http://localhost:8787'],
  order: () => ({ amount: 100 }),
});

describe('izlyPay(options)', () => {
  test('valid options give a Hono app with refund, reconcile, store and client', () => {
    const app = izlyPay(valid());
    assert.equal(typeof app.fetch, 'function');
    assert.equal(typeof app.refund, 'function');
    assert.equal(typeof app.reconcile, 'function');
    assert.equal(typeof app.store.get, 'function');
    assert.equal(app.client.appIdentifier, 'izly-pay-demo');
  });

  const bad: Array<[string, Partial<Record<keyof IzlyPayOptions, unknown>>, RegExp]> = [
    ['a short secret', { secret: 'short' }, /secret must be a string of at least 32 characters/],
    ['no order hook', { order: undefined }, /order must be a function/],
    ['no store', { store: undefined }, /store must be a PaymentStore/],
    ['no allowed origins', { allowedOrigins: [] }, /allowedOrigins must list at least one origin/],
    ['an origin with a path', { allowedOrigins: ['https://shop.example/pay'] }, /must be an origin/],
    ['an origin that is not a URL', { allowedOrigins: ['shop.example'] }, /is not a URL/],
    ['a hook that is not a function', { onPaid: 'yes' }, /onPaid must be a function/],
    ['a wait beyond 30 s', { maxWaitSeconds: 60 }, /maxWaitSeconds/],
    ['a wait of 0 s (the widget would ask again at once)', { maxWaitSeconds: 0 }, /maxWaitSeconds must be a number between 1 and 30/],
    ['a wait under a second', { maxWaitSeconds: 0.5 }, /maxWaitSeconds must be a number between 1 and 30/],
    ['a body timeout of 0', { bodyTimeoutMs: 0 }, /bodyTimeoutMs must be a number between 100 and 300000/],
    ['an unknown callbacks mode', { callbacks: 'sometimes' }, /callbacks must be one of 'auto', 'allow-listed', 'blocked'/],
    ['a negative safety-net interval', { safetyNetReadIntervalMs: -1 }, /safetyNetReadIntervalMs/],
    ['a bad base URL', { baseUrl: 'rest.izly.fr' }, /baseUrl/],
    ['no API key', { apiKey: '' }, /apiKey/],
  ];
  for (const [name, change, message] of bad) {
    test(`throws on ${name}`, () => {
      assert.throws(() => izlyPay({ ...valid(), ...change } as IzlyPayOptions), message);
    });
  }

  test('no error message carries the API key or the secret', () => {
    const secret = 's'.repeat(40);
    try {
      izlyPay({ ...valid(), secret, apiKey: 'very-secret-key', allowedOrigins: ['bad'] });
      assert.fail('should throw');
    } catch (error) {
      assert.ok(error instanceof Error);
      assert.ok(!error.message.includes(secret) && !error.message.includes('very-secret-key'));
    }
  });

  describe('a key no option reads', () => {
    // Cast as a partner's JavaScript or a config object spread into the options would pass it.
    const withExtra = (extra: Record<string, unknown>) => ({ ...valid(), ...extra }) as IzlyPayOptions;
    const connect = { onLogin: () => undefined };

    test('a misspelled top-level option is refused with its name', () => {
      assert.throws(() => izlyPay(withExtra({ allowedOrigin: ['https://shop.example'] })), {
        name: 'Error',
        message: /^izlyPay: unknown option "allowedOrigin" \(known: .*allowedOrigins/,
      });
      assert.throws(() => izlyPay(withExtra({ onpaid: () => undefined })), /unknown option "onpaid"/);
    });

    test('a misspelled Izly client option is refused too', () => {
      assert.throws(() => izlyPay(withExtra({ timeoutMS: 5_000 })), /unknown option "timeoutMS"/);
    });

    test('a misspelled connect option is refused with its path', () => {
      assert.throws(() => izlyPay(withExtra({ connect: { ...connect, retunUrl: 'http://localhost:8787/' } })), {
        name: 'Error',
        message: /^izlyPay: unknown option "connect\.retunUrl" \(known: .*returnUrl/,
      });
    });

    test('every documented option is accepted, connect included', () => {
      const app = izlyPay({
        ...valid(),
        onPaid: () => undefined,
        callbacks: 'allow-listed',
        maxWaitSeconds: 25,
        timeoutMs: 5_000,
        connect: { ...connect, returnUrl: 'http://localhost:8787/account', cookieName: 'shop_login' },
      });
      assert.equal(typeof app.fetch, 'function');
    });
  });
});
