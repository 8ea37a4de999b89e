// Reads payments at Izly (`GET WebPayments/{id}`) for every flow, and applies the answer. It keeps Izly's
// load bounded: one read in flight per operation (concurrent callers share it), polite reads held to the
// rate limits of the callback-trust policy (`status-read-policy.ts`), and, when a read finds a payment
// paid while callbacks are trusted, the check that its callback came.
import type { IzlyClient } from '../izly/client.js';
import { IzlyError } from '../izly/errors.js';
import type { ResolvedIzlyPayOptions } from '../options.js';
import { isOpenStatus, type PaymentRecord } from '../stores/payment-store.js';
import { StatusReadPolicy } from './status-read-policy.js';
import { MismatchError, type PaymentTransitions, type ReadSource } from './transitions.js';

/**
 * `polite` reads are rate-limited (they return the stored record when the last read is recent);
 * `returned` reads (the student is back from Izly, where a cancel sends no callback) are polite reads held
 * only to the base rate limit, not to the slower safety net of trusted callbacks; `fresh` reads
 * (callbacks, a new click, reconcile, refunds) always reach Izly after they were asked for, but no sooner
 * than `statusReadIntervalMs` (at most `FRESH_READ_SPACING_MS`) after the operation's last read began: those asked meanwhile share one read
 * made then, so that no flood of re-clicks or replayed callbacks floods Izly; `sweep` reads (reconcile)
 * are fresh reads that give the stored record instead of waiting when the operation was read within the
 * interval (it was just settled, or the next run will read it).
 */
export type ReadMode = 'polite' | 'returned' | 'fresh' | 'sweep';

/**
 * How long after a read found a payment paid its callback may still come before it counts as missed (or
 * one safety-net interval, when that is shorter: a callback later than that is as good as missing).
 */
const CALLBACK_GRACE_MS = 10_000;

/**
 * The longest a fresh read waits for its turn: a `statusReadIntervalMs` set high (fewer polling reads once
 * callbacks are allow-listed) must not hold a callback's confirmation longer than this.
 */
const FRESH_READ_SPACING_MS = 2_000;

export class StatusReader {
  private readonly policy: StatusReadPolicy;
  private readonly inFlightReads = new Map<string, { promise: Promise<PaymentRecord>; number: number }>();
  private readsStarted = 0;
  /** When each operation may next be read politely. */
  private readonly nextReadAt = new Map<string, number>();
  /**
   * When each operation was last read: a student back from Izly may ask for a read sooner than the
   * policy's next one, but never more than once per `statusReadIntervalMs`.
   */
  private readonly lastReadAt = new Map<string, number>();
  /** When each operation's last read at Izly began, and its number (`readsStarted`): fresh reads are spaced by it. */
  private readonly lastStarted = new Map<string, { at: number; number: number }>();
  /** The fresh read each operation has waiting for its turn, shared by every fresh read asked before it begins. */
  private readonly waitingFreshReads = new Map<string, { lastAskedAt: number; promise: Promise<PaymentRecord> }>();

  constructor(
    private readonly options: ResolvedIzlyPayOptions,
    private readonly client: IzlyClient,
    private readonly transitions: PaymentTransitions,
  ) {
    this.policy = new StatusReadPolicy(options, options.clock);
  }

  /**
   * Izly just told the operation's status (its creation): the next polite read waits an interval. A
   * `returned` read is not held back by this: the student decided on Izly's page after its creation.
   */
  readAgainLater(operationId: string): void {
    this.nextReadAt.set(operationId, this.options.clock.now() + this.policy.nextIntervalMs());
  }

  /** The operation was just read (here, or by another instance): the next polite and returned reads wait. */
  private noteRead(operationId: string): void {
    this.readAgainLater(operationId);
    this.lastReadAt.set(operationId, this.options.clock.now());
  }

  /** How long until the operation's next polite read is due (the policy's longest interval before it is known). */
  msUntilNextRead(operationId: string | null): number {
    const due = operationId === null ? undefined : this.nextReadAt.get(operationId);
    return due === undefined ? this.policy.longestIntervalMs() : due - this.options.clock.now();
  }

