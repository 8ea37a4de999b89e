// Every way a login can go wrong ends on a clear error (a French page for a browser, the JSON error shape
// otherwise, the popup page in popup mode) and never on a half-open session: onLogin is not called and
// the partner's session cookie is not set.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OTHER_APP_IDENTIFIER,
  logInAtIzly,
  loginUntilCallback,
  readConnectPage,
  startConnectHarness,
  startLogin,
  type ConnectHarness,
  type PageAnswer,
  type TestBrowser,
} from './connect-harness.js';

/** Checks the French error page: status, code visible, a message, the way back carrying the code. */
function assertErrorPage(answer: PageAnswer, status: number, code: string, returnUrl: string): void {
  assert.equal(answer.status, status, answer.body);
  assert.match(answer.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(answer.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const page = readConnectPage(answer.body);
  assert.equal(page.lang, 'fr');
  assert.equal(page.heading, 'Connexion Izly impossible');
  assert.equal(page.code, code);
  assert.ok((page.alert ?? '').length > 10, 'the page says what happened');
  const link = new URL(page.returnLink ?? '');
  assert.equal(link.origin + link.pathname, returnUrl);
  assert.equal(link.searchParams.get('izly_connect'), code);
}

/** No session was opened in this browser and the login cookie is gone. */
function assertNotLoggedIn(harness: ConnectHarness, browser: TestBrowser, loginsBefore: number): void {
  assert.equal(harness.logins.length, loginsBefore, 'onLogin must not be called');
  assert.equal(browser.cookies.has('shop_session'), false);
  assert.equal(browser.cookies.has('izly_connect'), false);
}

describe('IzlyConnect: refused logins', () => {
  let harness: ConnectHarness;
  before(async () => {
    // An Izly that echoes state (the default one drops it), so that a state from elsewhere can be refused.
    harness = await startConnectHarness({ sandbox: { authorizationCodeTtlMs: 60_000, izly: { connectState: 'echoed' } } });
  });
  after(() => harness.close());

  test('an expired code: Izly refuses it, the page says to start again', async () => {
    const browser = harness.browser();
    const count = harness.logins.length;
    const callback = await loginUntilCallback(harness, browser);
    harness.advance(61_000);
    const answer = await browser.get(callback);
    assertErrorPage(answer, 400, 'code_rejected', `${harness.partnerUrl}/`);
    assertNotLoggedIn(harness, browser, count);
  });

  test('a code used once cannot log in again, even with a fresh state of the same browser', async () => {
    const browser = harness.browser();
    const first = new URL(await loginUntilCallback(harness, browser));
    assert.equal((await browser.get(first.href)).status, 303);
    const count = harness.logins.length;
    const stolen = first.searchParams.get('code') ?? '';

    const other = harness.browser();
    const authorize = new URL(await startLogin(harness, other));
    const replay = new URL(`${harness.partnerUrl}/izly/connect/callback`);
    replay.searchParams.set('code', stolen);
    replay.searchParams.set('state', authorize.searchParams.get('state') ?? '');
    const answer = await other.get(replay.href);
    assertErrorPage(answer, 400, 'code_rejected', `${harness.partnerUrl}/`);
    assertNotLoggedIn(harness, other, count);
  });

  test('a code and state from another browser’s login: state mismatch, the code is not even sent to Izly', async () => {
    const victim = harness.browser();
    const attacker = harness.browser();
    await startLogin(harness, victim);
    const attackerCallback = await loginUntilCallback(harness, attacker);
    const count = harness.logins.length;
    const tokenCalls = harness.upstream.filter((r) => r.path === '/oauth/Home/Token').length;
    const answer = await victim.get(attackerCallback);
    assertErrorPage(answer, 400, 'state_mismatch', `${harness.partnerUrl}/`);
    assertNotLoggedIn(harness, victim, count);
    assert.equal(harness.upstream.filter((r) => r.path === '/oauth/Home/Token').length, tokenCalls);
  });

  test('a code issued to another site (another client_id) is refused by Izly', async () => {
    const browser = harness.browser();
    const count = harness.logins.length;
    const ours = new URL(await startLogin(harness, browser));
    const foreignAuthorize = new URL(ours);
    foreignAuthorize.searchParams.set('client_id', OTHER_APP_IDENTIFIER);
    const foreign = await logInAtIzly(foreignAuthorize.href);
    const foreignCode = new URL(foreign.location ?? '').searchParams.get('code') ?? '';
    assert.ok(foreignCode);
    const callback = new URL(`${harness.partnerUrl}/izly/connect/callback`);
    callback.searchParams.set('code', foreignCode);
    callback.searchParams.set('state', ours.searchParams.get('state') ?? '');
    assertErrorPage(await browser.get(callback.href), 400, 'code_rejected', `${harness.partnerUrl}/`);
    assertNotLoggedIn(harness, browser, count);
  });

  test('a wrong state', async () => {
    const browser = harness.browser();
    const count = harness.logins.length;
    const callback = new URL(await loginUntilCallback(harness, browser));
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    assertErrorPage(await browser.get(callback.href), 400, 'state_mismatch', `${harness.partnerUrl}/`);
    assertNotLoggedIn(harness, browser, count);
  });

  test("no state at all, with state: 'required': refused, and the log says which option accepts it", async () => {
    const strict = await startConnectHarness({ connect: { state: 'required' } });
    try {
      const browser = strict.browser();
      const callback = new URL(await loginUntilCallback(strict, browser));
      callback.searchParams.delete('state');
      assertErrorPage(await browser.get(callback.href), 400, 'state_missing', `${strict.partnerUrl}/`);
      assertNotLoggedIn(strict, browser, 0);
      assert.ok(strict.logs.some((line) => /no state/.test(line) && /if-returned/.test(line)));
    } finally {
      await strict.close();
    }
  });

  test('no login cookie (another browser, or cookies blocked): refused before any call to Izly', async () => {
    const count = harness.logins.length;
    const callback = await loginUntilCallback(harness, harness.browser());
    const stranger = harness.browser();
    const tokenCalls = harness.upstream.filter((r) => r.path === '/oauth/Home/Token').length;
    assertErrorPage(await stranger.get(callback), 400, 'login_not_started', `${harness.partnerUrl}/`);
    assertNotLoggedIn(harness, stranger, count);
    assert.equal(harness.upstream.filter((r) => r.path === '/oauth/Home/Token').length, tokenCalls);
  });

  test('a login cookie that was tampered with counts as none', async () => {
    const browser = harness.browser();
    const count = harness.logins.length;
    const callback = await loginUntilCallback(harness, browser, { returnUrl: `${harness.partnerUrl}/compte` });
    const cookie = browser.cookies.get('izly_connect')!;
    const [payload, signature] = cookie.value.split('.');
    // Another return URL in the payload, the old signature kept.
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    forged.r = 'https://evil.example/';
    cookie.value = `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    const answer = await browser.get(callback);
    assertErrorPage(answer, 400, 'login_not_started', `${harness.partnerUrl}/`);
    assertNotLoggedIn(harness, browser, count);
  });

  test('a login that took longer than the login cookie’s lifetime', async () => {
    const browser = harness.browser();
    const count = harness.logins.length;
    const authorize = await startLogin(harness, browser, { returnUrl: `${harness.partnerUrl}/compte` });
    harness.advance(601_000);
    const callback = (await logInAtIzly(authorize)).location ?? '';
    assertErrorPage(await browser.get(callback), 400, 'login_expired', `${harness.partnerUrl}/compte`);
    assertNotLoggedIn(harness, browser, count);
  });

  test('a callback with an OAuth error (access_denied) is a cancelled login: straight back to the return URL', async () => {
    const browser = harness.browser();
    const count = harness.logins.length;
    const authorize = new URL(await startLogin(harness, browser));
    const answer = await browser.get(`${harness.partnerUrl}/izly/connect/callback?error=access_denied&state=${authorize.searchParams.get('state')}`);
    assert.equal(answer.status, 303);
    assert.equal(answer.location, `${harness.partnerUrl}/?izly_connect=login_cancelled`);
    assertNotLoggedIn(harness, browser, count);
  });

  test('a callback without a code', async () => {
    const browser = harness.browser();
    const authorize = new URL(await startLogin(harness, browser));
    const answer = await browser.get(`${harness.partnerUrl}/izly/connect/callback?state=${authorize.searchParams.get('state')}`);
    assertErrorPage(answer, 400, 'missing_code', `${harness.partnerUrl}/`);
  });

  test('a request that does not accept HTML gets the JSON error shape', async () => {
    const answer = await harness.browser().get(`${harness.partnerUrl}/izly/connect/callback?code=abc&state=def`, { accept: 'application/json' });
    assert.equal(answer.status, 400);
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(JSON.parse(answer.body), {
      error: { code: 'login_not_started', message: 'No login is in progress in this browser (cookie missing or invalid)' },
    });
  });
});

describe('IzlyConnect: starting a login', () => {
  let harness: ConnectHarness;
  before(async () => {
    harness = await startConnectHarness();
  });
  after(() => harness.close());

  for (const [name, query, status, code] of [
    ['a return URL on a foreign origin', { returnUrl: 'https://evil.example/steal' }, 400, 'return_url_not_allowed'],
    ['a return URL that looks local but is another host', { returnUrl: '//evil.example/' }, 400, 'invalid_return_url'],
    ['a javascript: return URL', { returnUrl: 'javascript:alert(1)' }, 400, 'invalid_return_url'],
    ['an unknown mode', { mode: 'iframe' }, 400, 'invalid_mode'],
  ] as const) {
    test(`${name}: refused, no login cookie, no redirect`, async () => {
      const browser = harness.browser();
      const answer = await browser.get(`${harness.partnerUrl}/izly/connect/login?${new URLSearchParams(query)}`);
      assertErrorPage(answer, status, code, `${harness.partnerUrl}/`);
      assert.equal(answer.location, null);
      assert.equal(browser.setCookies.length, 0);
      const json = await browser.get(`${harness.partnerUrl}/izly/connect/login?${new URLSearchParams(query)}`, { accept: 'application/json' });
      assert.equal(JSON.parse(json.body).error.code, code);
    });
  }

  test('another method than GET on a connect route answers 405 in the JSON error shape', async () => {
    for (const path of ['login', 'callback', 'cancel']) {
      const answer = await fetch(`${harness.partnerUrl}/izly/connect/${path}`, { method: 'POST', headers: { Origin: harness.partnerUrl } });
      assert.equal(answer.status, 405);
      assert.equal(answer.headers.get('allow'), 'GET');
      assert.equal(((await answer.json()) as { error: { code: string } }).error.code, 'method_not_allowed');
    }
  });

  test('another site, or a sibling site, cannot start a login in the student’s browser (Sec-Fetch-Site: cross-site, same-site)', async () => {
    const browser = harness.browser();
    const forced = await browser.get(`${harness.partnerUrl}/izly/connect/login`, {
      headers: { 'Sec-Fetch-Site': 'cross-site', Referer: 'https://evil.example/' },
    });
    assertErrorPage(forced, 403, 'cross_site_request', `${harness.partnerUrl}/`);
    // A sibling (another subdomain of the same site) could also plant cookies: refused alike, with or without a Referer.
    for (const headers of [{ 'Sec-Fetch-Site': 'same-site', Referer: 'http://students.127.0.0.1.nip.io/' }, { 'Sec-Fetch-Site': 'same-site' }] as Array<
      Record<string, string>
    >) {
      assertErrorPage(await browser.get(`${harness.partnerUrl}/izly/connect/login`, { headers }), 403, 'cross_site_request', `${harness.partnerUrl}/`);
    }
    assertErrorPage(
      await browser.get(`${harness.partnerUrl}/izly/connect/login`, { headers: { 'Sec-Fetch-Site': 'cross-site' } }),
      403,
      'cross_site_request',
      `${harness.partnerUrl}/`,
    );
    assert.equal(browser.setCookies.length, 0);
    const fromOurs = await browser.get(`${harness.partnerUrl}/izly/connect/login`, { headers: { 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(fromOurs.status, 302);
    // An allowed origin on another site (a front end on its own domain) may start one.
    const fromAllowed = await browser.get(`${harness.partnerUrl}/izly/connect/login`, {
      headers: { 'Sec-Fetch-Site': 'cross-site', Referer: `${harness.partnerUrl}/page` },
    });
    assert.equal(fromAllowed.status, 302);
  });
});

describe('IzlyConnect: Izly failing during the callback', () => {
  let harness: ConnectHarness;
  before(async () => {
    harness = await startConnectHarness();
  });
  after(() => harness.close());

  for (const [name, faults, status, code] of [
    ['the token endpoint is down (503)', { serverErrors: 1, routes: ['token'] }, 502, 'izly_unavailable'],
    ['the token endpoint answers garbled JSON', { malformedJson: 1, routes: ['token'] }, 502, 'izly_bad_answer'],
    ['the users endpoint is down, retries included', { serverErrors: 3, routes: ['users'] }, 502, 'izly_unavailable'],
  ] as const) {
    test(`${name}: ${code}, nobody logged in, nothing secret logged`, async () => {
      const browser = harness.browser();
      const count = harness.logins.length;
      const callback = await loginUntilCallback(harness, browser);
      harness.sandbox.control.setFaults({ ...faults, routes: [...faults.routes] });
      const answer = await browser.get(callback);
      harness.sandbox.control.setFaults({});
      assertErrorPage(answer, status, code, `${harness.partnerUrl}/`);
      assertNotLoggedIn(harness, browser, count);
      const code_ = new URL(callback).searchParams.get('code') ?? '';
      assert.ok(harness.logs.length > 0);
      for (const line of harness.logs) assert.equal(line.includes(code_), false, 'the code must not be logged');
    });
  }

  test('after a failure the student simply starts again', async () => {
    const browser = harness.browser();
    const answer = await browser.get(await loginUntilCallback(harness, browser));
    assert.equal(answer.status, 303);
  });
});

describe('IzlyConnect: onLogin failing', () => {
  test('a hook that throws after setting its cookie: login_failed, and that cookie is not sent', async () => {
    const harness = await startConnectHarness({
      connect: {
        onLogin: (_user, _tokens, c) => {
          c.header('Set-Cookie', 'shop_session=half-open; Path=/', { append: true });
          throw new Error('the session store is down');
        },
      },
    });
    try {
      const browser = harness.browser();
      const answer = await browser.get(await loginUntilCallback(harness, browser));
      assertErrorPage(answer, 500, 'login_failed', `${harness.partnerUrl}/`);
      assert.equal(browser.cookies.has('shop_session'), false);
      assert.equal(browser.cookies.has('izly_connect'), false);
      assert.ok(harness.logs.some((line) => /onLogin failed: the session store is down/.test(line)));
    } finally {
      await harness.close();
    }
  });
});

describe('IzlyConnect: cancel (Izly’s one "URL after cancellation" set to {mount}/connect/cancel)', () => {
  let harness: ConnectHarness;
  before(async () => {
    harness = await startConnectHarness({ connect: { paymentCancelUrl: 'http://127.0.0.1:9/panier' } });
  });
  after(() => harness.close());

  test('Annuler on Izly’s login page during a login: straight back to the page the student left, with izly_connect=login_cancelled', async () => {
    const browser = harness.browser();
    const authorize = await startLogin(harness, browser, { returnUrl: `${harness.partnerUrl}/compte?onglet=achats` });
    const cancelled = await logInAtIzly(authorize, { action: 'cancel' });
    assert.equal(cancelled.status, 303);
    assert.equal(cancelled.location, `${harness.partnerUrl}/izly/connect/cancel`);
    const answer = await browser.get(cancelled.location ?? '');
    assert.equal(answer.status, 303);
    const back = new URL(answer.location ?? '');
    assert.equal(back.origin + back.pathname, `${harness.partnerUrl}/compte`);
    assert.equal(back.searchParams.get('onglet'), 'achats');
    assert.equal(back.searchParams.get('izly_connect'), 'login_cancelled');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assertNotLoggedIn(harness, browser, 0);
  });

  test('a second visit to the cancel URL after that cancel is a cancelled payment: the login is over', async () => {
    const browser = harness.browser();
    const authorize = await startLogin(harness, browser);
    const cancelled = await logInAtIzly(authorize, { action: 'cancel' });
    assert.match((await browser.get(cancelled.location ?? '')).location ?? '', /izly_connect=login_cancelled/);
    const second = await browser.get(cancelled.location ?? '');
    assert.equal(second.status, 200);
    assert.match(second.body, /data-return-url="http:\/\/127\.0\.0\.1:9\/panier"/);
  });

  test('a cancelled popup login ends on the popup page with ok=false and the code', async () => {
    const browser = harness.browser();
    const authorize = await startLogin(harness, browser, { mode: 'popup' });
    const cancelled = await logInAtIzly(authorize, { action: 'cancel' });
    const answer = await browser.get(cancelled.location ?? '');
    assert.equal(answer.status, 403);
    const page = readConnectPage(answer.body);
    assert.deepEqual(page.result, {
      ok: 'false',
      'target-origin': harness.partnerUrl,
      code: 'login_cancelled',
      message: 'The login was cancelled on Izly',
    });
    assert.match(answer.body, /<script src="popup\.js" defer><\/script>/);
    assert.equal(page.heading, 'Connexion annulée');
    assertNotLoggedIn(harness, browser, 0);
  });

  test('a popup login that fails at the callback also tells the opener', async () => {
    const browser = harness.browser();
    const callback = new URL(await loginUntilCallback(harness, browser, { mode: 'popup' }));
    callback.searchParams.set('state', 'forged');
    const page = readConnectPage((await browser.get(callback.href)).body);
    assert.equal(page.result.ok, 'false');
    assert.equal(page.result.code, 'state_mismatch');
    assert.equal(page.result['target-origin'], harness.partnerUrl);
  });

  test('a cancelled payment (no login in progress): a page that tells the popup’s opener, or goes on to paymentCancelUrl', async () => {
    harness.orders.set('A-1', { amount: 250 });
    const created = await fetch(`${harness.partnerUrl}/izly/payments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), Origin: harness.partnerUrl },
      body: JSON.stringify({ orderId: 'A-1', returnUrl: `${harness.partnerUrl}/commande/A-1` }),
    });
    const { authorizationUrl } = (await created.json()) as { authorizationUrl: string };
    const page = await fetch(authorizationUrl);
    await page.text();
    const decided = await fetch(authorizationUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ identifier: 'etudiant@izly.test', password: 'izly1234', action: 'cancel' }),
    });
    const html = await decided.text();
    const link = /id="return-link"[^>]*href="([^"]*)"/.exec(html)?.[1] ?? /href="([^"]*)"[^>]*id="return-link"/.exec(html)?.[1];
    assert.equal(link, `${harness.partnerUrl}/izly/connect/cancel`);

    const browser = harness.browser();
    const answer = await browser.get(link, { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } });
    // A page, not a redirect: in the pay button's popup it tells the opener and closes (no shop page loaded
    // in the popup); in a tab its script goes on to paymentCancelUrl at once, as a refresh does without script.
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.match(answer.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(answer.body, /<html lang="en">/);
    assert.match(answer.body, /<h1>Payment cancelled<\/h1>/);
    assert.match(answer.body, /<script src="cancel\.js" defer><\/script>/);
    assert.match(answer.body, /<noscript><meta http-equiv="refresh" content="0;url=http:\/\/127\.0\.0\.1:9\/panier"><\/noscript>/);
    assert.match(answer.body, /id="izly-pay-cancel" data-return-url="http:\/\/127\.0\.0\.1:9\/panier"/);
    assert.match(answer.body, new RegExp(`data-target-origins="${harness.partnerUrl.replace(/[.]/g, '\\.')}"`));
    assert.match(answer.body, /id="return-link" href="http:\/\/127\.0\.0\.1:9\/panier"/);
    assert.equal(browser.setCookies.length, 0);

    // The script the page loads: the popup is recognised by its name and its opener, the message names no payment.
    const script = await browser.get(`${harness.partnerUrl}/izly/connect/cancel.js`, { accept: '*/*' });
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(script.body, /window\.name === 'izly-pay'/);
    assert.match(script.body, /postMessage\(\{ type: 'izly-pay:return' \}, origin\)/);
    assert.match(script.body, /location\.replace\(data\.returnUrl\)/);

    // A client that does not ask for HTML is still sent on with a redirect.
    const json = await browser.get(link, { accept: 'application/json' });
    assert.equal(json.status, 303);
    assert.equal(json.location, 'http://127.0.0.1:9/panier');
  });
});

