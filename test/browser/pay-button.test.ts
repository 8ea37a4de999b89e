// <izly-pay-button> on its own: what it shares with every Izly button (button-base-tests.ts), then its own
// price, order and amount, the cancelable start, and errors that need no server (an unreachable endpoint
// is a real network error), accessibility. The flows through the real adapter and sandbox are in
// pay-button.flows.test.ts.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../widget/pay-button/pay-button.js';
import type { IzlyPayButton } from '../../widget/pay-button/pay-button.js';
import { describeButtonBase, inner, statusOf, text } from './button-base-tests.js';
import { windowsOpened } from './flow-helpers.js';

/** A port where nothing listens on the loopback: fetch fails as it does when the network is down. */
const UNREACHABLE = 'http://127.0.0.1:9/izly';

describe('<izly-pay-button>', () => {
  describeButtonBase({
    tag: 'izly-pay-button',
    required: 'order="A-1"',
    idle: { attributes: 'amount="350"', fr: 'Payer 3,50 € avec Izly', en: 'Pay €3.50 with Izly' },
    label: 'Régler ma commande',
    startEvent: 'izly-pay-start',
    module: '/widget/pay-button/pay-button.ts',
  });

  describe('the price', () => {
    it('writes another amount in the page\'s English, and says "Pay with Izly" without an amount', async () => {
      const wrapper = await fixture(html`<div lang="en-GB"><izly-pay-button order="A-1" amount="1250"></izly-pay-button></div>`);
      expect(text(inner(wrapper.querySelector('izly-pay-button')!))).to.equal('Pay €12.50 with Izly');
      const plain = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1"></izly-pay-button>`);
      expect(text(inner(plain))).to.equal('Payer avec Izly');
    });

    it('reads its order and amount', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-7" amount="125"></izly-pay-button>`);
      expect(el.order).to.equal('A-7');
      expect(el.amount).to.equal(125);
    });
  });

  describe('izly-pay-start', () => {
    it('bubbles out of the shadow root with the order, before anything is sent', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-9" endpoint=${UNREACHABLE}></izly-pay-button>`);
      const started = oneEvent(document, 'izly-pay-start');
      inner(el).click();
      const event = await started;
      expect(event.detail).to.deep.equal({ orderId: 'A-9' });
      expect(event.bubbles && event.composed && event.cancelable).to.equal(true);
    });

    it('stops the payment when vetoed: no request, no state change', async () => {
      // An endpoint of its own: the previous test's request may still report its timing during this one.
      const endpoint = `${UNREACHABLE}-vetoed`;
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-9" endpoint=${endpoint}></izly-pay-button>`);
      const requests: string[] = [];
      const observer = new PerformanceObserver((list) => requests.push(...list.getEntries().map((entry) => entry.name)));
      observer.observe({ type: 'resource' });
      el.addEventListener('izly-pay-start', (event) => event.preventDefault());
      inner(el).click();
      await el.updateComplete;
      expect(el.state).to.equal('idle');
      // A real request would show up as a resource timing entry, failed or not.
      await new Promise((resolve) => requestAnimationFrame(resolve));
      observer.disconnect();
      expect(requests.filter((name) => name.startsWith(endpoint))).to.deep.equal([]);
    });
  });

  describe('error (network)', () => {
    it('shows the error, fires izly-pay-error, and lets the student try again', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-5" amount="350" endpoint=${UNREACHABLE}></izly-pay-button>`);
      const failed = oneEvent(el, 'izly-pay-error');
      inner(el).click();
      expect(el.state).to.equal('creating');
      await el.updateComplete;
      expect(inner(el).getAttribute('aria-busy')).to.equal('true');
      expect(inner(el).getAttribute('aria-disabled')).to.equal('true');
      expect(text(statusOf(el))).to.equal('Préparation du paiement…');
      const { detail } = await failed;
      expect(detail.code).to.equal('network_error');
      expect(detail.message).to.be.a('string');
      expect(detail.payment).to.equal(null);
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('error');
      expect(inner(el).getAttribute('aria-busy')).to.equal('false');
      expect(text(inner(el))).to.equal('Réessayer');
      expect(text(statusOf(el))).to.equal('Connexion impossible.');
      await expect(el).to.be.accessible();

      const again = oneEvent(el, 'izly-pay-start');
      inner(el).click();
      await again;
      expect(el.state).to.equal('creating');
    });

    it('in a popup, opens the window inside the click and closes it when the server cannot be reached', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-6" mode="popup" endpoint=${UNREACHABLE}></izly-pay-button>`);
      const windows = windowsOpened();
      const opened = windows.opened;
      windows.track();
      try {
        const failed = oneEvent(el, 'izly-pay-error');
        inner(el).click();
        // Synchronously: the window exists before any answer could have arrived.
        expect(opened).to.have.length(1);
        expect(opened[0]).to.not.equal(null);
        await failed;
        expect(opened[0]!.closed).to.equal(true);
      } finally {
        windows.closeAll();
      }
    });
  });
});
