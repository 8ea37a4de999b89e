// <izly-pay-button> at the edges of a payment (issue 15, points 1 to 3), against the real adapter and the
// real Izly sandbox: Annuler on Izly's page seen at once, in the popup and in the page, by an adapter that
// trusts callbacks (its safety-net read 30 s away) and just after the payment's creation; a refusal that
// says why (too little balance, an unpaid debt; a blocked account from a stand-in adapter) and offers
// "Réessayer" only where it can work; an order already paid shown paid. The times from Annuler to "Paiement annulé." are printed, never asserted.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import 'axe-core/axe.min.js';
import '../../widget/pay-button/pay-button.js';
import type { IzlyPayButton } from '../../widget/pay-button/pay-button.js';
import {
  BROKE_STUDENT,
  accessibleName,
  arriveWithPayment,
  createPayment,
  decide,
  inner,
  loaded,
  newOrder,
  paymentPage,
  statusText,
  windowsOpened,
} from './flow-helpers.js';

const UNPAID_DEBT_STUDENT = { identifier: 'impaye@izly.test', password: 'izly1234' };

/** axe finds nothing in the button's state, in the light and the dark scheme. */
async function accessibleInBothSchemes(el: Element): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await emulateMedia({ colorScheme: scheme });
    await expect(el).to.be.accessible();
  }
}
/** The adapter that trusts callbacks, with the default read intervals (izly-servers.ts). */
const TRUSTED = '/izly-trusted';

/** Every request this page's `fetch` sends to the adapter, with the status the answer carried, until `stop()`. */
function watchReads(): { seen: Array<{ url: string; status?: string }>; stop: () => void } {
  const seen: Array<{ url: string; status?: string }> = [];
  const original = window.fetch;
  window.fetch = async (input, init) => {
    const entry: { url: string; status?: string } = { url: String(input) };
    seen.push(entry);
    const response = await original(input, init);
    if (response.ok) entry.status = ((await response.clone().json()) as { status?: string }).status;
    return response;
  };
  return { seen, stop: () => (window.fetch = original) };
}

