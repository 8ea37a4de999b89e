import { html, type PropertyValues } from 'lit';
import { PAYMENT_RETURN_PARAM, PAY_POPUP_NAME, PAY_RETURN_MESSAGE_TYPE, type PayButtonErrorCode } from '../../contract/browser-contract.js';
import { AdapterClient, AdapterError, isFinal, isTransient, type CreatedPayment, type PublicPayment } from '../adapter-client.js';
import {
  IzlyPayCancelEvent,
  IzlyPayErrorEvent,
  IzlyPayFailureEvent,
  IzlyPayPendingEvent,
  type IzlyPayPendingDetail,
  IzlyPayStartEvent,
  IzlyPaySuccessEvent,
} from '../events.js';
import { IzlyButtonBase, POPUP_CHECK_MS, openPopup, withWordmark, type ButtonMode, type ButtonSize, type ButtonView } from '../izly-button-base.js';
import { formatEuros, payStrings, type PayStatusStrings, type WidgetLang } from '../strings.js';
import styles from './pay-button.styles.js';

/** Where the button is in a payment's life; reflected on the `state` attribute. */
export type PayButtonState = 'idle' | 'creating' | 'redirecting' | 'awaiting' | 'verifying' | 'paid' | 'failed' | 'cancelled' | 'error';

export type PayButtonMode = ButtonMode;
export type PayButtonSize = ButtonSize;

/** The session storage key under which a redirected payment waits for the student's return. */
const storageKey = (orderId: string): string => `izly-pay:${orderId}`;

/** The working states (`creating`, `redirecting`, `awaiting`, `verifying`): the only ones whose name ends in -ing. */
const working = (state: PayButtonState): boolean => state.endsWith('ing');
const LONG_POLL_SECONDS = 25;
/**
 * A single check (back without an id, popup closed) still waits a little: the decision may be seconds old,
 * and the adapter only asks Izly again at its own pace.
 */
const SINGLE_CHECK_MS = 3000;
/**
 * After a popup that looked closed without an answer, how long to keep listening for the payment: a
 * `Cross-Origin-Opener-Policy` on Izly's pages makes a popup look closed while the student is still paying.
 */
const POPUP_GRACE_MS = 10 * 60_000;
/** How long the popup stays open on Izly's outcome page once the outcome is known (its own redirect takes 3 s). */
const POPUP_LINGER_MS = 5_000;
/**
 * Between two reads: a second after an answer (a long poll answered at once must not become a loop), then
 * twice as long after each failure in a row, up to this.
 */
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

/** This page's URL without our return parameter: where Izly sends the student back. */
function currentReturnUrl(): string {
  const url = new URL(location.href);
  url.searchParams.delete(PAYMENT_RETURN_PARAM);
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
 * @cssproperty --izly-pay-background - The button's background (Izly red by default). Shared by every Izly button.
 * @cssproperty --izly-pay-background-hover - The background under the pointer.
 * @cssproperty --izly-pay-color - The button's text, and the wordmark's background.
 * @cssproperty --izly-pay-radius - The button's corner radius.
 * @cssproperty --izly-pay-font-family - The font of the button and status.
 * @cssproperty --izly-pay-focus-ring-color - The keyboard focus ring's outer band (near-black `#111`; the inner band is the button's text colour).
 * @cssproperty --izly-pay-status-color - The status line's text (the page's text colour by default).
 * @cssproperty --izly-pay-success-color - The button's background once paid.
 * @cssproperty --izly-pay-error-color - The status line after a refusal or an error.
 */
export class IzlyPayButton extends IzlyButtonBase<PayButtonState> {
  static override styles = styles;
  static override properties = {
    order: { reflect: true },
    amount: { type: Number },
    product: {},
    verifyTimeout: { type: Number, attribute: 'verify-timeout' },
    topUpUrl: { attribute: 'top-up-url' },
  };

  /** The partner's order reference, sent to the server, which looks up the amount. */
  declare order: string;
  /** The price in cents, for display only; once the payment exists, the server's amount is shown. */
  declare amount: number | undefined;
  /**
   * What is paid for, in words ("Ticket de restaurant"): with the price, it ends the button's accessible name
   * in every state ("Payé — Ticket de restaurant, 3,30 €"), so that buttons side by side can be told apart.
   */
  declare product: string | undefined;
  /** How long, in milliseconds, to wait for the server to confirm a returning payment before offering "Check again". */
  declare verifyTimeout: number;
  /** Where the student tops up their Izly account, linked after a refusal for too little balance (default `https://mon-espace.izly.fr`). */
  declare topUpUrl: string | undefined;

