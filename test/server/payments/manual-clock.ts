// A clock for tests: time stands still until the test moves it, and moving it fires the timers that fall
// due, in order. `nextTimerSet()` lets a test wait until the code under test sleeps again.
import type { Clock } from '../../../server-adapter/payments/clock.js';

interface Timer {
  due: number;
  fire: () => void;
}

export class ManualClock implements Clock {
  private time: number;
  private readonly timers = new Set<Timer>();
  private onTimerSet: Array<() => void> = [];

  constructor(start = Date.UTC(2026, 0, 15, 9, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fire: () => void): () => void {
    const timer = { due: this.time + Math.max(0, ms), fire };
    this.timers.add(timer);
    const waiting = this.onTimerSet;
    this.onTimerSet = [];
    for (const resolve of waiting) resolve();
    return () => void this.timers.delete(timer);
  }

  /** Resolves at the next `setTimer()`. */
  nextTimerSet(): Promise<void> {
    return new Promise((resolve) => this.onTimerSet.push(resolve));
  }

  /** Moves to the earliest timer due by `until` and fires it; false when there is none. */
  fireNext(until: number): boolean {
    let next: Timer | undefined;
    for (const timer of this.timers) if (timer.due <= until && (!next || timer.due < next.due)) next = timer;
    if (!next) return false;
    this.timers.delete(next);
    this.time = Math.max(this.time, next.due);
    next.fire();
    return true;
  }

  /** Moves time forward by `ms` at once, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const until = this.time + ms;
    while (this.fireNext(until));
    this.time = until;
  }
}
