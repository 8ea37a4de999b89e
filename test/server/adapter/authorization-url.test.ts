// The Izly page the widget is sent to must be https (plain http only on loopback or at an http baseUrl's
// own origin): any other `PaymentAuthorizationUrl` in Izly's answer is refused with a 502, logged, and
// never given to the browser. Izly's answers are rewritten on the way back, as another Izly would send them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { requireSafeAuthorizationUrl } from '../../../server-adapter/authorization-url.js';
import { startHarness } from '../helpers/harness.js';

/** A `fetch` for the adapter that puts `url` in every initiation answer's `PaymentAuthorizationUrl`. */
function answeringAuthorizationUrl(url: string) {
  return async (request: Request) => {
    const answer = await fetch(request);
    const text = await answer.text();
    const rewritten = text.replace(/"PaymentAuthorizationUrl":"[^"]*"/, `"PaymentAuthorizationUrl":${JSON.stringify(url)}`);
    return new Response(rewritten, { status: answer.status, headers: answer.headers });
  };
}

async function createWith(url: string) {
  const warnings: string[] = [];
  const h = await startHarness({ adapter: { fetch: answeringAuthorizationUrl(url), logger: { warn: (m) => void warnings.push(m), error() {} } } });
  try {
    h.orders.set('A-1', { amount: 250 });
    const answer = await h.createPayment('A-1');
    const body = (await answer.json()) as { authorizationUrl?: string; error?: { code: string; message: string } };
    const [record] = await h.izly.store.findByOrderId('A-1');
    return { status: answer.status, body, record, warnings };
  } finally {
    await h.close();
  }
}

describe("Izly's authorization URL", () => {
  for (const [label, url] of [
    ['a javascript: URL', 'javascript:alert(document.cookie)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['plain http on the internet', 'http://izly.example/payment/1'],
    ['another scheme', 'ftp://izly.example/payment/1'],
  ] as const) {
    test(`${label}: 502 izly_bad_answer, the payment failed, the reason logged, nothing given to the browser`, async () => {
      const { status, body, record, warnings } = await createWith(url);
      assert.equal(status, 502);
      assert.equal(body.error?.code, 'izly_bad_answer');
      assert.ok(!JSON.stringify(body).includes(url), 'the URL is not in the answer');
      assert.equal(record?.status, 'failed');
      assert.equal(record?.authorizationUrl, null);
      assert.ok(
        warnings.some((warning) => warning.includes('PaymentAuthorizationUrl refused')),
        warnings.join(' | '),
      );
    });
  }

  for (const [label, url] of [
    ['https', 'https://izly.example/payment/1'],
    ['http on localhost', 'http://localhost:9/payment/1'],
    ['http on 127.0.0.2', 'http://127.0.0.2:9/payment/1'],
  ] as const) {
    test(`${label}: given to the browser`, async () => {
      const { status, body } = await createWith(url);
      assert.equal(status, 201);
      assert.equal(body.authorizationUrl, url);
    });
  }
});

describe('requireSafeAuthorizationUrl', () => {
  test('plain http at the origin of an http baseUrl (a sandbox on a test network), not at another', () => {
    assert.doesNotThrow(() => requireSafeAuthorizationUrl('http://sandbox.test:8790/payment/1', 'http://sandbox.test:8790'));
    assert.throws(() => requireSafeAuthorizationUrl('http://sandbox.test:8791/payment/1', 'http://sandbox.test:8790'), /plain http/);
    assert.throws(() => requireSafeAuthorizationUrl('http://sandbox.test/payment/1', 'https://sandbox.test'), /plain http/);
  });
});
