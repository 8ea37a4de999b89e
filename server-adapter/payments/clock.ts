// The one clock of the payment flows. Every reading of the time (timestamps, a payment's age, rate limits,
// long-poll deadlines, the callback-trust window) and every wait goes through it, so that a test can move
// time forward instead of sleeping.

/** Time as the payment flows read it and wait on it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Calls `fire` once `ms` have passed on this clock; the returned function cancels the call. A background
   * timer (`keepAlive: false`) does not keep the process alive.
   */
  setTimer(ms: number, fire: () => void, options?: { keepAlive?: boolean }): () => void;
}

function systemTimer(ms: number, fire: () => void, { keepAlive = true }: { keepAlive?: boolean } = {}): () => void {
  const timer = setTimeout(fire, Math.max(0, ms));
  // `unref` is Node's and Bun's; elsewhere a background timer simply keeps its event loop busy.
  if (!keepAlive) (timer as { unref?: () => void }).unref?.();
  return () => clearTimeout(timer);
}

/** The system's clock: `Date.now` and `setTimeout`. */
export const systemClock: Clock = { now: () => Date.now(), setTimer: systemTimer };

/** A clock reading `now` and waiting with the system's timers (what the `now` option alone gives). */
export function clockReading(now: () => number): Clock {
  return { now, setTimer: systemTimer };
}
