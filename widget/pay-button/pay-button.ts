import { IzlyPayButton } from './pay-button.component.js';

export * from './pay-button.component.js';
export default IzlyPayButton;

// Guarded: a page may load this twice (two bundles, two script tags), and a server has no registry at all.
if (typeof customElements !== 'undefined' && !customElements.get('izly-pay-button')) {
  customElements.define('izly-pay-button', IzlyPayButton);
}

declare global {
  interface HTMLElementTagNameMap {
    'izly-pay-button': IzlyPayButton;
  }
}
