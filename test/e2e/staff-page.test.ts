// The shop staff's orders page in the real demo (`demo/start.ts` and its sandbox), in Chromium, at 1280
// and 390 px, light and dark: nothing wider than the screen, axe finds nothing (the list, the refund
// dialog), a refund asks first and can be cancelled, its reason lands in the history, the search and the
// status filter, and the CSV export downloads.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser.js';
import { startDemo, type RunningDemo } from './helpers/processes.js';
import { balanceOf, clickToPay, decideOnIzly, waitForState } from './helpers/shop-driver.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LAYOUTS = [
  { width: 1280, height: 800, colorScheme: 'light' },
  { width: 1280, height: 800, colorScheme: 'dark' },
  { width: 390, height: 844, colorScheme: 'light' },
  { width: 390, height: 844, colorScheme: 'dark' },
] as const;

/** axe's violations on the page as it is now (its script evaluated by the driver: the page's CSP allows no other). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }
    ).axe;
    const { violations } = await axe.run(document);
    return violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`);
  });
}

/** True when the page is no wider than its window, and every payment's card and button fit in it. */
async function fitsTheScreen(page: Page): Promise<{ pageWidth: number; viewport: number; widest: number }> {
  return page.evaluate(() => {
    const widest = Math.max(
      0,
      ...[...document.querySelectorAll('tr[data-payment], tr[data-payment] button, .search, .results-bar')].map((el) => el.getBoundingClientRect().right),
    );
    return { pageWidth: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth, widest };
  });
}

