// Outcomes sent to the partner's server as signed webhooks, from inside the adapter's hooks. `onPaid`,
// `onFailed` and `onRefunded` are retried durably by the adapter when they throw (attempts in the store,
// run by `reconcile()`, given up after the last delay), so a delivery here is one attempt: a 2xx (or a 409,
// "I have this event already") ends it, anything else throws and the adapter tries again later. The event
// id is fixed per payment and outcome, so every retry carries the same id and the receiver keeps it once.
// Each delivery the receiver accepted is written on the payment as a `webhook_delivered` event, so that
// the back office shows what reached the partner, not only what failed. `payment.amount_mismatch` and
// `payment.duplicate` come from hooks the adapter calls once: serve writes them as owed (`webhook_owed`,
// with their data) before the first attempt, retries them in this process, and `resumeOwed()` at start
// sends again those owed but neither delivered nor given up, so that a restart does not lose them.
import type { Clock, IzlyPayLogger, IzlyPayOptions, NewPaymentEvent, PaymentEvent, PaymentRecord, PaymentStore } from '../index.js';
import { partnerPayment, type PartnerPayment } from './partner-payment.js';
import { SIGNATURE_HEADER, signatureHeader } from './signature.js';

/** What a webhook reports. */
export type WebhookEventType = 'payment.paid' | 'payment.failed' | 'payment.refunded' | 'payment.amount_mismatch' | 'payment.duplicate';

/** A webhook's JSON body. */
export interface WebhookEvent {
  /** `evt_<paymentId>.<outcome>`: the same on every attempt; keep it to refuse a replay. */
  id: string;
  type: WebhookEventType;
  /** The payment as it is when the webhook is sent. */
  payment: PartnerPayment;
  /** Details of the outcome: Izly's amount for a mismatch, the payment paid before for a duplicate. */
  data: Record<string, string | number | null>;
}

/** Settings of `WebhookSender`. */
export interface WebhookSenderOptions {
  url: string;
  signingSecret: string;
  /** Time the endpoint has to answer, in ms. */
  timeoutMs: number;
  fetch: (request: Request) => Promise<Response>;
  clock: Clock;
  logger: IzlyPayLogger;
  /** Where each accepted delivery is recorded, as a `webhook_delivered` event of its payment. */
  store: Pick<PaymentStore, 'appendEvent' | 'events' | 'listByStatus'>;
  /**
   * Delays of the in-process retries of the two notifications the adapter does not retry itself
   * (`payment.amount_mismatch`, `payment.duplicate`); the state they report stays in the store either way.
   */
  notificationRetryDelaysMs: readonly number[];
}

/** A delivery that did not end with a 2xx or 409; its message lands in the payment's `hook_failed` event. */
export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError' as const;
}

const OUTCOME_OF: Record<WebhookEventType, string> = {
  'payment.paid': 'paid',
  'payment.failed': 'failed',
  'payment.refunded': 'refunded',
  'payment.amount_mismatch': 'amount_mismatch',
  'payment.duplicate': 'duplicate',
};

/** The webhooks that serve retries itself, owed on the payment until delivered or given up. */
const NOTIFICATIONS: ReadonlySet<string> = new Set<WebhookEventType>(['payment.amount_mismatch', 'payment.duplicate']);

/** The notifications owed on a payment by its events: written owed, and since neither delivered nor given up. */
export function owedNotifications(events: readonly PaymentEvent[]): Array<{ type: WebhookEventType; data: WebhookEvent['data'] }> {
  const ended = new Set(events.filter((e) => e.type === 'webhook_delivered' || e.type === 'webhook_given_up').map((e) => e.detail.eventId));
  return events
    .filter((e) => e.type === 'webhook_owed' && NOTIFICATIONS.has(String(e.detail.event)) && !ended.has(e.detail.eventId))
    .map((e) => ({ type: e.detail.event as WebhookEventType, data: JSON.parse(String(e.detail.data)) as WebhookEvent['data'] }));
}

/** The event of `type` for `record`, with its fixed id. */
export function webhookEvent(type: WebhookEventType, record: PaymentRecord, data: WebhookEvent['data'] = {}): WebhookEvent {
  return { id: `evt_${record.id}.${OUTCOME_OF[type]}`, type, payment: partnerPayment(record), data };
}

export class WebhookSender {
  readonly #options: WebhookSenderOptions;
  readonly #pendingRetries = new Set<() => void>();

  constructor(options: WebhookSenderOptions) {
    this.#options = options;
  }

  /**
   * One attempt, `attempt` counting from 1: resolves on a 2xx or 409 once the delivery is recorded on the
   * payment, throws `WebhookDeliveryError` otherwise.
   */
  async deliver(event: WebhookEvent, attempt: number): Promise<void> {
    const status = await this.#send(event);
    await this.#recordDelivered(event, status, attempt);
  }

