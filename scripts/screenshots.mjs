#!/usr/bin/env node
// `npm run screenshots`: pictures of <izly-pay-button> in each state, light and dark, for the README
// (docs/screenshots/pay-button-light.png, pay-button-dark.png, and one small file per state and scheme).
// Uses the built single-file bundle (run `npm run build` first) in the system's Chromium. The states are set
// on the element directly: these are pictures, not tests (the tests drive every state through the real
// adapter and sandbox).
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const STATES = ['idle', 'creating', 'redirecting', 'awaiting', 'verifying', 'paid', 'failed', 'cancelled', 'error'];
const OUT = 'docs/screenshots';
const bundle = readFileSync('dist/izly-pay-button.js', 'utf8');

const page = (scheme) => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><style>
  :root { color-scheme: ${scheme}; }
  body { margin: 0; padding: 24px; font: 14px system-ui, sans-serif; background: ${scheme === 'dark' ? '#17171c' : '#ffffff'}; color: ${scheme === 'dark' ? '#e6e6ee' : '#222'}; }
  .grid { display: grid; grid-template-columns: 110px 320px; gap: 18px 16px; align-items: start; width: max-content; }
  .name { padding-top: 12px; font-family: ui-monospace, monospace; opacity: 0.7; }
  .cell { display: inline-block; padding: 4px; }
</style></head><body><div class="grid">
${STATES.map((state) => `<div class="name">${state}</div><div class="cell" id="cell-${state}"><izly-pay-button order="A-1042" amount="350" data-state="${state}"></izly-pay-button></div>`).join('\n')}
</div></body></html>`;

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ colorScheme: scheme, deviceScaleFactor: 2, reducedMotion: 'reduce' });
    const tab = await context.newPage();
    await tab.setContent(page(scheme));
    await tab.addScriptTag({ content: bundle, type: 'module' });
    await tab.evaluate(async () => {
      await customElements.whenDefined('izly-pay-button');
      for (const el of document.querySelectorAll('izly-pay-button')) {
        el.state = el.dataset.state;
        await el.updateComplete;
      }
      // Freeze the spinners so that every run draws the same picture.
      for (const el of document.querySelectorAll('izly-pay-button')) {
        for (const spinner of el.shadowRoot.querySelectorAll('.spinner')) spinner.style.animation = 'none';
      }
    });
    await tab.locator('.grid').screenshot({ path: `${OUT}/pay-button-${scheme}.png` });
    for (const state of STATES) await tab.locator(`#cell-${state}`).screenshot({ path: `${OUT}/pay-button-${state}-${scheme}.png` });
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`Wrote ${OUT}/pay-button-{light,dark}.png and one file per state and scheme.`);
