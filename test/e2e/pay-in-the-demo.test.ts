// A student pays in the real demo (`demo/start.ts`: the shop and the built-in sandbox), in Chromium,
// clicking through the real pages; the staff checks and refunds on the orders page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser.js';
import { startDemo, type RunningDemo } from './helpers/processes.js';
import { useDemoInChromium } from './helpers/demo-in-chromium.js';
import { balanceOf, clickToPay, decideOnIzly, orderOf, payButton, sandboxApi, waitForState } from './helpers/shop-driver.js';

const STUDENT = 'etudiant@izly.test';
const PASSWORD = 'izly1234';

describe('the demo shop, paid with Izly in Chromium', () => {
  const session = useDemoInChromium({ SANDBOX_CALLBACK_RETRY_DELAY_MS: '200' });
  const newStudent = () => session.newStudent();

  async function staffOrdersPage(): Promise<Page> {
    const context = await session.newContext({ httpCredentials: { username: 'equipe', password: 'demo' } });
    const page = await context.newPage();
    await page.goto(`${session.shopUrl}/orders`);
    return page;
  }

  it('pays in redirect mode: Izly shows the shop and the amount, the student comes back to "paid"', async () => {
    const page = await newStudent();
    const balanceBefore = await balanceOf(session.sandboxUrl, STUDENT);
    // The button reflects its empty `order` property as order="".
    assert.equal(await payButton(page, 'ticket-ru').getAttribute('order'), '', 'a page view creates no order');

    const order = await clickToPay(page, 'ticket-ru');
    await page.waitForURL(`${session.sandboxUrl}/payment/**`);
    const izlyPage = await page.textContent('main');
    assert.match(izlyPage ?? '', /Boutique démo/);
    assert.match(izlyPage ?? '', /3,30\s€/);

    await decideOnIzly(page, STUDENT, PASSWORD);
    await page
      .getByRole('link', { name: /Boutique démo|Retour/ })
      .first()
      .click();
    await page.waitForURL(`${session.shopUrl}/**`);
    await waitForState(page, 'ticket-ru', 'paid');
    assert.equal(await orderOf(page, 'ticket-ru'), order, 'the button that resumes is the one of the order paid');
    assert.doesNotMatch(page.url(), /izly_payment=/, 'the payment id is removed from the address bar');
    await page.locator(`#purchases tr[data-order="${order}"]`).waitFor();

    assert.equal(await balanceOf(session.sandboxUrl, STUDENT), balanceBefore - 330);
    const staff = await staffOrdersPage();
    assert.match((await staff.locator(`tr[data-order="${order}"]`).textContent()) ?? '', /payé/);
  });

  it('pays in popup mode: Izly opens in a window that closes itself once paid', async () => {
    const page = await newStudent();
    const [popup] = await Promise.all([page.waitForEvent('popup'), payButton(page, 'impression').getByRole('button').click()]);
    await popup.waitForURL(`${session.sandboxUrl}/payment/**`);
    assert.match((await popup.textContent('main')) ?? '', /5,00\s€/);
    assert.equal(page.url(), `${session.shopUrl}/`, 'the shop stays where it was');

    const closed = popup.waitForEvent('close', { timeout: 20_000 });
    await decideOnIzly(popup, STUDENT, PASSWORD);
    // The popup closes by itself: Izly's confirmation page leads back to the shop, whose page in the
    // popup hands the result to the opener; the opener may also close it as soon as the payment is paid.
    await closed;
    await waitForState(page, 'impression', 'paid');
  });

  it('cancels on Izly: the shop says the payment was not completed and lets the student try again', async () => {
    const page = await newStudent();
    const balanceBefore = await balanceOf(session.sandboxUrl, STUDENT);
    await payButton(page, 'laverie').getByRole('button').click();
    await page.waitForURL(`${session.sandboxUrl}/payment/**`);
    await page.getByRole('button', { name: 'Annuler' }).click();
    await page
      .getByRole('link')
      .filter({ hasText: /Boutique démo|Retour/ })
      .first()
      .click();
    await page.waitForURL(`${session.shopUrl}/**`);
    await waitForState(page, 'laverie', 'cancelled');
    assert.equal(await balanceOf(session.sandboxUrl, STUDENT), balanceBefore);
    assert.equal(await payButton(page, 'laverie').getByRole('button').isEnabled(), true, 'the student can try again');
  });

  it('refuses a wrong password, then accepts the right one', async () => {
    const page = await newStudent();
    await payButton(page, 'cafe').getByRole('button').click();
    await page.waitForURL(`${session.sandboxUrl}/payment/**`);
    await decideOnIzly(page, STUDENT, 'not-the-password');
    assert.match((await page.getByRole('alert').textContent()) ?? '', /mot de passe|identifiant/i);
    await decideOnIzly(page, STUDENT, PASSWORD);
    await page
      .getByRole('link', { name: /Boutique démo|Retour/ })
      .first()
      .click();
    await waitForState(page, 'cafe', 'paid');
  });

  for (const [who, email, reason] of [
    ['too little balance', 'fauche@izly.test', /solde/i],
    ['an unpaid debt', 'impaye@izly.test', /impayé|régulariser/i],
  ] as const) {
    it(`refuses a student with ${who}: no money moves and the shop says "failed"`, async () => {
      const page = await newStudent();
      const balanceBefore = await balanceOf(session.sandboxUrl, email);
      await payButton(page, 'ticket-ru').getByRole('button').click();
      await page.waitForURL(`${session.sandboxUrl}/payment/**`);
      await decideOnIzly(page, email, PASSWORD);
      assert.match((await page.getByRole('alert').textContent()) ?? '', reason);
      await page
        .getByRole('link')
        .filter({ hasText: /Boutique démo|Retour/ })
        .first()
        .click();
      await page.waitForURL(`${session.shopUrl}/**`);
      await waitForState(page, 'ticket-ru', 'failed');
      assert.equal(await balanceOf(session.sandboxUrl, email), balanceBefore);
    });
  }

  it('refunds from the orders page: the student gets the money back', async () => {
    const page = await newStudent();
    const balanceBefore = await balanceOf(session.sandboxUrl, STUDENT);
    const order = await clickToPay(page, 'cafe');
    await page.waitForURL(`${session.sandboxUrl}/payment/**`);
    await decideOnIzly(page, STUDENT, PASSWORD);
    await page
      .getByRole('link', { name: /Boutique démo|Retour/ })
      .first()
      .click();
    await waitForState(page, 'cafe', 'paid');
    assert.equal(await balanceOf(session.sandboxUrl, STUDENT), balanceBefore - 90);

    const staff = await staffOrdersPage();
    await staff.locator(`tr[data-order="${order}"]`).getByRole('button', { name: 'Rembourser' }).click();
    // A refund asks first: its dialog names the order, and confirming it sends the refund.
    await staff.getByRole('dialog').getByRole('button', { name: 'Confirmer le remboursement' }).click();
    await staff.getByRole('status').waitFor();
    assert.match((await staff.getByRole('status').textContent()) ?? '', /remboursé/);
    assert.match((await staff.locator(`tr[data-order="${order}"]`).textContent()) ?? '', /remboursé/);
    assert.equal(await staff.locator(`tr[data-order="${order}"]`).getByRole('button', { name: 'Rembourser' }).count(), 0);
    assert.equal(await balanceOf(session.sandboxUrl, STUDENT), balanceBefore);
  });
});

