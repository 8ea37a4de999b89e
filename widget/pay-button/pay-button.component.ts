import { LitElement, html, nothing, type PropertyValues } from 'lit';
import {
  AdapterClient,
  AdapterError,
  isFinal,
  isTransient,
  type CreatedPayment,
  type PublicPayment,
} from '../adapter-client.js';
import {
  IzlyPayCancelEvent,
  IzlyPayErrorEvent,
  IzlyPayFailureEvent,
  IzlyPayPendingEvent,
  IzlyPayStartEvent,
  IzlyPaySuccessEvent,
} from '../events.js';
import { formatEuros, resolveLang, strings, type PayButtonStrings } from '../strings.js';
import styles from './pay-button.styles.js';

/** Where the button is in a payment's life; reflected on the `state` attribute. */
export type PayButtonState =
  | 'idle'
  | 'creating'
  | 'redirecting'
  | 'awaiting'
  | 'verifying'
  | 'paid'
  | 'failed'
  | 'cancelled'
  | 'error';

export type PayButtonMode = 'redirect' | 'popup';
export type PayButtonSize = 'small' | 'medium' | 'large';

/** The query parameter the adapter adds to `returnUrl` when Izly sends the student back. */
export const RETURN_PARAM = 'izly_payment';
/** The message a return page inside the popup posts to its opener. */
export const RETURN_MESSAGE = 'izly-pay:return';
/** The session storage key under which a redirected payment waits for the student's return. */
export const storageKey = (orderId: string): string => `izly-pay:${orderId}`;

const WORKING: ReadonlySet<PayButtonState> = new Set(['creating', 'redirecting', 'awaiting', 'verifying']);
const POPUP_NAME = 'izly-pay';
const POPUP_FEATURES = 'popup=yes,width=480,height=720';
/** How often to look whether the student closed the popup (browsers fire no event for it). */
const POPUP_CHECK_MS = 400;
const LONG_POLL_SECONDS = 25;
/**
 * A single check (back without an id, popup closed) still waits a little: the decision may be seconds old,
 * and the adapter only asks Izly again at its own pace.
 */
const SINGLE_CHECK_MS = 3000;
const BACKOFF_MAX_MS = 10_000;

/** Storage can be disabled (private modes, sandboxed frames): the button then works without resuming. */
function readStored(orderId: string): string | null {
  try {
    return sessionStorage.getItem(storageKey(orderId));
  } catch {
    return null;
  }
}

