// What every payment flow works with: the options, the Izly client, and the parts that read payments at
// Izly and move them. Built once by `createPaymentService()`.
import type { IzlyClient } from '../izly/client.js';
import type { ResolvedIzlyPayOptions } from '../options.js';
import type { RequestLimits } from '../limits/request-limits.js';
import type { CallbackSigner } from './callback-signature.js';
import type { PayerBinding } from './payer-binding.js';
import type { PaymentWaiters } from './payment-waiters.js';
import type { StatusReader } from './status-reader.js';
import type { PaymentTransitions } from './transitions.js';

export interface FlowParts {
  options: ResolvedIzlyPayOptions;
  client: IzlyClient;
  signer: CallbackSigner;
  /** Makes payment ids bound to their payer's cookie, and tells a request's payer. */
  binding: PayerBinding;
  /** The limits on creations, long polls and callbacks. */
  limits: RequestLimits;
  /** Wakes long polls when a payment changes. */
  waiters: PaymentWaiters;
  /** Reads payments at Izly, coalesced and rate-limited. */
  reader: StatusReader;
  /** Moves payments between statuses and runs their hooks. */
  transitions: PaymentTransitions;
}
