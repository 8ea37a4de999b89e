// The control API on a developer's machine: a web page (any site, DNS rebinding included) cannot read the
// sandbox's secrets or mark a payment paid; scripts with the printed token can.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Operation } from '../../../sandbox/index.js';
import { CONTROL_TOKEN, control, initiate, testSandbox } from './sandbox-test-helpers.js';

const AUTHORIZE = { identifier: 'etudiant@izly.test', password: 'izly1234' };

/** A browser's or attacker's request to authorise the operation, every header given explicitly. */
function authorizeRequest(id: number, headers: Record<string, string>, url = `http://localhost/sandbox/api/operations/${id}/authorize`) {
  return new Request(url, { method: 'POST', headers, body: JSON.stringify(AUTHORIZE) });
}

async function pendingOperation() {
  const { sandbox } = testSandbox();
  const id = (await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' })).OperationSMoney.Id;
  return { sandbox, id };
}

const bearer = `Bearer ${CONTROL_TOKEN}`;
const goodHeaders = { authorization: bearer, 'content-type': 'application/json' };

describe('the control API refuses what a web page could send, and changes nothing', () => {
  for (const [what, status, code, request] of [
    ['no token', 401, 'unauthorized', (id: number) => authorizeRequest(id, { 'content-type': 'application/json' })],
    [
      'a wrong token',
      401,
      'unauthorized',
      (id: number) => authorizeRequest(id, { ...goodHeaders, authorization: `Bearer ${CONTROL_TOKEN.replace(/.$/, 'x')}` }),
    ],
    ['a token in another scheme', 401, 'unauthorized', (id: number) => authorizeRequest(id, { ...goodHeaders, authorization: `Basic ${CONTROL_TOKEN}` })],
    [
      'a text/plain body (a form-like POST needing no preflight)',
      415,
      'unsupported_media_type',
      (id: number) => authorizeRequest(id, { ...goodHeaders, 'content-type': 'text/plain' }),
    ],
    ['no Content-Type', 415, 'unsupported_media_type', (id: number) => authorizeRequest(id, { authorization: bearer })],
    ['a foreign Origin', 403, 'origin_not_allowed', (id: number) => authorizeRequest(id, { ...goodHeaders, origin: 'https://evil.test' })],
    ['Origin null (a sandboxed frame)', 403, 'origin_not_allowed', (id: number) => authorizeRequest(id, { ...goodHeaders, origin: 'null' })],
    [
      'a foreign Host (DNS rebinding)',
      403,
      'host_not_allowed',
      (id: number) => authorizeRequest(id, goodHeaders, `http://evil.test:8790/sandbox/api/operations/${id}/authorize`),
    ],
    ['a foreign Host header', 403, 'host_not_allowed', (id: number) => authorizeRequest(id, { ...goodHeaders, host: 'evil.test:8790' })],
  ] as const) {
    test(`${what}: ${status} ${code}, the payment stays pending`, async () => {
      const { sandbox, id } = await pendingOperation();
      const response = await sandbox.fetch(request(id));
      assert.equal(response.status, status);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, code);
      assert.equal(sandbox.control.operation(id)?.status, 'Pending');
      assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 10000);
    });
  }

  test('GET /state without the token gives nothing: no API key, no password, no callback', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.request('/sandbox/api/state');
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
    const text = await response.text();
    for (const secret of [sandbox.control.pointsOfSale()[0]!.apiKey, 'izly1234', 'callbackLog']) assert.ok(!text.includes(secret));
  });

  test('with the token, from loopback, the sandbox’s own origin or no Origin, the same call works', async () => {
    const { sandbox, id } = await pendingOperation();
    const answered = await sandbox.fetch(
      authorizeRequest(
        id,
        { ...goodHeaders, origin: 'http://localhost:8790', host: '127.0.0.1:9999' },
        `http://127.0.0.1:9999/sandbox/api/operations/${id}/authorize`,
      ),
    );
    assert.equal(answered.status, 200);
    assert.equal(((await (await sandbox.request(`/sandbox/api/operations/${id}`, control())).json()) as Operation).status, 'Completed');
    assert.equal((await sandbox.request('http://[::1]:8790/sandbox/api/state', control())).status, 200);
  });

  test('the host of publicUrl is allowed, with any port', async () => {
    const { sandbox } = testSandbox({ publicUrl: 'http://izly.lan:8790' });
    assert.equal((await sandbox.request('http://izly.lan:1234/sandbox/api/state', control())).status, 200);
    assert.equal((await sandbox.request('http://other.lan:8790/sandbox/api/state', control())).status, 403);
  });

  test('the home page shows the token only to a request addressed to the sandbox by its name', async () => {
    const { sandbox } = testSandbox();
    assert.match(await (await sandbox.request('/')).text(), new RegExp(`Authorization: Bearer ${CONTROL_TOKEN}`));
    const rebound = await sandbox.request('http://evil.test:8790/');
    assert.equal(rebound.status, 403);
    assert.ok(!(await rebound.text()).includes(CONTROL_TOKEN));
  });

  test('a callback URL may be set to loopback, the host of publicUrl or callbackHosts, nowhere else', async () => {
    const { sandbox } = testSandbox({ callbackHosts: ['shop.test'] });
    const patch = (callbackUrl: string) => sandbox.request('/sandbox/api/points-of-sale/izly-pay-demo', control('PATCH', { callbackUrl }));
    const before = sandbox.control.pointsOfSale()[0]!.callbackUrl;
    const refused = await patch('https://attacker.example/collect');
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'callback_host_not_allowed');
    assert.equal(sandbox.control.pointsOfSale()[0]!.callbackUrl, before);
    for (const allowed of ['http://127.0.0.1:9000/cb', 'http://localhost:8787/izly/callback', 'https://shop.test/izly/callback']) {
      assert.equal((await patch(allowed)).status, 200, allowed);
    }
  });

  test('a control token shorter than 16 characters is refused at construction', () => {
    assert.throws(() => testSandbox({ controlToken: 'short' }), /controlToken must be 16 to 200 URL-safe characters/);
  });
});
