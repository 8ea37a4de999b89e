import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxProfileUserAnswer, SandboxUserAnswer, Sandbox } from '../../../sandbox/index.js';
import { API_KEY, APP_IDENTIFIER, assertFieldsTiedToError, assertFieldsUntouched, postForm, readPage, testSandbox } from './sandbox-test-helpers.js';

const AUTHORIZE = `/oauth/Home/Authorize?response_type=code&client_id=${APP_IDENTIFIER}&scope=1`;
// The token call's credentials as the default (strictest) Izly checks them: the back office's key, already
// base64, right after `Basic`.
const CLIENT_AUTHORIZATION = `Basic ${API_KEY}`;

interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

/** Logs in through the HTML form; returns the redirect target. */
async function logIn(sandbox: Sandbox, authorizeUrl = AUTHORIZE, identifier = 'etudiant@izly.test', password = 'izly1234'): Promise<URL> {
  const response = await postForm(sandbox, authorizeUrl, { identifier, password, action: 'login' });
  assert.equal(response.status, 303, `login answered ${response.status}`);
  return new URL(response.headers.get('location') ?? '');
}

function token(sandbox: Sandbox, query: string, authorization = CLIENT_AUTHORIZATION): Promise<Response> {
  return Promise.resolve(sandbox.request(`/oauth/Home/Token?${query}`, { method: 'POST', headers: { authorization } }));
}

function users(sandbox: Sandbox, accessToken: string): Promise<Response> {
  return Promise.resolve(sandbox.request('/api/izly/users', { headers: { authorization: `Bearer ${accessToken}` } }));
}

async function codeFor(sandbox: Sandbox): Promise<string> {
  return (await logIn(sandbox)).searchParams.get('code') ?? '';
}

describe('IzlyConnect: the login page', () => {
  test('shows the site name and a labelled French form under a CSP that lets the form reach the POS URLs', async () => {
    const { sandbox } = testSandbox({ pointsOfSale: [{ urlAfterConnection: 'https://shop.test/connected', urlAfterCancellation: 'https://cancel.test/' }] });
    const response = await sandbox.request(`${AUTHORIZE}&state=xyz`);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /form-action 'self' https:\/\/shop\.test https:\/\/cancel\.test/);
    const html = await response.text();
    assert.match(html, /<h1>Connexion avec Izly<\/h1>/);
    assert.match(html, /Boutique démo/);
    assert.match(html, /<label for="identifier">Identifiant<\/label>/);
    assert.match(html, /<label for="password">Mot de passe<\/label>/);
    assert.match(html, />Se connecter<\/button>/);
    assert.match(html, />Annuler<\/button>/);
    assert.match(html, /action="\/oauth\/Home\/Authorize\?response_type=code&amp;client_id=izly-pay-demo&amp;scope=1&amp;state=xyz"/);
  });

  test('success sends the AD to the URL after connection with a code, and echoes state', async () => {
    const { sandbox } = testSandbox({
      izly: { connectState: 'echoed' },
      pointsOfSale: [{ urlAfterConnection: 'https://shop.test/izly/connect/callback?lang=fr' }],
    });
    const target = await logIn(sandbox, `${AUTHORIZE}&state=s%20t%26ate`);
    assert.equal(target.origin + target.pathname, 'https://shop.test/izly/connect/callback');
    assert.equal(target.searchParams.get('lang'), 'fr');
    assert.ok((target.searchParams.get('code') ?? '').length >= 20);
    assert.equal(target.searchParams.get('state'), 's t&ate');
  });

  test('without state, none is added; the phone number works as identifier', async () => {
    const { sandbox } = testSandbox();
    const target = await logIn(sandbox, AUTHORIZE, '0698765432');
    assert.equal(target.searchParams.has('state'), false);
    assert.equal(target.origin + target.pathname, 'http://localhost:8787/izly/connect/callback');
  });

  test('cancel sends the AD to the URL after cancellation, without a code', async () => {
    const { sandbox } = testSandbox({ pointsOfSale: [{ urlAfterCancellation: 'https://shop.test/cancelled' }] });
    const response = await postForm(sandbox, `${AUTHORIZE}&state=abc`, { action: 'cancel' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), 'https://shop.test/cancelled');
  });

  test('a wrong password shows the form again with an alert, then the right one works', async () => {
    const { sandbox } = testSandbox();
    const wrong = await postForm(sandbox, AUTHORIZE, { identifier: 'etudiant@izly.test', password: 'nope', action: 'login' });
    assert.equal(wrong.status, 200);
    const page = readPage(await wrong.text());
    assert.match(page.alert ?? '', /incorrect/);
    assert.equal(page.hasForm, true);
    assertFieldsTiedToError(page.body);
    assertFieldsUntouched(await (await sandbox.request(AUTHORIZE)).text());
    assert.ok((await logIn(sandbox)).searchParams.get('code'));
  });

  test('a bad request (unknown client, wrong response_type, POS not approved) answers a 400 page', async () => {
    const { sandbox } = testSandbox();
    for (const url of [
      '/oauth/Home/Authorize?response_type=code&client_id=nobody&scope=1',
      `/oauth/Home/Authorize?response_type=token&client_id=${APP_IDENTIFIER}&scope=1`,
    ]) {
      const response = await sandbox.request(url);
      assert.equal(response.status, 400);
      assert.equal(readPage(await response.text()).heading, 'Demande de connexion invalide');
    }
    sandbox.control.updatePointOfSale(APP_IDENTIFIER, { approved: false });
    assert.equal((await sandbox.request(AUTHORIZE)).status, 400);
  });

  test('works on a POS without the IzlyPay flag (login only)', async () => {
    const { sandbox } = testSandbox({ pointsOfSale: [{ izlyPay: false }] });
    assert.ok((await logIn(sandbox)).searchParams.get('code'));
  });
});

