import { css } from 'lit';
import theme from '../theme.styles.js';

/** Public `--izly-pay-*` custom properties feed private `--_*` ones, so that the rules below read one name each. */
export default [
  theme,
  css`
    :host {
      --_background: var(--izly-pay-background, var(--_izly-brand));
      --_background-hover: var(--izly-pay-background-hover, var(--_izly-brand-hover));
      --_on-background: var(--izly-pay-color, var(--_izly-on-brand));
      --_radius: var(--izly-pay-radius, 0.625rem);
      --_font: var(--izly-pay-font-family, var(--_izly-font));
      --_focus: var(--izly-pay-focus-ring-color, var(--_izly-focus));
      --_status: var(--izly-pay-status-color, var(--_izly-text));
      --_success: var(--izly-pay-success-color, var(--_izly-success));
      --_success-text: var(--izly-pay-success-text-color, var(--_izly-success-text));
      --_danger-text: var(--izly-pay-error-text-color, var(--_izly-danger-text));
      --_height: 2.75rem;
      --_font-size: 1rem;
      --_padding: 0 1.25rem;

      display: inline-flex;
      flex-direction: column;
      align-items: center;
      vertical-align: middle;
      font-family: var(--_font);
    }

    :host([size='small']) {
      --_height: 2.25rem;
      --_font-size: 0.875rem;
      --_padding: 0 0.875rem;
    }

    :host([size='large']) {
      --_height: 3.25rem;
      --_font-size: 1.125rem;
      --_padding: 0 1.5rem;
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
      box-sizing: border-box;
      min-height: var(--_height);
      padding: var(--_padding);
      border: none;
      border-radius: var(--_radius);
      background: var(--_background);
      color: var(--_on-background);
      font: 600 var(--_font-size) / 1.2 var(--_font);
      cursor: pointer;
      transition: background-color 120ms ease-in-out;
    }

    button:hover:not([aria-disabled='true']):not(:disabled) {
      background: var(--_background-hover);
      --_background: var(--_background-hover);
    }

    button:focus-visible {
      outline: 3px solid var(--_focus);
      outline-offset: 2px;
    }

    button[aria-disabled='true'] {
      cursor: progress;
    }

    button:disabled {
      opacity: 0.5;
      cursor: not-allowed;
    }

    :host([state='paid']) button {
      --_background: var(--_success);
      cursor: default;
    }

    .check {
      width: 1.1em;
      height: 1.1em;
      flex: none;
    }

    .status {
      max-width: 100%;
      color: var(--_status);
      font-size: 0.875rem;
      line-height: 1.35;
      text-align: center;
    }

    .status:not(:empty) {
      margin-top: 0.4rem;
    }

    :host([state='paid']) .status {
      color: var(--_success-text);
    }

    :host([state='failed']) .status,
    :host([state='error']) .status {
      color: var(--_danger-text);
    }
  `,
];
