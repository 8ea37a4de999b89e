import { LitElement, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { resolveLang, type WidgetLang } from './strings.js';

export type ButtonMode = 'redirect' | 'popup';
export type ButtonSize = 'small' | 'medium' | 'large';

/** What an element shows for its current state: the base draws it the same way for every element. */
export interface ButtonView {
  /** Working: spinner, `aria-busy`, clicks ignored. */
  busy: boolean;
  /** Done for good (paid, logged in): a tick, `aria-disabled`, clicks ignored. */
  done: boolean;
  label: TemplateResult | string;
  /** The button's accessible name when the label alone does not say enough; empty: the label is the name. */
  name?: string;
  /** The live region's text (a link may follow it); empty or none says nothing. */
  status: TemplateResult | string | undefined;
}

/**
 * Opened inside the click, or the popup blocker would stop it; a size makes it a popup window, not a tab.
 * The global `open` (the window's): with no property read, the minifier inlines it into the pay button (bytes).
 */
export const openPopup = (url: string, name: string): Window | null => open(url, name, 'width=480,height=720');

/** How often to look whether the student closed a popup (browsers fire no event for it). */
export const POPUP_CHECK_MS = 400;

/** "Payer avec Izly": the words, then Izly's wordmark, the label's one `span` (the space keeps them two words for screen readers). */
export const withWordmark = (words: string): TemplateResult => html`${words} <span>Izly</span>`;

/**
 * What every Izly button shares: the attributes a partner sets on any of them, delegated focus, and the
 * drawing: a native `<button>` part (its spinner and tick are drawn by the theme's CSS from `aria-busy` and
 * `aria-disabled`) and a polite live region as the `status` part.
 * Each element says what to show (`view`) and what a click does (`activate`).
 */
export abstract class IzlyButtonBase<State extends string> extends LitElement {
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override properties: PropertyDeclarations = {
    endpoint: {},
    mode: { reflect: true },
    lang: { reflect: true },
    label: {},
    disabled: { type: Boolean, reflect: true },
    size: { reflect: true },
    fullWidth: { type: Boolean, reflect: true, attribute: 'full-width' },
    state: { reflect: true },
  };

  /** Where the partner mounted the adapter. */
  declare endpoint: string;
  /** `redirect` sends the whole page to Izly; `popup` opens Izly in a small window (redirect when blocked). */
  declare mode: ButtonMode;
  /** `fr` (default) or `en`; without it, the nearest `lang` of the page. */
  declare lang: string;
  /** Replaces the idle text ("… avec Izly"). */
  declare label: string;
  declare disabled: boolean;
  declare size: ButtonSize;
  /** Stretches the button to its container's width. */
  declare fullWidth: boolean;
  /** Where the element stands; set by the element (reflected for styling and tests). */
  declare state: State;

  constructor() {
    super();
    this.endpoint = '/izly';
    this.mode = 'redirect';
    this.label = '';
    this.disabled = false;
    this.size = 'medium';
    this.fullWidth = false;
  }

  /** @internal What to show in the current state, in the element's language. */
  protected abstract view(lang: WidgetLang): ButtonView;

  /** @internal What a click does; ignores it when busy or done (the state read now, not at the last render). */
  protected abstract activate(): void;

  protected override render() {
    const { busy, done, label, name, status } = this.view(resolveLang(this));
    // Written tight on purpose: Lit ships template text as written, whitespace included.
    // `role="status"` is a polite live region already; the status is the shadow root's one `div` (styled so).
    return html`<button part="button" type="button" ?disabled=${this.disabled} aria-disabled=${busy || done || nothing} aria-label=${name || nothing} aria-busy=${busy} @click=${this.activate}>${label}</button><div part="status" role="status">${status || nothing}</div>`;
  }
}
