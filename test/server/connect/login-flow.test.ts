import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { izlyPay, memoryStore } from '../../../server-adapter/index.js';
import {
  APP_IDENTIFIER,
  SECRET,
  issuedTokens,
  loginUntilCallback,
  readConnectPage,
  startConnectHarness,
  startLogin,
  type ConnectHarness,
} from './connect-harness.js';

describe('IzlyConnect: a login in redirect mode', () => {
  let harness: ConnectHarness;
  before(async () => {
    harness = await startConnectHarness();
  });
  after(() => harness.close());

  test('the login route sets a signed, HttpOnly, SameSite=Lax login cookie and sends the browser to Izly with a state', async () => {
    const browser = harness.browser();
    const answer = await browser.get(`${harness.partnerUrl}/izly/connect/login?returnUrl=${encodeURIComponent(`${harness.partnerUrl}/compte`)}`);
    assert.equal(answer.status, 302);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    const target = new URL(answer.location ?? '');
    assert.equal(target.origin + target.pathname, `${harness.sandboxUrl}/oauth/Home/Authorize`);
    assert.equal(target.searchParams.get('response_type'), 'code');
    assert.equal(target.searchParams.get('client_id'), APP_IDENTIFIER);
    assert.equal(target.searchParams.get('scope'), '1');
    const state = target.searchParams.get('state') ?? '';
    assert.match(state, /^[A-Za-z0-9_-]{43}$/);

    const [cookie] = browser.setCookies;
    assert.ok(cookie);
    assert.match(cookie, /^izly_connect=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+;/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Path=\/izly\/connect;/);
    assert.match(cookie, /; Max-Age=600;/);
    // Plain http here (loopback): Secure would make the browser drop the cookie.
    assert.doesNotMatch(cookie, /Secure/);
  });

  test('the whole flow: Izly login, code exchanged server-side, AD read, onLogin called once, back to the return URL', async () => {
    const browser = harness.browser();
    const returnUrl = `${harness.partnerUrl}/compte?onglet=profil`;
    const before = harness.logins.length;
    const callbackUrl = await loginUntilCallback(harness, browser, { returnUrl });
    assert.equal(new URL(callbackUrl).pathname, '/izly/connect/callback');

    const answer = await browser.get(callbackUrl);
    assert.equal(answer.status, 303);
    const back = new URL(answer.location ?? '');
    assert.equal(back.origin + back.pathname, `${harness.partnerUrl}/compte`);
    assert.equal(back.searchParams.get('onglet'), 'profil');
    assert.equal(back.searchParams.get('izly_connect'), 'success');
    assert.equal([...back.searchParams.keys()].sort().join(','), 'izly_connect,onglet');

    assert.equal(harness.logins.length, before + 1);
    const { user, tokens } = harness.logins.at(-1)!;
    assert.equal(user.email, 'etudiant@izly.test');
    assert.equal(user.clientCode, 'cmartin01');
    assert.equal(user.assignmentNumber, '75012345');
    assert.equal(user.firstName, 'Camille');
    assert.equal(user.lastName, 'Martin');
    assert.ok(user.id);
    assert.equal(user.raw.Id, user.id);
    assert.ok(tokens.accessToken.length > 20 && tokens.refreshToken.length > 20);
    assert.notEqual(tokens.accessToken, tokens.refreshToken);
    assert.equal(tokens.tokenType, 'bearer');
    assert.equal(tokens.expiresIn, 3600);
    assert.equal(tokens.expiresAt, harness.now() + 3600 * 1000);

    // The partner's session is open, the login cookie is gone.
    assert.equal(browser.cookies.get('shop_session')?.value, 'session-of-cmartin01');
    assert.equal(browser.cookies.has('izly_connect'), false);
    browser.assertNeverSent(issuedTokens(harness));
  });

  test('replaying the callback URL after the login logs nobody in again', async () => {
    const browser = harness.browser();
    const callbackUrl = await loginUntilCallback(harness, browser);
    assert.equal((await browser.get(callbackUrl)).status, 303);
    const count = harness.logins.length;
    const again = await browser.get(callbackUrl);
    assert.equal(again.status, 400);
    assert.equal(readConnectPage(again.body).code, 'login_not_started');
    assert.equal(harness.logins.length, count);
  });

  test('without returnUrl, the browser comes back to the configured default (the first allowed origin)', async () => {
    const browser = harness.browser();
    const answer = await browser.get(await loginUntilCallback(harness, browser));
    assert.equal(answer.location, `${harness.partnerUrl}/?izly_connect=success`);
  });

  test('the phone number works as the Izly identifier too', async () => {
    const browser = harness.browser();
    const answer = await browser.get(await loginUntilCallback(harness, browser, {}, { identifier: '0698765432', password: 'izly1234' }));
    assert.equal(answer.status, 303);
    assert.equal(harness.logins.at(-1)!.user.clientCode, 'lpetit02');
    assert.equal(harness.logins.at(-1)!.user.assignmentNumber, '75023456');
  });

  test('two logins in two browsers stay apart', async () => {
    const first = harness.browser();
    const second = harness.browser();
    const firstCallback = await loginUntilCallback(harness, first);
    const secondCallback = await loginUntilCallback(harness, second, {}, { identifier: 'impaye@izly.test', password: 'izly1234' });
    assert.equal((await second.get(secondCallback)).status, 303);
    assert.equal((await first.get(firstCallback)).status, 303);
    assert.deepEqual(
      harness.logins.slice(-2).map((login) => login.user.clientCode),
      ['imoreau03', 'cmartin01'],
    );
    assert.equal(first.cookies.get('shop_session')?.value, 'session-of-cmartin01');
    assert.equal(second.cookies.get('shop_session')?.value, 'session-of-imoreau03');
  });
});

