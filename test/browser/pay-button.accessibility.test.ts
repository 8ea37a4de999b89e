// <izly-pay-button> for a student on a keyboard, a screen reader or a phone: the accessible name says what is
// paid in every state (several buttons sit side by side), the outcome after a return from Izly is brought
// into view and focused, the spinner stands still under `prefers-reduced-motion`, and the focus ring reads
// against the button and the page, light and dark. States are reached through the real adapter and sandbox.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import 'axe-core/axe.min.js';
import '../../widget/pay-button/pay-button.js';
import '../../widget/connect-button/connect-button.js';
import type { IzlyPayButton } from '../../widget/pay-button/pay-button.js';
import {
  BROKE_STUDENT,
  accessibleName,
  arriveWithPayment,
  createPayment,
  decide,
  faultChannel,
  inner,
  newOrder,
  statusText,
  windowsOpened,
} from './flow-helpers.js';

/** WCAG's contrast ratio between two computed colours (`rgb(r, g, b)`). */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, bl] = color
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map((value) => {
        const c = Number(value) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

const PRODUCT = 'Ticket de restaurant';

describe('<izly-pay-button> accessibility', () => {
  let leave: (() => void) | null = null;
  /** Held requests of the fault proxy, released after each test. */
  let held: Array<() => Promise<void>> = [];
  const windows = windowsOpened();
  beforeEach(() => windows.track());
  afterEach(async () => {
    leave?.();
    leave = null;
    windows.closeAll();
    await Promise.all(held.map((release) => release()));
    held = [];
  });

  /** A fault channel whose held requests are released after the test. */
  function proxy() {
    const channel = faultChannel();
    held.push(() => channel.release());
    return channel;
  }

  /** A button for `orderId`, mounted, once it has left its first render (resuming, if the URL says so). */
  async function mount(orderId: string, attributes: { endpoint?: string; lang?: string; verifyTimeout?: number; label?: string } = {}) {
    const el = document.createElement('izly-pay-button');
    el.order = orderId;
    el.amount = 330;
    el.product = attributes.lang === 'en' ? 'Restaurant ticket' : PRODUCT;
    if (attributes.endpoint) el.endpoint = attributes.endpoint;
    if (attributes.lang) el.lang = attributes.lang;
    if (attributes.label) el.label = attributes.label;
    if (attributes.verifyTimeout) el.verifyTimeout = attributes.verifyTimeout;
    document.body.append(el);
    await el.updateComplete;
    return el;
  }

  /** Back from Izly with a payment for `orderId` that the student decided (or not) as given. */
  async function back(orderId: string, decision?: 'validate' | 'cancel', account?: typeof BROKE_STUDENT) {
    const payment = await createPayment(orderId);
    if (decision) await decide(payment, decision, account);
    sessionStorage.setItem(`izly-pay:${orderId}`, payment.paymentId);
    if (decision !== 'cancel') leave = arriveWithPayment(payment.paymentId);
    return payment;
  }

  describe('the accessible name says what is paid, in every state', () => {
    const cases: Array<{ state: string; name: string; reach: () => Promise<IzlyPayButton> }> = [
      {
        state: 'idle',
        name: `Payer 3,30 € avec Izly — ${PRODUCT}`,
        reach: () => mount(newOrder(330)),
      },
      {
        state: 'idle, with a label of its own',
        name: `Régler ma commande — ${PRODUCT}, 3,30 €`,
        reach: () => mount(newOrder(330), { label: 'Régler ma commande' }),
      },
      {
        state: 'creating',
        name: `Payer 3,30 € avec Izly — ${PRODUCT}`,
        reach: async () => {
          const channel = proxy();
          await channel.queue('hold');
          const el = await mount(newOrder(330), { endpoint: channel.endpoint });
          el.mode = 'popup';
          inner(el).click();
          await el.updateComplete;
          expect(el.state).to.equal('creating');
          return el;
        },
      },
      {
        state: 'verifying, the adapter out of reach',
        name: `Payer 3,30 € avec Izly — ${PRODUCT}`,
        reach: async () => {
          const orderId = newOrder(330);
          await back(orderId, 'validate');
          const channel = proxy();
          await channel.queue('drop', 'hold');
          const el = await mount(orderId, { endpoint: channel.endpoint });
          await waitUntil(() => statusText(el).startsWith('Paiement en cours de vérification'), 'slow', { timeout: 10000 });
          return el;
        },
      },
      {
        state: 'paid',
        name: `Payé — ${PRODUCT}, 3,30 €`,
        reach: async () => {
          const orderId = newOrder(330);
          await back(orderId, 'validate');
          const el = await mount(orderId);
          await oneEvent(el, 'izly-pay-success');
          return el;
        },
      },
      {
        state: 'paid, in English',
        name: 'Paid — Restaurant ticket, €3.30',
        reach: async () => {
          const orderId = newOrder(330);
          await back(orderId, 'validate');
          const el = await mount(orderId, { lang: 'en' });
          await oneEvent(el, 'izly-pay-success');
          return el;
        },
      },
      {
        state: 'failed',
        name: `Réessayer — ${PRODUCT}, 3,30 €`,
        reach: async () => {
          const orderId = newOrder(330);
          await back(orderId, 'validate', BROKE_STUDENT);
          const el = await mount(orderId);
          await oneEvent(el, 'izly-pay-failure');
          return el;
        },
      },
      {
        state: 'cancelled',
        name: `Réessayer — ${PRODUCT}, 3,30 €`,
        reach: async () => {
          const orderId = newOrder(330);
          await back(orderId, 'cancel');
          const el = await mount(orderId);
          await oneEvent(el, 'izly-pay-cancel');
          return el;
        },
      },
      {
        state: 'error, the order refused',
        name: `Réessayer — ${PRODUCT}, 3,30 €`,
        reach: async () => {
          const el = await mount('no-amount-here');
          const errored = oneEvent(el, 'izly-pay-error');
          inner(el).click();
          await errored;
          return el;
        },
      },
      {
        state: 'error, not confirmed in time',
        name: `Vérifier à nouveau — ${PRODUCT}, 3,30 €`,
        reach: async () => {
          const orderId = newOrder(330);
          await back(orderId);
          const el = await mount(orderId, { verifyTimeout: 1000 });
          await oneEvent(el, 'izly-pay-error');
          return el;
        },
      },
    ];

    for (const { state, name, reach } of cases) {
      it(`${state}: "${name}"`, async () => {
        const el = await reach();
        try {
          await el.updateComplete;
          expect(accessibleName(el)).to.equal(name);
          await expect(el).to.be.accessible();
        } finally {
          el.remove();
        }
      });
    }

    it('without a product, the idle button is named by its label alone, and the price follows the label once there is one', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1" amount="330"></izly-pay-button>`);
      expect(inner(el).hasAttribute('aria-label')).to.equal(false);
      expect(accessibleName(el)).to.equal('Payer 3,30 € avec Izly');
      const labelled = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1" amount="330" label="Régler"></izly-pay-button>`);
      expect(accessibleName(labelled)).to.equal('Régler — 3,30 €');
    });

    it('reads the product attribute', async () => {
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order="A-1" product="Menu du jour"></izly-pay-button>`);
      expect(el.product).to.equal('Menu du jour');
      expect(accessibleName(el)).to.equal('Payer avec Izly — Menu du jour');
    });
  });

  describe('after a return from Izly', () => {
    let page: HTMLElement;
    beforeEach(() => {
      page = document.createElement('div');
      // A phone's page: the shop's content first, the button far below the fold.
      page.innerHTML = '<input aria-label="Note pour la cafétéria"><div style="height: 300vh"></div>';
      document.body.append(page);
    });
    afterEach(() => {
      page.remove();
      window.scrollTo(0, 0);
    });

    it('brings the outcome into view, announces it, and focuses the button', async () => {
      const orderId = newOrder(330);
      await back(orderId, 'validate');
      const el = document.createElement('izly-pay-button');
      el.order = orderId;
      el.product = PRODUCT;
      const succeeded = oneEvent(el, 'izly-pay-success');
      page.append(el);
      expect(document.activeElement).to.equal(document.body);
      expect(el.getBoundingClientRect().top).to.be.above(window.innerHeight);
      await succeeded;
      await el.updateComplete;
      expect(document.activeElement).to.equal(el);
      expect(el.shadowRoot!.activeElement).to.equal(inner(el));
      const box = el.getBoundingClientRect();
      expect(box.top).to.be.at.least(0);
      expect(box.bottom).to.be.at.most(window.innerHeight);
      const status = el.shadowRoot!.querySelector('[part="status"]')!;
      expect(status.getAttribute('role')).to.equal('status');
      expect(statusText(el)).to.equal('Paiement de 3,30 € effectué.');
      expect(accessibleName(el)).to.equal(`Payé — ${PRODUCT}, 3,30 €`);
    });

    it('leaves focus where the student put it meanwhile', async () => {
      const orderId = newOrder(330);
      await back(orderId, 'validate');
      const field = page.querySelector('input')!;
      field.focus();
      const el = document.createElement('izly-pay-button');
      el.order = orderId;
      const succeeded = oneEvent(el, 'izly-pay-success');
      page.append(el);
      await succeeded;
      await el.updateComplete;
      expect(document.activeElement).to.equal(field);
    });
  });

  describe('motion', () => {
    afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

    it('prefers-reduced-motion: reduce stops the spinner (still drawn, and aria-busy still says it)', async () => {
      const orderId = newOrder(330);
      await back(orderId);
      const channel = proxy();
      await channel.queue('hold');
      const el = await mount(orderId, { endpoint: channel.endpoint });
      try {
        expect(el.state).to.equal('verifying');
        const spinner = () => getComputedStyle(inner(el), '::before');
        await emulateMedia({ reducedMotion: 'no-preference' });
        expect(spinner().animationName).to.equal('spin');
        await emulateMedia({ reducedMotion: 'reduce' });
        expect(matchMedia('(prefers-reduced-motion: reduce)').matches).to.equal(true);
        expect(spinner().animationName).to.equal('none');
        expect(spinner().content).to.equal('""');
        expect(inner(el).getAttribute('aria-busy')).to.equal('true');
      } finally {
        el.remove();
      }
    });
  });

  describe('the focus ring', () => {
    const pages = [
      { scheme: 'light', background: 'rgb(255, 255, 255)', color: 'rgb(34, 34, 34)' },
      { scheme: 'dark', background: 'rgb(23, 23, 28)', color: 'rgb(230, 230, 238)' },
    ] as const;
    afterEach(() => {
      document.body.style.background = '';
      document.body.style.color = '';
    });

    for (const { scheme, background, color } of pages) {
      for (const tag of ['izly-pay-button', 'izly-connect-button'] as const) {
        it(`${tag}, ${scheme} page: at least 3:1 against the button (red, and the green of a finished one) and against the page`, async () => {
          document.body.style.background = background;
          document.body.style.color = color;
          const el = await fixture<HTMLElement>(`<${tag} order="A-1"></${tag}>`);
          const button = el.shadowRoot!.querySelector('button')!;
          el.focus();
          expect(button.matches(':focus-visible')).to.equal(true);
          for (const fill of [null, '#12753a']) {
            if (fill) el.style.setProperty('--izly-pay-background', fill);
            const style = getComputedStyle(button);
            const inner = style.outlineColor;
            const outer = style.boxShadow.match(/rgba?\([^)]*\)/)![0];
            expect(parseFloat(style.outlineWidth)).to.be.at.least(2);
            expect(inner).to.not.equal(style.backgroundColor);
            expect(contrast(inner, style.backgroundColor), 'inner band against the button').to.be.at.least(3);
            expect(Math.max(contrast(inner, background), contrast(outer, background)), 'ring against the page').to.be.at.least(3);
          }
        });
      }
    }
  });
});
