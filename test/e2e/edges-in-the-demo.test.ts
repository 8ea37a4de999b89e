// The edges of a payment in the real demo (`demo/start.ts`: the shop and the built-in sandbox), in Chromium,
// clicking through Izly's real pages (issue 15, points 1 and 2): Annuler in the popup ends on the adapter's
// cancel page, which closes the popup without loading the shop in it, and the shop's button says
// "Paiement annulé." (the time from Annuler is printed, never asserted); a refusal says why on the shop
// ("Solde Izly insuffisant", with its top-up link; an unpaid debt without "Réessayer").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useDemoInChromium } from './helpers/demo-in-chromium.js';
import { decideOnIzly, payButton, waitForState } from './helpers/shop-driver.js';

const PASSWORD = 'izly1234';

describe('the demo shop at the edges of a payment, in Chromium', () => {
  const session = useDemoInChromium({ SANDBOX_CALLBACK_RETRY_DELAY_MS: '200' });
  const newStudent = () => session.newStudent();

  const statusOf = (page: Page, sku: string) => payButton(page, sku).locator('[part="status"]').textContent();

  it('popup: Annuler on Izly, the popup closes on the cancel page (no shop inside it), the button says "Paiement annulé."', async () => {
    const page = await newStudent();
    const [popup] = await Promise.all([page.waitForEvent('popup'), payButton(page, 'impression').getByRole('button').click()]);
    await popup.waitForURL(`${session.sandboxUrl}/payment/**`);
    const visited: string[] = [];
    popup.on('framenavigated', (frame) => {
      if (frame === popup.mainFrame()) visited.push(new URL(frame.url()).pathname);
    });
    const closed = popup.waitForEvent('close', { timeout: 20_000 });
    const annuler = Date.now();
    await popup.getByRole('button', { name: 'Annuler' }).click();
    await popup.locator('#return-link').click();
    await closed;
    await waitForState(page, 'impression', 'cancelled');
    console.log(`demo, popup: Annuler to "Paiement annulé." in ${Date.now() - annuler} ms`);
    assert.equal((await statusOf(page, 'impression'))?.trim(), 'Paiement annulé.');
    assert.ok(
      visited.some((path) => path.endsWith('/izly/connect/cancel')),
      `the popup went through the cancel page: ${visited.join(', ')}`,
    );
    assert.ok(!visited.includes('/'), `no shop page in the popup: ${visited.join(', ')}`);
  });

  it('a refusal for too little balance: "Solde Izly insuffisant" with a top-up link, and "Réessayer"', async () => {
    const page = await newStudent();
    await payButton(page, 'ticket-ru').getByRole('button').click();
    await page.waitForURL(`${session.sandboxUrl}/payment/**`);
    await decideOnIzly(page, 'fauche@izly.test', PASSWORD);
    await page.locator('#return-link').click();
    await page.waitForURL(`${session.shopUrl}/**`);
    await waitForState(page, 'ticket-ru', 'failed');
    assert.equal((await statusOf(page, 'ticket-ru'))?.replace(/\s+/g, ' ').trim(), 'Solde Izly insuffisant : rechargez votre compte.');
    assert.equal(await payButton(page, 'ticket-ru').locator('[part="status"] a').getAttribute('href'), 'https://mon-espace.izly.fr');
    assert.equal((await payButton(page, 'ticket-ru').getByRole('button').textContent())?.trim(), 'Réessayer');
  });

  it('a refusal for an unpaid debt: "contactez votre CROUS", no "Réessayer"', async () => {
    const page = await newStudent();
    await payButton(page, 'cafe').getByRole('button').click();
    await page.waitForURL(`${session.sandboxUrl}/payment/**`);
    await decideOnIzly(page, 'impaye@izly.test', PASSWORD);
    await page.locator('#return-link').click();
    await page.waitForURL(`${session.shopUrl}/**`);
    await waitForState(page, 'cafe', 'failed');
    assert.equal((await statusOf(page, 'cafe'))?.replace(/\s+/g, ' ').trim(), 'Un impayé bloque votre compte Izly : contactez votre CROUS.');
    assert.doesNotMatch((await payButton(page, 'cafe').getByRole('button').textContent()) ?? '', /Réessayer/);
  });
});
