// IzlyConnect (contract section 2): an OAuth 2 authorization-code flow. The login page at
// /oauth/Home/Authorize, the token endpoint for both grants (parameters in the query string, Basic
// credentials in the form of the `tokenAuthorization` switch) and /api/izly/users with the Bearer access
// token, answered in the shape of the `usersAnswer` switch.
// Paths are lower-case here: index.ts matches /oauth/… and /api/… without regard to case.
import { Hono } from 'hono';
import { queryParam } from './case-insensitive-binding.js';
import type { Account, PointOfSale } from './config.js';
import { CredentialFields, credentialsError } from './credential-fields.js';
import type { IzlyBehaviour } from './izly-behaviour.js';
import { Layout, htmlPage } from './page-layout.js';
import { pointOfSaleFromBasic } from './partner-auth.js';
import type { SandboxServices } from './sandbox-services.js';
import { randomToken, type SandboxState } from './sandbox-state.js';

/** The AD's details answered by GET /api/izly/users with `usersAnswer: 'flat'` (the default). */
export interface SandboxUserAnswer {
  Id: string;
  Email: string;
  ClientCode: string;
  NumeroAffectation: string;
  /** Sandbox addition: the document's answer is a lost screenshot. */
  FirstName: string;
  /** Sandbox addition. */
  LastName: string;
  /** Sandbox addition. */
  Phone: string;
}

/**
 * `usersAnswer: 'profile'`: the person nested as in S-money's user object (4b), the CROUS fields of the
 * callback's `User` beside it. `PhoneNumber` is the sandbox's guess at S-money's name for the phone.
 */
export interface SandboxProfileUserAnswer {
  Id: string;
  ClientCode: string;
  NumeroAffectation: string;
  Profile: { Email: string; FirstName: string; LastName: string; PhoneNumber: string };
}

/** `usersAnswer: 'minimal'`: only what the callback's `User` proves Izly knows for sure. */
export interface SandboxMinimalUserAnswer {
  Id: string;
  Email: string;
}

function userAnswer(account: Account, shape: IzlyBehaviour['usersAnswer']): SandboxUserAnswer | SandboxProfileUserAnswer | SandboxMinimalUserAnswer {
  switch (shape) {
    case 'flat':
      return {
        Id: account.id,
        Email: account.email,
        ClientCode: account.clientCode,
        NumeroAffectation: account.numeroAffectation,
        FirstName: account.firstName,
        LastName: account.lastName,
        Phone: account.phone,
      };
    case 'profile':
      return {
        Id: account.id,
        ClientCode: account.clientCode,
        NumeroAffectation: account.numeroAffectation,
        Profile: { Email: account.email, FirstName: account.firstName, LastName: account.lastName, PhoneNumber: account.phone },
      };
    case 'minimal':
      return { Id: account.id, Email: account.email };
  }
}

/** A token shaped like the document's: base64 of `1;56;<random>`. */
function newIzlyToken(): string {
  return btoa(`1;56;${randomToken(24)}`);
}

/** `url` with `parameters` added to its query string. */
function withQuery(url: string, parameters: Record<string, string | undefined>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) target.searchParams.set(name, value);
  }
  return target.toString();
}

