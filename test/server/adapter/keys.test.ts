// One key per purpose from the one secret: a callback signed with the raw secret (the format before keys
// were derived) is refused, and the callback-signature and login-cookie keys sign differently. The HMACs
// are the bytes Web Crypto gives with the key it derives (how they were made before @noble/hashes): a
// callback or a payer tag signed by an earlier release still passes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { base64url } from '../../../server-adapter/base64url.js';
import { purposeKey } from '../../../server-adapter/keys.js';
import { createCallbackSigner, newPaymentId } from '../../../server-adapter/payments/callback-signature.js';
import { createLoginCookieSealer } from '../../../server-adapter/connect/login-cookie.js';
import { SECRET, startHarness } from '../helpers/harness.js';

const text = (value: string) => new TextEncoder().encode(value);

async function hmacWithRawSecret(data: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', text(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, text(data))));
}

describe('keys derived per purpose from the secret', () => {
  test('the purposes give different signatures of the same text, and none is the raw secret’s', async () => {
    const data = 'pay_same-text-for-every-purpose';
    const signatures = new Set<string>();
    for (const purpose of ['callback-signature', 'login-cookie', 'payer-binding'] as const) {
      signatures.add(base64url((await purposeKey(SECRET, purpose)).sign(data)));
    }
    signatures.add(await hmacWithRawSecret('pay_same-text-for-every-purpose'));
    assert.equal(signatures.size, 4);
  });

  test('each purpose signs the bytes Web Crypto signs with the key it derives itself, and verifies only them', async () => {
    const labels = {
      'callback-signature': 'izly-pay/callback-signature/v1',
      'login-cookie': 'izly-pay/login-cookie/v1',
      'payer-binding': 'izly-pay/payer-binding/v1',
    } as const;
    const master = await crypto.subtle.importKey('raw', text(SECRET), 'HKDF', false, ['deriveKey']);
    for (const [purpose, label] of Object.entries(labels) as Array<[keyof typeof labels, string]>) {
      const webCryptoKey = await crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: text(label) },
        master,
        { name: 'HMAC', hash: 'SHA-256', length: 256 },
        false,
        ['sign'],
      );
      const key = await purposeKey(SECRET, purpose);
      for (const message of ['', 'pay_AAAA', 'é'.repeat(100), 'x'.repeat(1000)]) {
        const expected = new Uint8Array(await crypto.subtle.sign('HMAC', webCryptoKey, text(message)));
        assert.deepEqual(key.sign(message), expected, `${purpose}, ${message.length} characters`);
        assert.equal(key.verify(expected, message), true);
        const flipped = expected.slice();
        flipped[31]! ^= 1;
        assert.equal(key.verify(flipped, message), false);
        assert.equal(key.verify(expected.subarray(0, 31), message), false);
      }
    }
  });

  test('a callback signature made with the raw secret is refused; one made by the signer passes', async () => {
    const signer = createCallbackSigner(SECRET);
    const paymentId = newPaymentId();
    assert.equal(await signer.verify(paymentId, await hmacWithRawSecret(paymentId)), false);
    const genuine = new URLSearchParams(await signer.callbackParameters(paymentId)).get('s')!;
    assert.equal(await signer.verify(paymentId, genuine), true);
  });

  test('CallbackParameters is the text URLSearchParams writes, and reads back as the id and its signature', async () => {
    const signer = createCallbackSigner(SECRET);
    for (const paymentId of [newPaymentId(), newPaymentId(), 'pay_not ours+&=é']) {
      const parameters = await signer.callbackParameters(paymentId);
      const read = new URLSearchParams(parameters);
      assert.equal(read.get('p'), paymentId);
      assert.equal(await signer.verify(paymentId, read.get('s')!), true);
      // Our ids (URL-safe) give exactly URLSearchParams' text; another id is escaped, as there.
      if (paymentId.startsWith('pay_') && !paymentId.includes(' ')) {
        assert.equal(parameters, new URLSearchParams({ p: paymentId, s: read.get('s')! }).toString());
      }
    }
  });

  test('a login cookie signed with the callback key is refused', async () => {
    const sealer = createLoginCookieSealer(SECRET);
    const sealed = await sealer.seal({ nonce: 'n'.repeat(43), returnUrl: 'https://shop.example/', mode: 'redirect', expiresAt: 1 });
    const [payload] = sealed.split('.');
    const callbackKey = await purposeKey(SECRET, 'callback-signature');
    const forged = `${payload}.${base64url(callbackKey.sign(payload!))}`;
    assert.notEqual(forged, sealed);
    assert.equal(await sealer.open(forged), null);
    assert.deepEqual(await sealer.open(sealed), { nonce: 'n'.repeat(43), returnUrl: 'https://shop.example/', mode: 'redirect', expiresAt: 1 });
  });

  test('the callback route refuses a raw-secret signature before any call to Izly', async () => {
    const h = await startHarness();
    try {
      h.orders.set('A-1', { amount: 250 });
      const payment = (await (await h.createPayment('A-1')).json()) as { paymentId: string };
      const before = h.upstream.length;
      const query = `?${new URLSearchParams({ p: payment.paymentId, s: await hmacWithRawSecret(payment.paymentId) })}`;
      const answer = await h.postCallback(query, {});
      assert.equal(answer.status, 403);
      assert.equal(h.upstream.length, before, 'Izly is not asked');
    } finally {
      await h.close();
    }
  });
});
