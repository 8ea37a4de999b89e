// What every call of the client needs, resolved once from the client's options: the transport and the
// POS's credentials as each kind of call sends them. The API key is inside the headers only.
import type { IzlyTransportSettings } from './http.js';

/** The content type of the document (section 3). */
export const XPOLLENS_CONTENT_TYPE = 'application/vnd.Xpollens.v1+json';
/** The content type proven in production (esup-papercut, section 4): the provider's former name. */
export const S_MONEY_CONTENT_TYPE = 'application/vnd.s-money.v1+json';

/**
 * A header value where Izly may want either of two forms (the content type of the payment calls, the
 * `Authorization` of the token call): the first form is sent until Izly refuses it, then the other one,
 * once per client, and whichever Izly answered first is kept. After that no refusal moves it again: one
 * extra request in the client's life, plus one for each request already in flight with the refused value
 * when it switched (`alternative` null: pinned).
 */
export class HeaderChoice {
  #current: string;
  readonly #alternative: string | null;
  #settled: boolean;

  constructor(first: string, alternative: string | null) {
    this.#current = first;
    this.#alternative = alternative;
    this.#settled = alternative === null;
  }

  /** The value to send now. */
  get current(): string {
    return this.#current;
  }

  /**
   * Sends with the current value; when `refused(error)` says Izly turned that very value down, sends again
   * once with the other one (or with the value another call already switched to meanwhile).
   */
  async send<T>(refused: (error: unknown) => boolean, send: (value: string) => Promise<T>): Promise<T> {
    const sent = this.#current;
    try {
      return this.#worked(sent, await send(sent));
    } catch (error) {
      const next = refused(error) ? this.#afterRefusal(sent) : null;
      if (next === null) throw error;
      return this.#worked(next, await send(next));
    }
  }

  #worked<T>(sent: string, result: T): T {
    if (sent === this.#current) this.#settled = true;
    return result;
  }

  #afterRefusal(sent: string): string | null {
    if (sent !== this.#current) return this.#current;
    if (this.#settled || this.#alternative === null) return null;
    this.#settled = true;
    this.#current = this.#alternative;
    return this.#current;
  }
}

export interface IzlyCallSettings {
  transport: IzlyTransportSettings;
  appIdentifier: string;
  /** `Authorization` of the payment calls (`Basic <apiKey>` or `Basic base64(appIdentifier:apiKey)`). */
  paymentAuthorization: string;
  /** `Authorization` of the OAuth token call: standard Basic of `appIdentifier:apiKey`, or `Basic <apiKey>` when the key looks like base64. */
  tokenAuthorization: HeaderChoice;
}

/**
 * Headers of the payment calls (initiate, get, refund). Every one of them carries the client's content
 * type, a GET included (an Izly that checks it checks it on every call); the transport switches it on a
 * 415.
 */
export function paymentHeaders(settings: IzlyCallSettings): Record<string, string> {
  return {
    Authorization: settings.paymentAuthorization,
    AppIdentifier: settings.appIdentifier,
    Accept: 'application/json',
    'Content-Type': settings.transport.contentType.current,
  };
}

/** A call's string argument, checked before anything is sent. */
export function requireArgument(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`Izly client: ${name} must be a non-empty string`);
  return value;
}
