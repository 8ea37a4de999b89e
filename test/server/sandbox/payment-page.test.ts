import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallbackBody } from '../../../sandbox/index.js';
import { APP_IDENTIFIER, assertFieldsTiedToError, assertFieldsUntouched, initiate, pagePath, postForm, readPage, testSandbox } from './sandbox-test-helpers.js';

async function startPayment(options: Parameters<typeof testSandbox>[0] = {}, body: Record<string, unknown> = { Amount: 350, ClientOrderId: 'A-1' }) {
  const { sandbox, receiver } = testSandbox(options);
  const answer = await initiate(sandbox, body);
  return { sandbox, receiver, answer, path: pagePath(answer), id: answer.OperationSMoney.Id };
}

describe('the payment authorization page', () => {
  test('shows, in French, the site name, the amount and a labelled form, under a strict CSP', async () => {
    const { sandbox, path } = await startPayment();
    const response = await sandbox.request(path);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    const html = await response.text();
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /<h1>Autoriser le paiement<\/h1>/);
    assert.match(html, /Boutique démo/);
    assert.match(html, /3,50\u00a0€/);
    assert.match(html, /<label for="identifier">Identifiant<\/label>/);
    assert.match(html, /<input id="identifier" name="identifier"/);
    assert.match(html, /<label for="password">Mot de passe<\/label>/);
    assert.match(html, /<input id="password" name="password" type="password"/);
    assert.match(html, /<a class="forgotten" href="[^"]+">Mot de passe oublié\u00a0\?<\/a>/);
    assert.match(html, /<button type="submit" name="action" value="validate"[^>]*>Valider<\/button>/);
    assert.match(html, /<button type="submit" name="action" value="cancel"[^>]*formnovalidate[^>]*>Annuler<\/button>/);
    assert.doesNotMatch(html, /<script|style="/);
    assertFieldsUntouched(html);
  });

  test('the stylesheet is served from the sandbox', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.request('/sandbox/assets/sandbox.css');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/css/);
    assert.match(await response.text(), /#e2001a/);
  });

  test('an unknown page token answers 404 with a French page', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.request('/payment/nope');
    assert.equal(response.status, 404);
    assert.equal(readPage(await response.text()).heading, 'Paiement introuvable');
  });
});

