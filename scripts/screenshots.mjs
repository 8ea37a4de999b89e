#!/usr/bin/env node
// `npm run screenshots`: pictures of <izly-pay-button> and <izly-connect-button> in each state, light and
// dark, for the README (docs/screenshots/pay-button-light.png, connect-button-dark.png..., and one small file
// per element, state and scheme), and a shop page just back from Izly at 1280 and 390 px
// (docs/screenshots/shop-return-1280-light.png...). Uses the built single-file bundle (run `npm run build`
// first) in the system's Chromium. Most states are set on the elements directly, so each shows its state's
// own words: these are pictures, not tests (the tests drive every state through the real adapter and
// sandbox). The outcomes of issue 15 (a refusal with its reason, a cancel, an order already paid) come from a
// stand-in adapter's answers, so that the button picks its own words. A slow confirmation is the real thing: a button back from Izly (`?izly_payment=`) whose adapter
// is out of reach (its requests aborted), and `focus` is a focused idle button (the keyboard's ring).
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const ELEMENTS = [
  {
    name: 'pay-button',
    markup: '<izly-pay-button order="A-1042" amount="350"',
    close: '</izly-pay-button>',
    states: ['idle', 'focus', 'creating', 'redirecting', 'awaiting', 'verifying', 'slow', 'paid', 'failed', 'cancelled', 'error'],
  },
  {
    name: 'connect-button',
    markup: '<izly-connect-button',
    close: '</izly-connect-button>',
    states: ['idle', 'focus', 'redirecting', 'awaiting', 'success', 'error'],
  },
];
const OUT = 'docs/screenshots';
const bundle = readFileSync('dist/izly-pay.js', 'utf8');
/** The pictures' page: an origin of its own, so that the return from Izly can sit in its address. */
const SHOP = 'https://shop.example/';
/** The payment the slow button is back from (its session storage says it left for Izly with it). */
const RETURN = { order: 'A-1043', paymentId: 'pay_slow_demo' };
const SLOW_WORDS = 'Paiement en cours de vérification';

const schemeColours = (scheme) =>
  `:root { color-scheme: ${scheme}; } body { background: ${scheme === 'dark' ? '#17171c' : '#ffffff'}; color: ${scheme === 'dark' ? '#e6e6ee' : '#222'}; }`;

/** The markup of one state's element: `slow` resumes a payment for real, `focus` is an idle one focused later. */
const cell = (element, state) => {
  if (state === 'slow') return `<izly-pay-button order="${RETURN.order}" amount="350">${element.close}`;
  return `${element.markup} data-state="${state === 'focus' ? 'idle' : state}"${state === 'focus' ? ' data-focus' : ''}>${element.close}`;
};

// The page's text colour is set for each scheme, as a partner's page would: the status line follows it.
const page = (scheme, element) => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><style>
  ${schemeColours(scheme)}
  body { margin: 0; padding: 24px; font: 14px system-ui, sans-serif; }
  .grid { display: grid; grid-template-columns: 110px 320px; gap: 18px 16px; align-items: start; width: max-content; }
  .name { padding-top: 12px; font-family: ui-monospace, monospace; opacity: 0.7; }
  .cell { display: inline-block; padding: 8px; }
</style></head><body><div class="grid">
${element.states.map((state) => `<div class="name">${state}</div><div class="cell" id="cell-${state}">${cell(element, state)}</div>`).join('\n')}
</div></body></html>`;

// A cafeteria's page on the student's return from Izly: one product paid (focused, as the button is after a
// return), one still being checked with the adapter out of reach, one refused.
const shopPage = (scheme) => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><style>
  ${schemeColours(scheme)}
  body { margin: 0; padding: 24px 16px; font: 16px system-ui, sans-serif; }
  h1 { font-size: 1.4rem; margin: 0 0 16px; }
  .products { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; max-width: 1000px; }
  .product { border: 1px solid color-mix(in srgb, currentColor 20%, transparent); border-radius: 12px; padding: 16px; display: grid; gap: 12px; }
  .product h2 { font-size: 1.05rem; margin: 0; }
</style></head><body><h1>Cafétéria du campus</h1><div class="products">
  <div class="product"><h2>Ticket de restaurant — 3,30 €</h2><izly-pay-button order="A-1042" amount="330" product="Ticket de restaurant" full-width data-state="paid" data-focus></izly-pay-button></div>
  <div class="product"><h2>Menu du jour — 3,50 €</h2><izly-pay-button order="${RETURN.order}" amount="350" product="Menu du jour" full-width></izly-pay-button></div>
  <div class="product"><h2>Café — 1,20 €</h2><izly-pay-button order="A-1044" amount="120" product="Café" full-width data-state="failed"></izly-pay-button></div>
</div></body></html>`;

/** Opens `html` at the shop's address back from Izly, the adapter out of reach, and sets the states. */
async function show(context, html) {
  await context.route(`${SHOP}**`, (route) =>
    new URL(route.request().url()).pathname.startsWith('/izly/') ? route.abort('connectionrefused') : route.fulfill({ contentType: 'text/html', body: html }),
  );
  const tab = await context.newPage();
  await tab.goto(SHOP);
  await tab.evaluate(({ order, paymentId }) => sessionStorage.setItem(`izly-pay:${order}`, paymentId), RETURN);
  await tab.goto(`${SHOP}?izly_payment=${RETURN.paymentId}`);
  await tab.addScriptTag({ content: bundle, type: 'module' });
  await tab.evaluate(async (slowWords) => {
    const elements = document.querySelectorAll('izly-pay-button, izly-connect-button');
    await Promise.all([...new Set([...elements].map((el) => customElements.whenDefined(el.localName)))]);
    for (const el of document.querySelectorAll('[data-state]')) {
      el.state = el.dataset.state;
      await el.updateComplete;
    }
    document.querySelector('[data-focus]')?.focus();
    const slow = document.querySelector(`izly-pay-button[order="A-1043"]`);
    if (slow) {
      await new Promise((resolve) => {
        const check = () => (slow.shadowRoot.textContent.includes(slowWords) ? resolve() : setTimeout(check, 50));
        check();
      });
    }
  }, SLOW_WORDS);
  return tab;
}