describe('IzlyConnect: onLogin answering itself', () => {
  let harness: ConnectHarness;
  before(async () => {
    harness = await startConnectHarness({
      connect: {
        onLogin: (user, _tokens, c) => {
          c.header('Set-Cookie', `shop_session=${user.clientCode}; Path=/; HttpOnly`, { append: true });
          return new Response(null, { status: 303, headers: { Location: '/bienvenue' } });
        },
      },
    });
  });
  after(() => harness.close());

  test('a Response from onLogin replaces the redirect, and keeps both the session cookie and the login cookie removal', async () => {
    const browser = harness.browser();
    const answer = await browser.get(await loginUntilCallback(harness, browser));
    assert.equal(answer.status, 303);
    assert.equal(answer.location, '/bienvenue');
    assert.equal(browser.cookies.get('shop_session')?.value, 'cmartin01');
    assert.equal(browser.cookies.has('izly_connect'), false);
  });
});

describe('IzlyConnect: a login in popup mode', () => {
  let harness: ConnectHarness;
  before(async () => {
    harness = await startConnectHarness();
  });
  after(() => harness.close());

  test('ends on a small page that hands the outcome to the opener, for the return URL’s origin only', async () => {
    const browser = harness.browser();
    const answer = await browser.get(await loginUntilCallback(harness, browser, { mode: 'popup', returnUrl: `${harness.partnerUrl}/boutique` }));
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^text\/html/);
    const csp = answer.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(answer.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(answer.headers.get('cache-control'), 'no-store');

    const page = readConnectPage(answer.body);
    assert.equal(page.lang, 'fr');
    assert.equal(page.heading, 'Connexion réussie');
    assert.deepEqual(page.result, { ok: 'true', 'target-origin': harness.partnerUrl });
    assert.equal(page.returnLink, `${harness.partnerUrl}/boutique?izly_connect=success`);
    // Its only script comes from a URL (the CSP forbids inline ones).
    const scripts = [...answer.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]![1]!, /src="popup\.js"/);
    assert.equal(scripts[0]![2]!.trim(), '');

    assert.equal(harness.logins.length, 1);
    assert.equal(browser.cookies.get('shop_session')?.value, 'session-of-cmartin01');
    assert.equal(browser.cookies.has('izly_connect'), false);
    browser.assertNeverSent(issuedTokens(harness));
  });

  test('the popup script, served beside the page, posts izly-connect:done to the opener with the page’s target origin, then closes', async () => {
    const response = await fetch(`${harness.partnerUrl}/izly/connect/popup.js`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
    const script = await response.text();
    assert.match(script, /type: 'izly-connect:done', ok: true/);
    assert.match(script, /type: 'izly-connect:done', ok: false, error: \{ code: data\.code, message: data\.message \}/);
    assert.match(script, /opener\.postMessage\(message, data\.targetOrigin\)/);
    assert.match(script, /window\.close\(\)/);
    const styles = await fetch(`${harness.partnerUrl}/izly/connect/page.css`);
    assert.equal(styles.status, 200);
    assert.match(styles.headers.get('content-type') ?? '', /^text\/css/);
    await styles.text();
  });
});