function writeStored(orderId: string, paymentId: string | null): void {
  try {
    if (paymentId) sessionStorage.setItem(storageKey(orderId), paymentId);
    else sessionStorage.removeItem(storageKey(orderId));
  } catch {
    // Without storage a cancelled redirect cannot be recognised on return; nothing else depends on it.
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

/** This page's URL without our return parameter: where Izly sends the student back. */
function currentReturnUrl(): string {
  const url = new URL(location.href);
  url.searchParams.delete(RETURN_PARAM);
  return url.href;
}

/**
 * @summary A button that takes an Izly payment: it asks the partner's server (the adapter) to create the
 * payment for an order, sends the student to Izly to approve it, and shows the outcome once the server
 * has confirmed it.
 *
 * @event {IzlyPayStartEvent} izly-pay-start - On click, before anything is sent. Cancelable: `preventDefault()` stops the payment.
 * @event {IzlyPayPendingEvent} izly-pay-pending - The payment exists; the student is on their way to Izly. `detail` is the payment.
 * @event {IzlyPaySuccessEvent} izly-pay-success - The server confirmed the payment is paid. `detail` is the payment.
 * @event {IzlyPayFailureEvent} izly-pay-failure - Izly refused the payment, or it expired. `detail` is the payment.
 * @event {IzlyPayCancelEvent} izly-pay-cancel - The student cancelled or left without completing. `detail` is the payment.
 * @event {IzlyPayErrorEvent} izly-pay-error - The server refused the order or could not be reached. `detail` is `{ code, message, payment }`.
 *
 * @csspart button - The native `<button>`.
 * @csspart status - The polite live region under the button that says what is happening.
 *
 * @cssproperty --izly-pay-background - The button's background (Izly red by default).
 * @cssproperty --izly-pay-background-hover - The background under the pointer.
 * @cssproperty --izly-pay-color - The button's text, and the wordmark's background.
 * @cssproperty --izly-pay-radius - The button's corner radius.
 * @cssproperty --izly-pay-font-family - The font of the button and status.
 * @cssproperty --izly-pay-focus-ring-color - The keyboard focus ring.
 * @cssproperty --izly-pay-status-color - The status line's text.
 * @cssproperty --izly-pay-success-color - The button's background once paid.
 * @cssproperty --izly-pay-error-color - The status line after a refusal or an error.
 */
export class IzlyPayButton extends LitElement {
  static override styles = styles;
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override properties = {
    order: { reflect: true },
    amount: { type: Number },
    endpoint: {},
    mode: { reflect: true },
    lang: { reflect: true },
    label: {},
    disabled: { type: Boolean, reflect: true },
    size: { reflect: true },
    fullWidth: { type: Boolean, reflect: true, attribute: 'full-width' },
    state: { reflect: true },
    verifyTimeout: { type: Number, attribute: 'verify-timeout' },
  };

  /** The partner's order reference, sent to the server, which looks up the amount. */
  declare order: string;
  /** The price in cents, for display only; once the payment exists, the server's amount is shown. */
  declare amount: number | undefined;
  /** Where the partner mounted the adapter. */
  declare endpoint: string;
  /** `redirect` sends the whole page to Izly; `popup` opens Izly in a small window (redirect when blocked). */
  declare mode: PayButtonMode;
  /** `fr` (default) or `en`; without it, the nearest `lang` of the page. */
  declare lang: string;
  /** Replaces "Payer 3,50 € avec Izly" on the idle button. */
  declare label: string;
  declare disabled: boolean;
  declare size: PayButtonSize;
  /** Stretches the button to its container's width. */
  declare fullWidth: boolean;
  /** Where the payment stands; set by the element (reflected for styling and tests). */
  declare state: PayButtonState;
  /** How long, in milliseconds, to wait for the server to confirm a returning payment before offering "Check again". */
  declare verifyTimeout: number;

  /** One controller per run (create, follow, check); starting a run aborts the previous one. */
  #run: AbortController | null = null;
  #payment: PublicPayment | null = null;
  #error: { code: string; message: string } | null = null;
  /** Kept until the server answers with a payment, so that trying again repeats the same attempt. */
  #attemptKey: string | null = null;
  /** A payment whose outcome is still unknown after an error: "Check again" reads it instead of paying again. */
  #unsettledId: string | null = null;
  /** While following a popup: when to stop waiting once the student has come back (infinite until then). */
  #deadline = Number.POSITIVE_INFINITY;

  constructor() {
    super();
    this.order = '';
    this.endpoint = '/izly';
    this.mode = 'redirect';
    this.label = '';
    this.disabled = false;
    this.size = 'medium';
    this.fullWidth = false;
    this.state = 'idle';
    this.verifyTimeout = 120_000;
  }

  /** The payment this button last created or resumed (public view), or `null`. */
  get payment(): PublicPayment | null {
    return this.#payment;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pageshow', this.#onPageShow);
    // Moved in the DOM while following a payment: pick it up again rather than leave the student waiting.
    if (this.hasUpdated && this.#payment && (this.state === 'awaiting' || this.state === 'verifying')) {
      void this.#check(this.#payment.paymentId, { follow: true, ours: true });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this.#onPageShow);
    this.#run?.abort();
    this.#run = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A different order is a different payment: forget the previous attempt and outcome.
    if (changed.has('order') && changed.get('order') !== undefined && !WORKING.has(this.state)) {
      this.#attemptKey = null;
      this.#unsettledId = null;
      this.#payment = null;
      this.#error = null;
      this.state = 'idle';
    }
  }

  protected override firstUpdated(): void {
    // After this first update, not inside it: resuming changes `state` at once.
    void this.updateComplete.then(() => this.#resume());
  }

  /** On load: hand a popup's result to its opener, or resume a payment the student is coming back from. */
  #resume(): void {
    const returned = new URL(location.href).searchParams.get(RETURN_PARAM);
    if (returned && this.#handBackToOpener(returned)) return;
    const stored = this.order ? readStored(this.order) : null;
    if (returned) {
      void this.#check(returned, { follow: true, ours: returned === stored });
    } else if (stored) {
      // Back without an id: Izly's cancel page, or the back button. One read says what happened.
      void this.#check(stored, { follow: false, ours: true });
    }
  }

  /** Inside the popup, on the partner's page Izly came back to: tell the opener, then close. */
  #handBackToOpener(paymentId: string): boolean {
    const opener = window.opener as Window | null;
    if (!opener || opener === window) return false;
    try {
      // Throws for a cross-origin opener, which must not learn anything.
      if (opener.location.origin !== location.origin) return false;
    } catch {
      return false;
    }
    opener.postMessage({ type: RETURN_MESSAGE, paymentId }, location.origin);
    window.close();
    return true;
  }

  /** Restored from the back/forward cache after leaving for Izly: the page did not reload, so look again. */
  #onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted && this.state === 'redirecting' && this.#payment) {
      void this.#check(this.#payment.paymentId, { follow: false, ours: true });
    }
  };

  #onClick(): void {
    if (this.disabled || WORKING.has(this.state) || this.state === 'paid') return;
    if (this.state === 'error' && this.#unsettledId) {
      void this.#check(this.#unsettledId, { follow: true, ours: true });
      return;
    }
    void this.#pay();
  }

  #startRun(): AbortSignal {
    this.#run?.abort();
    this.#run = new AbortController();
    return this.#run.signal;
  }

  #set(state: PayButtonState): void {
    this.state = state;
    // The payment or error may have changed without the state doing so.
    this.requestUpdate();
  }

  #client(): AdapterClient {
    return new AdapterClient(this.endpoint);
  }

  async #pay(): Promise<void> {
    const orderId = this.order;
    if (!this.dispatchEvent(new IzlyPayStartEvent({ orderId }))) return;
    // Opened now, inside the click, or the popup blocker would stop it; navigated once the server answers.
    const popup = this.mode === 'popup' ? window.open('', POPUP_NAME, POPUP_FEATURES) : null;
    const signal = this.#startRun();
    this.#attemptKey ??= crypto.randomUUID();
    this.#payment = null;
    this.#error = null;
    this.#set('creating');

    let created: CreatedPayment;
    try {
      created = await this.#client().createPayment(
        { orderId, returnUrl: currentReturnUrl() },
        { idempotencyKey: this.#attemptKey, signal },
      );
    } catch (error) {
      popup?.close();
      this.#fail(error, signal);
      return;
    }
    if (signal.aborted) {
      popup?.close();
      return;
    }
    this.#attemptKey = null;
    this.#payment = created;
    this.dispatchEvent(new IzlyPayPendingEvent(created));

    if (popup && !popup.closed) {
      await this.#followPopup(created, popup, signal);
    } else {
      // Izly's cancel page comes back without the id: keep it to recognise the student's return.
      writeStored(orderId, created.paymentId);
      this.#set('redirecting');
      location.assign(created.authorizationUrl);
    }
  }

  /**
   * Long-polls while the student is in the popup. The popup's return page posts the id back (the student
   * is back: start the verification clock); a popup closed without that asks the server once before
   * saying "not completed", since the payment may have gone through.
   */
  async #followPopup(payment: CreatedPayment, popup: Window, signal: AbortSignal): Promise<void> {
    const onMessage = (event: MessageEvent): void => {
      const data = event.data as { type?: unknown; paymentId?: unknown } | null;
      if (event.origin !== location.origin || event.source !== popup) return;
      if (data?.type !== RETURN_MESSAGE || data.paymentId !== payment.paymentId) return;
      this.#deadline = Date.now() + this.verifyTimeout;
      if (this.state === 'awaiting') this.#set('verifying');
    };
    const watch = setInterval(() => {
      if (popup.closed && this.state === 'awaiting') {
        void this.#check(payment.paymentId, { follow: false, ours: true });
      }
    }, POPUP_CHECK_MS);
    window.addEventListener('message', onMessage);

    this.#deadline = Number.POSITIVE_INFINITY;
    popup.location.href = payment.authorizationUrl;
    this.#set('awaiting');
    try {
      const latest = await this.#poll(payment.paymentId, signal, () => this.#deadline);
      if (!popup.closed) popup.close();
      this.#settle(latest, 'timeout');
    } catch (error) {
      this.#fail(error, signal, payment.paymentId);
    } finally {
      clearInterval(watch);
      window.removeEventListener('message', onMessage);
    }
  }

  /**
   * Reads a payment the student is coming back from. `follow` long-polls until it is final (the student
   * came back from Izly with the id); otherwise one read decides. `ours` says the id is known to belong to
   * this button's order; if not, the first read checks it, and a payment for another order is left alone.
   */
  async #check(paymentId: string, { follow, ours }: { follow: boolean; ours: boolean }): Promise<void> {
    const signal = this.#startRun();
    const deadline = Date.now() + (follow ? this.verifyTimeout : SINGLE_CHECK_MS);
    if (ours) {
      this.#set('verifying');
    } else {
      try {
        const first = await this.#client().getPayment(paymentId, { signal });
        if (first.orderId !== this.order) return;
        this.#payment = first;
        this.#set('verifying');
      } catch {
        // Not known to be ours and unreadable: another button's, or a stale link. Stay idle.
        return;
      }
    }
    try {
      const latest = await this.#poll(paymentId, signal, () => deadline);
      this.#settle(latest, follow ? 'timeout' : 'not-completed');
    } catch (error) {
      this.#fail(error, signal, paymentId);
    }
  }

  /**
   * Reads the payment until it is final or the deadline has passed (always at least once). Network
   * failures and gateway errors are retried with backoff: losing the connection must not lose the payment.
   */
  async #poll(paymentId: string, signal: AbortSignal, deadline: () => number): Promise<PublicPayment> {
    const client = this.#client();
    for (let failures = 0; ; ) {
      const remaining = deadline() - Date.now();
      const wait = remaining > 0 ? Math.min(LONG_POLL_SECONDS, Math.ceil(remaining / 1000)) : 0;
      try {
        const payment = await client.getPayment(paymentId, { wait, signal });
        this.#payment = payment;
        this.requestUpdate();
        if (isFinal(payment.status) || Date.now() >= deadline()) return payment;
        failures = 0;
      } catch (error) {
        if (signal.aborted || !isTransient(error) || Date.now() >= deadline()) throw error;
        failures += 1;
        await sleep(Math.min(500 * 2 ** failures, BACKOFF_MAX_MS), signal);
      }
    }
  }

  /**
   * Shows a payment's outcome and fires its event. A payment that is still open means, after a single
   * read, that the student left without completing; after following it, that the server has not confirmed
   * it in time (offered as "Check again", never as a failure).
   */
  #settle(payment: PublicPayment, whenOpen: 'not-completed' | 'timeout'): void {
    this.#payment = payment;
    if (!isFinal(payment.status) && whenOpen === 'timeout') {
      this.#unsettledId = payment.paymentId;
      this.#showError({ code: 'verification_timeout', message: 'Not confirmed in time' });
      return;
    }
    this.#unsettledId = null;
    this.#error = null;
    this.#forget(payment);
    if (payment.status === 'paid' || payment.status === 'refunded') {
      this.#set('paid');
      this.dispatchEvent(new IzlyPaySuccessEvent(payment));
    } else if (payment.status === 'failed' || payment.status === 'expired') {
      this.#set('failed');
      this.dispatchEvent(new IzlyPayFailureEvent(payment));
    } else {
      this.#set('cancelled');
      this.dispatchEvent(new IzlyPayCancelEvent(payment));
    }
  }

  /** The payment's story is over: remove its traces from the address bar and the session. */
  #forget(payment: PublicPayment): void {
    if (readStored(payment.orderId) === payment.paymentId) writeStored(payment.orderId, null);
    const url = new URL(location.href);
    if (url.searchParams.get(RETURN_PARAM) === payment.paymentId) {
      url.searchParams.delete(RETURN_PARAM);
      history.replaceState(history.state, '', url.href);
    }
  }

  /** Shows an error, unless the run was replaced; `unsettledId` is a payment whose outcome is still unknown. */
  #fail(error: unknown, signal: AbortSignal, unsettledId: string | null = null): void {
    if (signal.aborted) return;
    this.#unsettledId = unsettledId;
    this.#showError(
      error instanceof AdapterError
        ? { code: error.code, message: error.message }
        : { code: 'unexpected', message: error instanceof Error ? error.message : String(error) },
    );
  }

  #showError(error: { code: string; message: string }): void {
    this.#error = error;
    this.#set('error');
    this.dispatchEvent(new IzlyPayErrorEvent({ ...error, payment: this.#payment }));
  }

  #statusText(t: PayButtonStrings, price: string | null): string {
    switch (this.state) {
      case 'idle':
        return '';
      case 'creating':
      case 'redirecting':
      case 'awaiting':
      case 'verifying':
        return t[this.state];
      case 'paid':
        return t.paid(price);
      case 'failed':
        return this.#payment?.status === 'expired' ? t.expired : t.failed;
      case 'cancelled':
        return this.#payment?.status === 'cancelled' ? t.cancelled : t.notCompleted;
      case 'error':
        if (this.#error?.code === 'network_error') return t.networkError;
        if (this.#error?.code === 'verification_timeout') return t.verificationTimeout;
        return t.startFailed;
    }
  }

  #label(t: PayButtonStrings, price: string | null) {
    switch (this.state) {
      case 'paid':
        return html`<span class="check" aria-hidden="true"></span><span>${t.paidLabel}</span>`;
      case 'failed':
      case 'cancelled':
        return t.retry;
      case 'error':
        return this.#unsettledId ? t.checkAgain : t.retry;
      default:
        return this.label || html`<span>${t.payWith(price)}</span> <span class="wordmark">Izly</span>`;
    }
  }

  protected override render() {
    const lang = resolveLang(this);
    const t = strings[lang].pay;
    const cents = this.#payment?.amount ?? this.amount;
    const price = typeof cents === 'number' && Number.isFinite(cents) ? formatEuros(cents, lang) : null;
    const working = WORKING.has(this.state);
    const status = this.#statusText(t, price);
    // Written tight on purpose: Lit ships template text as written, whitespace included.
    return html`<button
        part="button"
        type="button"
        ?disabled=${this.disabled}
        aria-disabled=${working || this.state === 'paid' ? 'true' : nothing}
        aria-busy=${working ? 'true' : 'false'}
        @click=${this.#onClick}
      >${working ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}${this.#label(t, price)}</button
      ><div part="status" class="status" role="status" aria-live="polite">${status || nothing}</div>`;
  }
}

