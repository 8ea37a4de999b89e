// Work the adapter starts that outlives the request that started it: a background timer (`keepAlive: false`,
// such as the check, seconds after a payment was found paid at Izly, that its callback came) and the store
// calls it makes when it fires. Tracked here so that on a runtime with a `waitUntil` (Workers, through
// Hono's `c.executionCtx`) every request hands what is pending over, and the runtime does not cancel it
// with the request; elsewhere (Node, Bun, Deno) the process simply runs it.
import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from './payments/clock.js';
import type { PaymentStore } from './stores/payment-store.js';

/**
 * Hands `work()` to the runtime's `waitUntil` where Hono has an execution context (Workers); on Node, Bun
 * and Deno there is none, and the process keeps running the work. Call it only with work pending: Hono's
 * `executionCtx` throws where there is no context, and that throw, made on every request, cost about 6% of
 * a status read's CPU.
 */
export function handToRuntime(c: Context, work: () => Promise<unknown>): void {
  let executionCtx: { waitUntil(promise: Promise<unknown>): void };
  try {
    executionCtx = c.executionCtx;
  } catch {
    return;
  }
  executionCtx.waitUntil(work());
}

export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();
  private hooks: { running(): boolean; settled(): Promise<void> } | undefined;
  /** The store calls started by the background timer firing right now, or null outside one. */
  private startedByTimer: Promise<unknown>[] | null = null;

  /** `clock`, with each background timer tracked from its start to the end of the store calls it makes. */
  trackedClock(clock: Clock): Clock {
    return {
      now: () => clock.now(),
      setTimer: (ms, fire, options) => {
        if (options?.keepAlive !== false) return clock.setTimer(ms, fire, options);
        let settle: (work: Promise<unknown>) => void = () => {};
        this.track(new Promise<unknown>((resolve) => (settle = resolve)));
        const cancel = clock.setTimer(ms, () => settle(this.fireTracked(fire)), options);
        return () => {
          cancel();
          settle(Promise.resolve());
        };
      },
    };
  }

  /** `store`, whose calls made while a background timer fires are tracked until they answer. */
  trackedStore(store: PaymentStore): PaymentStore {
    // One wrapper per method, made at its first call: a status read makes a store call, and a closure
    // made for each would be garbage for the collector at every request.
    const wrappers = new WeakMap<(...args: unknown[]) => unknown, (...args: unknown[]) => unknown>();
    return new Proxy(store, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        let wrapper = wrappers.get(method);
        if (!wrapper) {
          wrapper = (...args: unknown[]) => {
            const result: unknown = Reflect.apply(method, target, args);
            if (this.startedByTimer && result instanceof Promise) this.startedByTimer.push(result);
            return result;
          };
          wrappers.set(method, wrapper);
        }
        return wrapper;
      },
    });
  }

  /** Resolves once everything pending now has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /** Hands what is pending after each answer to the runtime's `waitUntil`, where Hono has an execution context. */
  handOver(): MiddlewareHandler {
    return async (c, next) => {
      await next();
      if (this.pending.size > 0 || this.hooks?.running()) handToRuntime(c, () => Promise.all([this.settled(), this.hooks?.settled()]));
    };
  }

  /**
   * Also hands over the hooks a request started in the background (the payment service's), so that on
   * Workers they are not cut short once the answer is sent: one middleware for both, each request paying
   * for one step less.
   */
  alsoHandOver(hooks: { running(): boolean; settled(): Promise<void> }): void {
    this.hooks = hooks;
  }

  private fireTracked(fire: () => void): Promise<unknown> {
    const started: Promise<unknown>[] = [];
    this.startedByTimer = started;
    try {
      fire();
    } finally {
      this.startedByTimer = null;
    }
    return Promise.allSettled(started);
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }
}
