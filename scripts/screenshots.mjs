#!/usr/bin/env node
// `npm run screenshots`: pictures of <izly-pay-button> and <izly-connect-button> in each state, light and
// dark, for the README (docs/screenshots/pay-button-light.png, connect-button-dark.png..., and one small file
// per element, state and scheme). Uses the built single-file bundle (run `npm run build` first) in the
// system's Chromium. The states are set on the elements directly, so each shows its state's own words:
// these are pictures, not tests (the tests drive every state through the real adapter and sandbox).
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const ELEMENTS = [
  {
    name: 'pay-button',
    markup: '<izly-pay-button order="A-1042" amount="350"',
    close: '</izly-pay-button>',
    states: ['idle', 'creating', 'redirecting', 'awaiting', 'verifying', 'paid', 'failed', 'cancelled', 'error'],
  },
  {
    name: 'connect-button',
    markup: '<izly-connect-button',
    close: '</izly-connect-button>',
    states: ['idle', 'redirecting', 'awaiting', 'success', 'error'],
  },
];
const OUT = 'docs/screenshots';
const bundle = readFileSync('dist/izly-pay.js', 'utf8');

// The page's text colour is set for each scheme, as a partner's page would: the status line follows it.
const page = (scheme, element) => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><style>
  :root { color-scheme: ${scheme}; }
  body { margin: 0; padding: 24px; font: 14px system-ui, sans-serif; background: ${scheme === 'dark' ? '#17171c' : '#ffffff'}; color: ${scheme === 'dark' ? '#e6e6ee' : '#222'}; }
  .grid { display: grid; grid-template-columns: 110px 320px; gap: 18px 16px; align-items: start; width: max-content; }
  .name { padding-top: 12px; font-family: ui-monospace, monospace; opacity: 0.7; }
  .cell { display: inline-block; padding: 4px; }
</style></head><body><div class="grid">
${element.states.map((state) => `<div class="name">${state}</div><div class="cell" id="cell-${state}">${element.markup} data-state="${state}">${element.close}</div>`).join('\n')}
</div></body></html>`;

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
});
try {
  for (const element of ELEMENTS) {
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({ colorScheme: scheme, deviceScaleFactor: 2, reducedMotion: 'reduce' });
      const tab = await context.newPage();
      await tab.setContent(page(scheme, element));
      await tab.addScriptTag({ content: bundle, type: 'module' });
      await tab.evaluate(async () => {
        const elements = document.querySelectorAll('[data-state]');
        await Promise.all([...new Set([...elements].map((el) => customElements.whenDefined(el.localName)))]);
        for (const el of elements) {
          el.state = el.dataset.state;
          await el.updateComplete;
        }
        // Freeze the spinners (drawn by a ::before) so that every run draws the same picture.
        const still = new CSSStyleSheet();
        still.replaceSync('button::before { animation: none !important; }');
        for (const el of elements) el.shadowRoot.adoptedStyleSheets = [...el.shadowRoot.adoptedStyleSheets, still];
      });
      await tab.locator('.grid').screenshot({ path: `${OUT}/${element.name}-${scheme}.png` });
      for (const state of element.states) {
        await tab.locator(`#cell-${state}`).screenshot({ path: `${OUT}/${element.name}-${state}-${scheme}.png` });
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
}
console.log(`Wrote ${OUT}/{pay,connect}-button-{light,dark}.png and one file per element, state and scheme.`);
