// The server-side token helpers on `izlyPay(...).connect`, against the sandbox's token endpoint: the
// refresh grant (with rotation), expiry on the sandbox's clock, and Izly failing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IzlyConnectError, izlyPay, memoryStore, type ConnectTokens } from '../../../server-adapter/index.js';
import { loginUntilCallback, startConnectHarness, type ConnectHarness } from './connect-harness.js';

/** Logs the student in through the real flow; returns the tokens onLogin received. */
async function logIn(harness: ConnectHarness): Promise<ConnectTokens> {
  const browser = harness.browser();
  const answer = await browser.get(await loginUntilCallback(harness, browser));
  assert.equal(answer.status, 303);
  return harness.logins.at(-1)!.tokens;
}

function tokenCalls(harness: ConnectHarness): number {
  return harness.upstream.filter((request) => request.method === 'POST' && request.path === '/oauth/Home/Token').length;
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof IzlyConnectError, `expected an IzlyConnectError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

describe('IzlyConnect tokens on the server', () => {
  let harness: ConnectHarness;
  before(async () => {
    harness = await startConnectHarness({ sandbox: { accessTokenTtlSeconds: 3600 } });
  });
  after(() => harness.close());

  test('the refresh grant gives new tokens; the old refresh token is then refused (rotation)', async () => {
    const tokens = await logIn(harness);
    const fresh = await harness.izly.connect.refresh(tokens.refreshToken);
    assert.notEqual(fresh.accessToken, tokens.accessToken);
    assert.notEqual(fresh.refreshToken, tokens.refreshToken);
    assert.equal(fresh.expiresAt, harness.now() + 3600 * 1000);
    assert.equal((await harness.izly.client.getUser(fresh.accessToken)).clientCode, 'cmartin01');
    await rejectsWith(harness.izly.connect.refresh(tokens.refreshToken), 'refresh_rejected');
  });

  test('an access token past its expiry is refused by Izly; refreshIfExpired renews it, getUser works again', async () => {
    const tokens = await logIn(harness);
    const calls = tokenCalls(harness);
    assert.equal(await harness.izly.connect.refreshIfExpired(tokens), tokens, 'a valid token is kept as it is');
    assert.equal(tokenCalls(harness), calls, 'without asking Izly');

    harness.advance(3601 * 1000);
    await assert.rejects(harness.izly.client.getUser(tokens.accessToken), (error: Error & { httpStatus?: number }) => error.httpStatus === 401);
    const renewed = await harness.izly.connect.refreshIfExpired(tokens);
    assert.notEqual(renewed.accessToken, tokens.accessToken);
    assert.ok((renewed.expiresAt ?? 0) > harness.now());
    const { user, tokens: same } = await harness.izly.connect.getUser(renewed);
    assert.equal(same, renewed);
    assert.equal(user.email, 'etudiant@izly.test');
    assert.equal(user.assignmentNumber, '75012345');
  });

  test('refreshIfExpired renews a token shortly before its expiry (the margin)', async () => {
    const tokens = await logIn(harness);
    harness.advance(3600 * 1000 - 30_000);
    assert.notEqual((await harness.izly.connect.refreshIfExpired(tokens)).accessToken, tokens.accessToken);
    const other = await logIn(harness);
    harness.advance(3600 * 1000 - 30_000);
    assert.equal(await harness.izly.connect.refreshIfExpired(other, { marginSeconds: 10 }), other);
  });

  test('getUser refreshes once when Izly refuses a token our clock thought valid, and returns the tokens to keep', async () => {
    const tokens = await logIn(harness);
    // Expiry unknown to us (Izly may send no expires_in); Izly's clock has moved on.
    const unknownExpiry: ConnectTokens = { ...tokens, expiresIn: null, expiresAt: null };
    harness.advance(3601 * 1000);
    const { user, tokens: kept } = await harness.izly.connect.getUser(unknownExpiry);
    assert.equal(user.clientCode, 'cmartin01');
    assert.notEqual(kept.refreshToken, tokens.refreshToken);
    await rejectsWith(harness.izly.connect.refresh(tokens.refreshToken), 'refresh_rejected');
  });

  test('two requests of one session refreshing at once share one call to Izly (a rotated token works once)', async () => {
    const tokens = await logIn(harness);
    const calls = tokenCalls(harness);
    const [a, b] = await Promise.all([harness.izly.connect.refresh(tokens.refreshToken), harness.izly.connect.refresh(tokens.refreshToken)]);
    assert.equal(tokenCalls(harness), calls + 1);
    assert.deepEqual(a, b);
  });

  test('Izly down during a refresh: izly_unavailable, and the refresh token still works afterwards', async () => {
    const tokens = await logIn(harness);
    harness.sandbox.control.setFaults({ serverErrors: 1, routes: ['token'] });
    await rejectsWith(harness.izly.connect.refresh(tokens.refreshToken), 'izly_unavailable');
    harness.sandbox.control.setFaults({});
    const fresh = await harness.izly.connect.refresh(tokens.refreshToken);
    assert.ok(fresh.accessToken);
  });

  test('an unknown refresh token: refresh_rejected, so the partner knows to log the student in again', async () => {
    await rejectsWith(harness.izly.connect.refresh('bm90LWEtdG9rZW4='), 'refresh_rejected');
    await rejectsWith(
      harness.izly.connect.getUser({ accessToken: 'bm90LWEtdG9rZW4=', refreshToken: 'bm90LWEtdG9rZW4y', tokenType: null, expiresIn: null, expiresAt: null }),
      'refresh_rejected',
    );
  });

  test('nothing the helpers did wrote a token to the log', () => {
    const tokens = harness.logins.flatMap(({ tokens: t }) => [t.accessToken, t.refreshToken]);
    for (const line of harness.logs) for (const token of tokens) assert.equal(line.includes(token), false);
  });
});

describe('IzlyConnect options', () => {
  const base = { onLogin: () => {} };
  for (const [name, connect, message] of [
    ['onLogin missing', {}, /connect\.onLogin must be a function/],
    ['returnUrl on another origin', { ...base, returnUrl: 'https://elsewhere.example/' }, /connect\.returnUrl must be on one of allowedOrigins/],
    ['paymentCancelUrl not a URL', { ...base, paymentCancelUrl: '/panier' }, /connect\.paymentCancelUrl must be an absolute http\(s\) URL/],
    ['state unknown', { ...base, state: 'never' }, /connect\.state must be 'required' or 'if-returned'/],
    ['loginTimeoutSeconds too long', { ...base, loginTimeoutSeconds: 86_400 }, /connect\.loginTimeoutSeconds must be an integer between 30 and 3600/],
    ['cookieName with a space', { ...base, cookieName: 'izly connect' }, /connect\.cookieName must be a cookie name token/],
    ['cookieName with a prefix of its own', { ...base, cookieName: '__Host-login' }, /connect\.cookieName must not start with __Host- or __Secure-/],
    ['cookieName with a prefix in another case', { ...base, cookieName: '__secure-login' }, /connect\.cookieName must not start with __Host- or __Secure-/],
    ['session not a function', { ...base, session: 'yes' }, /connect\.session must be a function/],
  ] as const) {
    test(`a bad option throws at construction: ${name}`, () => {
      assert.throws(
        () =>
          izlyPay({
            baseUrl: 'http://127.0.0.1:9',
            appIdentifier: 'izly-pay-demo',
            apiKey: 'sandbox-api-key',
            secret: 'test-secret-that-is-at-least-32-characters-long',
            store: memoryStore(),
            allowedOrigins: ['https://shop.example'],
            order: () => null,
            // Deliberately wrong shapes, as a JavaScript caller could pass them.
            connect: connect as never,
          }),
        message,
      );
    });
  }
});
