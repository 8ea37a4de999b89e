// Wakes long polls when a payment changes. In-process only: a change made by another adapter instance is
// seen at the next status read instead (a shared store such as PostgreSQL can add LISTEN/NOTIFY).

export class PaymentWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();

  /** Resolves when `notify(paymentId)` is called, after `ms`, or when `signal` aborts, whichever is first. */
  wait(paymentId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        const set = this.waiting.get(paymentId);
        set?.delete(done);
        if (set?.size === 0) this.waiting.delete(paymentId);
        resolve();
      };
      if (signal?.aborted) return resolve();
      timer = setTimeout(done, Math.max(0, ms));
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