describe('deciding on the payment page', () => {
  test('validate with the e-mail: accepted, debited, partner credited, Completed, success callback, link to the after-payment URL', async () => {
    const { sandbox, receiver, path, id } = await startPayment(
      {},
      { Amount: 350, ClientOrderId: 'A-1', CallbackParameters: 'p=pay_1&s=sig', RedirectUrlAfterPayment: 'https://shop.test/order?izly_payment=pay_1' },
    );
    const page = readPage(await (await postForm(sandbox, path, { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' })).text());
    assert.equal(page.heading, 'Paiement accepté');
    assert.equal(page.returnLink, 'https://shop.test/order?izly_payment=pay_1');
    assert.equal(page.refresh, '3;url=https://shop.test/order?izly_payment=pay_1');
    assert.equal(sandbox.control.operation(id)?.status, 'Completed');
    assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 9650);
    assert.equal(sandbox.control.pointOfSale(APP_IDENTIFIER)?.balance, 350);
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 1);
    const body = receiver.received[0]?.body as CallbackBody;
    assert.equal(body.OperationSMoney.Status, 1, 'completed, in the default numeric vocabulary');
    assert.deepEqual(body.Error, { Code: 0, Message: '' });
  });

  test('validate with the phone number, and without RedirectUrlAfterPayment: back to the POS URL after payment', async () => {
    const { sandbox, path, id } = await startPayment();
    const page = readPage(await (await postForm(sandbox, path, { identifier: '06 12 34 56 78', password: 'izly1234', action: 'validate' })).text());
    assert.equal(page.heading, 'Paiement accepté');
    assert.equal(page.returnLink, 'http://localhost:8787/');
    assert.equal(sandbox.control.operation(id)?.status, 'Completed');
  });

  test('cancel: Canceled, nothing debited, no callback, link to the POS URL after cancellation', async () => {
    const { sandbox, receiver, path, id } = await startPayment({ pointsOfSale: [{ urlAfterCancellation: 'https://shop.test/cancelled' }] });
    const page = readPage(await (await postForm(sandbox, path, { identifier: '', password: '', action: 'cancel' })).text());
    assert.equal(page.heading, 'Paiement annulé');
    assert.equal(page.returnLink, 'https://shop.test/cancelled');
    assert.equal(page.refresh, '3;url=https://shop.test/cancelled');
    assert.equal(sandbox.control.operation(id)?.status, 'Canceled');
    assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 10000);
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 0);
  });

  test('a wrong password shows the form again with an alert, then the right one pays', async () => {
    const { sandbox, path, id } = await startPayment();
    const wrong = readPage(await (await postForm(sandbox, path, { identifier: 'etudiant@izly.test', password: 'nope', action: 'validate' })).text());
    assert.equal(wrong.hasForm, true);
    assert.match(wrong.alert ?? '', /Identifiant ou mot de passe incorrect/);
    assert.match(wrong.body, /value="etudiant@izly.test"/);
    assertFieldsTiedToError(wrong.body);
    assert.equal(sandbox.control.operation(id)?.status, 'Pending');
    const unknown = readPage(await (await postForm(sandbox, path, { identifier: 'personne@izly.test', password: 'izly1234', action: 'validate' })).text());
    assert.match(unknown.alert ?? '', /incorrect/);
    const right = readPage(await (await postForm(sandbox, path, { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' })).text());
    assert.equal(right.heading, 'Paiement accepté');
  });

  test("too little balance: refused with an alert, Failed, failure callback with Xpollens' Error.Code 110", async () => {
    const { sandbox, receiver, path, id } = await startPayment();
    const page = readPage(await (await postForm(sandbox, path, { identifier: 'fauche@izly.test', password: 'izly1234', action: 'validate' })).text());
    assert.equal(page.heading, 'Paiement refusé');
    assert.match(page.alert ?? '', /Solde insuffisant/);
    assert.equal(page.returnLink, 'http://localhost:8787/');
    assert.equal(sandbox.control.operation(id)?.status, 'Failed');
    assert.equal(sandbox.control.account('fauche@izly.test')?.balance, 150);
    await sandbox.control.settled();
    const body = receiver.received[0]?.body as CallbackBody;
    assert.equal(body.OperationSMoney.Status, 3, 'refused, in the default numeric vocabulary');
    assert.equal(body.Error.Code, 110);
    assert.equal(body.User.Email, 'fauche@izly.test');
  });

  test('an unpaid debt: refused before the balance is looked at, failure callback with Error.Code 2001', async () => {
    const { sandbox, receiver, path, id } = await startPayment();
    const page = readPage(await (await postForm(sandbox, path, { identifier: 'impaye@izly.test', password: 'izly1234', action: 'validate' })).text());
    assert.equal(page.heading, 'Paiement refusé');
    assert.match(page.alert ?? '', /impayé/);
    assert.equal(sandbox.control.operation(id)?.status, 'Failed');
    assert.equal(sandbox.control.account('impaye@izly.test')?.balance, 5000);
    await sandbox.control.settled();
    assert.equal((receiver.received[0]?.body as CallbackBody).Error.Code, 2001);
  });

  test('the failed operation reports its error in the GET answer', async () => {
    const { sandbox, path, id } = await startPayment();
    await postForm(sandbox, path, { identifier: 'fauche@izly.test', password: 'izly1234', action: 'validate' });
    assert.equal(sandbox.control.operation(id)?.errorCode, 110);
    // The sandbox's own code where Xpollens' is not wanted.
    const own = await startPayment({ izly: { errorCodes: 'sandbox' } });
    await postForm(own.sandbox, own.path, { identifier: 'fauche@izly.test', password: 'izly1234', action: 'validate' });
    assert.equal(own.sandbox.control.operation(own.id)?.errorCode, 2002);
  });

  test('"Mot de passe oublié ?" ends the operation and tells the AD to start a new payment', async () => {
    const { sandbox, receiver, path, id } = await startPayment();
    const html = await (await sandbox.request(path)).text();
    const href = /<a class="forgotten" href="([^"]+)"/.exec(html)?.[1] ?? '';
    const page = readPage(await (await sandbox.request(href)).text());
    assert.equal(page.heading, 'Mot de passe oublié');
    assert.match(page.body, /recommencez le paiement/);
    assert.equal(page.returnLink, 'http://localhost:8787/');
    assert.equal(sandbox.control.operation(id)?.status, 'Canceled');
    const after = readPage(await (await postForm(sandbox, path, { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' })).text());
    assert.equal(after.heading, 'Paiement déjà traité');
    assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 10000);
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 0);
  });

  test('an operation is decided once: a second post says so and never pays twice', async () => {
    const { sandbox, receiver, path } = await startPayment();
    await postForm(sandbox, path, { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' });
    const again = readPage(await (await postForm(sandbox, path, { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' })).text());
    assert.equal(again.heading, 'Paiement déjà traité');
    assert.match(again.body, /ne sera pas débité une seconde fois/);
    const cancelLater = readPage(await (await postForm(sandbox, path, { action: 'cancel' })).text());
    assert.equal(cancelLater.heading, 'Paiement déjà traité');
    const reopened = readPage(await (await sandbox.request(path)).text());
    assert.equal(reopened.heading, 'Paiement déjà traité');
    assert.equal(reopened.hasForm, false);
    assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 9650);
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 1);
  });

  test('two tabs posting at once: exactly one pays', async () => {
    const { sandbox, receiver, path } = await startPayment();
    const fields = { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' };
    const pages = await Promise.all([postForm(sandbox, path, fields), postForm(sandbox, path, fields), postForm(sandbox, path, { action: 'cancel' })]);
    const headings = await Promise.all(pages.map(async (response) => readPage(await response.text()).heading));
    assert.equal(headings.filter((heading) => heading === 'Paiement accepté').length, 1);
    assert.equal(headings.filter((heading) => heading === 'Paiement déjà traité').length, 2);
    assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 9650);
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 1);
  });

  test('an expired operation cannot be paid', async () => {
    let now = Date.parse('2025-03-01T10:00:00Z');
    const { sandbox, path, id } = await startPayment({ now: () => now });
    now += 15 * 60_000;
    const page = readPage(await (await sandbox.request(path)).text());
    assert.equal(page.heading, 'Paiement expiré');
    const posted = readPage(await (await postForm(sandbox, path, { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' })).text());
    assert.equal(posted.heading, 'Paiement expiré');
    assert.equal(sandbox.control.operation(id)?.status, 'Expired');
    assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 10000);
  });
});

describe('the outcome page’s 3-second redirect can be stopped (WCAG 2.2.1)', () => {
  async function cancelledPage() {
    const { sandbox, path } = await startPayment({ pointsOfSale: [{ urlAfterCancellation: 'https://shop.test/cancelled' }] });
    const response = await postForm(sandbox, path, { identifier: '', password: '', action: 'cancel' });
    return { sandbox, response, html: await response.text() };
  }

  test('says in words that it redirects in 3 seconds, offers "Rester sur cette page", and keeps #return-link', async () => {
    const { html } = await cancelledPage();
    const page = readPage(html);
    assert.equal(page.returnLink, 'https://shop.test/cancelled');
    assert.match(html, /<p class="muted" id="redirect-notice" role="status" data-redirect-url="https:\/\/shop\.test\/cancelled" data-redirect-seconds="3">/);
    assert.match(html, /Vous allez être redirigé vers Boutique démo dans 3 secondes\./);
    // Shown by the script that can stop the redirect; without script there is nothing it could stop.
    assert.match(html, /<button type="button" id="stay-here" class="secondary" hidden="">Rester sur cette page<\/button>/);
  });

  test('the redirect is a script timer; the meta refresh only without script', async () => {
    const { html, response } = await cancelledPage();
    assert.match(html, /<noscript><meta http-equiv="refresh" content="3;url=https:\/\/shop\.test\/cancelled"\/?><\/noscript>/);
    assert.match(html, /<script src="\/sandbox\/assets\/redirect\.js" defer=""><\/script>/);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
  });

  test('the script is served from the sandbox, and the stop clears its timer', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.request('/sandbox/assets/redirect.js');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
    const script = await response.text();
    assert.match(script, /setTimeout/);
    assert.match(script, /clearTimeout\(timer\)/);
  });

  test('a page without a redirect has neither notice nor script', async () => {
    const { sandbox, path } = await startPayment();
    const html = await (await sandbox.request(`${path}/mot-de-passe-oublie`)).text();
    assert.equal(readPage(html).refresh, undefined);
    assert.doesNotMatch(html, /stay-here|<script/);
  });
});
