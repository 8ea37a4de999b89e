import { css } from 'lit';
import theme from '../theme.styles.js';

/** The shared theme, plus the pay button's own states: green once paid, the error colour once refused. */
export default [
  theme,
  css`
    :host([state=paid]) button {
      --_bg: var(--izly-pay-success-color, #12753a);
    }

    :host([state=failed]) .status {
      color: var(--izly-pay-error-color, color-mix(in srgb, #e4003a 60%, currentColor));
    }
  `,
];