// The edges of a payment (issue 15): each button resumes a payment whose outcome a stand-in adapter answers
// (a refusal with its reason, a cancel), or is clicked on an order already paid (409 with the paid payment).
const OUTCOMES = [
  { order: 'B-1', product: 'Ticket de restaurant', view: { status: 'failed', failureReason: 'insufficient_balance' } },
  { order: 'B-2', product: 'Menu du jour', view: { status: 'failed', failureReason: 'unpaid_debt' } },
  { order: 'B-3', product: 'Café', view: { status: 'cancelled', failureReason: 'cancelled' } },
  { order: 'B-4', product: 'Sandwich', paidAlready: true },
];
const viewOf = (outcome, status = outcome.view?.status ?? 'paid') => {
  const at = '2026-12-02T00:00:00.000Z';
  return { paymentId: `pay_${outcome.order}`, orderId: outcome.order, amount: 330, currency: 'EUR', createdAt: at, updatedAt: at, ...outcome.view, status };
};
const outcomesPage = (scheme) => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><style>
  ${schemeColours(scheme)}
  body { margin: 0; padding: 24px 16px; font: 16px system-ui, sans-serif; }
  .products { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; max-width: 1200px; }
  .product { border: 1px solid color-mix(in srgb, currentColor 20%, transparent); border-radius: 12px; padding: 16px; display: grid; gap: 12px; }
  .product h2 { font-size: 1.05rem; margin: 0; }
</style></head><body><div class="products">
${OUTCOMES.map((o) => `<div class="product"><h2>${o.product} — 3,30 €</h2><izly-pay-button order="${o.order}" amount="330" product="${o.product}" full-width></izly-pay-button></div>`).join('\n')}
</div></body></html>`;

async function showOutcomes(context, scheme) {
  await context.route(`${SHOP}**`, (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/izly/payments') {
      const body = { error: { code: 'order_already_paid', message: 'This order is already paid' }, payment: viewOf(OUTCOMES[3]) };
      return route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify(body) });
    }
    const outcome = OUTCOMES.find((o) => pathname === `/izly/payments/pay_${o.order}`);
    if (outcome) return route.fulfill({ contentType: 'application/json', body: JSON.stringify(viewOf(outcome)) });
    return route.fulfill({ contentType: 'text/html', body: outcomesPage(scheme) });
  });
  const tab = await context.newPage();
  await tab.goto(SHOP);
  await tab.evaluate((orders) => orders.forEach((order) => sessionStorage.setItem(`izly-pay:${order}`, `pay_${order}`)), ['B-1', 'B-2', 'B-3']);
  await tab.goto(SHOP);
  await tab.addScriptTag({ content: bundle, type: 'module' });
  await tab.evaluate(async () => {
    await customElements.whenDefined('izly-pay-button');
    const buttons = [...document.querySelectorAll('izly-pay-button')];
    buttons[3].shadowRoot.querySelector('button').click();
    const settled = () => buttons.every((el) => ['failed', 'cancelled', 'paid'].includes(el.state));
    await new Promise((resolve) => {
      const check = () => (settled() ? resolve() : setTimeout(check, 50));
      check();
    });
    document.activeElement?.blur();
  });
  return tab;
}

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
});
try {
  for (const element of ELEMENTS) {
    for (const scheme of ['light', 'dark']) {
      // Reduced motion: the spinners stand still (the theme's own rule), so every run draws the same picture.
      const context = await browser.newContext({ colorScheme: scheme, deviceScaleFactor: 2, reducedMotion: 'reduce' });
      const tab = await show(context, page(scheme, element));
      await tab.locator('.grid').screenshot({ path: `${OUT}/${element.name}-${scheme}.png` });
      for (const state of element.states) {
        await tab.locator(`#cell-${state}`).screenshot({ path: `${OUT}/${element.name}-${state}-${scheme}.png` });
      }
      await context.close();
    }
  }
  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ colorScheme: scheme, deviceScaleFactor: 2, reducedMotion: 'reduce', viewport: { width, height: 320 } });
      const tab = await show(context, shopPage(scheme));
      await tab.screenshot({ path: `${OUT}/shop-return-${width}-${scheme}.png`, fullPage: true });
      await context.close();
    }
  }
  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ colorScheme: scheme, deviceScaleFactor: 2, reducedMotion: 'reduce', viewport: { width, height: 320 } });
      const tab = await showOutcomes(context, scheme);
      await tab.screenshot({ path: `${OUT}/pay-button-outcomes-${width}-${scheme}.png`, fullPage: true });
      await context.close();
    }
  }
} finally {
  await browser.close();
}
console.log(
  `Wrote ${OUT}/{pay,connect}-button-{light,dark}.png, one file per element, state and scheme, ${OUT}/shop-return-{1280,390}-{light,dark}.png and ${OUT}/pay-button-outcomes-{1280,390}-{light,dark}.png.`,
);
