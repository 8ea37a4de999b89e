import { css } from 'lit';

/**
 * Izly's look, shared by every element of the widget: private `--_izly-*` tokens (light and dark), the
 * wordmark, the busy spinner and the focus ring. Each element maps its own public `--izly-<element>-*`
 * custom properties onto these in its styles file.
 */
export default css`
  :host {
    --_izly-brand: #e4003a;
    --_izly-brand-hover: #c20031;
    --_izly-on-brand: #ffffff;
    --_izly-success: #12753a;
    --_izly-on-success: #ffffff;
    --_izly-text: #3b3b45;
    --_izly-success-text: #12753a;
    --_izly-danger-text: #b3261e;
    --_izly-focus: #1f1f29;
    --_izly-font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  }

  /* The buttons keep Izly's colours in the dark; only what sits on the page's background follows it. */
  @media (prefers-color-scheme: dark) {
    :host {
      --_izly-text: #e6e6ee;
      --_izly-success-text: #6fdc9a;
      --_izly-danger-text: #ff9a90;
      --_izly-focus: #ffffff;
    }
  }

  .wordmark {
    display: inline-block;
    padding: 0.05em 0.42em 0.1em;
    border-radius: 999px;
    background: var(--_on-background);
    color: var(--_background);
    font-weight: 800;
    font-style: italic;
    letter-spacing: -0.02em;
    line-height: 1.2;
  }

  .spinner {
    flex: none;
    width: 1em;
    height: 1em;
    box-sizing: border-box;
    border: 0.15em solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: izly-spin 0.8s linear infinite;
  }

  @keyframes izly-spin {
    to {
      transform: rotate(1turn);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 2.4s;
    }
  }
`;
