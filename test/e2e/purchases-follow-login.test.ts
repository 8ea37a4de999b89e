// "Mes achats" in the real demo, in Chromium: a student who paid without an account, then logs in with
// Izly, still sees what they bought (the shop gives the browser's orders to their Izly account at login);
// another browser logged in as the same student sees it too, an anonymous one does not.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser.js';
import { startDemo, type RunningDemo } from './helpers/processes.js';
import { clickToPay, decideOnIzly, waitForState } from './helpers/shop-driver.js';

describe('purchases follow the student across Log in with Izly', () => {
  let demo: RunningDemo;
  let browser: Browser;

  before(async () => {
    demo = await startDemo({ SANDBOX_CALLBACK_RETRY_DELAY_MS: '200' });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  async function logIn(page: Page): Promise<void> {
    await page
      .locator('izly-connect-button')
      .getByRole('button', { name: /Se connecter avec Izly/ })
      .click();
    await page.waitForURL(`${demo.sandboxUrl}/oauth/Home/Authorize**`);
    await page.getByLabel('Identifiant').fill('etudiant@izly.test');
    await page.getByLabel('Mot de passe', { exact: true }).fill('izly1234');
    await page.getByRole('button', { name: /Se connecter/ }).click();
    await page.waitForURL(`${demo.shopUrl}/**`);
    await page.locator('[data-student]').waitFor();
  }

  it('keeps "Mes achats" when the student logs in after paying anonymously', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${demo.shopUrl}/`);
    const order = await clickToPay(page, 'cafe');
    await page.waitForURL(`${demo.sandboxUrl}/payment/**`);
    await decideOnIzly(page, 'etudiant@izly.test', 'izly1234');
    await page.locator('#return-link').click();
    await waitForState(page, 'cafe', 'paid');
    await page.locator(`#purchases tr[data-order="${order}"]`).waitFor();

    await logIn(page);
    assert.equal(await page.locator(`#purchases tr[data-order="${order}"]`).count(), 1, 'still in "Mes achats" once logged in');

    const elsewhere = await browser.newContext();
    const other = await elsewhere.newPage();
    await other.goto(`${demo.shopUrl}/`);
    assert.equal(await other.locator(`#purchases tr[data-order="${order}"]`).count(), 0, 'an anonymous visitor does not see it');
    await logIn(other);
    assert.equal(await other.locator(`#purchases tr[data-order="${order}"]`).count(), 1, 'the same student elsewhere sees it');
    await context.close();
    await elsewhere.close();
  });
});