describe("IzlyConnect: tokens and the AD's details", () => {
  test("authorization_code grant answers tokens shaped like the document's, and users answers the AD", async () => {
    // The users answer flat, as the callback's `User` is (the Profile and minimal forms: variants.test.ts).
    const { sandbox } = testSandbox({ izly: { usersAnswer: 'flat' } });
    const response = await token(sandbox, `grant_type=authorization_code&code=${encodeURIComponent(await codeFor(sandbox))}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const tokens = (await response.json()) as TokenAnswer;
    assert.deepEqual(Object.keys(tokens).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.expires_in, 3600);
    for (const value of [tokens.access_token, tokens.refresh_token]) assert.match(atob(value), /^1;56;[A-Za-z0-9_-]+$/);

    const me = await users(sandbox, tokens.access_token);
    assert.equal(me.status, 200);
    assert.deepEqual((await me.json()) as SandboxUserAnswer, {
      Id: '6000050617',
      Email: 'etudiant@izly.test',
      ClientCode: 'cmartin01',
      NumeroAffectation: '75012345',
      FirstName: 'Camille',
      LastName: 'Martin',
      Phone: '0612345678',
    });
  });

  test("the document's own header form is accepted on the token call", async () => {
    const { sandbox } = testSandbox({
      izly: { tokenAuthorization: 'standard-basic' },
      pointsOfSale: [{ appIdentifier: 'izly-connect-test1', apiKey: 'RPPEQsqOWRiSGkoCgEFO' }],
    });
    const target = await logIn(sandbox, '/oauth/Home/Authorize?response_type=code&client_id=izly-connect-test1&scope=1');
    const response = await token(
      sandbox,
      `grant_type=authorization_code&code=${target.searchParams.get('code')}`,
      'Basic aXpseS1jb25uZWN0LXRlc3QxOlJQUEVRc3FPV1JpU0drb0NnRUZP',
    );
    assert.equal(response.status, 200);
  });

  test('a code works once', async () => {
    const { sandbox } = testSandbox();
    const code = await codeFor(sandbox);
    assert.equal((await token(sandbox, `grant_type=authorization_code&code=${code}`)).status, 200);
    const again = await token(sandbox, `grant_type=authorization_code&code=${code}`);
    assert.equal(again.status, 400);
    assert.equal(((await again.json()) as { error: string }).error, 'invalid_grant');
  });

  test('a code expires (60 s by default)', async () => {
    let now = Date.parse('2025-03-01T10:00:00Z');
    const { sandbox } = testSandbox({ now: () => now });
    const code = await codeFor(sandbox);
    now += 60_000;
    const response = await token(sandbox, `grant_type=authorization_code&code=${code}`);
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_grant');
  });

  test('a code issued to one POS is refused to another', async () => {
    const { sandbox } = testSandbox({ pointsOfSale: [{}, { appIdentifier: 'other', apiKey: 'other-key' }] });
    const code = await codeFor(sandbox);
    const response = await token(sandbox, `grant_type=authorization_code&code=${code}`, 'Basic other-key');
    assert.equal(response.status, 400);
  });

  test('client authentication: standard Basic only; the raw key or a wrong pair is 401 invalid_client', async () => {
    const { sandbox } = testSandbox({ izly: { tokenAuthorization: 'standard-basic' } });
    for (const authorization of [`Basic ${API_KEY}`, `Basic ${btoa(`${APP_IDENTIFIER}:wrong`)}`, '']) {
      const response = await token(sandbox, `grant_type=authorization_code&code=${await codeFor(sandbox)}`, authorization);
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
      assert.match(response.headers.get('www-authenticate') ?? '', /^Basic/);
    }
  });

  test('missing or unknown grant_type, missing code: 400 with OAuth error codes', async () => {
    const { sandbox } = testSandbox();
    const cases: Array<[string, string]> = [
      ['', 'invalid_request'],
      ['grant_type=password', 'unsupported_grant_type'],
      ['grant_type=authorization_code', 'invalid_request'],
      ['grant_type=refresh_token', 'invalid_request'],
      ['grant_type=refresh_token&refresh_token=nope', 'invalid_grant'],
    ];
    for (const [query, error] of cases) {
      const response = await token(sandbox, query);
      assert.equal(response.status, 400, query);
      const body = (await response.json()) as { error: string; error_description: string };
      assert.equal(body.error, error, query);
      assert.ok(body.error_description.length > 0);
    }
  });

  test('access tokens expire; the refresh_token grant gives a new pair and rotates the refresh token', async () => {
    let now = Date.parse('2025-03-01T10:00:00Z');
    const { sandbox } = testSandbox({ now: () => now, accessTokenTtlSeconds: 600 });
    const first = (await (await token(sandbox, `grant_type=authorization_code&code=${await codeFor(sandbox)}`)).json()) as TokenAnswer;
    assert.equal(first.expires_in, 600);
    now += 599_000;
    assert.equal((await users(sandbox, first.access_token)).status, 200);
    now += 1_000;
    const expired = await users(sandbox, first.access_token);
    assert.equal(expired.status, 401);
    assert.equal(((await expired.json()) as { error: string }).error, 'invalid_token');
    assert.match(expired.headers.get('www-authenticate') ?? '', /^Bearer .*invalid_token/);

    const refreshed = await token(sandbox, `grant_type=refresh_token&refresh_token=${encodeURIComponent(first.refresh_token)}`);
    assert.equal(refreshed.status, 200);
    const second = (await refreshed.json()) as TokenAnswer;
    assert.notEqual(second.access_token, first.access_token);
    assert.notEqual(second.refresh_token, first.refresh_token);
    // The person nested under Profile, as the default (strictest) Izly answers.
    assert.equal(((await (await users(sandbox, second.access_token)).json()) as SandboxProfileUserAnswer).Profile.Email, 'etudiant@izly.test');

    const reused = await token(sandbox, `grant_type=refresh_token&refresh_token=${encodeURIComponent(first.refresh_token)}`);
    assert.equal(reused.status, 400);
    assert.equal(((await reused.json()) as { error: string }).error, 'invalid_grant');
  });

  test('users refuses a missing or unknown token with 401', async () => {
    const { sandbox } = testSandbox();
    assert.equal((await sandbox.request('/api/izly/users')).status, 401);
    assert.equal((await users(sandbox, 'MTs1NjtjR2I0anpsNncxRnNmeWFXcnUwXy5BOH5KMXhWT0g=')).status, 401);
  });
});
