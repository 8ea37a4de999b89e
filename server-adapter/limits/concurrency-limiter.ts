// Caps how many requests of one kind (long polls) are held at once, per key (a client) and overall. A
// request enters, or is refused; the function it gets back lets it leave. Counts drop to nothing when
// their requests end, so the map holds only the keys with a request in progress.

export class ConcurrencyLimiter {
  readonly #perKey = new Map<string, number>();
  #total = 0;

  constructor(
    private readonly maxPerKey: number,
    private readonly maxTotal: number,
  ) {}

  /** The function that ends this request's hold, or null when `key` or everyone is at the cap. */
  enter(key: string): (() => void) | null {
    const held = this.#perKey.get(key) ?? 0;
    if (held >= this.maxPerKey || this.#total >= this.maxTotal) return null;
    this.#perKey.set(key, held + 1);
    this.#total += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#total -= 1;
      const now = (this.#perKey.get(key) ?? 1) - 1;
      if (now === 0) this.#perKey.delete(key);
      else this.#perKey.set(key, now);
    };
  }

  /** Requests held now, overall and for `key`. */
  held(key?: string): number {
    return key === undefined ? this.#total : (this.#perKey.get(key) ?? 0);
  }
}
