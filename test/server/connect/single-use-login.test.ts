// A login is single use and bound to the browser (issue 14, point 4): the login cookie's nonce is spent at
// the callback, so the same cookie replayed, or copied into another browser, opens nothing; on https the
// cookie is a `__Host-` one, which a sibling site cannot plant.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { createIzlyClient, memoryStore } from '../../../server-adapter/index.js';
import { loginNonces } from '../../../server-adapter/connect/login-nonces.js';
import { LOGIN_NONCE_SWEEP_EVERY, SpentLoginNonces } from '../../../server-adapter/stores/spent-login-nonces.js';
import { resolveConnectOptions } from '../../../server-adapter/connect/options.js';
import { connectRoutes } from '../../../server-adapter/connect/routes.js';
import {
  API_KEY,
  APP_IDENTIFIER,
  SECRET,
  logInAtIzly,
  loginUntilCallback,
  readConnectPage,
  startConnectHarness,
  startLogin,
  type ConnectHarness,
} from './connect-harness.js';

function tokenCalls(harness: ConnectHarness): number {
  return harness.upstream.filter((r) => r.path === '/oauth/Home/Token').length;
}

/** A code for the student from Izly's page, obtained without this site's login route (as an attacker would). */
async function codeFromIzly(harness: ConnectHarness): Promise<string> {
  const outcome = await logInAtIzly(harness.izly.client.authorizeUrl());
  const code = new URL(outcome.location ?? '').searchParams.get('code');
  assert.ok(code);
  return code;
}

describe('IzlyConnect: one login cookie, one callback', () => {
  let harness: ConnectHarness;
  before(async () => {
    harness = await startConnectHarness({ sandbox: { izly: { connectState: 'dropped' } } });
  });
  after(() => harness.close());

  test('the same cookie replayed with a fresh code opens no second session, and Izly is not even asked', async () => {
    const browser = harness.browser();
    const callback = await loginUntilCallback(harness, browser);
    const cookie = browser.cookies.get('izly_connect')!.value;
    assert.equal((await browser.get(callback)).status, 303);
    assert.equal(harness.logins.length, 1);

    // The cookie put back, with another code of the same student's (or of an attacker's) account.
    browser.cookies.set('izly_connect', { value: cookie, path: '/izly/connect' });
    const before = tokenCalls(harness);
    const replay = new URL(`${harness.partnerUrl}/izly/connect/callback`);
    replay.searchParams.set('code', await codeFromIzly(harness));
    const answer = await browser.get(replay.href);
    assert.equal(answer.status, 400);
    assert.equal(readConnectPage(answer.body).code, 'login_not_started');
    assert.equal(harness.logins.length, 1);
    assert.equal(tokenCalls(harness), before);
    assert.ok(harness.logs.some((line) => /came back after its callback/.test(line)));
  });

  test('a used cookie planted in another browser opens nothing there', async () => {
    const student = harness.browser();
    const count = harness.logins.length;
    const callback = await loginUntilCallback(harness, student);
    const cookie = student.cookies.get('izly_connect')!.value;
    assert.equal((await student.get(callback)).status, 303);

    const victim = harness.browser();
    victim.cookies.set('izly_connect', { value: cookie, path: '/izly/connect' });
    const planted = new URL(`${harness.partnerUrl}/izly/connect/callback`);
    planted.searchParams.set('code', await codeFromIzly(harness));
    const answer = await victim.get(planted.href);
    assert.equal(readConnectPage(answer.body).code, 'login_not_started');
    assert.equal(harness.logins.length, count + 1);
    assert.equal(victim.cookies.has('shop_session'), false);
  });

  test('two callbacks with one cookie at the same time: exactly one logs in', async () => {
    const browser = harness.browser();
    const count = harness.logins.length;
    const callback = await loginUntilCallback(harness, browser);
    const cookie = browser.cookies.get('izly_connect')!.value;
    const twin = harness.browser();
    twin.cookies.set('izly_connect', { value: cookie, path: '/izly/connect' });
    const other = new URL(`${harness.partnerUrl}/izly/connect/callback`);
    other.searchParams.set('code', await codeFromIzly(harness));
    const answers = await Promise.all([browser.get(callback), twin.get(other.href)]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [303, 400]);
    assert.equal(harness.logins.length, count + 1);
  });
});

