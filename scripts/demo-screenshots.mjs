#!/usr/bin/env node
// `npm run screenshots:demo`: starts the demo on free ports, pays for a meal ticket as a student would in
// headless Chromium, and saves what the README shows: the shop after the payment, Izly's page, the
// staff's orders page (docs/demo-*.png).
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
} finally {
  await browser.close();
  demo.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
