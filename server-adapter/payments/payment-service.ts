// The payment flows behind the routes, composed from parts with one job each: the status reader
// (`status-reader.ts`: coalesced, rate-limited reads at Izly and the callback-trust policy), the
// transitions and hooks (`transitions.ts`), and one file per flow: create, long poll, callback, refund,
// reconcile. All of them read and wait on the one clock of the options.
import type { Context } from 'hono';
import type { IzlyClient } from '../izly/client.js';
import type { IzlyCallback } from '../izly/web-payments.js';
import type { ResolvedIzlyPayOptions } from '../options.js';
import type { PaymentRecord } from '../stores/payment-store.js';
import { handleCallback } from './callback.js';
import type { CallbackSigner } from './callback-signature.js';
import { createPayment, type NewPaymentInput } from './create.js';
import type { FlowParts } from './flow-parts.js';
import { RequestLimits } from '../limits/request-limits.js';
import { PayerBinding } from './payer-binding.js';
import { readPayment } from './long-poll.js';
import type { PaymentWaiters } from './payment-waiters.js';
import { reconcile, type ReconcileOptions, type ReconcileReport } from './reconcile.js';
import { Refunds } from './refund.js';
import { StatusReader } from './status-reader.js';
import { PaymentTransitions } from './transitions.js';

export type { ReconcileOptions, ReconcileReport } from './reconcile.js';

/** The payment flows, as the routes and `izlyPay()`'s server-side methods call them. */
export interface PaymentService {
  /** A new payment for the order, or the one under way (`created: false`); throws `IzlyPayError`. */
  createPayment(input: NewPaymentInput, c: Context): Promise<{ record: PaymentRecord; created: boolean }>;
  /** Makes payment ids bound to their payer's cookie, and tells a request's payer. */
  readonly binding: PayerBinding;
  /** The limits on creations, long polls and callbacks. */
  readonly limits: RequestLimits;
  /** The payment, after waiting up to `waitSeconds` for it to leave its status; `returned`: the student is back from Izly. */
  readPayment(paymentId: string, waitSeconds: number, signal?: AbortSignal, returned?: boolean): Promise<PaymentRecord>;
  /** Confirms a callback with Izly; `inUrl`: the places of its URL that may hold the signature. Throws `CallbackRefusal` with the answer Izly gets. */
  handleCallback(inUrl: readonly string[], callback: IzlyCallback): Promise<PaymentRecord>;
  /** Refunds a paid payment in full; throws `IzlyPayError`. */
  refund(paymentId: string): Promise<PaymentRecord>;
  /** Settles old open payments with Izly and runs the owed hooks that are due. */
  reconcile(options?: ReconcileOptions): Promise<ReconcileReport>;
  /** Resolves once the hooks started so far in the background (after a change was durable) have returned. */
  hooksSettled(): Promise<void>;
  /** True while a hook started in the background has not returned. */
  hooksRunning(): boolean;
}

export function createPaymentService(options: ResolvedIzlyPayOptions, client: IzlyClient, signer: CallbackSigner, waiters: PaymentWaiters): PaymentService {
  const guards = {
    binding: new PayerBinding(options.secret, options.allowedOrigins),
    limits: new RequestLimits(options.limits, options.clock, options.clientKey, (message) => options.logger.warn(message)),
  };
  const transitions = new PaymentTransitions(options, waiters);
  const reader = new StatusReader(options, client, transitions);
  const parts: FlowParts = { options, client, signer, waiters, reader, transitions, ...guards };
  const refunds = new Refunds(parts);
  transitions.refundDuplicate = (record) => refunds.refund(record.id);
  return {
    ...guards,
    createPayment: (input, c) => createPayment(parts, input, c),
    readPayment: (paymentId, waitSeconds, signal, returned) => readPayment(parts, paymentId, waitSeconds, signal, returned),
    handleCallback: (inUrl, callback) => handleCallback(parts, inUrl, callback),
    refund: (paymentId) => refunds.refund(paymentId),
    reconcile: (reconcileOptions) => reconcile(parts, reconcileOptions),
    hooksSettled: () => transitions.hooksSettled(),
    hooksRunning: () => transitions.hooksRunning(),
  };
}