describe('IzlyConnect: where the nonces are spent', () => {
  test("the store's spendLoginNonce when it has one: every callback asks it, and its no is final", async () => {
    const spent: Array<{ nonce: string; expiresAt: Date }> = [];
    let answer = true;
    const store = Object.assign(memoryStore(), {
      spendLoginNonce: async (nonce: string, expiresAt: Date) => {
        spent.push({ nonce, expiresAt });
        return answer;
      },
    });
    const harness = await startConnectHarness();
    const now = () => harness.now();
    const app = new Hono().route(
      '/izly/connect',
      connectRoutes({
        options: resolveConnectOptions({ onLogin: () => {} }, [harness.partnerUrl]),
        client: createIzlyClient({ baseUrl: harness.sandboxUrl, appIdentifier: APP_IDENTIFIER, apiKey: API_KEY }),
        secret: SECRET,
        allowedOrigins: [harness.partnerUrl],
        logger: { warn() {}, error() {} },
        now,
        store,
      }),
    );
    try {
      const login = await app.request(`${harness.partnerUrl}/izly/connect/login`);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const state = new URL(login.headers.get('location') ?? '').searchParams.get('state')!;
      const callback = (await logInAtIzly(login.headers.get('location')!)).location!;
      const headers = { Cookie: cookie, Accept: 'application/json' };

      answer = false;
      const refused = await app.request(callback, { headers });
      assert.equal(refused.status, 400);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'login_not_started');
      assert.deepEqual(spent, [{ nonce: state, expiresAt: new Date(harness.now() + 600_000) }]);

      answer = true;
      assert.equal((await app.request(callback, { headers })).status, 303);
      assert.equal(spent.length, 2);
    } finally {
      await store.close();
      await harness.close();
    }
  });

  test('without spendLoginNonce in the store, the process spends the nonces', async () => {
    const { spendLoginNonce: _, ...store } = memoryStore();
    const nonces = loginNonces(store, () => 0);
    assert.equal(await nonces.spend('a', 100_000), true);
    assert.equal(await nonces.spend('a', 100_000), false);
  });

  test('the in-process nonces are kept until they expire, then forgotten at the next sweep', async () => {
    let clock = 0;
    const nonces = new SpentLoginNonces(() => clock);
    assert.equal(await nonces.spendLoginNonce('a', new Date(100_000)), true);
    assert.equal(await nonces.spendLoginNonce('a', new Date(100_000)), false);
    assert.equal(await nonces.spendLoginNonce('b', new Date(1_000_000)), true);
    clock = 100_000;
    // With the three spends above and the one of b below, the last is the hundredth.
    const fillers = LOGIN_NONCE_SWEEP_EVERY - 4;
    for (let i = 0; i < fillers; i++) await nonces.spendLoginNonce(`filler-${i}`, new Date(1_000_000));
    assert.equal(nonces.size, 2 + fillers, 'nothing is swept before the hundredth spend');
    assert.equal(await nonces.spendLoginNonce('b', new Date(1_000_000)), false, 'b is kept');
    assert.equal(nonces.size, 1 + fillers, 'a is swept at the hundredth spend');
  });
});

describe('IzlyConnect: the login cookie on https', () => {
  let harness: ConnectHarness;
  before(async () => {
    harness = await startConnectHarness({ sandbox: { izly: { connectState: 'dropped' } } });
  });
  after(() => harness.close());

  /** The adapter as reached over https (behind the partner's TLS), called in process. */
  const overHttps = (url: string, headers: Record<string, string> = {}) =>
    harness.izly.request(url.replace(/^http:\/\/[^/]+\/izly/, 'https://shop.example'), { headers: { Accept: 'text/html', ...headers } });

  test('it is a __Host- cookie (Secure, Path=/, no Domain), and the callback reads only that one', async () => {
    const login = await overHttps(`${harness.partnerUrl}/izly/connect/login`);
    assert.equal(login.status, 302);
    const setCookie = login.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^__Host-izly_connect=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    const value = setCookie.split(';')[0]!.slice('__Host-izly_connect='.length);
    const callback = (await logInAtIzly(login.headers.get('location')!)).location!;

    // The same value under the plain name, as a sibling or a plain-http page could set it, is not read.
    const plain = await overHttps(callback, { Cookie: `izly_connect=${value}` });
    assert.equal(readConnectPage(await plain.text()).code, 'login_not_started');

    const count = harness.logins.length;
    const answer = await overHttps(callback, { Cookie: `__Host-izly_connect=${value}` });
    assert.equal(answer.status, 303);
    assert.equal(harness.logins.length, count + 1);
    assert.match(answer.headers.getSetCookie().join('\n'), /^__Host-izly_connect=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax; Secure$/m);
  });

  test('on plain http (local development) it keeps its name, scoped to the routes’ folder', async () => {
    const browser = harness.browser();
    await startLogin(harness, browser);
    assert.match(browser.setCookies[0] ?? '', /^izly_connect=[^;]+; Max-Age=600; Path=\/izly\/connect; HttpOnly; SameSite=Lax$/);
  });
});