describe("the staff's orders page in Chromium", () => {
  let demo: RunningDemo;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const orders: Record<'cafe' | 'refused' | 'laverie' | 'ticket', string> = { cafe: '', refused: '', laverie: '', ticket: '' };

  /** A new student pays a product in redirect mode as `email`, and comes back to the shop's page. */
  async function pay(sku: string, email: string, outcome: 'paid' | 'failed'): Promise<string> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${demo.shopUrl}/`);
    const order = await clickToPay(page, sku);
    await page.waitForURL(`${demo.sandboxUrl}/payment/**`);
    await decideOnIzly(page, email, 'izly1234');
    await page.locator('#return-link').click();
    await waitForState(page, sku, outcome);
    return order;
  }

  async function staffPage(layout: (typeof LAYOUTS)[number]): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: layout.width, height: layout.height },
      colorScheme: layout.colorScheme,
      httpCredentials: { username: 'equipe', password: 'demo' },
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${demo.shopUrl}/orders`);
    return page;
  }

  before(async () => {
    demo = await startDemo({ SANDBOX_CALLBACK_RETRY_DELAY_MS: '200' });
    browser = await launchChromium();
    orders.cafe = await pay('cafe', 'etudiant@izly.test', 'paid');
    orders.refused = await pay('ticket-ru', 'fauche@izly.test', 'failed');
    orders.laverie = await pay('laverie', 'etudiant@izly.test', 'paid');
    orders.ticket = await pay('ticket-ru', 'etudiant@izly.test', 'paid');
  });

  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await demo?.stop();
  });

  for (const layout of LAYOUTS) {
    it(`at ${layout.width} px, ${layout.colorScheme}: nothing wider than the screen, and axe finds nothing`, async () => {
      const page = await staffPage(layout);
      await page.locator(`tr[data-order="${orders.cafe}"]`).waitFor();
      const { pageWidth, viewport, widest } = await fitsTheScreen(page);
      assert.ok(pageWidth <= viewport, `the page is ${pageWidth} px wide in a ${viewport} px window`);
      assert.ok(widest <= viewport, `a card or a button reaches ${widest} px in a ${viewport} px window`);
      // The refused payment says why, in words.
      assert.match((await page.locator(`tr[data-order="${orders.refused}"]`).textContent()) ?? '', /solde insuffisant/);
      await page.locator(`tr[data-order="${orders.refused}"] summary`).click();
      assert.deepEqual(await axeViolations(page), []);
    });
  }

  it('at 390 px, dark: a refund asks first, names the order, can be cancelled, and then confirmed with a reason kept in the history', async () => {
    const page = await staffPage(LAYOUTS[3]);
    const balanceBefore = await balanceOf(demo.sandboxUrl, 'etudiant@izly.test');
    const row = page.locator(`tr[data-order="${orders.laverie}"]`);
    await row.getByRole('button', { name: /^Rembourser/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Rembourser ce paiement ?' });
    await dialog.waitFor();
    const summary = (await dialog.textContent()) ?? '';
    assert.match(summary, new RegExp(orders.laverie));
    assert.match(summary, /Laverie — machine 7 kg/);
    assert.match(summary, /3,50\s€/);
    assert.match(summary, /etudiant@izly\.test/);
    const box = await dialog.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the dialog fits the phone');
    assert.deepEqual(await axeViolations(page), [], 'axe, with the dialog open');

    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await balanceOf(demo.sandboxUrl, 'etudiant@izly.test'), balanceBefore, 'cancelled: nothing refunded');
    assert.match((await row.textContent()) ?? '', /payé/);

    await row.getByRole('button', { name: /^Rembourser/ }).click();
    await dialog.getByLabel(/Motif/).fill('Machine en panne');
    await Promise.all([page.waitForURL(/refunded=/), dialog.getByRole('button', { name: 'Confirmer le remboursement' }).click()]);
    const notice = (await page.getByRole('status').textContent()) ?? '';
    assert.match(notice, new RegExp(`Commande ${orders.laverie} remboursée\\s:\\sLaverie — machine 7 kg, 3,50\\s€`));
    const refunded = page.locator(`tr[data-order="${orders.laverie}"]`);
    assert.match((await refunded.textContent()) ?? '', /remboursé/);
    await refunded.locator('summary').click();
    assert.match((await refunded.locator('details ol').textContent()) ?? '', /motif\s:\s«\sMachine en panne\s»/);
    assert.equal(await refunded.getByRole('button', { name: /^Rembourser/ }).count(), 0);
    assert.equal(await balanceOf(demo.sandboxUrl, 'etudiant@izly.test'), balanceBefore + 350);
    const { pageWidth, viewport } = await fitsTheScreen(page);
    assert.ok(pageWidth <= viewport, `after the refund the page is ${pageWidth} px wide in ${viewport}`);
    assert.deepEqual(await axeViolations(page), [], 'axe, with the notice');
  });

  it('at 1280 px, light: Escape closes the dialog and refunds nothing; the keyboard reaches the confirmation', async () => {
    const page = await staffPage(LAYOUTS[0]);
    const balanceBefore = await balanceOf(demo.sandboxUrl, 'etudiant@izly.test');
    await page
      .locator(`tr[data-order="${orders.ticket}"]`)
      .getByRole('button', { name: /^Rembourser/ })
      .focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', new RegExp(orders.ticket));
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'refund-reason', 'focus in the dialog, on the reason');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Rembourser', 'focus back on the button');
    assert.equal(await balanceOf(demo.sandboxUrl, 'etudiant@izly.test'), balanceBefore);
  });

  it('without script, the button opens a confirmation page of its own: it fits a phone, axe finds nothing, Annuler goes back', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      javaScriptEnabled: false,
      httpCredentials: { username: 'equipe', password: 'demo' },
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${demo.shopUrl}/orders`);
    await page
      .locator(`tr[data-order="${orders.cafe}"]`)
      .getByRole('button', { name: /^Rembourser/ })
      .click();
    await page.waitForURL(/\/orders\/pay_[^/]+\/refund\??$/);
    const text = (await page.locator('main').textContent()) ?? '';
    assert.match(text, new RegExp(`Commande\\s*${orders.cafe}`));
    assert.match(text, /Café à la cafétéria/);
    assert.match(text, /0,90\s€/);
    const { pageWidth, viewport } = await fitsTheScreen(page);
    assert.ok(pageWidth <= viewport, `the page is ${pageWidth} px wide in a ${viewport} px window`);
    const withScript = await browser.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      httpCredentials: { username: 'equipe', password: 'demo' },
    });
    contexts.push(withScript);
    const sameWithAxe = await withScript.newPage();
    await sameWithAxe.goto(page.url());
    assert.deepEqual(await axeViolations(sameWithAxe), []);
    await page.getByRole('link', { name: 'Annuler' }).click();
    await page.waitForURL(`${demo.shopUrl}/orders`);
    assert.match((await page.locator(`tr[data-order="${orders.cafe}"]`).textContent()) ?? '', /payé/, 'nothing refunded');
  });

  it('finds a payment by its order and by its status, and exports the search as CSV', async () => {
    const page = await staffPage(LAYOUTS[2]);
    await page.getByLabel('Commande, e-mail ou état').fill(orders.refused.toLowerCase());
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/q=/);
    assert.deepEqual(await page.locator('tr[data-payment]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-order'))), [orders.refused]);

    await page.getByRole('link', { name: 'Tout afficher' }).click();
    await page.getByLabel('État', { exact: true }).selectOption('paid');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/status=paid/);
    const paidOrders = await page.locator('tr[data-payment]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-order')));
    assert.ok(paidOrders.includes(orders.cafe) && !paidOrders.includes(orders.refused) && !paidOrders.includes(orders.laverie));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Exporter en CSV/ }).click()]);
    assert.match(download.suggestedFilename(), /^paiements-boutique-demo-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await download.path())!);
    assert.equal(bytes.toString('hex', 0, 3), 'efbbbf');
    const lines = bytes.toString('utf8', 3).split('\r\n');
    assert.match(lines[0]!, /^Date;Commande;Produit;Montant \(€\);État;/);
    assert.ok(
      lines.some((line) => line.includes(`;${orders.cafe};Café à la cafétéria;0,90;payé;etudiant@izly.test;`)),
      'the café, paid, 0,90',
    );
    assert.ok(!lines.some((line) => line.includes(orders.refused)), 'the export is the search');
  });
});
