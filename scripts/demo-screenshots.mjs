#!/usr/bin/env node
// `npm run screenshots:demo`: starts the demo on free ports, pays for a meal ticket as a student would in
// headless Chromium, and saves what the README shows: the shop after the payment, Izly's page, the
// staff's orders page (docs/demo-*.png); then a few more payments (one refused for too little balance,
// one cancelled, one refunded with a reason) and the staff's page at 1280 and 390 px, light and dark,
// with its refund dialog (docs/demo-staff-*.png).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const port = await freePort();
const sandboxPort = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'izly-pay-shots-'));
const demo = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts'], {
  env: { ...process.env, PORT: String(port), SANDBOX_PORT: String(sandboxPort), DEMO_DATA_DIR: dataDir },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  let output = '';
  demo.stdout.on('data', (chunk) => {
    output += chunk;
    if (output.includes('Ready: ')) resolve();
  });
  demo.once('exit', (code) => reject(new Error(`the demo exited with ${code}`)));
});

const shop = `http://localhost:${port}`;

/** A new student pays (or cancels) a product in redirect mode, and comes back to the shop. */
async function payAs(browser, sku, email, action = 'Valider') {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${shop}/`);
  await page.locator(`li[data-sku="${sku}"] izly-pay-button button`).click();
  await page.waitForURL(/\/payment\//);
  if (action === 'Valider') {
    await page.getByLabel('Identifiant').fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill('izly1234');
  }
  await page.getByRole('button', { name: action }).click();
  await page.locator('#return-link').click();
  await page.locator(`li[data-sku="${sku}"] izly-pay-button:is([state="paid"], [state="failed"], [state="cancelled"])`).waitFor();
  await context.close();
}

/** The staff's page at 1280 and 390 px, light and dark, and its refund dialog on a phone. */
async function staffPageShots(browser) {
  await payAs(browser, 'cafe', 'etudiant@izly.test');
  await payAs(browser, 'ticket-ru', 'fauche@izly.test');
  await payAs(browser, 'laverie', 'etudiant@izly.test', 'Annuler');
  await payAs(browser, 'laverie', 'etudiant@izly.test');
  const shots = [];
  for (const colorScheme of ['light', 'dark']) {
    for (const width of [1280, 390]) {
      const staff = await browser.newPage({
        viewport: { width, height: width === 390 ? 844 : 800 },
        colorScheme,
        httpCredentials: { username: 'equipe', password: 'demo' },
      });
      await staff.goto(`${shop}/orders`);
      if (colorScheme === 'light' && width === 1280) {
        // One refund with its reason, confirmed in the dialog, so that the pictures show it.
        await staff
          .locator('tr[data-status="paid"]')
          .first()
          .getByRole('button', { name: /Rembourser/ })
          .click();
        await staff.getByLabel(/Motif/).fill('Café renversé, servi à nouveau');
        await staff.getByRole('button', { name: 'Confirmer le remboursement' }).click();
        await staff.getByRole('status').waitFor();
      }
      await staff
        .locator('tr[data-status="refunded"] details')
        .first()
        .evaluate((details) => (details.open = true));
      const path = `docs/demo-staff-${width}-${colorScheme}.png`;
      await staff.screenshot({ path, fullPage: true });
      shots.push(path);
      if (width === 390) {
        await staff
          .locator('tr[data-status="paid"]')
          .first()
          .getByRole('button', { name: /Rembourser/ })
          .click();
        await staff.getByRole('dialog').waitFor();
        const dialogPath = `docs/demo-staff-refund-390-${colorScheme}.png`;
        await staff.screenshot({ path: dialogPath });
        shots.push(dialogPath);
      }
      await staff.close();
    }
  }
  console.log(shots.join(', '));
}
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(`${shop}/`);
  await page.locator('li[data-sku="ticket-ru"] izly-pay-button button').click();
  await page.waitForURL(/\/payment\//);
  await page.getByLabel('Identifiant').fill('etudiant@izly.test');
  await page.getByLabel('Mot de passe', { exact: true }).fill('izly1234');
  await page.screenshot({ path: 'docs/demo-izly-page.png' });
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.locator('#return-link').click();
  await page.locator('li[data-sku="ticket-ru"] izly-pay-button[state="paid"]').waitFor();
  await page.locator('#purchases tr[data-order]').waitFor();
  await page.screenshot({ path: 'docs/demo-shop.png', fullPage: true });

  const staff = await browser.newPage({ viewport: { width: 1100, height: 600 }, httpCredentials: { username: 'equipe', password: 'demo' } });
  await staff.goto(`${shop}/orders`);
  await staff
    .locator('details')
    .first()
    .evaluate((details) => (details.open = true));
  await staff.screenshot({ path: 'docs/demo-orders.png', fullPage: true });
  console.log('docs/demo-shop.png, docs/demo-izly-page.png, docs/demo-orders.png');
  await staffPageShots(browser);
} finally {
  await browser.close();
  demo.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
