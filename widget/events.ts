/**
 * The widget's events: one small class per event, prefixed `izly-pay-`, bubbling and composed (they cross
 * shadow roots, so a listener on `document` hears every button), typed in `GlobalEventHandlersEventMap`.
 */
import type { PublicPayment } from './adapter-client.js';

const crossing = { bubbles: true, composed: true } as const;

/** What `izly-pay-start` carries: no payment exists yet, only the order it is about to be created for. */
export interface IzlyPayStartDetail {
  orderId: string;
}

/** What `izly-pay-error` carries: the adapter's (or the widget's) code and message, and the payment if one exists. */
export interface IzlyPayErrorDetail {
  /** `network_error`, `verification_timeout`, or the adapter's `error.code` (`invalid_order`...). */
  code: string;
  message: string;
  payment: PublicPayment | null;
}

/** Fired on click, before anything is sent. Cancelable: `preventDefault()` stops the payment. */
export class IzlyPayStartEvent extends Event {
  readonly detail: IzlyPayStartDetail;

  constructor(detail: IzlyPayStartDetail) {
    super('izly-pay-start', { ...crossing, cancelable: true });
    this.detail = detail;
  }
}

/** An event whose `detail` is the payment's public view. */
abstract class PaymentEvent extends Event {
  readonly detail: PublicPayment;

  constructor(type: string, detail: PublicPayment) {
    super(type, crossing);
    this.detail = detail;
  }
}

/** The adapter created the payment; the student is being sent to Izly to approve it. */
export class IzlyPayPendingEvent extends PaymentEvent {
  constructor(detail: PublicPayment) {
    super('izly-pay-pending', detail);
  }
}

/** The payment is paid (confirmed by the partner's server, not by the page). */
export class IzlyPaySuccessEvent extends PaymentEvent {
  constructor(detail: PublicPayment) {
    super('izly-pay-success', detail);
  }
}

/** Izly refused the payment (balance, unpaid debt) or it expired. */
export class IzlyPayFailureEvent extends PaymentEvent {
  constructor(detail: PublicPayment) {
    super('izly-pay-failure', detail);
  }
}

/** The student cancelled, or left without completing (`detail.status` is then still `created` or `pending`). */
export class IzlyPayCancelEvent extends PaymentEvent {
  constructor(detail: PublicPayment) {
    super('izly-pay-cancel', detail);
  }
}

/** Something went wrong outside Izly's decision: the adapter refused the order, the network failed... */
export class IzlyPayErrorEvent extends Event {
  readonly detail: IzlyPayErrorDetail;

  constructor(detail: IzlyPayErrorDetail) {
    super('izly-pay-error', crossing);
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'izly-pay-start': IzlyPayStartEvent;
    'izly-pay-pending': IzlyPayPendingEvent;
    'izly-pay-success': IzlyPaySuccessEvent;
    'izly-pay-failure': IzlyPayFailureEvent;
    'izly-pay-cancel': IzlyPayCancelEvent;
    'izly-pay-error': IzlyPayErrorEvent;
  }
}
