// "Log in with Izly" in the real demo, in Chromium: the student clicks <izly-connect-button>, logs in
// on the sandbox's real login page, comes back logged in (name and CROUS client code shown), and pays
// as that student.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from './helpers/browser.js';
import { startDemo, type RunningDemo } from './helpers/processes.js';
import { clickToPay, decideOnIzly, waitForState } from './helpers/shop-driver.js';

describe('Log in with Izly in the demo shop', () => {
  let demo: RunningDemo;
  let browser: Browser;
  let shopUrl: string;
  let sandboxUrl: string;

  before(async () => {
    demo = await startDemo();
    ({ shopUrl, sandboxUrl } = demo);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('logs the student in through Izly, shows who they are, and keeps their orders', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shopUrl}/`);

    await page
      .locator('izly-connect-button')
      .getByRole('button', { name: /Se connecter avec Izly/ })
      .click();
    await page.waitForURL(`${sandboxUrl}/oauth/Home/Authorize**`);
    assert.match((await page.textContent('main')) ?? '', /Boutique démo/);
    await page.getByLabel('Identifiant').fill('etudiant@izly.test');
    await page.getByLabel('Mot de passe', { exact: true }).fill('izly1234');
    await page.getByRole('button', { name: /Se connecter/ }).click();

    await page.waitForURL(`${shopUrl}/**`);
    const student = page.locator('[data-student]');
    await student.waitFor();
    assert.match((await student.textContent()) ?? '', /Camille Martin/);
    assert.match((await student.textContent()) ?? '', /cmartin01/);
    assert.equal(await page.locator('izly-connect-button').count(), 0, 'no login button once logged in');
    const cookies = await context.cookies(shopUrl);
    assert.ok(
      cookies.every((cookie) => !/^MTs1Nj|access|refresh/i.test(cookie.value)),
      'no Izly token in a cookie',
    );

    const order = await clickToPay(page, 'cafe');
    await page.waitForURL(`${sandboxUrl}/payment/**`);
    await decideOnIzly(page, 'etudiant@izly.test', 'izly1234');
    await page
      .getByRole('link', { name: /Boutique démo|Retour/ })
      .first()
      .click();
    await waitForState(page, 'cafe', 'paid');

    // Orders follow the logged-in account, not the browser: an anonymous visitor elsewhere does not see them.
    const elsewhere = await browser.newContext();
    const other = await elsewhere.newPage();
    await other.goto(`${shopUrl}/`);
    assert.equal(await other.locator(`#purchases tr[data-order="${order}"]`).count(), 0, 'an anonymous visitor does not see it');
    await context.close();
    await elsewhere.close();
  });

  it('says so when the student cancels the login on Izly, and stays logged out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shopUrl}/`);
    await page.locator('izly-connect-button').getByRole('button').click();
    await page.waitForURL(`${sandboxUrl}/oauth/Home/Authorize**`);
    await page.getByRole('button', { name: 'Annuler' }).click();
    await page.waitForURL(`${shopUrl}/**`);
    assert.equal(await page.locator('[data-student]').count(), 0);
    await context.close();
  });
});