function oauthError(status: 400 | 401, error: string, description: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

function LoginPage({ basePath, pos, action, error, identifier }: { basePath: string; pos: PointOfSale; action: string; error?: string; identifier?: string }) {
  return (
    <Layout basePath={basePath} title="Connexion avec Izly">
      <div class="card">
        <h1>Connexion avec Izly</h1>
        <p>
          <strong id="site-name">{pos.siteName}</strong> souhaite vous identifier avec votre compte Izly.
        </p>
        {error ? (
          <p class="alert" role="alert" id="form-error">
            {error}
          </p>
        ) : null}
        <form method="post" action={action}>
          <CredentialFields error={error} identifier={identifier} />
          {/* Se connecter comes first so that Enter in a field logs in. */}
          <div class="actions">
            <button type="submit" name="action" value="login" class="primary">
              Se connecter
            </button>
            <button type="submit" name="action" value="cancel" class="secondary" formnovalidate>
              Annuler
            </button>
          </div>
        </form>
      </div>
    </Layout>
  );
}

function InvalidRequestPage({ basePath, reason }: { basePath: string; reason: string }) {
  return (
    <Layout basePath={basePath} title="Demande de connexion invalide">
      <div class="card">
        <h1>Demande de connexion invalide</h1>
        <p class="alert" role="alert">
          {reason}
        </p>
        <p>Le site qui vous a envoyé ici doit corriger son lien de connexion Izly.</p>
      </div>
    </Layout>
  );
}

/** Checks the Authorize query; the POS, or the reason shown to the AD. */
function authorizeRequest(state: SandboxState, url: string): { pos: PointOfSale; state: string | undefined } | { reason: string } {
  const responseType = queryParam(url, 'response_type');
  if (responseType !== 'code') return { reason: 'Le paramètre response_type doit valoir « code ».' };
  const clientId = queryParam(url, 'client_id');
  const pos = clientId ? state.pointOfSale(clientId) : undefined;
  if (!pos) return { reason: 'Le paramètre client_id ne correspond à aucun site partenaire.' };
  if (!pos.approved) return { reason: 'Ce site partenaire n’est pas encore agréé par Izly.' };
  return { pos, state: queryParam(url, 'state') };
}

export function izlyConnectRoutes({ state, faults }: SandboxServices) {
  const app = new Hono();
  const { basePath } = state.config;
  /** The login form posts back to the page's own address, query included. */
  const formAction = (url: string) => `${basePath}/oauth/Home/Authorize${new URL(url).search}`;

  app.get('/oauth/home/authorize', (c) => {
    const request = authorizeRequest(state, c.req.url);
    if ('reason' in request) return htmlPage(<InvalidRequestPage basePath={basePath} reason={request.reason} />, { status: 400 });
    const { pos } = request;
    return htmlPage(<LoginPage basePath={basePath} pos={pos} action={formAction(c.req.url)} />, {
      redirectTargets: [pos.urlAfterConnection, pos.urlAfterCancellation],
    });
  });

  app.post('/oauth/home/authorize', async (c) => {
    const form = await c.req.parseBody();
    const request = authorizeRequest(state, c.req.url);
    if ('reason' in request) return htmlPage(<InvalidRequestPage basePath={basePath} reason={request.reason} />, { status: 400 });
    const { pos } = request;
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
    if (field('action') === 'cancel') return c.redirect(pos.urlAfterCancellation, 303);

    const identifier = field('identifier').trim();
    const account = state.findAccount(identifier);
    if (!account || account.password !== field('password')) {
      return htmlPage(
        <LoginPage
          basePath={basePath}
          pos={pos}
          action={formAction(c.req.url)}
          identifier={identifier}
          error={credentialsError(identifier, field('password'))}
        />,
        { redirectTargets: [pos.urlAfterConnection, pos.urlAfterCancellation] },
      );
    }
    const code = randomToken(24);
    state.remember(state.authorizationCodes, code, {
      appIdentifier: pos.appIdentifier,
      email: account.email,
      expiresAt: state.now() + state.config.authorizationCodeTtlMs,
    });
    // The document never mentions `state`; an Izly that drops it is as plausible as one that echoes it.
    const echoedState = state.izly.connectState === 'echoed' ? request.state : undefined;
    return c.redirect(withQuery(pos.urlAfterConnection, { code, state: echoedState }), 303);
  });

  app.post('/oauth/home/token', faults.middleware('token'), (c) => {
    // One form only, as one real Izly would check it: the document's example (standard Basic) or the back
    // office's key as is, when that key is already the base64 string that follows `Basic` (2.2, 4b).
    const rawKey = state.izly.tokenAuthorization === 'raw-key';
    const pos = pointOfSaleFromBasic(state, c.req.header('authorization'), { rawKey, standard: !rawKey });
    if (!pos || pos === 'missing') {
      const expected = rawKey ? "Basic <clé d'API>" : 'Basic base64(AppIdentifier:apiKey)';
      return oauthError(401, 'invalid_client', `Authentification du client refusée : attendu ${expected}`, {
        'www-authenticate': 'Basic realm="Izly"',
      });
    }
    const url = c.req.url;
    const grantType = queryParam(url, 'grant_type');
    let email: string;
    if (grantType === 'authorization_code') {
      const code = queryParam(url, 'code');
      if (!code) return oauthError(400, 'invalid_request', 'Paramètre code absent (il se passe dans la query string)');
      const issued = state.authorizationCodes.get(code);
      // Single use: a code is forgotten as soon as it is presented, whatever happens next.
      state.authorizationCodes.delete(code);
      if (!issued || issued.appIdentifier !== pos.appIdentifier || issued.expiresAt <= state.now()) {
        return oauthError(400, 'invalid_grant', 'Code inconnu, déjà utilisé, expiré ou émis pour un autre client');
      }
      email = issued.email;
    } else if (grantType === 'refresh_token') {
      const refreshToken = queryParam(url, 'refresh_token');
      if (!refreshToken) return oauthError(400, 'invalid_request', 'Paramètre refresh_token absent (il se passe dans la query string)');
      const issued = state.refreshTokens.get(refreshToken);
      if (!issued || issued.appIdentifier !== pos.appIdentifier) {
        return oauthError(400, 'invalid_grant', 'Jeton de rafraîchissement inconnu, déjà utilisé ou émis pour un autre client');
      }
      // Rotation: each refresh token works once and is replaced by the one answered now.
      state.refreshTokens.delete(refreshToken);
      email = issued.email;
    } else {
      return grantType
        ? oauthError(400, 'unsupported_grant_type', `grant_type « ${grantType} » non pris en charge`)
        : oauthError(400, 'invalid_request', 'Paramètre grant_type absent (il se passe dans la query string)');
    }

    const accessToken = newIzlyToken();
    const refreshToken = newIzlyToken();
    const expiresIn = state.config.accessTokenTtlSeconds;
    state.remember(state.accessTokens, accessToken, { appIdentifier: pos.appIdentifier, email, expiresAt: state.now() + expiresIn * 1000 });
    state.remember(state.refreshTokens, refreshToken, { appIdentifier: pos.appIdentifier, email, expiresAt: null });
    return c.json({ access_token: accessToken, refresh_token: refreshToken, token_type: 'bearer', expires_in: expiresIn }, 200, {
      'cache-control': 'no-store',
      pragma: 'no-cache',
    });
  });

  app.get('/api/izly/users', faults.middleware('users'), (c) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    const issued = match?.[1] ? state.accessTokens.get(match[1]) : undefined;
    const unauthorized = (description: string) =>
      oauthError(401, 'invalid_token', description, { 'www-authenticate': 'Bearer realm="Izly", error="invalid_token"' });
    if (!match) return unauthorized('En-tête Authorization: Bearer absent');
    if (!issued) return unauthorized('Jeton inconnu');
    if (issued.expiresAt !== null && issued.expiresAt <= state.now()) return unauthorized('Jeton expiré');
    const account = state.accountByEmail(issued.email);
    if (!account) return unauthorized('Compte supprimé');
    return c.json(userAnswer(account, state.izly.usersAnswer));
  });

  return app;
}
