// GET /payments/:paymentId?wait=: a payment as a poll sees it. With a wait, the request is held until the
// payment leaves the status it had, or the wait ends, reading Izly whenever the reader says a read is due
// (callbacks may never come), and woken at once by any change of the payment.
import { IzlyPayError } from '../errors.js';
import { isOpenStatus, type PaymentRecord } from '../stores/payment-store.js';
import type { FlowParts } from './flow-parts.js';
import type { ReadMode } from './status-reader.js';

/** The shortest sleep between two looks at the store, whatever the reader says. */
const MIN_SLEEP_MS = 50;

/** A payment as a poll sees it; `returned`: the student is back from Izly, so its first read may come sooner. */
export async function readPayment(parts: FlowParts, paymentId: string, waitSeconds: number, signal?: AbortSignal, returned = false): Promise<PaymentRecord> {
  const { options, reader, waiters } = parts;
  const { store, clock } = options;
  const firstRead: ReadMode = returned ? 'returned' : 'polite';
  const waitMs = Math.min(waitSeconds, options.maxWaitSeconds) * 1000;
  if (waitMs <= 0) {
    const found = await store.get(paymentId);
    if (!found) throw new IzlyPayError(404, 'payment_not_found', 'No such payment');
    // A final payment is answered as stored, without a step through the reader (most polls of a paid one).
    return isOpenStatus(found.status) ? reader.refreshQuietly(found, 'poll', firstRead) : found;
  }
  const startedAt = clock.now();
  // Listening before the first read: a change made by another instance after it still wakes this poll.
  await waiters.ready();
  const stop = new AbortController();
  // The deadline is a timer, not a reading, so that it passes even on a clock that is never moved.
  let pastDeadline = false;
  const cancelDeadline = clock.setTimer(startedAt + waitMs - clock.now(), () => {
    pastDeadline = true;
    stop.abort();
  });
  const stopOnAbort = () => stop.abort();
  signal?.addEventListener('abort', stopOnAbort, { once: true });
  try {
    // Each sleep is armed before the read that precedes it, so that a change committed during that read is
    // not missed (the wake-up from another instance may arrive before the read's answer). It lasts until the
    // operation's next status read is due, or until the poll stops.
    const arm = (operationId: string | null) => waiters.wait(paymentId, Math.max(reader.msUntilNextRead(operationId), MIN_SLEEP_MS), stop.signal);
    let woken = arm(null);
    const found = await store.get(paymentId);
    if (!found) throw new IzlyPayError(404, 'payment_not_found', 'No such payment');
    const initialStatus = found.status;
    let record = await reader.refreshQuietly(found, 'poll', firstRead);
    while (isOpenStatus(record.status) && record.status === initialStatus && !signal?.aborted && !pastDeadline) {
      // Sleep until woken by a change, or until the next status read is due (callbacks may never come).
      await woken;
      woken = arm(record.operationId);
      record = (await store.get(paymentId)) ?? record;
      if (record.status !== initialStatus || pastDeadline) break;
      record = await reader.refreshQuietly(record, 'poll');
    }
    // Awaited (one store read, only while the policy wants news) so that the next poll already knows.
    if (record.status === 'paid' && initialStatus !== 'paid') await reader.learnOfCallback(record.id);
    return record;
  } finally {
    cancelDeadline();
    stop.abort();
    signal?.removeEventListener('abort', stopOnAbort);
  }
}