  /** A callback whose signature checked out and that named a known payment: callbacks arrive. */
  noteCallback(): void {
    this.policy.noteCallback();
  }

  /**
   * Reads the payment at Izly and applies the answer (see `ReadMode`). One read in flight per operation:
   * concurrent callers share it.
   */
  async read(record: PaymentRecord, mode: ReadMode, source: ReadSource, failureHint?: string, operationId = record.operationId): Promise<PaymentRecord> {
    if (operationId === null) return record;
    const { clock, store, statusReadIntervalMs } = this.options;
    // A fresh read must have started after it was asked for (an older one may predate the change it was
    // told of): it joins such a read, or waits for the older one and starts its own.
    const askedAt = this.readsStarted;
    for (let inFlight = this.inFlightReads.get(operationId); inFlight; inFlight = this.inFlightReads.get(operationId)) {
      if ((mode !== 'fresh' && mode !== 'sweep') || inFlight.number > askedAt) return inFlight.promise;
      const shared = await inFlight.promise.catch(() => null);
      if (shared && !isOpenStatus(shared.status)) return shared;
      if (shared) record = shared;
    }
    if (mode === 'fresh' || mode === 'sweep') {
      const due = (this.lastStarted.get(operationId)?.at ?? -Infinity) + Math.min(statusReadIntervalMs, FRESH_READ_SPACING_MS);
      if (clock.now() < due) {
        if (mode === 'sweep') return (await store.get(record.id)) ?? record;
        return this.freshReadLater(record, operationId, source, failureHint, due, askedAt);
      }
    }
    if (mode === 'polite' && clock.now() < (this.nextReadAt.get(operationId) ?? 0)) return record;
    if (mode === 'returned' && clock.now() - (this.lastReadAt.get(operationId) ?? -Infinity) < statusReadIntervalMs) return record;
    if ((mode === 'polite' || mode === 'returned') && store.claimStatusRead) {
      // A store shared by several instances lets one of them read per interval: the others learn the
      // answer from the store (and are woken by its notifications).
      const interval = mode === 'returned' ? statusReadIntervalMs : this.policy.nextIntervalMs();
      if (!(await store.claimStatusRead(record.id, interval))) {
        this.noteRead(operationId);
        return (await store.get(record.id)) ?? record;
      }
      const started = this.inFlightReads.get(operationId);
      if (started) return started.promise;
    }
    return this.startRead(record, operationId, source, failureHint);
  }

  /**
   * The fresh read of an operation read less than an interval ago, made once `due` comes and shared by every
   * fresh read asked until then. A read begun since the first of them was asked (a poll's) answers for it.
   */
  private freshReadLater(
    record: PaymentRecord,
    operationId: string,
    source: ReadSource,
    failureHint: string | undefined,
    due: number,
    askedAt: number,
  ): Promise<PaymentRecord> {
    const waiting = this.waitingFreshReads.get(operationId);
    if (waiting) {
      // Only a read begun after the last of them was asked answers for all of them.
      waiting.lastAskedAt = Math.max(waiting.lastAskedAt, askedAt);
      return waiting.promise;
    }
    const { clock, store } = this.options;
    const entry = { lastAskedAt: askedAt, promise: Promise.resolve(record) };
    entry.promise = new Promise<void>((resolve) => clock.setTimer(due - clock.now(), resolve)).then(async () => {
      this.waitingFreshReads.delete(operationId);
      // Its turn has come (time is not read again: a clock that stands still must not hold it for ever).
      for (let inFlight = this.inFlightReads.get(operationId); inFlight; inFlight = this.inFlightReads.get(operationId)) {
        if (inFlight.number > entry.lastAskedAt) return inFlight.promise;
        await inFlight.promise.catch(() => null);
      }
      const current = (await store.get(record.id)) ?? record;
      if ((this.lastStarted.get(operationId)?.number ?? 0) > entry.lastAskedAt) return current;
      return this.startRead(current, operationId, source, failureHint);
    });
    this.waitingFreshReads.set(operationId, entry);
    return entry.promise;
  }

