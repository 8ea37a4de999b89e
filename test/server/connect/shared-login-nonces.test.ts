// Behind a load balancer, a login cookie is still single use: two adapter instances on one SQLite file
// spend the nonces in the file, so a cookie whose callback one instance took opens nothing on the other.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { izlyPay, type IzlyUser } from '../../../server-adapter/index.js';
import { sqliteStore } from '../../../server-adapter/sqlite.js';
import {
  API_KEY,
  APP_IDENTIFIER,
  SECRET,
  logInAtIzly,
  loginUntilCallback,
  readConnectPage,
  startConnectHarness,
  type ConnectHarness,
} from './connect-harness.js';

/** A second instance of the harness's adapter: same secret, same Izly, its own store on `file`. */
function secondInstance(harness: ConnectHarness, file: string) {
  const logins: IzlyUser[] = [];
  const izly = izlyPay({
    baseUrl: harness.sandboxUrl,
    appIdentifier: APP_IDENTIFIER,
    apiKey: API_KEY,
    secret: SECRET,
    store: sqliteStore(file, { now: harness.now }),
    allowedOrigins: [harness.partnerUrl],
    order: () => null,
    logger: { warn() {}, error() {} },
    now: harness.now,
    connect: { onLogin: (user) => void logins.push(user) },
  });
  const app = new Hono().route('/izly', izly);
  /** A navigation to `url` on this instance, with the login cookie `value`. */
  const get = (url: string, value: string) => app.request(url, { headers: { Cookie: `izly_connect=${value}`, Accept: 'text/html' } });
  return { logins, get, close: () => izly.store.close() };
}

/** A fresh callback URL for the student, as an attacker gets one from Izly's page without this site's login route. */
async function freshCallback(harness: ConnectHarness): Promise<string> {
  const outcome = await logInAtIzly(harness.izly.client.authorizeUrl());
  assert.ok(outcome.location);
  return outcome.location;
}

describe('IzlyConnect: two adapter instances sharing one SQLite file', () => {
  let folder: string;
  let harness: ConnectHarness;
  let second: ReturnType<typeof secondInstance>;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'izly-pay-nonces-'));
    const file = join(folder, 'payments.db');
    // The stores read the harness's clock once it exists, as the adapters do.
    let now = () => Date.now();
    harness = await startConnectHarness({ sandbox: { izly: { connectState: 'dropped' } }, adapter: { store: sqliteStore(file, { now: () => now() }) } });
    now = harness.now;
    second = secondInstance(harness, file);
  });
  after(async () => {
    await second.close();
    await harness.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('a cookie whose callback the first instance took opens nothing on the second', async () => {
    const browser = harness.browser();
    const callback = await loginUntilCallback(harness, browser);
    const cookie = browser.cookies.get('izly_connect')!.value;
    assert.equal((await browser.get(callback)).status, 303);
    assert.equal(harness.logins.length, 1);

    const replay = await second.get(await freshCallback(harness), cookie);
    assert.equal(replay.status, 400);
    assert.equal(readConnectPage(await replay.text()).code, 'login_not_started');
    assert.deepEqual(second.logins, []);
  });

  test('a login started on the first instance ends on the second, and its cookie then opens nothing on the first', async () => {
    const browser = harness.browser();
    const callback = await loginUntilCallback(harness, browser);
    const cookie = browser.cookies.get('izly_connect')!.value;
    assert.equal((await second.get(callback, cookie)).status, 303);
    assert.equal(second.logins.length, 1);

    const count = harness.logins.length;
    const replay = await browser.get(await freshCallback(harness));
    assert.equal(readConnectPage(replay.body).code, 'login_not_started');
    assert.equal(harness.logins.length, count);
  });

  test('one cookie at both instances at once: exactly one logs in', async () => {
    const browser = harness.browser();
    const callback = await loginUntilCallback(harness, browser);
    const cookie = browser.cookies.get('izly_connect')!.value;
    const other = await freshCallback(harness);
    const [before, beforeSecond] = [harness.logins.length, second.logins.length];
    const answers = await Promise.all([browser.get(callback), second.get(other, cookie)]);
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [303, 400]);
    assert.equal(harness.logins.length - before + second.logins.length - beforeSecond, 1);
  });
});
