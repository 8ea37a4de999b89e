// What every call of the client needs, resolved once from the client's options: the transport and the
// POS's credentials as each kind of call sends them. The API key is inside the headers only.
import type { IzlyTransportSettings } from './http.js';

export interface IzlyCallSettings {
  transport: IzlyTransportSettings;
  appIdentifier: string;
  /** `Authorization` of the payment calls (`Basic <apiKey>` or `Basic base64(appIdentifier:apiKey)`). */
  paymentAuthorization: string;
  /** Standard Basic of `appIdentifier:apiKey`, for the OAuth token call. */
  basicAuthorization: string;
  /** `Content-Type` of the payment calls that send a body. */
  contentType: string;
}

/** Headers of the payment calls (initiate, get, refund). */
export function paymentHeaders(settings: IzlyCallSettings, withBody: boolean): Record<string, string> {
  return {
    Authorization: settings.paymentAuthorization,
    AppIdentifier: settings.appIdentifier,
    Accept: 'application/json',
    ...(withBody ? { 'Content-Type': settings.contentType } : {}),
  };
}

/** A call's string argument, checked before anything is sent. */
export function requireArgument(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`Izly client: ${name} must be a non-empty string`);
  return value;
}
