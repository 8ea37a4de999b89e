// Token buckets, one per key (a client, a payment, or one for everyone): each holds up to `capacity`
// tokens, refilled steadily at `capacity` per `periodMs`; a request takes one token or is refused with the
// time until the next one. Read on the adapter's clock, so that a test moves time instead of sleeping.
// Memory stays bounded: a bucket that has refilled is the same as none and is dropped when the map is swept,
// and past `maxKeys` the oldest buckets go first (the overall limits still hold then).
import type { Clock } from '../payments/clock.js';

interface Bucket {
  tokens: number;
  /** Clock time of the last refill. */
  at: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #perMs: number;

  constructor(
    private readonly capacity: number,
    periodMs: number,
    private readonly clock: Clock,
    private readonly maxKeys = 50_000,
  ) {
    this.#perMs = capacity / periodMs;
  }

  /** Takes one token of `key`'s bucket: 0 when granted, else the ms until a token will be there. */
  take(key: string): number {
    if (this.capacity === Infinity) return 0;
    const now = this.clock.now();
    const bucket = this.#refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.#perMs);
  }

  /** How many keys have a bucket now (for tests: the map stays bounded). */
  get size(): number {
    return this.#buckets.size;
  }

  #refilled(key: string, now: number): Bucket {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.maxKeys) this.#sweep(now);
      bucket = { tokens: this.capacity, at: now };
      this.#buckets.set(key, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.#perMs);
    bucket.at = now;
    return bucket;
  }

  /** Drops the buckets that are full again; if too many remain, the oldest tenth of them. */
  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * this.#perMs >= this.capacity) this.#buckets.delete(key);
    }
    if (this.#buckets.size < this.maxKeys) return;
    let extra = Math.ceil(this.maxKeys / 10);
    for (const key of this.#buckets.keys()) {
      if (extra-- <= 0) break;
      this.#buckets.delete(key);
    }
  }
}
