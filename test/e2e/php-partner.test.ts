// A partner whose site is PHP (examples/php under Debian's `php -S`) takes an Izly payment through
// `izly-pay serve` (the package's bin, on its own origin, with CORS) in front of the sandbox: a student
// orders on the PHP page, pays in Chromium on the sandbox's Izly page, and comes back to "paid"; the PHP
// shop got the amount through the signed order callout and sees exactly one verified payment.paid, which
// marked its order paid in its SQLite file. Skipped, loudly, when php is not installed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { createSandbox, type Sandbox } from '../../sandbox/index.js';
import { closeServer, listen } from '../server/helpers/http-server.js';
import { SKIP_WITHOUT_PHP, startPhpShop, type PhpShop } from '../server/serve/php-shop.js';
import { BACK_OFFICE_KEY, SIGNING_SECRET, serveEnvironment, startServe, type ServeProcess } from '../server/serve/serve-process.js';
import { launchChromium } from './helpers/browser.js';
import { E2E_SANDBOX_CONTROL_TOKEN, freePort, temporaryFolder } from './helpers/processes.js';
import { balanceOf, decideOnIzly } from './helpers/shop-driver.js';

const STUDENT = 'etudiant@izly.test';
const PASSWORD = 'izly1234';

describe('a PHP shop paid with Izly through izly-pay serve, in Chromium', { skip: SKIP_WITHOUT_PHP }, () => {
  let sandbox: Sandbox;
  let sandboxServer: ServerType;
  let sandboxUrl: string;
  let shop: PhpShop;
  let service: ServeProcess;
  let browser: Browser;
  const data = temporaryFolder('izly-pay-serve-e2e-');

  before(async () => {
    const servePort = await freePort();
    const serveUrl = `http://127.0.0.1:${servePort}`;
    // The service has an origin of its own: the PHP pages load the widget and call the adapter there.
    shop = await startPhpShop({ signingSecret: SIGNING_SECRET, endpoint: `${serveUrl}/izly` });
    ({ server: sandboxServer, url: sandboxUrl } = await listen((request) => sandbox.fetch(request)));
    sandbox = createSandbox({
      publicUrl: sandboxUrl,
      callbackRetryDelayMs: 200,
      controlToken: E2E_SANDBOX_CONTROL_TOKEN,
      pointsOfSale: [
        { siteName: 'Boutique PHP', callbackUrl: `${serveUrl}/izly/callback`, urlAfterPayment: `${shop.url}/`, urlAfterCancellation: `${shop.url}/` },
      ],
    });
    const env = { ...serveEnvironment(sandboxUrl, shop.url, servePort, join(data.path, 'izly-pay.sqlite')), IZLY_PAY_CORS: 'true' };
    service = await startServe(env);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await service?.stop();
    await shop?.stop();
    if (sandbox) {
      await sandbox.control.settled();
      sandbox.control.close();
    }
    if (sandboxServer) await closeServer(sandboxServer);
    data.remove();
  });

  it('orders on the PHP page, pays on Izly, and the shop sees one verified payment.paid', async () => {
    const page = await browser.newPage();
    const balanceBefore = await balanceOf(sandboxUrl, STUDENT);
    await page.goto(`${shop.url}/`);
    await page.locator('li[data-sku="ticket-ru"]').getByRole('button', { name: 'Commander' }).click();
    await page.waitForURL(`${shop.url}/order.php?id=*`);
    const orderId = new URL(page.url()).searchParams.get('id')!;

    await page.locator('izly-pay-button').getByRole('button').click();
    await page.waitForURL(`${sandboxUrl}/payment/**`);
    const izlyPage = (await page.textContent('main')) ?? '';
    assert.match(izlyPage, /Boutique PHP/);
    assert.match(izlyPage, /3,30\s€/, "Izly shows the amount the PHP shop's order callout gave");

    const webhookReceived = shop.printed(/izly-pay webhook \S+ \(payment\.paid\) processed/);
    await decideOnIzly(page, STUDENT, PASSWORD);
    await page
      .getByRole('link', { name: /Boutique PHP|Retour/ })
      .first()
      .click();
    await page.waitForURL(`${shop.url}/order.php?id=*`);
    await page.locator('izly-pay-button[state="paid"]').waitFor({ timeout: 20_000 });
    await webhookReceived;

    const events = shop.webhookEvents();
    assert.deepEqual(
      events.map(({ type, order_id }) => ({ type, order_id })),
      [{ type: 'payment.paid', order_id: orderId }],
      'exactly one verified event, payment.paid for this order',
    );
    assert.deepEqual(
      shop.orders().map(({ id, status, payment_id }) => ({ id, status, payment_id })),
      [{ id: orderId, status: 'paid', payment_id: events[0]!.payment_id }],
    );
    assert.equal(await balanceOf(sandboxUrl, STUDENT), balanceBefore - 330);

    await page.reload();
    assert.equal(await page.textContent('#order-status'), 'payée', 'the PHP page reads the order from its SQLite file');

    // The service's back office: the payment paid, its webhook delivered (nothing owed, no failure).
    const answer = await fetch(`${service.url}/api/payments/${events[0]!.payment_id}`, { headers: { 'Izly-Pay-Api-Key': BACK_OFFICE_KEY } });
    const { payment, webhook } = (await answer.json()) as {
      payment: { status: string; orderId: string };
      webhook: { owed: string | null; failures: unknown[] };
    };
    assert.deepEqual(
      { status: payment.status, orderId: payment.orderId, owed: webhook.owed, failures: webhook.failures },
      { status: 'paid', orderId, owed: null, failures: [] },
    );
    await page.close();
  });

  it('tells the student the payment could not start when the PHP shop cannot give the amount, and creates nothing', async () => {
    const page = await browser.newPage();
    await page.goto(`${shop.url}/`);
    await page.locator('li[data-sku="impression"]').getByRole('button', { name: 'Commander' }).click();
    await page.waitForURL(`${shop.url}/order.php?id=*`);
    const orderId = new URL(page.url()).searchParams.get('id')!;
    await page.locator('izly-pay-button:defined').waitFor();
    // The shop goes down after its page was served: the service's order callout finds no one.
    await shop.stop();
    await page.locator('izly-pay-button').getByRole('button').click();
    await page.locator('izly-pay-button[state="error"]').waitFor({ timeout: 20_000 });
    assert.match((await page.locator('izly-pay-button [part~="status"]').textContent()) ?? '', /Le paiement n’a pas pu démarrer/);
    assert.equal(page.url().startsWith(shop.url), true, 'the student stays on the shop’s page');
    const answer = await fetch(`${service.url}/api/payments?orderId=${orderId}`, { headers: { 'Izly-Pay-Api-Key': BACK_OFFICE_KEY } });
    assert.deepEqual(await answer.json(), { payments: [] }, 'nothing created');
    await page.close();
  });
});
