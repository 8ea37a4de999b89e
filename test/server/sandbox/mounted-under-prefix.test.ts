// A sandbox mounted under a prefix of another app: `publicUrl` carries the prefix, and every link, form and
// asset of its pages starts with it, whether the parent copies its routes (`app.route`) or hands it the
// request without the prefix (`app.mount`, a proxy that strips it).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { createSandbox } from '../../../sandbox/index.js';
import { callbackReceiver, partnerHeaders, readPage } from './sandbox-test-helpers.js';

const PUBLIC_URL = 'http://shop.test/izly-sandbox';

function shopWithSandbox(mounting: 'route' | 'mount') {
  const receiver = callbackReceiver();
  const sandbox = createSandbox({ publicUrl: PUBLIC_URL, fetch: receiver.fetch, callbackRetryDelayMs: 5 });
  const shop = new Hono();
  if (mounting === 'route') shop.route('/izly-sandbox', sandbox);
  else shop.mount('/izly-sandbox', sandbox.fetch);
  return { shop, sandbox };
}

for (const mounting of ['route', 'mount'] as const) {
  describe(`a sandbox under /izly-sandbox (app.${mounting})`, () => {
    test('the payment page links its form, its stylesheet and its icon under the prefix, and they work', async () => {
      const { shop, sandbox } = shopWithSandbox(mounting);
      const initiated = await shop.request('/izly-sandbox/api/Izly/WebPayments', {
        method: 'POST',
        headers: partnerHeaders(),
        body: JSON.stringify({ Amount: 350, ClientOrderId: 'A-1' }),
      });
      assert.equal(initiated.status, 200);
      const { PaymentAuthorizationUrl, OperationSMoney } = (await initiated.json()) as { PaymentAuthorizationUrl: string; OperationSMoney: { Id: number } };
      const pagePath = new URL(PaymentAuthorizationUrl).pathname;
      assert.match(pagePath, /^\/izly-sandbox\/payment\/[\w-]+$/);

      const html = await (await shop.request(pagePath)).text();
      assert.match(html, new RegExp(`<form method="post" action="${pagePath}">`));
      assert.match(html, new RegExp(`<a class="forgotten" href="${pagePath}/mot-de-passe-oublie">`));
      const assets = [...html.matchAll(/<link rel="(?:stylesheet|icon)" href="([^"]+)"/g)].map((match) => match[1]!);
      assert.deepEqual(assets, ['/izly-sandbox/sandbox/assets/sandbox.css', '/izly-sandbox/sandbox/assets/icon.svg']);
      for (const asset of assets) assert.equal((await shop.request(asset)).status, 200, asset);

      const decided = await shop.request(pagePath, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' }).toString(),
      });
      assert.equal(readPage(await decided.text()).heading, 'Paiement accepté');
      assert.equal(sandbox.control.operation(OperationSMoney.Id)?.status, 'Completed');
      sandbox.control.close();
    });

    test('the login form posts under the prefix, and the home page links there too', async () => {
      const { shop, sandbox } = shopWithSandbox(mounting);
      const login = await (await shop.request('/izly-sandbox/oauth/Home/Authorize?response_type=code&client_id=izly-pay-demo&scope=1')).text();
      assert.match(login, /<form method="post" action="\/izly-sandbox\/oauth\/Home\/Authorize\?response_type=code&amp;client_id=izly-pay-demo&amp;scope=1">/);

      const home = await shop.request('/izly-sandbox/');
      assert.equal(home.status, 200);
      const links = [...(await home.text()).matchAll(/<a href="([^"#]+)"/g)].map((match) => match[1]!);
      assert.ok(links.length >= 1);
      for (const link of links) assert.match(link, /^\/izly-sandbox\//);
      const token = { authorization: `Bearer ${sandbox.control.controlToken()}` };
      assert.equal((await shop.request('/izly-sandbox/sandbox/api/state', { headers: token })).status, 200);
      sandbox.control.close();
    });
  });
}
