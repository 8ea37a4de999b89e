import { CONNECT_POPUP_MESSAGE_TYPE, CONNECT_RETURN_PARAM, type ConnectButtonErrorCode, type ConnectOutcome } from '../../contract/browser-contract.js';
import { IzlyConnectErrorEvent, IzlyConnectStartEvent, IzlyConnectSuccessEvent } from '../events.js';
import { IzlyButtonBase, POPUP_CHECK_MS, openPopup, withWordmark, type ButtonMode, type ButtonSize, type ButtonView } from '../izly-button-base.js';
import { connectStrings, resolveLang, type ConnectStatusStrings, type WidgetLang } from '../strings.js';
import { IzlyConnectCancelEvent } from './connect-cancel-event.js';
import styles from './connect-button.styles.js';

/** Where the login stands; reflected on the `state` attribute. */
export type ConnectButtonState = 'idle' | 'redirecting' | 'awaiting' | 'success' | 'error';

export type ConnectButtonMode = ButtonMode;
export type ConnectButtonSize = ButtonSize;

/**
 * Set in this tab's session storage before a redirect: only a page that sent the student to Izly believes
 * the `izly_connect` parameter it comes back with (a link carrying `izly_connect=success` proves nothing).
 */
const LEFT_FOR_IZLY = 'izly-connect:redirected';

/** The contract's `ConnectPopupMessage` as it arrives: any page may post anything, so each field is checked. */
interface DoneMessage {
  type?: unknown;
  ok?: unknown;
  error?: { code?: unknown; message?: unknown };
}

/** Remembers, for this tab, that the student left for Izly. */
function markRedirect(): void {
  try {
    sessionStorage.setItem(LEFT_FOR_IZLY, '1');
  } catch {
    // Storage can be disabled (private modes, sandboxed frames): the login still works, the page just says less on return.
  }
}

/** Whether this tab left for Izly (the mark is removed: one return, one outcome). */
function takeRedirectMark(): boolean {
  try {
    const marked = sessionStorage.getItem(LEFT_FOR_IZLY) !== null;
    sessionStorage.removeItem(LEFT_FOR_IZLY);
    return marked;
  } catch {
    return false;
  }
}

/** This page's URL without the adapter's return parameter. */
function currentPage(): URL {
  const url = new URL(location.href);
  url.searchParams.delete(CONNECT_RETURN_PARAM);
  return url;
}

/**
 * @summary "Se connecter avec Izly": starts the IzlyConnect login of the partner's server (the adapter's
 * `/connect/*` routes), in a popup or through a redirect, and says how it ended. The server exchanges the
 * code and opens the partner's own session (its `onLogin` hook); no token ever reaches the page.
 *
 * @event {IzlyConnectStartEvent} izly-connect-start - On click, before leaving for Izly. Cancelable: `preventDefault()` stops the login. `detail` is `{ mode, returnUrl }`.
 * @event {IzlyConnectSuccessEvent} izly-connect-success - The server logged the student in (popup done, or back from a redirect). `detail` is `{ mode }`.
 * @event {IzlyConnectCancelEvent} izly-connect-cancel - The student pressed Annuler on Izly's login page: the button is idle again and says "Connexion annulée." (no error). `detail` is `{ mode }`.
 * @event {IzlyConnectErrorEvent} izly-connect-error - The login did not happen (refused, expired, popup closed...). `detail` is `{ code, message }`.
 *
 * @csspart button - The native `<button>`.
 * @csspart status - The polite live region under the button that says what is happening.
 *
 * @cssproperty --izly-pay-background - The button's background (Izly red by default).
 * @cssproperty --izly-pay-background-hover - The background under the pointer.
 * @cssproperty --izly-pay-color - The button's text, and the wordmark's background.
 * @cssproperty --izly-pay-radius - The button's corner radius.
 * @cssproperty --izly-pay-font-family - The font of the button and status.
 * @cssproperty --izly-pay-focus-ring-color - The keyboard focus ring's outer band (near-black `#111`; the inner band is the button's text colour).
 * @cssproperty --izly-pay-status-color - The status line's text (the page's text colour by default).
 * @cssproperty --izly-pay-success-color - The button's background once logged in.
 * @cssproperty --izly-pay-error-color - The status line after an error.
 */
export class IzlyConnectButton extends IzlyButtonBase<ConnectButtonState> {
  static override styles = styles;
  static override properties = {
    returnUrl: { attribute: 'return-url' },
  };

  /** Where the adapter sends the student back after a redirect login (with `izly_connect=<outcome>`); default: this page. */
  declare returnUrl: string;

  /** More precise words than the state's own for the status line (`cancelled` rather than `error`...), picked with it. */
  #message?: keyof ConnectStatusStrings;
  /** The popup being followed: a click while it is open brings it to the front. */
  #popup?: Window;

  constructor() {
    super();
    this.returnUrl = '';
    this.state = 'idle';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pageshow', this.#onPageShow);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this.#onPageShow);
  }

