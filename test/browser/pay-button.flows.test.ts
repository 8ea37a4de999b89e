// <izly-pay-button> through real payments: the real adapter (`izlyPay()` at /izly) and the real Izly
// sandbox, both mounted on the test server (izly-servers.ts). The student's part on Izly's page is played
// by posting the sandbox's form, or by filling it in the popup. Faults come from a proxy in front of the
// real adapter (fault-proxy.mjs): it drops or holds requests, it never answers for the adapter.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widget/pay-button/pay-button.js';
import type { IzlyPayButton } from '../../widget/pay-button/pay-button.js';
import {
  BROKE_STUDENT,
  arriveWithPayment,
  createPayment,
  decide,
  faultChannel,
  inner,
  loaded,
  newOrder,
  paymentPage,
  statusText,
  windowsOpened,
} from './flow-helpers.js';

const storedFor = (orderId: string) => sessionStorage.getItem(`izly-pay:${orderId}`);

describe('<izly-pay-button> with the real adapter and sandbox', () => {
  let leave: (() => void) | null = null;
  afterEach(() => {
    leave?.();
    leave = null;
  });

  const windows = windowsOpened();
  const popups = windows.opened;
  beforeEach(() => windows.track());
  afterEach(() => windows.closeAll());

  describe('resuming after a redirect', () => {
    it('paid: follows the payment from the URL, shows the server amount, fires izly-pay-success, cleans up', async () => {
      const orderId = newOrder(350);
      const payment = await createPayment(orderId);
      await decide(payment, 'validate');
      sessionStorage.setItem(`izly-pay:${orderId}`, payment.paymentId);
      leave = arriveWithPayment(payment.paymentId);

      const el = document.createElement('izly-pay-button');
      el.order = orderId;
      el.amount = 999;
      const succeeded = oneEvent(el, 'izly-pay-success');
      document.body.append(el);
      try {
        const { detail } = await succeeded;
        expect(detail).to.include({ paymentId: payment.paymentId, orderId, status: 'paid', amount: 350, currency: 'EUR' });
        await el.updateComplete;
        expect(el.getAttribute('state')).to.equal('paid');
        expect(statusText(el)).to.equal('Paiement de 3,50 € effectué.');
        expect(inner(el).textContent!.trim()).to.equal('Payé');
        expect(inner(el).getAttribute('aria-disabled')).to.equal('true');
        expect(new URL(location.href).searchParams.has('izly_payment')).to.equal(false);
        expect(storedFor(orderId)).to.equal(null);
        await expect(el).to.be.accessible();
      } finally {
        el.remove();
      }
    });

    it('speaks English in the outcome too', async () => {
      const orderId = newOrder(1250);
      const payment = await createPayment(orderId);
      await decide(payment, 'validate');
      leave = arriveWithPayment(payment.paymentId);
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${orderId} lang="en"></izly-pay-button>`);
      await waitUntil(() => el.state === 'paid', 'paid', { timeout: 10000 });
      expect(statusText(el)).to.equal('Payment of €12.50 complete.');
    });

    it('failed: Izly refused (balance too low), izly-pay-failure with its reason, then "try again"', async () => {
      const orderId = newOrder(350);
      const payment = await createPayment(orderId);
      await decide(payment, 'validate', BROKE_STUDENT);
      leave = arriveWithPayment(payment.paymentId);
      const el = document.createElement('izly-pay-button');
      el.order = orderId;
      const failed = oneEvent(el, 'izly-pay-failure');
      document.body.append(el);
      try {
        const { detail } = await failed;
        expect(detail).to.include({ status: 'failed', failureReason: 'insufficient_balance' });
        await el.updateComplete;
        expect(el.getAttribute('state')).to.equal('failed');
        expect(statusText(el)).to.equal('Solde Izly insuffisant : rechargez votre compte.');
        expect(inner(el).textContent!.trim()).to.equal('Réessayer');
        await expect(el).to.be.accessible();
      } finally {
        el.remove();
      }
    });

    it('cancelled: back from Izly without an id, one read finds the cancel (izly-pay-cancel)', async () => {
      const orderId = newOrder(350);
      const payment = await createPayment(orderId);
      await decide(payment, 'cancel');
      sessionStorage.setItem(`izly-pay:${orderId}`, payment.paymentId);
      const el = document.createElement('izly-pay-button');
      el.order = orderId;
      const cancelled = oneEvent(el, 'izly-pay-cancel');
      document.body.append(el);
      try {
        const { detail } = await cancelled;
        expect(detail.status).to.equal('cancelled');
        await el.updateComplete;
        expect(el.getAttribute('state')).to.equal('cancelled');
        expect(statusText(el)).to.equal('Paiement annulé.');
        expect(storedFor(orderId)).to.equal(null);
        await expect(el).to.be.accessible();
      } finally {
        el.remove();
      }
    });

    it('not completed: back without deciding (the back button), the payment is still pending', async () => {
      const orderId = newOrder(350);
      const payment = await createPayment(orderId);
      sessionStorage.setItem(`izly-pay:${orderId}`, payment.paymentId);
      const el = document.createElement('izly-pay-button');
      el.order = orderId;
      const cancelled = oneEvent(el, 'izly-pay-cancel');
      document.body.append(el);
      try {
        const { detail } = await cancelled;
        expect(detail.status).to.equal('pending');
        await el.updateComplete;
        expect(el.getAttribute('state')).to.equal('cancelled');
        expect(statusText(el)).to.equal('Paiement non finalisé.');
        expect(inner(el).textContent!.trim()).to.equal('Réessayer');
      } finally {
        el.remove();
      }
    });

    it("leaves another order's payment alone", async () => {
      const payment = await createPayment(newOrder(350));
      leave = arriveWithPayment(payment.paymentId);
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${newOrder(200)}></izly-pay-button>`);
      const channelled = await fetch(`/izly/payments/${payment.paymentId}`);
      expect(channelled.status).to.equal(200);
      await el.updateComplete;
      expect(el.state).to.equal('idle');
      expect(new URL(location.href).searchParams.get('izly_payment')).to.equal(payment.paymentId);
    });

    it('verifying: shows it while the server answers, and stays accessible', async () => {
      const orderId = newOrder(350);
      const payment = await createPayment(orderId);
      await decide(payment, 'validate');
      leave = arriveWithPayment(payment.paymentId);
      const proxy = faultChannel();
      await proxy.queue('hold');
      sessionStorage.setItem(`izly-pay:${orderId}`, payment.paymentId);
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${orderId} endpoint=${proxy.endpoint}></izly-pay-button>`);
      expect(el.getAttribute('state')).to.equal('verifying');
      expect(inner(el).getAttribute('aria-busy')).to.equal('true');
      expect(statusText(el)).to.equal('Vérification en cours…');
      await expect(el).to.be.accessible();
      const succeeded = oneEvent(el, 'izly-pay-success');
      await proxy.release();
      await succeeded;
    });

    it('keeps polling through network failures, showing "verifying", and does not lose the payment', async () => {
      const orderId = newOrder(350);
      const payment = await createPayment(orderId);
      leave = arriveWithPayment(payment.paymentId);
      sessionStorage.setItem(`izly-pay:${orderId}`, payment.paymentId);
      const proxy = faultChannel();
      await proxy.queue('drop', 'drop-after');
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${orderId} endpoint=${proxy.endpoint}></izly-pay-button>`);
      await waitUntil(async () => (await proxy.log()).length >= 2, 'two failed reads', { timeout: 10000 });
      expect(el.state).to.equal('verifying');
      const succeeded = oneEvent(el, 'izly-pay-success');
      await decide(payment, 'validate');
      const { detail } = await succeeded;
      expect(detail.paymentId).to.equal(payment.paymentId);
      expect((await proxy.log()).length).to.be.greaterThan(2);
    });

    it('error after the time allowed: "check again" reads the same payment instead of paying again', async () => {
      const orderId = newOrder(350);
      const payment = await createPayment(orderId);
      leave = arriveWithPayment(payment.paymentId);
      sessionStorage.setItem(`izly-pay:${orderId}`, payment.paymentId);
      const proxy = faultChannel();
      const el = document.createElement('izly-pay-button');
      el.order = orderId;
      el.endpoint = proxy.endpoint;
      el.verifyTimeout = 1000;
      const errored = oneEvent(el, 'izly-pay-error');
      document.body.append(el);
      try {
        const { detail } = await errored;
        expect(detail.code).to.equal('verification_timeout');
        expect(detail.payment?.paymentId).to.equal(payment.paymentId);
        await el.updateComplete;
        expect(el.getAttribute('state')).to.equal('error');
        expect(inner(el).textContent!.trim()).to.equal('Vérifier à nouveau');
        expect(statusText(el)).to.equal('Paiement encore en vérification.');
        await expect(el).to.be.accessible();

        await decide(payment, 'validate');
        const succeeded = oneEvent(el, 'izly-pay-success');
        inner(el).click();
        await succeeded;
        const log = await proxy.log();
        expect(log.filter((entry) => entry.method === 'POST')).to.deep.equal([]);
      } finally {
        el.remove();
      }
    });
  });

  describe('creating a payment', () => {
    it('creating: busy and accessible while the adapter works; a second click sends nothing', async () => {
      const proxy = faultChannel();
      await proxy.queue('hold');
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${newOrder(350)} mode="popup" endpoint=${proxy.endpoint}></izly-pay-button>`);
      let starts = 0;
      el.addEventListener('izly-pay-start', () => (starts += 1));
      try {
        inner(el).click();
        inner(el).click();
        await el.updateComplete;
        expect(el.getAttribute('state')).to.equal('creating');
        expect(statusText(el)).to.equal('Préparation du paiement…');
        await expect(el).to.be.accessible();
        await waitUntil(async () => (await proxy.log()).length === 1, 'the POST reached the proxy');
        expect(starts).to.equal(1);
        expect(popups).to.have.length(1);
      } finally {
        el.remove();
        await proxy.release();
      }
      expect(popups[0]!.closed).to.equal(true);
      expect((await proxy.log()).filter((entry) => entry.method === 'POST')).to.have.length(1);
    });

    it('error: the adapter refuses an unknown order, with its code in izly-pay-error', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="no-amount-here"></izly-pay-button>`);
      const errored = oneEvent(el, 'izly-pay-error');
      inner(el).click();
      const { detail } = await errored;
      expect(detail.code).to.be.a('string').and.not.equal('network_error');
      expect(detail.payment).to.equal(null);
      await el.updateComplete;
      expect(statusText(el)).to.equal('Le paiement n’a pas pu démarrer.');
      await expect(el).to.be.accessible();
    });

    it('a retry after a lost answer repeats the attempt: same Idempotency-Key, same payment', async () => {
      const proxy = faultChannel();
      await proxy.queue('drop-after');
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${newOrder(350)} mode="popup" endpoint=${proxy.endpoint}></izly-pay-button>`);
      const errored = oneEvent(el, 'izly-pay-error');
      inner(el).click();
      expect((await errored).detail.code).to.equal('network_error');

      const pending = oneEvent(el, 'izly-pay-pending');
      inner(el).click();
      const { detail } = await pending;
      const posts = (await proxy.log()).filter((entry) => entry.method === 'POST');
      expect(posts).to.have.length(2);
      expect(posts[1]!.idempotencyKey).to.equal(posts[0]!.idempotencyKey);
      expect(posts.map((entry) => entry.status)).to.deep.equal([201, 200]);
      expect(detail.status).to.equal('pending');
      el.remove();
    });

    it('a retry after the creation failed at Izly: that payment is failed (izly-pay-failure), and the next click starts a new one', async () => {
      const faults = '/sandbox-izly/sandbox/api/faults';
      await fetch(faults, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ serverErrors: 1, routes: ['initiate'] }) });
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${newOrder(350)} mode="popup"></izly-pay-button>`);
      try {
        const errored = oneEvent(el, 'izly-pay-error');
        inner(el).click();
        expect((await errored).detail.code).to.equal('izly_unavailable');
      } finally {
        await fetch(faults, { method: 'DELETE' });
      }

      // The same attempt (same Idempotency-Key) answers the failed payment, which has no Izly page.
      const failed = oneEvent(el, 'izly-pay-failure');
      inner(el).click();
      const first = (await failed).detail;
      expect(first.status).to.equal('failed');
      expect(el.state).to.equal('failed');
      expect(popups[1]!.closed).to.equal(true);

      const pending = oneEvent(el, 'izly-pay-pending');
      inner(el).click();
      const { detail } = await pending;
      expect(detail.paymentId).to.not.equal(first.paymentId);
      expect(detail.status).to.equal('pending');
      el.remove();
    });
  });

  describe('popup mode', () => {
    it('opens the window inside the click, sends it to Izly, and waits (awaiting)', async () => {
      const orderId = newOrder(350);
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${orderId} mode="popup"></izly-pay-button>`);
      const pending = oneEvent(el, 'izly-pay-pending');
      inner(el).click();
      expect(popups).to.have.length(1);
      const { detail } = await pending;
      expect(detail.orderId).to.equal(orderId);
      await loaded(() => popups[0], paymentPage(detail), 'the popup shows the Izly page');
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('awaiting');
      expect(statusText(el)).to.equal('Validez dans la fenêtre Izly.');
      await expect(el).to.be.accessible();
      expect(storedFor(orderId)).to.equal(null);
    });

    it('closed by the student after paying: asks the server first, and shows paid', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${newOrder(350)} mode="popup"></izly-pay-button>`);
      const pending = oneEvent(el, 'izly-pay-pending');
      inner(el).click();
      const popup = await loaded(() => popups[0], paymentPage((await pending).detail), 'the popup shows the Izly page');
      const form = popup.document.querySelector('form')!;
      (form.querySelector('[name="identifier"]') as HTMLInputElement).value = 'etudiant@izly.test';
      (form.querySelector('[name="password"]') as HTMLInputElement).value = 'izly1234';
      const succeeded = oneEvent(el, 'izly-pay-success');
      (form.querySelector('button[value="validate"]') as HTMLButtonElement).click();
      await loaded(() => popups[0], /\/payment\//, 'the confirmation page');
      await waitUntil(() => popup.document.querySelector('#return-link'), 'the confirmation page', { timeout: 10000 });
      popup.close();
      await succeeded;
      expect(el.state).to.equal('paid');
    });

    it('looked closed early (as a Cross-Origin-Opener-Policy makes it): "not completed", then paid once the payment completes', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${newOrder(350)} mode="popup"></izly-pay-button>`);
      const pending = oneEvent(el, 'izly-pay-pending');
      inner(el).click();
      const { detail: payment } = await pending;
      const popup = await loaded(() => popups[0], paymentPage(payment), 'the popup shows the Izly page');
      const cancelled = oneEvent(el, 'izly-pay-cancel');
      popup.close();
      expect((await cancelled).detail.status).to.equal('pending');
      await el.updateComplete;
      expect(el.state).to.equal('cancelled');
      expect(statusText(el)).to.equal('Paiement non finalisé.');

      // The student was still on Izly's page after all, and pays there.
      const succeeded = oneEvent(el, 'izly-pay-success');
      await decide(payment, 'validate');
      const { detail } = await succeeded;
      expect(detail).to.include({ paymentId: payment.paymentId, status: 'paid' });
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('paid');
      expect(statusText(el)).to.equal('Paiement de 3,50 € effectué.');
      await expect(el).to.be.accessible();
    });

    it('closed by the student without deciding: "not completed", and try again', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${newOrder(350)} mode="popup"></izly-pay-button>`);
      const pending = oneEvent(el, 'izly-pay-pending');
      inner(el).click();
      const popup = await loaded(() => popups[0], paymentPage((await pending).detail), 'the popup shows the Izly page');
      const cancelled = oneEvent(el, 'izly-pay-cancel');
      popup.close();
      const { detail } = await cancelled;
      expect(detail.status).to.equal('pending');
      expect(statusText(el)).to.equal('Paiement non finalisé.');
      expect(inner(el).textContent!.trim()).to.equal('Réessayer');
    });
  });

  describe('on a partner page (its own window, since a redirect leaves the page)', () => {
    let tab: Window | null = null;
    afterEach(() => tab?.close());
    const current = () => tab;

    /** The shop in a window of its own, as a tab would be (Izly's pages refuse to be framed). */
    async function openShop(query: Record<string, string>): Promise<Window> {
      tab = window.open(`/test/browser/fixtures/shop.html?${new URLSearchParams(query)}`, '_blank');
      // A tab the student opened has no opener; without this, the shop would think it is our popup.
      tab!.opener = null;
      const win = await loaded(current, /shop\.html/, 'the shop page');
      await waitUntil(() => win.shopButton?.hasUpdated, 'the button is up');
      return win;
    }

    it('redirect: pays on Izly and comes back paid, with the URL cleaned', async () => {
      const orderId = newOrder(350);
      const shop = await openShop({ order: orderId, amount: '350' });
      inner(shop.shopButton).click();
      const izly = await loaded(current, /\/payment\//, 'the Izly page');
      expect(izly.sessionStorage.getItem(`izly-pay:${orderId}`)).to.be.a('string');
      const form = izly.document.querySelector('form')!;
      (form.querySelector('[name="identifier"]') as HTMLInputElement).value = 'etudiant@izly.test';
      (form.querySelector('[name="password"]') as HTMLInputElement).value = 'izly1234';
      (form.querySelector('button[value="validate"]') as HTMLButtonElement).click();
      await waitUntil(() => tab!.document?.querySelector('#return-link'), 'the confirmation page', { timeout: 10000 });
      (tab!.document.querySelector('#return-link') as HTMLAnchorElement).click();
      const back = await loaded(current, /shop\.html/, 'back on the shop');
      await waitUntil(() => back.shopButton?.state === 'paid', 'paid', { timeout: 15000 });
      expect(back.shopEvents.map((event) => event.type)).to.deep.equal(['izly-pay-success']);
      expect(back.location.search).to.not.contain('izly_payment');
      expect(back.sessionStorage.getItem(`izly-pay:${orderId}`)).to.equal(null);
    });

    it('redirect: cancelled on Izly, comes back to the cancel page and shows it', async () => {
      const orderId = newOrder(350);
      const shop = await openShop({ order: orderId });
      inner(shop.shopButton).click();
      const izly = await loaded(current, /\/payment\//, 'the Izly page');
      (izly.document.querySelector('button[value="cancel"]') as HTMLButtonElement).click();
      await waitUntil(() => tab!.document?.querySelector('#return-link'), 'the confirmation page', { timeout: 10000 });
      (tab!.document.querySelector('#return-link') as HTMLAnchorElement).click();
      const back = await loaded(current, /shop\.html/, 'back on the shop');
      await waitUntil(() => back.shopButton?.state === 'cancelled', 'cancelled', { timeout: 15000 });
      expect(back.shopEvents.map((event) => event.type)).to.deep.equal(['izly-pay-cancel']);
    });

    it('popup blocked: falls back to a redirect', async () => {
      const orderId = newOrder(350);
      const shop = await openShop({ order: orderId, mode: 'popup' });
      // What a popup blocker does: window.open answers null.
      shop.open = () => null;
      inner(shop.shopButton).click();
      const izly = await loaded(current, /\/payment\//, 'the Izly page, in the shop window itself');
      expect(izly.sessionStorage.getItem(`izly-pay:${orderId}`)).to.be.a('string');
    });

    it('popup: the return page hands the result to the opener and closes itself', async () => {
      const orderId = newOrder(350);
      const shop = await openShop({ order: orderId, mode: 'popup' });
      const popups: Array<Window | null> = [];
      const open = shop.open;
      shop.open = (...args) => {
        const popup = open.apply(shop, args);
        popups.push(popup);
        return popup;
      };
      inner(shop.shopButton).click();
      const popup = await loaded(() => popups[0], /\/payment\//, 'the popup shows the Izly page');
      const form = popup.document.querySelector('form')!;
      (form.querySelector('[name="identifier"]') as HTMLInputElement).value = 'etudiant@izly.test';
      (form.querySelector('[name="password"]') as HTMLInputElement).value = 'izly1234';
      (form.querySelector('button[value="validate"]') as HTMLButtonElement).click();
      await waitUntil(() => popup.document?.querySelector('#return-link'), 'the confirmation page', { timeout: 10000 });
      (popup.document.querySelector('#return-link') as HTMLAnchorElement).click();
      await waitUntil(() => popup.closed, 'the popup closed itself', { timeout: 10000 });
      await waitUntil(() => shop.shopButton.state === 'paid', 'paid', { timeout: 15000 });
      expect(shop.shopEvents.map((event) => event.type)).to.deep.equal(['izly-pay-start', 'izly-pay-pending', 'izly-pay-success']);
    });
  });
});
