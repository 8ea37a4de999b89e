// What every Izly button shares with the others (IzlyButtonBase): a native button and a polite status, its
// languages, a custom label, the common attributes and their defaults, delegated focus, `disabled`, and a
// registering module that can run twice. Each button's test file calls `describeButtonBase()` once, then
// tests what is its own.
import { expect, fixture } from '@open-wc/testing';
import type { IzlyButtonBase } from '../../widget/izly-button-base.js';

export interface ButtonBaseCase {
  tag: 'izly-pay-button' | 'izly-connect-button';
  /** Attributes every fixture of this button needs (the pay button's order), or ''. */
  required: string;
  /** The idle button's text in French and in English, and the attributes that give it (the pay button's amount). */
  idle: { attributes: string; fr: string; en: string };
  /** A custom label, shown as given. */
  label: string;
  /** The start event, which `disabled` must prevent. */
  startEvent: 'izly-pay-start' | 'izly-connect-start';
  /** The module that registers the tag, as the test server serves it. */
  module: string;
}

/** The button's `<button>` part. */
export const inner = (el: Element) => el.shadowRoot!.querySelector('button')!;
/** The button's `status` part. */
export const statusOf = (el: Element) => el.shadowRoot!.querySelector('[part="status"]')!;
/** Collapses the no-break spaces `Intl` puts in prices, so expectations read naturally. */
export const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();

export function describeButtonBase({ tag, required, idle, label, startEvent, module }: ButtonBaseCase): void {
  const markup = (attributes = '') => `<${tag} ${required} ${attributes}></${tag}>`;
  const mount = (attributes = '') => fixture<IzlyButtonBase<string>>(markup(attributes));

  describe('rendering', () => {
    it(`is a real button that says "${idle.fr}" by default`, async () => {
      const el = await mount(idle.attributes);
      expect(inner(el).localName).to.equal('button');
      expect(inner(el).type).to.equal('button');
      expect(text(inner(el))).to.equal(idle.fr);
      expect(el.getAttribute('state')).to.equal('idle');
      expect(inner(el).getAttribute('aria-busy')).to.equal('false');
      expect(text(statusOf(el))).to.equal('');
      await expect(el).to.be.accessible();
    });

    it('speaks English with lang="en"', async () => {
      const el = await mount(`${idle.attributes} lang="en"`);
      expect(text(inner(el))).to.equal(idle.en);
    });

    it('follows the nearest lang of the page when it has none', async () => {
      const wrapper = await fixture(`<div lang="en-GB">${markup(idle.attributes)}</div>`);
      expect(text(inner(wrapper.querySelector(tag)!))).to.equal(idle.en);
    });

    it("falls back to the page's language when its own is not supported, and to French last", async () => {
      const root = document.documentElement;
      const pageLang = root.lang;
      try {
        root.lang = 'en';
        const el = await mount(`${idle.attributes} lang="de"`);
        expect(text(inner(el))).to.equal(idle.en);
        root.lang = 'es';
        el.requestUpdate();
        await el.updateComplete;
        expect(text(inner(el))).to.equal(idle.fr);
      } finally {
        root.lang = pageLang;
      }
    });

    it('switches language when lang changes', async () => {
      const el = await mount(idle.attributes);
      el.lang = 'en';
      await el.updateComplete;
      expect(text(inner(el))).to.equal(idle.en);
    });

    it('shows a custom label as given', async () => {
      const el = await mount(`label="${label}"`);
      expect(text(inner(el))).to.equal(label);
      await expect(el).to.be.accessible();
    });

    it('exposes the button and the status as parts, the status as a polite live region', async () => {
      const el = await mount();
      expect(el.shadowRoot!.querySelector('[part="button"]')).to.equal(inner(el));
      expect(statusOf(el).getAttribute('role')).to.equal('status');
    });
  });

  describe('attributes', () => {
    it('has defaults: endpoint /izly, redirect mode, medium size', async () => {
      const el = await mount();
      expect(el.endpoint).to.equal('/izly');
      expect(el.mode).to.equal('redirect');
      expect(el.size).to.equal('medium');
      expect(el.getAttribute('mode')).to.equal('redirect');
    });

    it('reads and reflects its attributes', async () => {
      const el = await mount('endpoint="/shop/izly" mode="popup" size="large" full-width');
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

    it('does nothing when disabled', async () => {
      const el = await mount('disabled');
      let started = false;
      el.addEventListener(startEvent, () => (started = true));
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
      const el = await mount();
      el.focus();
      expect(el.shadowRoot!.activeElement).to.equal(inner(el));
    });
  });

  describe('loading', () => {
    it('can be loaded twice without throwing', async () => {
      // The registering module runs again (another URL), as when a page includes the script twice.
      const registered = customElements.get(tag);
      await import(`${module}?again=${Date.now()}`);
      expect(customElements.get(tag)).to.equal(registered);
      expect(document.createElement(tag).localName).to.equal(tag);
    });
  });
}
