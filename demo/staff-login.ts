// The staff's orders page is behind HTTP Basic authentication; this slows down guessing its password. Per
// client address, `maxFailures` wrong passwords within `windowMs` lock that address out for `lockMs`: every
// request then gets a 429 with Retry-After, the right password included (or a guesser would learn it was
// right). A request without credentials (a browser's first, before it asks) is no failure.
import type { Context, MiddlewareHandler } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { HTTPException } from 'hono/http-exception';

export interface LoginThrottleOptions {
  /** Wrong passwords allowed within `windowMs`; default 5. */
  maxFailures?: number;
  /** Default one minute. */
  windowMs?: number;
  /** How long an address stays locked out, in ms; default one minute. */
  lockMs?: number;
  /** Addresses remembered at most (the oldest forgotten first), so that a flood of addresses cannot fill memory; default 10000. */
  maxClients?: number;
  /** The time in ms since the epoch; default `Date.now`. */
  now?: () => number;
}

interface ClientFailures {
  /** When the recent wrong passwords came, oldest first (within the window). */
  times: number[];
  lockedUntil: number;
}

/** Wrong passwords per client address, and the lock-outs they earn. */
export class LoginThrottle {
  readonly #clients = new Map<string, ClientFailures>();
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #lockMs: number;
  readonly #maxClients: number;
  readonly #now: () => number;

  constructor({ maxFailures = 5, windowMs = 60_000, lockMs = 60_000, maxClients = 10_000, now = Date.now }: LoginThrottleOptions = {}) {
    this.#maxFailures = maxFailures;
    this.#windowMs = windowMs;
    this.#lockMs = lockMs;
    this.#maxClients = maxClients;
    this.#now = now;
  }

  /** Whole seconds until `client` may try again; 0 when it may now. */
  retryAfterSeconds(client: string): number {
    const lockedFor = (this.#clients.get(client)?.lockedUntil ?? 0) - this.#now();
    return lockedFor > 0 ? Math.ceil(lockedFor / 1000) : 0;
  }

  /** A wrong password from `client`. */
  failed(client: string): void {
    const now = this.#now();
    const entry = this.#clients.get(client) ?? { times: [], lockedUntil: 0 };
    // Moved to the end of the Map's order: the entry forgotten first is the one idle the longest.
    this.#clients.delete(client);
    entry.times = [...entry.times.filter((time) => now - time < this.#windowMs), now];
    if (entry.times.length >= this.#maxFailures) {
      entry.lockedUntil = now + this.#lockMs;
      entry.times = [];
    }
    this.#clients.set(client, entry);
    if (this.#clients.size > this.#maxClients) this.#clients.delete(this.#clients.keys().next().value!);
  }

  /** The right password from `client`: its past mistakes are forgotten. */
  succeeded(client: string): void {
    this.#clients.delete(client);
  }
}

export interface StaffAuthOptions {
  username: string;
  password: string;
  realm: string;
  throttle: LoginThrottle;
  /** The client's address (the key of the throttle). */
  clientAddress: (c: Context) => string;
}

/** Basic authentication for the staff's pages, with the throttle in front of it. */
export function staffAuth({ username, password, realm, throttle, clientAddress }: StaffAuthOptions): MiddlewareHandler {
  // The browser shows this page when the staff cancels its password prompt: in French, as the rest.
  const basic = basicAuth({ username, password, realm, invalidUserMessage: 'Identifiant ou mot de passe de l’équipe requis (utilisateur « equipe »).' });
  return async (c, next) => {
    const client = clientAddress(c);
    const retryAfter = throttle.retryAfterSeconds(client);
    if (retryAfter > 0) {
      return c.text('Trop de mots de passe erronés : réessayez dans une minute.', 429, { 'Retry-After': String(retryAfter), 'Cache-Control': 'no-store' });
    }
    try {
      await basic(c, next);
    } catch (error) {
      if (error instanceof HTTPException && error.status === 401 && c.req.header('authorization') !== undefined) throttle.failed(client);
      throw error;
    }
    throttle.succeeded(client);
  };
}
