import { css } from 'lit';
import theme from '../theme.styles.js';

/** The shared theme, plus the connect button's own finished state: green once logged in. */
export default [
  theme,
  css`
    :host([state=success]) button {
      --_bg: var(--izly-pay-success-color, #12753a);
    }
  `,
];