// Izly calls back only once Xpollens has allow-listed the shop's callback URL by hand. Until then, on a shop
// that has never received a callback, the adapter reads the status at Izly itself. A demo of its own: the
// shop above has seen callbacks arrive, and then trusts them to complete payments (reading only as a
// safety net, every 30 s).
describe('the demo shop before Izly allow-lists its callback URL', () => {
  let demo: RunningDemo;
  let browser: Browser;

  before(async () => {
    demo = await startDemo();
    await sandboxApi(demo.sandboxUrl, '/points-of-sale/izly-pay-demo', { method: 'PATCH', body: { callbackAllowListed: false } });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('ends paid through status reads while the sandbox blocks callbacks', async () => {
    const { shopUrl, sandboxUrl } = demo;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shopUrl}/`);
    const order = await clickToPay(page, 'laverie');
    await page.waitForURL(`${sandboxUrl}/payment/**`);
    await decideOnIzly(page, STUDENT, PASSWORD);
    await page
      .getByRole('link', { name: /Boutique démo|Retour/ })
      .first()
      .click();
    await waitForState(page, 'laverie', 'paid');

    const operations = await sandboxApi<Array<{ id: number; clientOrderId: string }>>(sandboxUrl, '/operations');
    const operation = operations.find((op) => op.clientOrderId === order);
    assert.ok(operation, 'the operation exists at Izly');
    const attempts = await sandboxApi<Array<{ operationId: number; outcome: string }>>(sandboxUrl, '/callbacks');
    const mine = attempts.filter((attempt) => attempt.operationId === operation.id);
    assert.ok(mine.length > 0 && mine.every((attempt) => attempt.outcome === 'blocked'), 'no callback reached the shop');
    await context.close();
  });
});
