import { IzlyConnectButton } from './connect-button.component.js';

export * from './connect-button.component.js';
export * from './connect-cancel-event.js';
export default IzlyConnectButton;

// Guarded: a page may load this twice (two bundles, two script tags), and a server has no registry at all.
if (typeof customElements !== 'undefined' && !customElements.get('izly-connect-button')) {
  customElements.define('izly-connect-button', IzlyConnectButton);
}

declare global {
  interface HTMLElementTagNameMap {
    'izly-connect-button': IzlyConnectButton;
  }
}