describe('IzlyConnect: the session route', () => {
  test('answers the partner’s own view of the browser’s session when a session hook is given', async () => {
    const sessions = new Map<string, { name: string; clientCode: string | null }>();
    const harness = await startConnectHarness({
      connect: {
        onLogin: (user, _tokens, c) => {
          const id = crypto.randomUUID();
          sessions.set(id, { name: `${user.firstName} ${user.lastName}`, clientCode: user.clientCode });
          c.header('Set-Cookie', `shop_session=${id}; Path=/; HttpOnly; SameSite=Lax`, { append: true });
        },
        session: (c) => {
          const id = /(?:^|;\s*)shop_session=([^;]+)/.exec(c.req.header('cookie') ?? '')?.[1];
          return (id && sessions.get(id)) || null;
        },
      },
    });
    try {
      const browser = harness.browser();
      const before = await browser.get(`${harness.partnerUrl}/izly/connect/session`, { accept: 'application/json' });
      assert.equal(before.status, 200);
      assert.deepEqual(JSON.parse(before.body), { session: null });
      assert.equal(before.headers.get('cache-control'), 'no-store');
      await browser.get(await loginUntilCallback(harness, browser));
      const afterLogin = await browser.get(`${harness.partnerUrl}/izly/connect/session`, { accept: 'application/json' });
      assert.deepEqual(JSON.parse(afterLogin.body), { session: { name: 'Camille Martin', clientCode: 'cmartin01' } });
    } finally {
      await harness.close();
    }
  });

  test('does not exist without a session hook', async () => {
    const harness = await startConnectHarness();
    try {
      const answer = await fetch(`${harness.partnerUrl}/izly/connect/session`);
      assert.equal(answer.status, 404);
      await answer.text();
    } finally {
      await harness.close();
    }
  });
});

describe('IzlyConnect: state not returned by Izly', () => {
  test("by default (state: 'if-returned'), a callback without state is accepted (the login cookie's single-use nonce binds the browser)", async () => {
    const harness = await startConnectHarness();
    try {
      const browser = harness.browser();
      const callback = new URL(await loginUntilCallback(harness, browser));
      callback.searchParams.delete('state');
      const answer = await browser.get(callback.href);
      assert.equal(answer.status, 303);
      assert.equal(harness.logins.length, 1);
      // A state that Izly does return is still checked.
      const other = harness.browser();
      const wrong = new URL(await loginUntilCallback(harness, other));
      wrong.searchParams.set('state', 'not-the-state');
      const refused = await other.get(wrong.href);
      assert.equal(readConnectPage(refused.body).code, 'state_mismatch');
      assert.equal(harness.logins.length, 1);
    } finally {
      await harness.close();
    }
  });
});

describe('IzlyConnect: mounted elsewhere', () => {
  test('the login route starts nothing when the adapter has no connect options; the token helpers are there all the same', async () => {
    const bare = izlyPay({
      baseUrl: 'http://127.0.0.1:9',
      appIdentifier: APP_IDENTIFIER,
      apiKey: 'sandbox-api-key',
      secret: SECRET,
      store: memoryStore(),
      allowedOrigins: ['https://shop.example'],
      order: () => null,
    });
    const answer = await bare.request('/connect/login');
    assert.equal(answer.status, 404);
    assert.equal(typeof bare.connect.refresh, 'function');
    assert.equal(typeof bare.connect.refreshIfExpired, 'function');
    assert.equal(typeof bare.connect.getUser, 'function');
  });

  test('the login cookie is scoped to wherever the connect routes are mounted', async () => {
    const harness = await startConnectHarness();
    try {
      const answer = await harness.izly.request(`/connect/login`);
      assert.equal(answer.status, 302);
      assert.match(answer.headers.get('set-cookie') ?? '', /; Path=\/connect;/);
      const started = await startLogin(harness, harness.browser());
      assert.ok(started.startsWith(harness.sandboxUrl));
    } finally {
      await harness.close();
    }
  });
});