  /** A polite read whose failure leaves the stored record as it is (a poll must not fail because Izly does). */
  async refreshQuietly(record: PaymentRecord, source: ReadSource, mode: ReadMode = 'polite'): Promise<PaymentRecord> {
    if (!isOpenStatus(record.status) || record.operationId === null) return record;
    try {
      return await this.read(record, mode, source);
    } catch (error) {
      if (error instanceof IzlyError || error instanceof MismatchError) {
        this.options.logger.warn(`izly-pay: status read for payment ${record.id} failed: ${error.message}`);
        return (await this.options.store.get(record.id)) ?? record;
      }
      throw error;
    }
  }

  /**
   * A payment this instance saw paid: if its callback reached some instance, callbacks arrive. Only looked
   * up while the policy wants such news (one store read).
   */
  async learnOfCallback(paymentId: string): Promise<void> {
    if (!this.policy.wantsCallbackNews) return;
    try {
      if ((await this.options.store.events(paymentId)).some((event) => event.type === 'callback')) this.policy.noteCallback();
    } catch {
      // Only a hint: the next payment tells again.
    }
  }

  /** The read itself, registered as the operation's read in flight until it settles. */
  private startRead(record: PaymentRecord, operationId: string, source: ReadSource, failureHint: string | undefined): Promise<PaymentRecord> {
    const { store } = this.options;
    const read = (async () => {
      this.noteRead(operationId);
      try {
        const payment = await this.client.getPayment(operationId);
        const current = (await store.get(record.id)) ?? record;
        const applied = await this.transitions.applyIzlyPayment(current, payment, source, failureHint);
        if (source === 'poll' && applied.status === 'paid' && current.status !== 'paid' && this.policy.watchesForMissedCallbacks)
          this.expectCallback(applied.id);
        return applied;
      } catch (error) {
        if (error instanceof IzlyError) {
          await store.appendEvent({
            paymentId: record.id,
            at: this.transitions.nowIso(),
            type: 'izly_read_failed',
            detail: { source, error: error.name, message: error.message },
          });
        }
        throw error;
      }
    })();
    const entry = { promise: read, number: ++this.readsStarted };
    this.inFlightReads.set(operationId, entry);
    this.lastStarted.set(operationId, { at: this.options.clock.now(), number: entry.number });
    const forget = () => {
      if (this.inFlightReads.get(operationId) === entry) this.inFlightReads.delete(operationId);
      this.forgetOldReads();
    };
    read.then(forget, forget);
    return read;
  }

  /** Keeps the rate-limit maps from growing without bound. */
  private forgetOldReads(): void {
    if (this.nextReadAt.size < 1000) return;
    const now = this.options.clock.now();
    for (const [operationId, at] of this.nextReadAt) {
      if (at < now && now - (this.lastReadAt.get(operationId) ?? 0) >= this.options.statusReadIntervalMs) {
        this.nextReadAt.delete(operationId);
        this.lastReadAt.delete(operationId);
      }
    }
    for (const [operationId, started] of this.lastStarted) {
      if (now - started.at >= FRESH_READ_SPACING_MS) this.lastStarted.delete(operationId);
    }
  }

  /**
   * A safety-net read found this payment paid while callbacks were trusted: unless its callback reaches
   * some instance (its event is in the store) within the grace, callbacks stopped arriving, and waiting
   * payments go back to being read at the rate limit. A pending check must not keep the process alive.
   */
  private expectCallback(paymentId: string): void {
    const grace = Math.min(CALLBACK_GRACE_MS, this.options.safetyNetReadIntervalMs);
    this.options.clock.setTimer(grace, () => void this.checkCallbackCame(paymentId), { keepAlive: false });
  }

  private async checkCallbackCame(paymentId: string): Promise<void> {
    try {
      const events = await this.options.store.events(paymentId);
      if (events.some((event) => event.type === 'callback')) return;
      this.policy.noteMissedCallback();
      this.options.logger.warn(
        `izly-pay: payment ${paymentId} was found paid at Izly but its callback never came; status reads go back to every ${this.options.statusReadIntervalMs} ms`,
      );
    } catch {
      // The store is closed (the adapter is shutting down): nothing to adjust.
    }
  }
}