  protected override firstUpdated(): void {
    // After this first update, not inside it: the outcome changes `state` at once.
    void this.updateComplete.then(() => this.#resume());
  }

  /** Back from a redirect login: the adapter put the outcome in the URL. Shown once, then removed. */
  #resume(): void {
    // The adapter wrote it, as `success` or one of its codes; a hand-made link only misleads its own page.
    const outcome = new URL(location.href).searchParams.get(CONNECT_RETURN_PARAM) as ConnectOutcome | null;
    if (outcome === null) return;
    history.replaceState(history.state, '', currentPage().href);
    if (!takeRedirectMark()) return;
    if (outcome === 'success') this.#succeed('redirect');
    else if (outcome === 'login_cancelled') this.#cancelled('redirect');
    else this.#fail(outcome, `Izly login failed: ${outcome}`);
  }

  /** Restored from the back/forward cache after leaving for Izly (the back button): ready again. */
  #onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted && this.state === 'redirecting') {
      takeRedirectMark();
      this.#set('idle');
    }
  };

  /** @internal */
  protected override activate(): void {
    if (this.state === 'awaiting') this.#popup?.focus();
    if (this.state === 'redirecting' || this.state === 'awaiting' || this.state === 'success') return;
    const returnUrl = this.returnUrl ? new URL(this.returnUrl, location.href).href : currentPage().href;
    if (!this.dispatchEvent(new IzlyConnectStartEvent({ mode: this.mode, returnUrl }))) return;
    // The adapter's pages (a failure) speak the button's language.
    const login = `${this.endpoint.replace(/\/+$/, '')}/connect/login?returnUrl=${encodeURIComponent(returnUrl)}&lang=${resolveLang(this)}`;
    // Opened now, inside the click, or the popup blocker would stop it.
    const popup = this.mode === 'popup' ? openPopup(`${login}&mode=popup`, 'izly-connect') : null;
    if (popup) {
      this.#follow(popup);
    } else {
      markRedirect();
      this.#set('redirecting');
      location.assign(login);
    }
  }

  /**
   * Waits for the adapter's last page in the popup to post the outcome, from the adapter's origin and from
   * this popup only. A popup that closes without it means the student gave up; one more check period
   * first, since that page posts and then closes itself. The follow ends with the popup, whatever happens
   * to the element meanwhile.
   */
  #follow(popup: Window): void {
    this.#popup = popup;
    const adapterOrigin = new URL(this.endpoint, location.href).origin;
    const onMessage = (event: MessageEvent): void => {
      const data = event.data as DoneMessage | null;
      if (event.origin !== adapterOrigin || event.source !== popup || data?.type !== CONNECT_POPUP_MESSAGE_TYPE) return;
      stop();
      if (data.ok === true) {
        this.#succeed('popup');
      } else {
        // From the adapter's origin and this popup: its code is taken as sent.
        const code = typeof data.error?.code === 'string' ? (data.error.code as ConnectButtonErrorCode) : 'login_failed';
        if (code === 'login_cancelled') this.#cancelled('popup');
        else this.#fail(code, typeof data.error?.message === 'string' ? data.error.message : 'Izly login failed');
      }
    };
    let closedOnce = false;
    const watch = setInterval(() => {
      if (!popup.closed) return;
      if (closedOnce) {
        stop();
        this.#fail('popup_closed', 'The Izly window was closed before the login ended');
      }
      closedOnce = true;
    }, POPUP_CHECK_MS);
    const stop = (): void => {
      clearInterval(watch);
      window.removeEventListener('message', onMessage);
      this.#popup = undefined;
    };
    window.addEventListener('message', onMessage);
    this.#set('awaiting');
  }

  #set(state: ConnectButtonState, message?: keyof ConnectStatusStrings): void {
    this.state = state;
    this.#message = message;
    this.requestUpdate();
  }

  #succeed(mode: ButtonMode): void {
    this.#set('success');
    this.dispatchEvent(new IzlyConnectSuccessEvent({ mode }));
  }

  /** Annuler on Izly's page: ready again, with a polite word, as if the student had never left. */
  #cancelled(mode: ButtonMode): void {
    this.#set('idle', 'cancelled');
    this.dispatchEvent(new IzlyConnectCancelEvent({ mode }));
  }

  #fail(code: ConnectButtonErrorCode, message: string): void {
    this.#set('error', code === 'popup_closed' ? 'unfinished' : undefined);
    this.dispatchEvent(new IzlyConnectErrorEvent({ code, message }));
  }

  /** @internal */
  protected override view(lang: WidgetLang): ButtonView {
    const t = connectStrings[lang];
    const busy = this.state === 'redirecting' || this.state === 'awaiting';
    return {
      busy,
      done: this.state === 'success',
      label: this.state === 'success' ? t.loggedIn : this.state === 'error' ? t.retry : this.label || withWordmark(t.logInWith),
      // `idle` has no words of its own (the status line stays empty), but after a cancel.
      status: t.status[this.#message ?? (this.state as keyof ConnectStatusStrings)] ?? '',
    };
  }
}
