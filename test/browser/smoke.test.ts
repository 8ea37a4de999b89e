import { html, fixture, expect } from '@open-wc/testing';
import { LitElement } from 'lit';
import { helper } from './smoke-helper.js';
class XSmoke extends LitElement { override render() { return html`<button>${helper()}</button>`; } }
customElements.define('x-smoke', XSmoke);
describe('smoke', () => {
  it('renders and is accessible', async () => {
    const el = await fixture(html`<x-smoke></x-smoke>`);
    expect(el.shadowRoot!.querySelector('button')!.textContent).to.equal('hi');
    await expect(el).to.be.accessible();
  });
});