/** A refused payment's view as an adapter answers it, refused for a blocked account (Izly's "Compte bloqué"). */
function blockedPayment() {
  const at = new Date().toISOString();
  return {
    paymentId: `pay_blocked_${crypto.randomUUID()}`,
    orderId: `T-blocked-${crypto.randomUUID()}`,
    status: 'failed',
    failureReason: 'account_blocked',
    amount: 330,
    currency: 'EUR',
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Answers this page's reads under `prefix` with `payment`, as a stand-in adapter would, until `stop()`: no
 * sandbox account is refused as blocked (the adapter's reading of Izly's words is tested on the server side).
 */
function answerReads(prefix: string, payment: object): () => void {
  const original = window.fetch;
  window.fetch = (input, init) =>
    new URL(String(input), location.href).pathname.startsWith(prefix) ? Promise.resolve(Response.json(payment)) : original(input, init);
  return () => (window.fetch = original);
}

describe('<izly-pay-button> at the edges of a payment', () => {
  const windows = windowsOpened();
  const popups = windows.opened;
  let leave: (() => void) | null = null;
  let after: (() => void) | null = null;
  beforeEach(() => windows.track());
  afterEach(async () => {
    windows.closeAll();
    leave?.();
    after?.();
    leave = after = null;
    await setViewport({ width: 800, height: 600 });
    await emulateMedia({ colorScheme: 'light' });
  });

  describe('Annuler on Izly, callbacks trusted', () => {
    it('popup: cancelled at once after creation; the popup ends on the adapter’s cancel page and closes itself', async () => {
      const { seen: fetches, stop } = watchReads();
      after = stop;
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${newOrder(330)} mode="popup" endpoint=${TRUSTED}></izly-pay-button>`);
      const pending = oneEvent(el, 'izly-pay-pending');
      inner(el).click();
      const { detail: payment } = await pending;
      const popup = await loaded(() => popups[0], paymentPage(payment), 'the popup shows the Izly page');
      const cancelled = oneEvent(el, 'izly-pay-cancel');
      const annuler = performance.now();
      (popup.document.querySelector('button[value="cancel"]') as HTMLButtonElement).click();
      await waitUntil(() => popup.document?.querySelector('#return-link'), 'Izly’s cancel page', { timeout: 10000 });
      // The student goes back at once (or Izly's 3 s redirect does it): Izly's one URL after cancellation.
      const seenInPopup: string[] = [];
      const watch = setInterval(() => {
        try {
          if (!popup.closed) seenInPopup.push(popup.location.pathname);
        } catch {
          // Between two pages.
        }
      }, 20);
      (popup.document.querySelector('#return-link') as HTMLAnchorElement).click();
      const { detail } = await cancelled;
      const elapsed = Math.round(performance.now() - annuler);
      console.log(`popup, callbacks trusted: Annuler to "Paiement annulé." in ${elapsed} ms`);
      await waitUntil(() => popup.closed, 'the popup closed itself', { timeout: 10000 });
      clearInterval(watch);
      expect(detail).to.include({ paymentId: payment.paymentId, status: 'cancelled', failureReason: 'cancelled' });
      await el.updateComplete;
      expect(el.state).to.equal('cancelled');
      expect(statusText(el)).to.equal('Paiement annulé.');
      expect(inner(el).textContent!.trim()).to.equal('Réessayer');
      // No shop page was loaded inside the popup.
      expect(seenInPopup.some((path) => path.endsWith('shop.html'))).to.equal(false);
      // The read that saw the cancel was the return read the cancel page asked for, not a timed safety net.
      const sawCancel = fetches.find((entry) => entry.status === 'cancelled');
      expect(sawCancel?.url).to.contain('returned=1');
      await expect(el).to.be.accessible();
    });

    it('redirect: back on the shop through the cancel page, the button finds its payment in session storage', async () => {
      const orderId = newOrder(330);
      const tab = window.open(`/test/browser/fixtures/shop.html?${new URLSearchParams({ order: orderId, endpoint: TRUSTED })}`, '_blank')!;
      tab.opener = null;
      try {
        const shop = await loaded(() => tab, /shop\.html/, 'the shop page');
        await waitUntil(() => shop.shopButton?.hasUpdated, 'the button is up');
        inner(shop.shopButton).click();
        const izly = await loaded(() => tab, /\/payment\//, 'the Izly page');
        const annuler = performance.now();
        (izly.document.querySelector('button[value="cancel"]') as HTMLButtonElement).click();
        await waitUntil(() => tab.document?.querySelector('#return-link'), 'Izly’s cancel page', { timeout: 10000 });
        (tab.document.querySelector('#return-link') as HTMLAnchorElement).click();
        const back = await loaded(() => tab, /shop\.html/, 'back on the shop');
        await waitUntil(() => back.shopButton?.state === 'cancelled', 'cancelled', { timeout: 15000 });
        console.log(`redirect, callbacks trusted: Annuler to "Paiement annulé." in ${Math.round(performance.now() - annuler)} ms`);
        await back.shopButton.updateComplete;
        expect(statusText(back.shopButton)).to.equal('Paiement annulé.');
        expect(back.shopEvents.map((event) => event.type)).to.deep.equal(['izly-pay-cancel']);
        expect((back.shopEvents[0]!.detail as { status: string }).status).to.equal('cancelled');
        expect(back.sessionStorage.getItem(`izly-pay:${orderId}`)).to.equal(null);
      } finally {
        tab.close();
      }
    });
  });

  describe('a refusal says why', () => {
    /**
     * A student refused at Izly comes back to a button for a 3,30 € ticket (added to the page): the button
     * and the detail of its `izly-pay-failure`.
     */
    async function refusedAtIzly(student: typeof BROKE_STUDENT) {
      const orderId = newOrder(330);
      const payment = await createPayment(orderId);
      await decide(payment, 'validate', student);
      leave = arriveWithPayment(payment.paymentId);
      const el = document.createElement('izly-pay-button');
      el.order = orderId;
      el.product = 'Ticket de restaurant';
      const failed = oneEvent(el, 'izly-pay-failure');
      document.body.append(el);
      return { el, detail: (await failed).detail };
    }

    it('too little balance: "Solde Izly insuffisant", a link to top up, and "Réessayer"', async () => {
      const { el, detail } = await refusedAtIzly(BROKE_STUDENT);
      try {
        expect(detail).to.include({ status: 'failed', failureReason: 'insufficient_balance' });
        await el.updateComplete;
        expect(statusText(el)).to.equal('Solde Izly insuffisant : rechargez votre compte.');
        const link = el.shadowRoot!.querySelector('[part="status"] a') as HTMLAnchorElement;
        expect(link.href).to.equal('https://mon-espace.izly.fr/');
        expect(inner(el).textContent!.trim()).to.equal('Réessayer');
        expect(accessibleName(el)).to.equal('Réessayer — Ticket de restaurant, 3,30 €');
        await expect(el).to.be.accessible();
        el.topUpUrl = 'https://crous.example/recharger';
        await el.updateComplete;
        expect(link.href).to.equal('https://crous.example/recharger');
        for (const [width, scheme] of [
          [390, 'dark'],
          [1280, 'light'],
        ] as const) {
          await setViewport({ width, height: 800 });
          await emulateMedia({ colorScheme: scheme });
          await expect(el).to.be.accessible();
        }
      } finally {
        el.remove();
      }
    });

    it('in English too, with the attribute top-up-url', async () => {
      const orderId = newOrder(330);
      const payment = await createPayment(orderId);
      await decide(payment, 'validate', BROKE_STUDENT);
      leave = arriveWithPayment(payment.paymentId);
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${orderId} lang="en" top-up-url="https://izly.example/top-up"></izly-pay-button>`);
      await waitUntil(() => el.state === 'failed', 'failed', { timeout: 10000 });
      expect(statusText(el)).to.equal('Izly balance too low: top up your Izly.');
      expect((el.shadowRoot!.querySelector('[part="status"] a') as HTMLAnchorElement).href).to.equal('https://izly.example/top-up');
    });

    it('an unpaid debt: "contactez votre CROUS", and no "Réessayer" (trying again cannot work)', async () => {
      const { el, detail } = await refusedAtIzly(UNPAID_DEBT_STUDENT);
      try {
        expect(detail.failureReason).to.equal('unpaid_debt');
        await el.updateComplete;
        expect(statusText(el)).to.equal('Un impayé bloque votre compte Izly : contactez votre CROUS.');
        expect(inner(el).textContent!.replace(/\s+/g, ' ').trim()).to.equal('Payer 3,30 € avec Izly');
        expect(accessibleName(el)).to.equal('Payer 3,30 € avec Izly — Ticket de restaurant');
        await accessibleInBothSchemes(el);
      } finally {
        el.remove();
      }
    });
    it('a blocked account (a stand-in adapter: no sandbox account is blocked): "Compte Izly bloqué", no "Réessayer"; English', async () => {
      const payment = blockedPayment();
      const stop = answerReads('/blocked-adapter/payments/', payment);
      leave = arriveWithPayment(payment.paymentId);
      const el = document.createElement('izly-pay-button');
      el.order = payment.orderId;
      el.product = 'Ticket de restaurant';
      el.endpoint = '/blocked-adapter';
      const failed = oneEvent(el, 'izly-pay-failure');
      document.body.append(el);
      try {
        expect((await failed).detail.failureReason).to.equal('account_blocked');
        await el.updateComplete;
        expect(el.state).to.equal('failed');
        expect(statusText(el)).to.equal('Compte Izly bloqué : contactez votre CROUS.');
        expect(el.shadowRoot!.querySelector('[part="status"] a')).to.equal(null);
        expect(inner(el).textContent!.replace(/\s+/g, ' ').trim()).to.equal('Payer 3,30 € avec Izly');
        expect(accessibleName(el)).to.equal('Payer 3,30 € avec Izly — Ticket de restaurant');
        await accessibleInBothSchemes(el);
        el.lang = 'en';
        await el.updateComplete;
        expect(statusText(el)).to.equal('Izly account blocked: contact your CROUS.');
        expect(inner(el).textContent!.replace(/\s+/g, ' ').trim()).to.equal('Pay €3.30 with Izly');
        await expect(el).to.be.accessible();
      } finally {
        el.remove();
        stop();
      }
    });

    it('a refusal without a reason of its own: "Paiement refusé par Izly." and "Réessayer"', async () => {
      const payment = { ...blockedPayment(), failureReason: 'unknown' };
      const stop = answerReads('/blocked-adapter/payments/', payment);
      leave = arriveWithPayment(payment.paymentId);
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${payment.orderId} endpoint="/blocked-adapter"></izly-pay-button>`);
      try {
        await waitUntil(() => el.state === 'failed', 'failed', { timeout: 10000 });
        await el.updateComplete;
        expect(statusText(el)).to.equal('Paiement refusé par Izly.');
        expect(inner(el).textContent!.trim()).to.equal('Réessayer');
      } finally {
        stop();
      }
    });
  });

  describe('an order already paid', () => {
    it('against the real adapter: a second click on a paid order (a stale tab) shows "Déjà payé", never an error', async () => {
      const orderId = newOrder(330);
      const payment = await createPayment(orderId);
      await decide(payment, 'validate');
      // The adapter learns it is paid (as the first tab's button would, back from Izly).
      await waitUntil(
        async () => ((await (await fetch(`/izly/payments/${payment.paymentId}?wait=5&returned=1`)).json()) as { status: string }).status === 'paid',
        'paid',
        {
          timeout: 10000,
        },
      );
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${orderId} product="Ticket de restaurant" mode="popup"></izly-pay-button>`);
      let errors = 0;
      el.addEventListener('izly-pay-error', () => (errors += 1));
      const succeeded = oneEvent(el, 'izly-pay-success');
      inner(el).click();
      const { detail } = await succeeded;
      expect(detail).to.include({ paymentId: payment.paymentId, orderId, status: 'paid' });
      await el.updateComplete;
      expect(errors).to.equal(0);
      expect(inner(el).textContent!.trim()).to.equal('Déjà payé');
      expect(accessibleName(el)).to.equal('Déjà payé — Ticket de restaurant, 3,30 €');
      expect(popups[0]!.closed).to.equal(true);
      await accessibleInBothSchemes(el);
    });

    it('a stand-in adapter’s 409: "Déjà payé" with the product in its name, izly-pay-success, never an error; English', async () => {
      const el = await fixture<IzlyPayButton>(
        html`<izly-pay-button order="T-paid-330" amount="330" product="Ticket de restaurant" mode="popup" endpoint="/fake-paid-adapter"></izly-pay-button>`,
      );
      let errors = 0;
      el.addEventListener('izly-pay-error', () => (errors += 1));
      const succeeded = oneEvent(el, 'izly-pay-success');
      inner(el).click();
      const { detail } = await succeeded;
      expect(detail).to.include({ paymentId: 'pay_fake_paid', status: 'paid' });
      await el.updateComplete;
      expect(el.state).to.equal('paid');
      expect(errors).to.equal(0);
      expect(inner(el).textContent!.trim()).to.equal('Déjà payé');
      expect(statusText(el)).to.equal('Paiement de 3,30 € effectué.');
      expect(accessibleName(el)).to.equal('Déjà payé — Ticket de restaurant, 3,30 €');
      expect(popups[0]!.closed).to.equal(true);
      await expect(el).to.be.accessible();
      el.lang = 'en';
      await el.updateComplete;
      expect(inner(el).textContent!.trim()).to.equal('Already paid');
    });
  });
});
