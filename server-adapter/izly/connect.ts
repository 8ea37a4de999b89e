// IzlyConnect (OAuth 2 authorization code): the login page's URL, the token and users calls, and their
// answers read from Izly's JSON into camelCase. Tokens are secrets: they never appear in an error message.
import { requireArgument, type IzlyCallSettings } from './call-settings.js';
import { IzlyApiError, IzlyUnexpectedAnswerError } from './errors.js';
import { field, integerField, isJsonObject, objectField, redactBody, textField, type JsonObject } from './fields.js';
import { sendIzlyRequest } from './http.js';

/** Tokens from `POST /oauth/Home/Token`. Keep them server-side. */
export interface IzlyTokens {
  accessToken: string;
  refreshToken: string;
  /** `token_type` when Izly sends one (e.g. `bearer`). */
  tokenType: string | null;
  /** `expires_in` in seconds when Izly sends it. */
  expiresIn: number | null;
}

/** The AD (student account holder) as `GET /api/izly/users` describes them. */
export interface IzlyUser {
  /** Izly's id of the AD's e-money account. */
  id: string | null;
  email: string | null;
  /** CROUS client code (`ClientCode`). */
  clientCode: string | null;
  /** CROUS assignment number (`NumeroAffectation`). */
  assignmentNumber: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  /** Every field of the answer as received, for fields this type does not name (the answer is undocumented). */
  raw: Readonly<JsonObject>;
}

export function parseIzlyTokens(body: unknown): IzlyTokens {
  if (!isJsonObject(body)) throw new IzlyUnexpectedAnswerError('token', 200, 'the answer is not a JSON object', redactBody(body));
  const accessToken = textField(body, 'access_token');
  const refreshToken = textField(body, 'refresh_token');
  if (!accessToken || !refreshToken) {
    throw new IzlyUnexpectedAnswerError('token', 200, 'access_token or refresh_token is missing', redactBody(body));
  }
  return {
    accessToken,
    refreshToken,
    tokenType: textField(body, 'token_type'),
    expiresIn: integerField(body, 'expires_in'),
  };
}

/** The first of `names` found in one of `objects`, looked up object by object. */
function firstText(objects: readonly JsonObject[], names: string[]): string | null {
  for (const object of objects) {
    for (const name of names) {
      const value = textField(object, name);
      if (value !== null) return value;
    }
  }
  return null;
}

export function parseIzlyUser(body: unknown): IzlyUser {
  // Some APIs wrap the user in an object or a one-element list; accept both.
  const candidate = Array.isArray(body) ? body[0] : isJsonObject(body) && isJsonObject(field(body, 'User')) ? field(body, 'User') : body;
  if (!isJsonObject(candidate)) throw new IzlyUnexpectedAnswerError('users', 200, 'the answer is not a JSON object', redactBody(body));
  // S-money's user object nests the person under `Profile` (contract 4b); a top-level field wins over it.
  const person = [candidate, ...[objectField(candidate, 'Profile')].filter((profile) => profile !== null)];
  const user: IzlyUser = {
    // The account's id only: an id inside `Profile` would name the profile, not the AD.
    id: firstText([candidate], ['Id', 'UserId']),
    email: firstText(person, ['Email', 'Mail']),
    clientCode: firstText(person, ['ClientCode']),
    assignmentNumber: firstText(person, ['NumeroAffectation', 'AssignmentNumber']),
    firstName: firstText(person, ['FirstName', 'Prenom', 'GivenName']),
    lastName: firstText(person, ['LastName', 'Nom', 'FamilyName', 'Name']),
    phone: firstText(person, ['Phone', 'PhoneNumber', 'Telephone', 'Mobile']),
    raw: candidate,
  };
  if (user.id === null && user.email === null) {
    throw new IzlyUnexpectedAnswerError('users', 200, 'neither Id nor Email is present', redactBody(body));
  }
  return user;
}

/** The IzlyConnect login page's URL, where the browser is sent. `state` is added when given (Izly does not document it). */
export function authorizeUrl(settings: IzlyCallSettings, { state }: { state?: string } = {}): string {
  const url = new URL(`${settings.transport.baseUrl}/oauth/Home/Authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', settings.appIdentifier);
  url.searchParams.set('scope', '1');
  if (state !== undefined) url.searchParams.set('state', state);
  return url.href;
}

/** Izly did not recognise the client's credentials in the form they were sent (not a bad code or token). */
function isInvalidClient(error: unknown): boolean {
  return error instanceof IzlyApiError && error.httpStatus === 401 && error.code === 'invalid_client';
}

/**
 * Both OAuth grants, parameters in the query string (contract 2.2, 2.4). `Authorization` is standard Basic
 * of `AppIdentifier:apiKey` (the document's example), or the back-office key as is when Izly refused that
 * and the key is already base64 ("Basic + la clé API récupérée depuis le BO"): a refused call did nothing,
 * so sending it again in the other form is safe, and the form Izly took is kept.
 */
async function requestTokens(settings: IzlyCallSettings, query: Record<string, string>): Promise<IzlyTokens> {
  const body = await settings.tokenAuthorization.send(isInvalidClient, (authorization) =>
    sendIzlyRequest(settings.transport, {
      call: 'token',
      method: 'POST',
      path: '/oauth/Home/Token',
      query,
      headers: { Authorization: authorization, Accept: 'application/json' },
    }),
  );
  return parseIzlyTokens(body);
}

/** Exchanges an IzlyConnect `code` for tokens. */
export function exchangeCode(settings: IzlyCallSettings, code: string): Promise<IzlyTokens> {
  return requestTokens(settings, { grant_type: 'authorization_code', code: requireArgument('code', code) });
}

/** Gets fresh tokens from a refresh token. */
export function refreshToken(settings: IzlyCallSettings, token: string): Promise<IzlyTokens> {
  return requestTokens(settings, { grant_type: 'refresh_token', refresh_token: requireArgument('refreshToken', token) });
}

/** `GET /api/izly/users`: the logged-in AD's details. */
export async function getUser(settings: IzlyCallSettings, accessToken: string): Promise<IzlyUser> {
  const body = await sendIzlyRequest(settings.transport, {
    call: 'users',
    method: 'GET',
    path: '/api/izly/users',
    headers: { Authorization: `Bearer ${requireArgument('accessToken', accessToken)}`, Accept: 'application/json' },
  });
  return parseIzlyUser(body);
}
