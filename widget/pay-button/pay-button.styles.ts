import { css } from 'lit';
import theme from '../theme.styles.js';

/** The shared theme, plus the pay button's own finished state: green once paid (the theme colours a refusal). */
export default [
  theme,
  css`
    :host([state=paid]) button {
      --_bg: var(--izly-pay-success-color, #12753a);
    }
  `,
];
