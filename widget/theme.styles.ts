import { css } from 'lit';

/**
 * The look every element of the widget shares: an Izly-branded button, the wordmark, the busy spinner, the
 * tick of a finished button and the status line, themed by the shared public custom properties below
 * (set them on `:root` for every Izly button, or on one element's selector for that one).
 *
 * The button keeps Izly's colours on any page. What sits on the page takes its colours from the page, so
 * that it reads on the partner's light or dark background: the status line inherits the page's text colour
 * (an unset `--izly-pay-status-color` leaves `color` inherited), errors mix Izly red with it (dark red on
 * a light page, light red on a dark one). The focus ring has two bands, one for each kind of page.
 *
 * Private `--_*` variables carry what changes with the state: the background (hover, finished) and the text.
 */
export default css`
  :host {
    --_bg: var(--izly-pay-background, #e4003a);
    --_fg: var(--izly-pay-color, #fff);
    /* One column: the button, then the status line. */
    display: inline-grid;
    justify-items: center;
    font: 1rem var(--izly-pay-font-family, system-ui, sans-serif);
  }

  :host([size=small]) {
    font-size: 0.875rem;
  }

  :host([size=large]) {
    font-size: 1.125rem;
  }

  :host([full-width]) {
    display: grid;
    justify-items: stretch;
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
    border-radius: var(--izly-pay-radius, 0.625rem);
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    font-weight: 600;
    line-height: 1.2;
    cursor: pointer;
  }

  button:hover:not([aria-disabled], :disabled) {
    --_bg: var(--izly-pay-background-hover, #c20031);
  }

  /*
   * Two bands, so that the ring reads on any button and any page: the button's text colour against the button,
   * then near-black, which a light page sets off (a dark page sets off the first band).
   */
  button:focus-visible {
    outline: 2px solid var(--_fg);
    box-shadow: 0 0 0 5px var(--izly-pay-focus-ring-color, #111);
  }

  button[aria-disabled] {
    cursor: default;
  }

  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }

  span {
    padding: 0 0.4em 0.1em;
    border-radius: 1em;
    background: var(--_fg);
    color: var(--_bg);
    font-weight: 800;
    font-style: italic;
  }

  /* The spinner of a busy button and the tick of a finished one are drawn by CSS alone: no markup to ship. */
  button[aria-busy=true]::before {
    content: '';
    width: 0.7em;
    height: 0.7em;
    border: 0.15em solid;
    border-right-color: transparent;
    border-radius: 50%;
  }

  /* Finished (paid, logged in): disabled for clicks but not busy. A tick, hidden from screen readers (no alt text). */
  button[aria-disabled][aria-busy=false]::before {
    content: '✓' / '';
  }

  /* Turning only for those who did not ask for less motion; still, its shape and aria-busy say the button is working. */
  @media (prefers-reduced-motion: no-preference) {
    button[aria-busy=true]::before {
      animation: spin 0.8s linear infinite;
    }
  }

  @keyframes spin {
    to {
      rotate: 1turn;
    }
  }

  div {
    color: var(--izly-pay-status-color);
    font-size: 0.875em;
    text-align: center;
  }

  /* A link in the status line (a refusal's "rechargez votre compte") reads in the line's own colour, underlined. */
  a {
    color: inherit;
  }

  div:not(:empty) {
    margin-top: 0.4em;
  }

  /* Each element's styles file adds its own finished state; a refusal (the pay button's) reads as an error. */
  :host([state=error]) div,
  :host([state=failed]) div {
    color: var(--izly-pay-error-color, color-mix(in srgb, #e4003a 60%, currentColor));
  }
`;
