// One key per purpose from the one secret: a callback signed with the raw secret (the format before keys
// were derived) is refused, and the callback-signature and login-cookie keys sign differently.
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
    const data = text('pay_same-text-for-every-purpose');
    const signatures = new Set<string>();
    for (const purpose of ['callback-signature', 'login-cookie', 'payer-binding'] as const) {
      const signature = await crypto.subtle.sign('HMAC', await purposeKey(SECRET, purpose), data);
      signatures.add(base64url(new Uint8Array(signature)));
    }
    signatures.add(await hmacWithRawSecret('pay_same-text-for-every-purpose'));
    assert.equal(signatures.size, 4);
  });

  test('a callback signature made with the raw secret is refused; one made by the signer passes', async () => {
    const signer = createCallbackSigner(SECRET);
    const paymentId = newPaymentId();
    assert.equal(await signer.verify(paymentId, await hmacWithRawSecret(paymentId)), false);
    const genuine = new URLSearchParams(await signer.callbackParameters(paymentId)).get('s')!;
    assert.equal(await signer.verify(paymentId, genuine), true);
  });

  test('a login cookie signed with the callback key is refused', async () => {
    const sealer = createLoginCookieSealer(SECRET);
    const sealed = await sealer.seal({ nonce: 'n'.repeat(43), returnUrl: 'https://shop.example/', mode: 'redirect', expiresAt: 1 });
    const [payload] = sealed.split('.');
    const callbackKey = await purposeKey(SECRET, 'callback-signature');
    const forged = `${payload}.${base64url(new Uint8Array(await crypto.subtle.sign('HMAC', callbackKey, text(payload!))))}`;
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
