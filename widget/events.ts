/**
 * The widget's events: one small class per event, prefixed `izly-pay-` or `izly-connect-`, bubbling and
 * composed (they cross shadow roots, so a listener on `document` hears every button), typed in
 * `GlobalEventHandlersEventMap`.
 */
import type { ConnectButtonErrorCode, ConnectMode, PayButtonErrorCode } from '../contract/browser-contract.js';
import type { CreatedPayment, PublicPayment } from './adapter-client.js';

/** What `izly-pay-start` carries: no payment exists yet, only the order it is about to be created for. */
export interface IzlyPayStartDetail {
  orderId: string;
}

/** What `izly-pay-pending` carries: the payment, and the Izly page the student is sent to. */
export interface IzlyPayPendingDetail extends CreatedPayment {
  authorizationUrl: string;
}

/** What `izly-pay-error` carries: the adapter's (or the widget's) code and message, and the payment if one exists. */
export interface IzlyPayErrorDetail {
  /**
   * The adapter's `error.code` (`unknown_order`, `izly_unavailable`...), or the widget's own: `network_error`,
   * `http_<status>`, `verification_timeout`, `unexpected`.
   */
  code: PayButtonErrorCode;
  message: string;
  payment: PublicPayment | null;
}

/** What `izly-connect-start` carries: how the login is about to run. */
export interface IzlyConnectStartDetail {
  /** The mode asked for; a popup that the browser blocks then falls back to a redirect. */
  mode: ConnectMode;
  /** Where the adapter sends the student back (redirect mode), with `izly_connect=<outcome>` added. */
  returnUrl: string;
}

/** What `izly-connect-success` carries. The session is the partner's (its `onLogin` hook); no token reaches the page. */
export interface IzlyConnectSuccessDetail {
  /** How the login ran: in the popup, or through a redirect this page came back from. */
  mode: ConnectMode;
}

/** What `izly-connect-error` carries. */
export interface IzlyConnectErrorDetail {
  /** `popup_closed`, or the adapter's code (`login_cancelled`, `code_rejected`, `izly_unavailable`...). */
  code: ConnectButtonErrorCode;
  message: string;
}

/**
 * The class of an event named `type` that carries `detail`: each event below is one line, and they share
 * one constructor (the widget ships in a 10 KB budget). Marked free of side effects so that a bundle of
 * one element drops the other element's event classes.
 */
/* @__NO_SIDE_EFFECTS__ */
function eventWithDetail<Detail>(type: string, cancelable?: true) {
  return class extends Event {
    readonly detail: Detail;

    constructor(detail: Detail) {
      super(type, { bubbles: true, composed: true, cancelable });
      this.detail = detail;
    }
  };
}

/** Fired on click, before anything is sent. Cancelable: `preventDefault()` stops the payment. */
export class IzlyPayStartEvent extends eventWithDetail<IzlyPayStartDetail>('izly-pay-start', true) {}

/** The adapter created the payment; the student is being sent to Izly (`detail.authorizationUrl`) to approve it. */
export class IzlyPayPendingEvent extends eventWithDetail<IzlyPayPendingDetail>('izly-pay-pending') {}

/** The payment is paid (confirmed by the partner's server, not by the page). */
export class IzlyPaySuccessEvent extends eventWithDetail<PublicPayment>('izly-pay-success') {}

/** Izly refused the payment (balance, unpaid debt) or it expired. */
export class IzlyPayFailureEvent extends eventWithDetail<PublicPayment>('izly-pay-failure') {}

/** The student cancelled, or left without completing (`detail.status` is then still `created` or `pending`). */
export class IzlyPayCancelEvent extends eventWithDetail<PublicPayment>('izly-pay-cancel') {}

/** Something went wrong outside Izly's decision: the adapter refused the order, the network failed... */
export class IzlyPayErrorEvent extends eventWithDetail<IzlyPayErrorDetail>('izly-pay-error') {}

/** Fired on click, before leaving for Izly. Cancelable: `preventDefault()` stops the login. */
export class IzlyConnectStartEvent extends eventWithDetail<IzlyConnectStartDetail>('izly-connect-start', true) {}

/** The partner's server logged the student in (its `onLogin` hook opened the session). */
export class IzlyConnectSuccessEvent extends eventWithDetail<IzlyConnectSuccessDetail>('izly-connect-success') {}

/** The login did not happen: cancelled on Izly, refused, the popup closed early... */
export class IzlyConnectErrorEvent extends eventWithDetail<IzlyConnectErrorDetail>('izly-connect-error') {}

declare global {
  interface GlobalEventHandlersEventMap {
    'izly-connect-start': IzlyConnectStartEvent;
    'izly-connect-success': IzlyConnectSuccessEvent;
    'izly-connect-error': IzlyConnectErrorEvent;
    'izly-pay-start': IzlyPayStartEvent;
    'izly-pay-pending': IzlyPayPendingEvent;
    'izly-pay-success': IzlyPaySuccessEvent;
    'izly-pay-failure': IzlyPayFailureEvent;
    'izly-pay-cancel': IzlyPayCancelEvent;
    'izly-pay-error': IzlyPayErrorEvent;
  }
}