  /** Posts the signed event; resolves with the status of a 2xx or 409, throws `WebhookDeliveryError` otherwise. */
  async #send(event: WebhookEvent): Promise<number> {
    const { url, signingSecret, timeoutMs, fetch, clock } = this.#options;
    const body = JSON.stringify(event);
    // Signed at each attempt: a retry hours later is within the receiver's tolerance window.
    const signature = signatureHeader(signingSecret, body, Math.floor(clock.now() / 1000));
    const request = new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, 'Izly-Pay-Event-Id': event.id },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    let status: number;
    try {
      const response = await fetch(request);
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new WebhookDeliveryError(
        `webhook ${event.type} ${event.id}: ${url} ${timedOut ? `did not answer within ${timeoutMs} ms` : 'could not be reached'}`,
      );
    }
    if ((status >= 200 && status < 300) || status === 409) return status;
    throw new WebhookDeliveryError(`webhook ${event.type} ${event.id}: ${url} answered ${status}`);
  }

  /**
   * The receiver has the event: a failure to write that down is logged, not thrown, since a throw would
   * make the adapter send the event again for nothing (the receiver would answer 409).
   */
  async #recordDelivered(event: WebhookEvent, status: number, attempt: number): Promise<void> {
    await this.#record(event, 'webhook_delivered', { status, attempt }, 'delivered, but not recorded on the payment');
  }

  /** Appends an event about `event` to its payment; a store that fails is logged: the delivery goes on. */
  async #record(event: WebhookEvent, type: NewPaymentEvent['type'], detail: NewPaymentEvent['detail'], what: string): Promise<void> {
    const { store, clock, logger } = this.#options;
    const at = new Date(clock.now()).toISOString();
    try {
      await store.appendEvent({ paymentId: event.payment.id, at, type, detail: { event: event.type, eventId: event.id, ...detail } });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn(`izly-pay serve: webhook ${event.type} ${event.id} ${what}: ${message}`);
    }
  }

  /** A notification the adapter does not retry: owed on the payment first, then tried (see `#attempt`). */
  async #notify(event: WebhookEvent): Promise<void> {
    await this.#record(event, 'webhook_owed', { data: JSON.stringify(event.data) }, 'not recorded as owed (a restart would lose it)');
    await this.#attempt(event);
  }

  /** Retried here, in this process, then given up loudly and on the payment. */
  #attempt(event: WebhookEvent, attempt = 0): Promise<void> {
    const { clock, logger, notificationRetryDelaysMs } = this.#options;
    return this.deliver(event, attempt + 1).catch(async (error: unknown) => {
      const delay = notificationRetryDelaysMs[attempt];
      const message = error instanceof Error ? error.message : String(error);
      if (delay === undefined) {
        logger.error(`izly-pay serve: ${message}; given up after ${attempt + 1} attempts (the payment's state is in the back office)`);
        await this.#record(event, 'webhook_given_up', { attempts: attempt + 1, message }, 'given up, but not recorded on the payment');
        return;
      }
      logger.warn(`izly-pay serve: ${message}; next attempt in ${Math.round(delay / 1000)} s`);
      const cancel = clock.setTimer(
        delay,
        () => {
          this.#pendingRetries.delete(cancel);
          void this.#attempt(event, attempt + 1);
        },
        { keepAlive: false },
      );
      this.#pendingRetries.add(cancel);
    });
  }

  /**
   * At start: sends again, with a fresh in-process schedule, each notification owed on a paid or refunded
   * payment (the only statuses they come from) by a previous run; resolves with their count once each had
   * its first attempt. Reads the events of the flagged payments only.
   */
  async resumeOwed(): Promise<number> {
    const { store } = this.#options;
    const flagged = (await store.listByStatus(['paid', 'refunded'])).filter((r) => r.amountMismatch !== null || r.duplicateOf !== null);
    const owed: WebhookEvent[] = [];
    for (const record of flagged) {
      for (const { type, data } of owedNotifications(await store.events(record.id))) owed.push(webhookEvent(type, record, data));
    }
    await Promise.all(owed.map((event) => this.#attempt(event)));
    return owed.length;
  }

  /** The adapter's hooks that send the webhooks. */
  hooks(): Pick<IzlyPayOptions, 'onPaid' | 'onFailed' | 'onRefunded' | 'onAmountMismatch' | 'onDuplicatePayment' | 'onHookGivenUp'> {
    const { logger } = this.#options;
    return {
      // The record carries the failed attempts of its owed hook so far: this one is the next.
      onPaid: (payment) => this.deliver(webhookEvent('payment.paid', payment), payment.hookAttempts + 1),
      onFailed: (payment) => this.deliver(webhookEvent('payment.failed', payment), payment.hookAttempts + 1),
      onRefunded: async (payment) => {
        // A refund replaces the adapter's mark of an onPaid still being retried: its payment.paid goes first,
        // so that the receiver sees both, in order (a receiver that has it already answers 2xx or 409).
        if (payment.paidAt !== null && payment.duplicateOf === null && payment.amountMismatch === null) {
          await this.deliver(webhookEvent('payment.paid', payment), payment.hookAttempts + 1);
        }
        await this.deliver(webhookEvent('payment.refunded', payment), payment.hookAttempts + 1);
      },
      onAmountMismatch: (payment, amounts) =>
        this.#notify(webhookEvent('payment.amount_mismatch', payment, { expected: amounts.expected, izly: amounts.izly })),
      onDuplicatePayment: (payment, paidBefore) => this.#notify(webhookEvent('payment.duplicate', payment, { paidBefore: paidBefore.id })),
      onHookGivenUp: (payment, hook) => {
        logger.error(`izly-pay serve: the webhook of ${hook} for payment ${payment.id} (order ${payment.orderId}) is given up: settle this order by hand`);
      },
    };
  }

  /** Cancels the in-process retries still waiting. */
  close(): void {
    for (const cancel of this.#pendingRetries) cancel();
    this.#pendingRetries.clear();
  }
}
