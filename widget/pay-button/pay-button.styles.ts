import { css } from 'lit';
import theme from '../theme.styles.js';

/** Public `--izly-pay-*` custom properties, with Izly's defaults, feed the private `--_*` ones the theme reads. */
export default [
  theme,
  css`
    :host {
      --_bg: var(--izly-pay-background, #e4003a);
      --_bg-hover: var(--izly-pay-background-hover, #c20031);
      --_fg: var(--izly-pay-color, #fff);
      --_radius: var(--izly-pay-radius, 0.625rem);
      --_font: var(--izly-pay-font-family, system-ui, sans-serif);
      --_focus: var(--izly-pay-focus-ring-color, #1f1f29);
      --_status: var(--izly-pay-status-color, #3b3b45);
      --_error: var(--izly-pay-error-color, #b3261e);
    }

    /* The button keeps Izly's colours in the dark; what sits on the page's background follows it. */
    @media (prefers-color-scheme: dark) {
      :host {
        --_focus: var(--izly-pay-focus-ring-color, #fff);
        --_status: var(--izly-pay-status-color, #e6e6ee);
        --_error: var(--izly-pay-error-color, #ff9a90);
      }
    }

    :host([state='paid']) button {
      --_bg: var(--izly-pay-success-color, #12753a);
    }

    :host([state='failed']) .status,
    :host([state='error']) .status {
      color: var(--_error);
    }

    /* A tick drawn with two borders: lighter than an icon. */
    .check {
      width: 0.3em;
      height: 0.6em;
      margin-top: -0.2em;
      border: solid;
      border-width: 0 0.16em 0.16em 0;
      transform: rotate(45deg);
    }
  `,
];
