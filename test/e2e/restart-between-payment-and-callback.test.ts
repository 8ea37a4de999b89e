// The shop goes down (SIGKILL) while the student is on Izly's page, so Izly's first callback finds no
// one; the shop restarts on the same SQLite files. Nothing is lost: the callback's retry or the
// student's return confirms the payment, the order is paid once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DEFAULT_POINT_OF_SALE } from '../../sandbox/index.js';
import { launchChromium } from './helpers/browser.js';
import { freePort, startScript, temporaryFolder, type RunningProcess } from './helpers/processes.js';
import { clickToPay, decideOnIzly, sandboxApi, waitForState } from './helpers/shop-driver.js';

describe('the shop restarted between the payment and the callback', () => {
  const data = temporaryFolder('izly-pay-restart-');
  let sandbox: RunningProcess;
  let shop: RunningProcess | undefined;
  let browser: Browser;
  let shopUrl: string;
  let sandboxUrl: string;
  let shopEnv: Record<string, string>;

  before(async () => {
    const shopPort = await freePort();
    const sandboxPort = await freePort();
    shopUrl = `http://localhost:${shopPort}`;
    sandboxUrl = `http://localhost:${sandboxPort}`;
    // The sandbox in its own process, as `npx izly-sandbox` runs it, so it lives through the shop's crash.
    const configFile = join(data.path, 'sandbox.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        callbackRetries: 3,
        callbackRetryDelayMs: 2000,
        pointsOfSale: [
          {
            appIdentifier: 'izly-pay-demo',
            apiKey: DEFAULT_POINT_OF_SALE.apiKey,
            siteName: 'Boutique démo',
            callbackUrl: `${shopUrl}/izly/callback`,
            urlAfterConnection: `${shopUrl}/izly/connect/callback`,
            urlAfterPayment: `${shopUrl}/`,
            urlAfterCancellation: `${shopUrl}/izly/connect/cancel`,
          },
        ],
      }),
    );
    sandbox = await startScript('sandbox/cli.ts', {}, /http:\/\//, 30_000, ['--port', String(sandboxPort), '--config', configFile]);
    shopEnv = {
      PORT: String(shopPort),
      IZLY_BASE_URL: sandboxUrl,
      IZLY_APP_IDENTIFIER: 'izly-pay-demo',
      IZLY_API_KEY: DEFAULT_POINT_OF_SALE.apiKey,
      IZLY_CALLBACK_SECRET: 'e2e-restart-test-secret-0123456789abcdef',
      DEMO_DATA_DIR: data.path,
    };
    shop = await startScript('demo/start.ts', shopEnv, /Ready: /, 60_000);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await shop?.stop();
    await sandbox?.stop();
    data.remove();
  });

  it('loses nothing: the payment ends paid once, confirmed after the restart', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shopUrl}/`);
    const order = await clickToPay(page, 'ticket-ru');
    await page.waitForURL(`${sandboxUrl}/payment/**`);

    await shop!.stop('SIGKILL');
    shop = undefined;
    await decideOnIzly(page, 'etudiant@izly.test', 'izly1234');
    await page.getByText('Paiement accepté').waitFor();

    shop = await startScript('demo/start.ts', shopEnv, /Ready: /, 60_000);
    const attempts = await sandboxApi<Array<{ outcome: string; body: { OperationSMoney: { ClientOrderId: string } } }>>(sandboxUrl, '/callbacks/settled');
    const mine = attempts.filter((attempt) => attempt.body.OperationSMoney.ClientOrderId === order);
    assert.equal(mine[0]?.outcome, 'error', 'the first callback found the shop down');
    assert.ok(
      mine.some((attempt) => attempt.outcome === 'delivered'),
      'a retry reached the restarted shop',
    );

    await page
      .getByRole('link', { name: /Boutique démo|Retour/ })
      .first()
      .click();
    await page.waitForURL(`${shopUrl}/**`);
    await waitForState(page, 'ticket-ru', 'paid');
    await page.locator(`#purchases tr[data-order="${order}"]`).waitFor();
    assert.equal(await page.locator('#purchases tr[data-order]').count(), 1, 'one purchase, not two');
    await context.close();
  });
});
