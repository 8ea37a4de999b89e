// Server-side use of IzlyConnect tokens after the login: refresh, refresh only when expired, and read the
// AD's details with one refresh on an expired token. Izly's refresh tokens may rotate (the sandbox's do:
// each works once), so every helper returns the tokens to keep from now on.
import { IzlyConnectError, connectErrorFromIzly } from './errors.js';
import type { ConnectTokens } from './options.js';
import type { IzlyClient } from '../izly/client.js';
import type { IzlyTokens, IzlyUser } from '../izly/connect.js';
import { IzlyApiError } from '../izly/errors.js';

/** The token helpers on `izlyPay(...).connect`. Each throws `IzlyConnectError` (`refresh_rejected`: log the AD in again). */
export interface IzlyConnectTokens {
  /**
   * Fresh tokens from a refresh token. Concurrent calls with the same refresh token share one request to
   * Izly, so two requests of one session do not burn a rotating token twice.
   * @example
   * session.tokens = await izly.connect.refresh(session.tokens.refreshToken);
   */
  refresh(refreshToken: string): Promise<ConnectTokens>;
  /**
   * The same tokens while the access token has more than `marginSeconds` (default 60) left, else fresh ones.
   * Tokens whose expiry is unknown (`expiresAt: null`) are returned as they are: use `getUser` to find out.
   * @example
   * session.tokens = await izly.connect.refreshIfExpired(session.tokens);
   */
  refreshIfExpired(tokens: ConnectTokens, options?: { marginSeconds?: number }): Promise<ConnectTokens>;
  /** The AD's current details, refreshing first when expired and once more if Izly refuses the access token. */
  getUser(tokens: ConnectTokens): Promise<{ user: IzlyUser; tokens: ConnectTokens }>;
}

/** Izly's tokens with their expiry on our clock. */
export function withExpiry(tokens: IzlyTokens, now: number): ConnectTokens {
  return { ...tokens, expiresAt: tokens.expiresIn === null ? null : now + tokens.expiresIn * 1000 };
}

export function createConnectTokens(client: IzlyClient, now: () => number): IzlyConnectTokens {
  const refreshing = new Map<string, Promise<ConnectTokens>>();

  const refresh = (refreshToken: string): Promise<ConnectTokens> => {
    if (typeof refreshToken !== 'string' || refreshToken === '') throw new TypeError('connect.refresh: refreshToken must be a non-empty string');
    const pending = refreshing.get(refreshToken);
    if (pending) return pending;
    const request = client
      .refreshToken(refreshToken)
      .then((tokens) => withExpiry(tokens, now()))
      .catch((error: unknown) => {
        throw connectErrorFromIzly(error, 'refresh_rejected');
      })
      .finally(() => refreshing.delete(refreshToken));
    refreshing.set(refreshToken, request);
    return request;
  };

  const refreshIfExpired = async (tokens: ConnectTokens, { marginSeconds = 60 }: { marginSeconds?: number } = {}): Promise<ConnectTokens> => {
    if (tokens.expiresAt === null || tokens.expiresAt - marginSeconds * 1000 > now()) return tokens;
    return refresh(tokens.refreshToken);
  };

  return {
    refresh,
    refreshIfExpired,
    async getUser(tokens) {
      let current = await refreshIfExpired(tokens);
      for (let attempt = 1; ; attempt++) {
        try {
          return { user: await client.getUser(current.accessToken), tokens: current };
        } catch (error) {
          // Izly's own clock decides: a token it refuses is refreshed once, whatever our clock said.
          if (attempt === 1 && error instanceof IzlyApiError && error.httpStatus === 401) {
            current = await refresh(current.refreshToken);
            continue;
          }
          throw error instanceof IzlyConnectError ? error : connectErrorFromIzly(error, 'refresh_rejected');
        }
      }
    },
  };
}
