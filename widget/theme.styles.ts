import { css } from 'lit';

/**
 * The look every element of the widget shares: an Izly-branded button, the wordmark, the busy spinner and
 * the status line. The rules read private `--_*` variables; each element's styles file defines them from
 * its own public `--izly-<element>-*` custom properties and Izly's colours (light and dark).
 */
export default css`
  :host {
    display: inline-flex;
    flex-direction: column;
    align-items: center;
    font-family: var(--_font);
    font-size: 1rem;
  }

  :host([size='small']) {
    font-size: 0.875rem;
  }

  :host([size='large']) {
    font-size: 1.125rem;
  }

  :host([full-width]) {
    display: flex;
    align-items: stretch;
  }

  :host([hidden]) {
    display: none;
  }

  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
    min-height: 2.75em;
    padding: 0 1.25em;
    border: 0;
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
    font: 600 1em/1.2 var(--_font);
    cursor: pointer;
  }

  button:hover:not([aria-disabled]):not(:disabled) {
    --_bg: var(--_bg-hover);
  }

  button:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }

  button[aria-disabled] {
    cursor: default;
  }

  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }

  .wordmark {
    padding: 0 0.4em 0.1em;
    border-radius: 1em;
    background: var(--_fg);
    color: var(--_bg);
    font-weight: 800;
    font-style: italic;
  }

  .spinner {
    width: 1em;
    height: 1em;
    box-sizing: border-box;
    border: 0.15em solid;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }

  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }

  .status {
    color: var(--_status);
    font-size: 0.875em;
    text-align: center;
  }

  .status:not(:empty) {
    margin-top: 0.4em;
  }
`;
