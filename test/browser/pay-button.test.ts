// <izly-pay-button> on its own: rendering, attributes, languages, the cancelable start, focus, errors
// that need no server (an unreachable endpoint is a real network error), accessibility.
// The flows through the real adapter and sandbox are in pay-button.flows.test.ts.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../widget/pay-button/pay-button.js';
import type { IzlyPayButton } from '../../widget/pay-button/pay-button.js';

/** A port where nothing listens on the loopback: fetch fails as it does when the network is down. */
const UNREACHABLE = 'http://127.0.0.1:9/izly';

const inner = (el: IzlyPayButton) => el.shadowRoot!.querySelector('button')!;
const statusOf = (el: IzlyPayButton) => el.shadowRoot!.querySelector('[part="status"]')!;
/** Collapses the no-break spaces `Intl` puts in prices, so expectations read naturally. */
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();

describe('<izly-pay-button>', () => {
  describe('rendering', () => {
    it('is a real button that says the price in French by default', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1042" amount="350"></izly-pay-button>`);
      expect(inner(el).localName).to.equal('button');
      expect(inner(el).type).to.equal('button');
      expect(text(inner(el))).to.equal('Payer 3,50 € avec Izly');
      expect(el.getAttribute('state')).to.equal('idle');
      expect(inner(el).getAttribute('aria-busy')).to.equal('false');
      expect(text(statusOf(el))).to.equal('');
      await expect(el).to.be.accessible();
    });

    it('speaks English with lang="en"', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1" amount="350" lang="en"></izly-pay-button>`);
      expect(text(inner(el))).to.equal('Pay €3.50 with Izly');
    });

    it('follows the nearest lang of the page when it has none', async () => {
      const wrapper = await fixture(html`<div lang="en-GB"><izly-pay-button order="A-1" amount="1250"></izly-pay-button></div>`);
      const el = wrapper.querySelector('izly-pay-button')!;
      expect(text(inner(el))).to.equal('Pay €12.50 with Izly');
    });

    it("falls back to the page's language when its own is not supported, and to French last", async () => {
      const root = document.documentElement;
      const pageLang = root.lang;
      try {
        root.lang = 'en';
        const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1" amount="350" lang="de"></izly-pay-button>`);
        expect(text(inner(el))).to.equal('Pay €3.50 with Izly');
        root.lang = 'es';
        el.requestUpdate();
        await el.updateComplete;
        expect(text(inner(el))).to.equal('Payer 3,50 € avec Izly');
      } finally {
        root.lang = pageLang;
      }
    });

    it('switches language when lang changes', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1" amount="350"></izly-pay-button>`);
      el.lang = 'en';
      await el.updateComplete;
      expect(text(inner(el))).to.equal('Pay €3.50 with Izly');
    });

    it('says "Pay with Izly" without an amount, and shows a custom label as given', async () => {
      const plain = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1"></izly-pay-button>`);
      expect(text(inner(plain))).to.equal('Payer avec Izly');
      const labelled = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1" label="Régler ma commande"></izly-pay-button>`);
      expect(text(inner(labelled))).to.equal('Régler ma commande');
      await expect(labelled).to.be.accessible();
    });

    it('exposes the button and the status as parts, the status as a polite live region', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1"></izly-pay-button>`);
      expect(el.shadowRoot!.querySelector('[part="button"]')).to.equal(inner(el));
      expect(statusOf(el).getAttribute('role')).to.equal('status');
      expect(statusOf(el).getAttribute('aria-live')).to.equal('polite');
    });
  });

  describe('attributes', () => {
    it('reads and reflects its attributes', async () => {
      const el = await fixture<IzlyPayButton>(html`
        <izly-pay-button order="A-7" amount="125" endpoint="/shop/izly" mode="popup" size="large" full-width></izly-pay-button>
      `);
      expect(el.order).to.equal('A-7');
      expect(el.amount).to.equal(125);
      expect(el.endpoint).to.equal('/shop/izly');
      expect(el.mode).to.equal('popup');
      expect(el.size).to.equal('large');
      expect(el.fullWidth).to.equal(true);
      el.size = 'small';
      el.fullWidth = false;
      await el.updateComplete;
      expect(el.getAttribute('size')).to.equal('small');
      expect(el.hasAttribute('full-width')).to.equal(false);
    });

    it('has defaults: endpoint /izly, redirect mode, medium size', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1"></izly-pay-button>`);
      expect(el.endpoint).to.equal('/izly');
      expect(el.mode).to.equal('redirect');
      expect(el.size).to.equal('medium');
      expect(el.getAttribute('mode')).to.equal('redirect');
    });

    it('does nothing when disabled', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1" disabled></izly-pay-button>`);
      let started = false;
      el.addEventListener('izly-pay-start', () => (started = true));
      expect(inner(el).disabled).to.equal(true);
      inner(el).click();
      await el.updateComplete;
      expect(started).to.equal(false);
      expect(el.state).to.equal('idle');
      await expect(el).to.be.accessible();
    });
  });

  describe('focus', () => {
    it('delegates focus to its button', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1"></izly-pay-button>`);
      el.focus();
      expect(el.shadowRoot!.activeElement).to.equal(inner(el));
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
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-9" endpoint=${UNREACHABLE}></izly-pay-button>`);
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
      expect(requests.filter((name) => name.startsWith(UNREACHABLE))).to.deep.equal([]);
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
      const open = window.open;
      const opened: Array<Window | null> = [];
      window.open = (...args) => {
        const popup = open.apply(window, args);
        opened.push(popup);
        return popup;
      };
      try {
        const failed = oneEvent(el, 'izly-pay-error');
        inner(el).click();
        // Synchronously: the window exists before any answer could have arrived.
        expect(opened).to.have.length(1);
        expect(opened[0]).to.not.equal(null);
        await failed;
        expect(opened[0]!.closed).to.equal(true);
      } finally {
        window.open = open;
      }
    });
  });

  describe('loading', () => {
    it('can be loaded twice without throwing', async () => {
      // The registering module runs again (another URL), as when a page includes the script twice.
      const registered = customElements.get('izly-pay-button');
      await import(`/widget/pay-button/pay-button.ts?again=${Date.now()}`);
      expect(customElements.get('izly-pay-button')).to.equal(registered);
      expect(document.createElement('izly-pay-button').localName).to.equal('izly-pay-button');
    });
  });
});