describe('IzlyConnect: the error page speaks the shop’s language and leads back', () => {
  let harness: ConnectHarness;
  before(async () => {
    harness = await startConnectHarness();
  });
  after(() => harness.close());

  /** A redirect login whose callback comes back without a code: the error page of `missing_code`. */
  async function missingCodePage(query: Record<string, string>, acceptLanguage?: string): Promise<PageAnswer> {
    const browser = harness.browser();
    const authorize = new URL(await startLogin(harness, browser, { returnUrl: `${harness.partnerUrl}/compte`, ...query }));
    const headers = acceptLanguage ? { 'Accept-Language': acceptLanguage } : undefined;
    return browser.get(`${harness.partnerUrl}/izly/connect/callback?state=${authorize.searchParams.get('state')}`, { headers });
  }

  test('French by default, with a link back to the return URL carrying the code', async () => {
    assertErrorPage(await missingCodePage({}), 400, 'missing_code', `${harness.partnerUrl}/compte`);
    const page = readConnectPage((await missingCodePage({})).body);
    assert.match(page.alert ?? '', /ne contient pas de code/);
  });

  test('English for a browser that prefers English (Accept-Language)', async () => {
    const answer = await missingCodePage({}, 'en-GB,en;q=0.9,fr;q=0.5');
    const page = readConnectPage(answer.body);
    assert.equal(page.lang, 'en');
    assert.equal(page.heading, 'Izly login failed');
    assert.equal(page.alert, 'Izly’s answer holds no login code.');
    assert.match(answer.body, /Error code: <code id="error-code">missing_code<\/code>/);
    assert.match(answer.body, /<a id="return-link" href="[^"]*" class="back">Back to the site<\/a>/);
    assert.equal(new URL(page.returnLink ?? '').searchParams.get('izly_connect'), 'missing_code');
  });

  test('French when French ranks first, whatever else the browser accepts', async () => {
    assert.equal(readConnectPage((await missingCodePage({}, 'de-DE,fr;q=0.8,en;q=0.7')).body).lang, 'fr');
  });

  test('the button’s lang, passed to /connect/login, wins over the browser’s', async () => {
    const english = readConnectPage((await missingCodePage({ lang: 'en' }, 'fr-FR')).body);
    assert.equal(english.lang, 'en');
    assert.equal(english.heading, 'Izly login failed');
    const french = readConnectPage((await missingCodePage({ lang: 'fr' }, 'en-US')).body);
    assert.equal(french.lang, 'fr');
    assert.equal(french.heading, 'Connexion Izly impossible');
  });

  test('a refused start speaks the lang it was given too', async () => {
    const answer = await harness
      .browser()
      .get(`${harness.partnerUrl}/izly/connect/login?returnUrl=${encodeURIComponent('https://elsewhere.example/')}&lang=en`);
    assert.equal(answer.status, 400);
    const page = readConnectPage(answer.body);
    assert.equal(page.lang, 'en');
    assert.equal(page.alert, 'The return address is not allowed.');
  });

  test('its stylesheet is light and dark, with a visible focus', async () => {
    const css = await (await fetch(`${harness.partnerUrl}/izly/connect/page.css`)).text();
    assert.match(css, /color-scheme: light dark/);
    assert.match(css, /@media \(prefers-color-scheme: dark\)/);
    assert.match(css, /:focus-visible/);
  });
});