  /** One controller per run (create, follow, check); starting a run aborts the previous one. */
  #run?: AbortController;
  #payment: PublicPayment | null = null;
  /**
   * More precise words than the state's own for the status line, picked with it: the payment's status
   * (`expired` rather than `failed`), the error's code (`network_error`), or `slow`. Any other: the state's.
   */
  #message?: string;
  /** Kept until the server answers with a payment, so that trying again repeats the same attempt. */
  #attemptKey?: string;
  /** A payment whose outcome is still unknown after an error: "Check again" reads it instead of paying again. */
  #unsettledId?: string;

  constructor() {
    super();
    this.order = '';
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
    if (this.#payment && working(this.state)) {
      void this.#check(this.#payment.paymentId, true, true);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this.#onPageShow);
    this.#run?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A different order is a different payment: forget the previous attempt and outcome (and stop listening).
    if (changed.has('order') && changed.get('order') !== undefined && !working(this.state)) {
      this.#run?.abort();
      this.#attemptKey = this.#unsettledId = this.#message = undefined;
      this.#payment = null;
      this.state = 'idle';
    }
  }

  protected override firstUpdated(): void {
    // After this first update, not inside it: resuming changes `state` at once.
    void this.updateComplete.then(() => this.#resume());
  }

  /** On load: hand a popup's result to its opener, or resume a payment the student is coming back from. */
  #resume(): void {
    const returned = new URL(location.href).searchParams.get(PAYMENT_RETURN_PARAM);
    if (returned && this.#handBackToOpener(returned)) return;
    const stored = this.order ? readStored(this.order) : null;
    if (returned) {
      void this.#check(returned, true, returned === stored);
    } else if (stored) {
      // Back without an id: Izly's cancel page, or the back button. One read says what happened.
      void this.#check(stored, false, true);
    }
  }

  /**
   * Inside the popup (its name and an opener say so: a shop's tab that some page opened is left alone), on the
   * partner's page Izly came back to: tell the opener, then close. Posted to this origin only: an opener of
   * another origin never receives it.
   */
  #handBackToOpener(paymentId: string): boolean {
    const opener = window.opener as Window | null;
    // `name`: the window's (TypeScript types the deprecated global as void).
    if (!opener || (name as unknown) !== PAY_POPUP_NAME) return false;
    opener.postMessage({ type: PAY_RETURN_MESSAGE_TYPE, paymentId }, location.origin);
    close();
    return true;
  }

  /** Restored from the back/forward cache after leaving for Izly: the page did not reload, so look again. */
  #onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted && this.state === 'redirecting' && this.#payment) {
      void this.#check(this.#payment.paymentId, false, true);
    }
  };

  /** @internal */
  protected override activate(): void {
    if (working(this.state) || this.state === 'paid') return;
    if (this.state === 'error' && this.#unsettledId) {
      void this.#check(this.#unsettledId, true, true);
    } else {
      void this.#pay();
    }
  }

  #startRun(): AbortSignal {
    this.#run?.abort();
    this.#run = new AbortController();
    return this.#run.signal;
  }

  #set(state: PayButtonState, message?: string): void {
    this.state = state;
    this.#message = message;
    // An outcome, most often on the page Izly sent the student back to, where focus is nowhere and, on a
    // phone, the button below the fold: focusing it scrolls it into view and reads its name, then the status.
    // Never taken from anything the student focused meanwhile.
    if (!working(state) && document.activeElement === document.body) this.focus();
    // The payment or the message may have changed without the state doing so.
    this.requestUpdate();
  }

  #client(): AdapterClient {
    return new AdapterClient(this.endpoint);
  }

  async #pay(): Promise<void> {
    const orderId = this.order;
    if (!this.dispatchEvent(new IzlyPayStartEvent({ orderId }))) return;
    // Opened now, inside the click, or the popup blocker would stop it; navigated once the server answers.
    const popup = this.mode === 'popup' ? openPopup('', PAY_POPUP_NAME) : null;
    const signal = this.#startRun();
    this.#attemptKey ??= crypto.randomUUID();
    this.#payment = null;
    this.#set('creating');

    let created: CreatedPayment;
    try {
      created = await this.#client().createPayment({ orderId, returnUrl: currentReturnUrl() }, { idempotencyKey: this.#attemptKey, signal });
    } catch (error) {
      popup?.close();
      this.#fail(error, signal);
      return;
    }
    if (signal.aborted) {
      popup?.close();
      return;
    }
    this.#attemptKey = undefined;
    const { authorizationUrl } = created;
    if (authorizationUrl === null) {
      // The same attempt again, after its creation failed at Izly: that payment is over (failed), and the
      // next click starts a new one.
      popup?.close();
      this.#settle(created, false);
      return;
    }
    this.#payment = created;
    // Its `authorizationUrl` is known to be a string now (a copy to say so would cost the bundle bytes).
    this.dispatchEvent(new IzlyPayPendingEvent(created as IzlyPayPendingDetail));

    if (popup && !popup.closed) {
      await this.#followPopup(created.paymentId, authorizationUrl, popup, signal);
    } else {
      // Izly's cancel page comes back without the id: keep it to recognise the student's return.
      writeStored(orderId, created.paymentId);
      this.#set('redirecting');
      location.assign(authorizationUrl);
    }
  }

  /**
   * Long-polls while the student is in the popup. The popup's last page (the partner's return page, or the
   * adapter's cancel page) posts that the student is back: a check follows, its first read asked as a return,
   * so that a cancel, which Izly calls nobody about, is seen at once. A popup that closes without that hands
   * over to a check too.
   */
  async #followPopup(id: string, authorizationUrl: string, popup: Window, signal: AbortSignal): Promise<void> {
    // From our popup only, whatever its origin (the adapter's cancel page may be on another one): the message
    // only says the student is back, and the read that follows, asked as a return, decides.
    const onMessage = (event: MessageEvent): void => {
      if (event.source === popup && (event.data as { type?: unknown } | null)?.type === PAY_RETURN_MESSAGE_TYPE) void this.#check(id, true, true);
    };
    const watch = setInterval(() => {
      if (popup.closed && this.state === 'awaiting') {
        clearInterval(watch);
        void this.#check(id, false, true, POPUP_GRACE_MS);
      }
    }, POPUP_CHECK_MS);
    window.addEventListener('message', onMessage);

    popup.location.href = authorizationUrl;
    this.#set('awaiting');
    try {
      const latest = await this.#poll(id, signal, () => Infinity);
      // Izly's own page (its outcome in its words) stays readable: the popup's return page closes it, or
      // this does a few seconds later (closing a closed window does nothing).
      setTimeout(() => popup.close(), POPUP_LINGER_MS);
      this.#settle(latest, true);
    } catch (error) {
      this.#fail(error, signal, id);
    } finally {
      clearInterval(watch);
      window.removeEventListener('message', onMessage);
    }
  }

  /**
   * Reads a payment the student is coming back from. `follow` long-polls until it is final (the student
   * came back from Izly with the id); otherwise one short read decides. `ours` says the id is known to
   * belong to this button's order; if not, the first read checks it, and a payment for another order is
   * left alone. `lingerMs`: after "not completed", how long to keep listening in the background, for a
   * popup that only looked closed (a `Cross-Origin-Opener-Policy` on Izly's pages cuts the link while the
   * student is still paying): a payment completed there still turns the button to paid.
   */
  async #check(paymentId: string, follow: boolean, ours: boolean, lingerMs = 0): Promise<void> {
    const signal = this.#startRun();
    const start = Date.now();
    const deadline = start + (follow ? this.verifyTimeout : SINGLE_CHECK_MS);
    if (!ours) {
      try {
        const first = await this.#client().getPayment(paymentId, { signal });
        if (first.orderId !== this.order) return;
        this.#payment = first;
      } catch {
        // Not known to be ours and unreadable: another button's, or a stale link. Stay idle.
        return;
      }
    }
    this.#set('verifying');
    try {
      let latest = await this.#poll(paymentId, signal, () => deadline, true);
      this.#settle(latest, follow);
      if (lingerMs && !isFinal(latest.status)) {
        latest = await this.#poll(paymentId, signal, () => start + lingerMs);
        this.#settle(latest, false);
      }
    } catch (error) {
      this.#fail(error, signal, paymentId);
    }
  }

  /**
   * Reads the payment until it is final or the deadline has passed (always at least once). Network
   * failures and gateway errors are retried with backoff: losing the connection must not lose the payment.
   * Once the student is back from Izly (`verifying`), they may well have paid: an adapter slow or out of
   * reach is then waited for past the deadline, and said to be, never shown as a failure.
   */
  async #poll(paymentId: string, signal: AbortSignal, deadline: () => number, returned = false): Promise<PublicPayment> {
    const client = this.#client();
    for (let failures = 0; ; returned = false) {
      const remaining = deadline() - Date.now();
      const wait = remaining > 0 ? Math.min(LONG_POLL_SECONDS, Math.ceil(remaining / 1000)) : 0;
      try {
        const payment = await client.getPayment(paymentId, { wait, returned, signal });
        this.#payment = payment;
        if (isFinal(payment.status) || Date.now() >= deadline()) return payment;
        failures = 0;
      } catch (error) {
        if (signal.aborted || !isTransient(error) || (this.state !== 'verifying' && Date.now() >= deadline())) throw error;
        failures += 1;
      }
      if (this.state === 'verifying') this.#set('verifying', failures ? 'slow' : undefined);
      // A run aborted meanwhile wakes up to a read that throws at once (the client checks the signal first).
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** failures, BACKOFF_MAX_MS)));
    }
  }

  /**
   * Shows a payment's outcome and fires its event, once per outcome. A payment that is still open means,
   * after a single read, that the student left without completing; after following the student's return
   * (`followed`), that the server has not confirmed it in time (offered as "Check again", never as a failure).
   */
  #settle(payment: PublicPayment, followed: boolean, message?: string): void {
    const { status } = payment;
    this.#payment = payment;
    if (!isFinal(status) && followed) {
      // The code is its own message: the event says no more than that (the payment is in `detail.payment`).
      this.#showError('verification_timeout', 'verification_timeout', payment.paymentId);
      return;
    }
    const state = status === 'paid' || status === 'refunded' ? 'paid' : status === 'failed' || status === 'expired' ? 'failed' : 'cancelled';
    // Settled again after a background listen: the same outcome gets new words at most, never a second event.
    const again = state === this.state;
    // Izly's reason when there is one (`insufficient_balance`...): the words of the status otherwise.
    this.#set(state, message ?? payment.failureReason ?? status);
    if (again) return;
    this.#unsettledId = undefined;
    this.#forget(payment);
    this.dispatchEvent(new (state === 'paid' ? IzlyPaySuccessEvent : state === 'failed' ? IzlyPayFailureEvent : IzlyPayCancelEvent)(payment));
  }

  /** The payment's story is over: remove its traces from the address bar and the session. */
  #forget(payment: PublicPayment): void {
    if (readStored(payment.orderId) === payment.paymentId) writeStored(payment.orderId, null);
    if (new URL(location.href).searchParams.get(PAYMENT_RETURN_PARAM) === payment.paymentId) history.replaceState(history.state, '', currentReturnUrl());
  }

  /**
   * Shows an error, unless the run was replaced; `unsettledId` is a payment whose outcome is still unknown.
   * An error that comes with a payment (`order_already_paid`, from a stale tab) shows that payment instead.
   */
  #fail(error: unknown, signal: AbortSignal, unsettledId?: string): void {
    if (signal.aborted) return;
    // Not the adapter nor the network: the widget itself failed (`unexpected`, in the README's codes).
    if (!(error instanceof AdapterError)) this.#showError('unexpected', String(error), unsettledId);
    else if (error.payment) this.#settle(error.payment, false, error.code);
    else this.#showError(error.code, error.message, unsettledId);
  }

  #showError(code: PayButtonErrorCode, message: string, unsettledId: string | undefined): void {
    this.#unsettledId = unsettledId;
    this.#set('error', code);
    this.dispatchEvent(new IzlyPayErrorEvent({ code, message, payment: this.#payment }));
  }

  /** @internal */
  protected override view(lang: WidgetLang): ButtonView {
    const t = payStrings[lang];
    const cents = this.#payment?.amount ?? this.amount;
    // `Number.isFinite` is false for anything but a finite number: no attribute, or one that is not a number.
    const price = Number.isFinite(cents) ? formatEuros(cents!, lang) : null;
    // Looked up by any name: a code the button has no words for falls back to the state's.
    const said: Partial<Record<string, PayStatusStrings[keyof PayStatusStrings]>> = t.status;
    const why = this.#message;
    const message = said[why!] ?? said[this.state];
    const busy = working(this.state);
    // The label's words; none for the default "Payer 3,50 € avec" + wordmark. Some messages pick their own.
    const words =
      t.labelFor[why!] ??
      (this.state === 'paid' ? t.paid : this.#unsettledId && this.state === 'error' ? t.recheck : busy || this.state === 'idle' ? this.label : t.retry);
    const said_ = typeof message === 'function' ? message(price) : message;
    // What the label does not say already: the product, and the price unless the default label gives it.
    const what = [this.product, words && price].filter(Boolean).join(', ');
    return {
      busy,
      done: this.state === 'paid',
      label: words || withWordmark(t.payWith(price)),
      name: what && `${words || `${t.payWith(price)} Izly`} — ${what}`,
      status: why === 'insufficient_balance' ? html`<a href=${this.topUpUrl ?? 'https://mon-espace.izly.fr'}>${said_}</a>` : said_,
    };
  }
}
