// Wakes long polls when a payment changes: in-process by `notify()`, and, when the store is shared by
// several adapter instances and can tell (PostgreSQL's LISTEN/NOTIFY), on a change made by any of them.
// Without that, a change made elsewhere is seen at the long poll's next timed read of the store.
import type { PaymentStore } from '../stores/payment-store.js';
import type { Clock } from './clock.js';

export class PaymentWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();
  private subscribed: Promise<unknown> = Promise.resolve();

  /** `clock` times the waits: a test that moves it wakes them. */
  constructor(private readonly clock: Clock) {}

  /**
   * Also wakes on the changes the store reports from every instance (`store.subscribe`), when it has that.
   * A failure to subscribe goes to `onError`; wake-ups then stay in-process (the store may retry).
   */
  listenTo(store: PaymentStore, onError: (error: unknown) => void): void {
    if (!store.subscribe) return;
    this.subscribed = store.subscribe((paymentId) => this.notify(paymentId)).catch(onError);
  }

  /** Resolves once changes made by other instances wake this one (at once for an in-process store). */
  async ready(): Promise<void> {
    await this.subscribed;
  }

  /** Resolves when `notify(paymentId)` is called, after `ms` on the clock, or when `signal` aborts, whichever is first. */
  wait(paymentId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let cancelTimer: (() => void) | undefined;
      const done = () => {
        cancelTimer?.();
        signal?.removeEventListener('abort', done);
        const set = this.waiting.get(paymentId);
        set?.delete(done);
        if (set?.size === 0) this.waiting.delete(paymentId);
        resolve();
      };
      if (signal?.aborted) return resolve();
      cancelTimer = this.clock.setTimer(Math.max(0, ms), done);
      signal?.addEventListener('abort', done, { once: true });
      let set = this.waiting.get(paymentId);
      if (!set) this.waiting.set(paymentId, (set = new Set()));
      set.add(done);
    });
  }

  /** Wakes every request waiting on this payment. */
  notify(paymentId: string): void {
    for (const wake of [...(this.waiting.get(paymentId) ?? [])]) wake();
  }

  /** How many requests wait (for tests and metrics). */
  get size(): number {
    let count = 0;
    for (const set of this.waiting.values()) count += set.size;
    return count;
  }
}
